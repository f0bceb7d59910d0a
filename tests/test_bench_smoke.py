"""Smoke tests for the benchmark tools in bench/: they run and produce sane output.

No timing is asserted anywhere here: the figures only mean something from `make bench`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import tomli

from netquest.engine.checker import check_library
from netquest.engine.library import load_library
from netquest.saves import Profile, SaveStore, read_profile

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

import minimal_app  # noqa: E402
import pty_harness  # noqa: E402
import scene_swap_app  # noqa: E402
import story_gen  # noqa: E402

pytestmark = pytest.mark.xdist_group("bench-smoke")

RESULT_KEYS = {
    "score",
    "total",
    "best",
    "worst",
    "ending",
    "outcome",
    "principles",
    "readings",
    "path",
}


def _run(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, timeout=timeout, check=True
    )


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("story")
    _run(str(BENCH / "story_gen.py"), "50", str(folder))
    return folder


def test_story_parses_and_checks_clean(story: Path) -> None:
    data = tomli.loads((story / "generated.toml").read_text(encoding="utf-8"))
    assert len(data["scenes"]) == 50
    library = load_library(files=[story / "generated.toml"], include_bundled=False)
    assert [entry.scenario.id for entry in library.entries] == ["generated"]
    found = check_library(library, whole_curriculum=False)
    assert [d.format() for d in found] == []


def test_ink_story_has_every_knot(story: Path) -> None:
    ink = (story / "generated.ink").read_text(encoding="utf-8")
    assert ink.count("=== s") == 50
    assert "=== great_end ===" in ink
    assert ink_story_targets_exist(ink)


def ink_story_targets_exist(ink: str) -> bool:
    knots = {line.strip("= ").strip() for line in ink.splitlines() if line.startswith("===")}
    targets = {line.split("->", 1)[1].strip() for line in ink.splitlines() if "->" in line}
    return targets <= knots | {"END"}


@pytest.mark.parametrize("step", ["parse", "load", "check"])
def test_load_worker_reports_figures(story: Path, step: str) -> None:
    done = _run(str(BENCH / "load_worker.py"), step, str(story / "generated.toml"))
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["step"] == step
    assert figures["work_s"] > 0
    assert figures["rss_kib"] > 0


def test_toml_and_ink_tell_the_same_story() -> None:
    toml_text, ink_text = story_gen.toml_story(5), story_gen.ink_story(5)
    data = tomli.loads(toml_text)
    for index in range(5):
        assert f"=== s{index} ===" in ink_text
        assert data["scenes"][f"s{index}"]["choices"][0]["id"] == "ask"


def test_saves_generator_writes_real_profiles(tmp_path: Path) -> None:
    _run(str(BENCH / "saves_gen.py"), "3", str(tmp_path), timeout=300)
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 3
    profiles = [read_profile(path) for path in files]
    finished = [run for profile in profiles for run in profile.runs if run.is_finished]
    assert finished, "every learner having only unfinished runs is very unlikely"
    for run in finished:
        assert run.result is not None
        assert set(run.result) == RESULT_KEYS
    floor = _run(str(BENCH / "read_saves.py"), str(tmp_path))
    assert floor.stdout.strip() == "3"


def test_pty_harness_against_the_minimal_app(tmp_path: Path) -> None:
    argv = [sys.executable, str(BENCH / "minimal_app.py")]
    got = pty_harness.startup(argv, minimal_app.READY_TEXT, cwd=tmp_path, timeout=60)
    assert got["drawn_s"] > 0
    assert got["rss_kib"] > 1024
    steps = [(b"1", pty_harness.showing(minimal_app.line_text(n))) for n in (1, 2)]
    latencies = pty_harness.key_latencies(
        argv, minimal_app.READY_TEXT, steps, cwd=tmp_path, timeout=60
    )
    assert len(latencies) == 2
    assert all(value > 0 for value in latencies)


def test_scene_swap_anchor_replaces_the_whole_scene(tmp_path: Path) -> None:
    argv = [sys.executable, str(BENCH / "scene_swap_app.py")]
    steps = [
        (
            b"2",
            pty_harness.showing(
                scene_swap_app.title_text(n), f"Paragraph 2 of the {n}th scene.", "3  Follow up"
            ),
        )
        for n in (1, 2)
    ]
    latencies = pty_harness.key_latencies(
        argv, scene_swap_app.READY_TEXT, steps, cwd=tmp_path, timeout=60
    )
    assert len(latencies) == 2
    assert all(value > 0 for value in latencies)


def test_harness_reports_a_screen_that_never_comes(tmp_path: Path) -> None:
    argv = [sys.executable, str(BENCH / "minimal_app.py")]
    with (
        pytest.raises(pty_harness.HarnessTimeout, match="Minimal anchor app"),
        pty_harness.Terminal(argv, cwd=tmp_path) as term,
    ):
        term.wait_for(minimal_app.READY_TEXT, timeout=60)
        term.wait_for("text that is never shown", timeout=1)


@pytest.mark.parametrize("which", ["minimal", "netquest"])
def test_first_frame_driver_exits_by_itself(tmp_path: Path, which: str) -> None:
    store = SaveStore(tmp_path)
    store.save(Profile.new("bench"))
    store.set_last_profile("bench")
    argv = [sys.executable, str(BENCH / "first_frame.py"), which, "--saves", str(tmp_path)]
    env = pty_harness.terminal_env({"NETQUEST_SAVES": str(tmp_path)})
    term = pty_harness.Terminal(argv, env=env, cwd=tmp_path)
    term.start()
    try:
        assert term.wait_exit(120), "the driver did not exit"
    finally:
        term.stop()
    assert term.exit_status == 0


@pytest.mark.parametrize(
    ("step", "argument"), [("check", "flags"), ("parse", "flags"), ("fill", "1000")]
)
def test_hardening_worker_reports_figures(tmp_path: Path, step: str, argument: str) -> None:
    if argument == "flags":
        _run(str(BENCH / "flag_gen.py"), "exploding", "6", "3", str(tmp_path / "f.toml"))
        argument = str(tmp_path / "f.toml")
    done = _run(str(BENCH / "hardening_worker.py"), step, argument)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["step"] == step and figures["work_s"] > 0 and figures["rss_kib"] > 0
    if step == "check":
        assert (figures["status"], figures["codes"]) == (0, [])


def test_studio_bench_formats_its_section() -> None:
    """The studio bench's Markdown and target rows (from canned figures: no timing here)."""
    import studio_bench

    figure = {"n": 1, "min": 0.1, "median": 0.2, "max": 0.3}
    names = [
        "reload conference",
        "load_draft conference",
        "reload 1000 scenes",
        "load_draft 1000 scenes",
        "randomtest 10000 runs conference",
        "randomtest 1000 runs 1000 scenes",
    ]
    section, targets = studio_bench.markdown(dict.fromkeys(names, figure))
    assert "| reload conference | 1 | 100 ms | 200 ms | 300 ms |" in section
    assert "50,000 runs/s" in section
    assert [row[0] for row in targets] == [
        "randomtest 10,000 runs of conference",
        "Studio reload-to-playable vs load floor, conference",
        "Studio reload-to-playable vs load floor, 1000 scenes",
    ]
