"""Authoring tools: studio reload-to-playable latency after a save, and randomtest runs per second.

    python bench/studio_bench.py                       # prints the Markdown section
    python bench/studio_bench.py --json out.json --repeats 5

Reload latency: the real studio app (headless, Textual's test driver) on a temporary copy of a
scenario, its watchfiles worker running; the file is rewritten with a changed scene text and the
clock runs until the play pane shows the new text. The anchor is the floor under it measured in
the same run: ``load_draft`` alone (read, load, check, explore) called directly. The gap is the
watcher's debounce (150 ms), the worker hand-off and the redraw.

randomtest: ``randomtest(scenario, runs=10_000)`` on a bundled scenario, and 1,000 runs on the
1,000-scene generated story (bench/story_gen.py), timed in-process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import story_gen  # noqa: E402

from netquest.engine.draft import load_draft  # noqa: E402
from netquest.engine.library import bundled_dir, load_library  # noqa: E402
from netquest.engine.randomtest import randomtest  # noqa: E402

BUNDLED = "conference"
RANDOM_RUNS = 10_000
BIG = 1_000


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "min": min(values),
        "median": statistics.median(values),
        "max": max(values),
    }


async def _reload_latency(path: Path, marker: str, repeats: int) -> list[float]:
    from textual.widgets import Static

    from netquest.tui.studio.studio_app import StudioApp

    app = StudioApp(path)
    original = path.read_text(encoding="utf-8")
    timings: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while app.loads < 1:
            await pilot.pause(0.01)
        await pilot.pause(0.5)  # let the watcher start
        for number in range(repeats):
            new = f"{marker} (edit {number})"
            text = original.replace(marker, new, 1)
            before = app.loads
            began = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            deadline = began + 30
            while True:
                await asyncio.sleep(0.005)
                if app.loads > before and new in str(app.query_one("#text", Static).render()):
                    break
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"no reload of {path.name} within 30 s")
            timings.append(time.perf_counter() - began)
            await pilot.pause(0.3)  # past the watcher's debounce before the next save
    return timings


def _floor(path: Path, repeats: int) -> list[float]:
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        draft = load_draft(path)
        timings.append(time.perf_counter() - began)
        assert draft.scenario is not None
    return timings


def measure(repeats: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="netquest-studio-bench-"))
    try:
        bundled = work / "bundled"
        bundled.mkdir()
        shutil.copy(bundled_dir() / f"{BUNDLED}.toml", bundled / f"{BUNDLED}.toml")
        shutil.copy(bundled_dir() / "principles.toml", bundled / "principles.toml")
        big = work / "big"
        big.mkdir()
        (big / "generated.toml").write_text(story_gen.toml_story(BIG), encoding="utf-8")
        shutil.copy(bundled_dir() / "principles.toml", big / "principles.toml")

        library = load_library()
        scenario = library.get(BUNDLED)
        assert scenario is not None
        start_text = scenario.scenario.scenes[scenario.scenario.start].text.split("\n")[0][:40]
        big_text = "You are at the 0th moment"

        results: dict[str, Any] = {}
        for name, path, marker in (
            (BUNDLED, bundled / f"{BUNDLED}.toml", start_text),
            (f"{BIG} scenes", big / "generated.toml", big_text),
        ):
            results[f"reload {name}"] = _stats(asyncio.run(_reload_latency(path, marker, repeats)))
            results[f"load_draft {name}"] = _stats(_floor(path, repeats))

        rates = []
        for seed in range(repeats):
            began = time.perf_counter()
            randomtest(scenario.scenario, runs=RANDOM_RUNS, seed=seed)
            rates.append(time.perf_counter() - began)
        results[f"randomtest {RANDOM_RUNS} runs {BUNDLED}"] = _stats(rates)
        generated = load_draft(big / "generated.toml").scenario
        assert generated is not None
        big_rates = []
        for seed in range(max(1, repeats // 2)):
            began = time.perf_counter()
            randomtest(generated, runs=1_000, seed=seed)
            big_rates.append(time.perf_counter() - began)
        results[f"randomtest 1000 runs {BIG} scenes"] = _stats(big_rates)
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _ms(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def markdown(results: dict[str, Any]) -> tuple[str, list[list[str]]]:
    """The RESULTS.md section and its target rows."""
    rows = []
    for key, found in results.items():
        rows.append(
            f"| {key} | {found['n']} | {_ms(found['min'])} | {_ms(found['median'])} | "
            f"{_ms(found['max'])} |"
        )
    lines = [
        "Studio: save → play pane shows the new text (real app, headless, watchfiles worker "
        "running); anchor: `load_draft` (read, load, check, explore) alone. randomtest in-process.",
        "",
        "| what | runs | min | median | max |",
        "| --- | --- | --- | --- | --- |",
        *rows,
        "",
    ]
    targets = []
    for name in (BUNDLED, f"{BIG} scenes"):
        reload_ = results[f"reload {name}"]["median"]
        floor = results[f"load_draft {name}"]["median"]
        lines.append(
            f"Reload over load floor, {name}: {reload_ / floor:.2f}× "
            f"({_ms(reload_ - floor)} of watcher debounce, hand-off and redraw)."
        )
    rate = results[f"randomtest {RANDOM_RUNS} runs {BUNDLED}"]["median"]
    lines.append(f"randomtest: **{RANDOM_RUNS / rate:,.0f} runs/s** on {BUNDLED}.")
    targets.append(
        [
            f"randomtest {RANDOM_RUNS:,} runs of {BUNDLED}",
            f"{rate:.2f} s",
            "≤ 3 s",
            "**met**" if rate <= 3 else "**missed**",
        ]
    )
    for name in (BUNDLED, f"{BIG} scenes"):
        over = results[f"reload {name}"]["median"] / results[f"load_draft {name}"]["median"]
        targets.append(
            [
                f"Studio reload-to-playable vs load floor, {name}",
                f"{over:.2f}×",
                "≤ 2×",
                "**met**" if over <= 2 else "**missed**",
            ]
        )
    return "\n".join(lines), targets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures and rows as JSON")
    args = parser.parse_args()
    results = measure(args.repeats)
    section, targets = markdown(results)
    if args.json:
        args.json.write_text(
            json.dumps({"results": results, "section": section, "targets": targets}, indent=2),
            encoding="utf-8",
        )
    print(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
