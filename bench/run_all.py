"""Run every benchmark, each against its anchor in the same run, and rewrite bench/RESULTS.md.

    make bench                          # everything, about 20 minutes on the 2-core machine
    python bench/run_all.py --only startup,latency --runs 5 --results /tmp/partial.md

Each comparison interleaves its commands (A B, B A, A B, ...) so that the machine's drift hits
both alike, repeats them, and reports min / median / max and the ratio of the medians. Nothing
here fails on a time: targets are reported as met or missed. See bench/README.md for how each
figure is taken.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
INK_DIR = BENCH / ".ink"
INK_VERSION = "2.4.0"
PYTHON = sys.executable
NETQUEST = str(Path(sys.executable).with_name("netquest"))
SECTIONS = ("startup", "callgrind", "latency", "reports", "load", "hardening", "studio")

sys.path.insert(0, str(BENCH))

import minimal_app  # noqa: E402
import scene_swap_app  # noqa: E402
from pty_harness import (  # noqa: E402
    COLUMNS,
    ROWS,
    Check,
    HarnessTimeout,
    Terminal,
    key_latencies,
    showing,
    startup,
    terminal_env,
)

MIB = 1024.0


# -- figures ---------------------------------------------------------------------------------


@dataclass
class Series:
    """Repeated measurements of one thing (seconds, unless ``unit`` says otherwise)."""

    label: str
    values: list[float] = field(default_factory=list)
    unit: str = "s"
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def p95(self) -> float:
        """The 95th percentile (interpolated between the two nearest samples)."""
        if len(self.values) < 2:
            return self.values[0] if self.values else float("nan")
        return statistics.quantiles(self.values, n=20, method="inclusive")[-1]

    def cells(self) -> list[str]:
        """runs, min, median, max as table cells."""
        if not self.values:
            return ["0", "—", "—", "—"]
        fmt = _format(self.unit)
        return [
            str(len(self.values)),
            fmt(min(self.values)),
            fmt(self.median),
            fmt(max(self.values)),
        ]


def _format(unit: str) -> Callable[[float], str]:
    if unit == "MiB":
        return lambda value: f"{value:.1f} MiB"
    return seconds


def seconds(value: float) -> str:
    """A duration, in the unit that reads best."""
    if value != value:  # NaN
        return "—"
    if value < 1:
        return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value * 1000:.0f} ms"
    return f"{value:.2f} s"


def ratio(a: Series, b: Series) -> float:
    """Median of ``a`` over median of ``b``."""
    if not a.values or not b.values or b.median == 0:
        return float("nan")
    return a.median / b.median


def verdict(value: float, limit: float, *, below: bool = False) -> str:
    """'met' when ``value`` is within ``limit`` (strictly below it when ``below``)."""
    if value != value:
        return "not measured"
    ok = value < limit if below else value <= limit
    return "**met**" if ok else "**missed**"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def interleaved(runs: int, count: int) -> Iterator[tuple[int, list[int]]]:
    """For each run, the order to run ``count`` commands in: rotated every run."""
    for run in range(runs):
        order = list(range(count))
        shift = run % count
        yield run, order[shift:] + order[:shift]


# -- timing a process ------------------------------------------------------------------------


@dataclass
class Timed:
    wall: float
    cpu: float
    status: int
    stdout: str
    stderr: str
    peak_mib: float = float("nan")
    """The process's peak resident memory (``ru_maxrss`` from ``wait4``)."""


def run_timed(argv: Sequence[str], timeout: float, env: dict[str, str] | None = None) -> Timed:
    """Run a command to completion; wall time from spawn to reaped, CPU time from ``wait4``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Timed(
            wall,
            usage.ru_utime + usage.ru_stime,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            usage.ru_maxrss / MIB,
        )


class BenchError(Exception):
    """A benchmark could not run as set up."""


def checked(timed: Timed, what: str) -> Timed:
    if timed.status != 0:
        raise BenchError(f"{what} exited {timed.status}: {timed.stderr.strip()[-800:]}")
    return timed


# -- the run ---------------------------------------------------------------------------------


@dataclass
class Plan:
    runs: int
    runs_10k: int
    latency_launches: int
    latency_presses: int
    sizes: list[int]
    ink_runs_large: int
    report_sizes: list[int]
    deadline: float
    hardening_runs: int = 3
    unknown_keys: int = 3_000_000


class Bench:
    """Runs the sections and collects Markdown for RESULTS.md."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.sections: dict[str, str] = {}
        self.targets: list[list[str]] = []
        self.notes: list[str] = []
        self.work = Path(tempfile.mkdtemp(prefix="netquest-bench-"))
        self._hostile_medians: list[float] = []

    def left(self) -> float:
        return self.plan.deadline - time.monotonic()

    def target(self, what: str, measured: str, target: str, result: str) -> None:
        self.targets.append([what, measured, target, result])

    def log(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    # -- set-up ------------------------------------------------------------------------------

    def studio(self) -> None:
        """Authoring: studio reload latency and randomtest speed (bench/studio_bench.py)."""
        out = self.work / "studio.json"
        timed = run_timed(
            [PYTHON, str(BENCH / "studio_bench.py"), "--json", str(out)],
            timeout=max(120.0, self.left()),
        )
        checked(timed, "bench/studio_bench.py")
        found = json.loads(out.read_text(encoding="utf-8"))
        self.sections["studio"] = found["section"]
        for row in found["targets"]:
            self.target(*row)

    def saves_with_profile(self, name: str = "bench") -> Path:
        """A fresh saves folder holding one profile, remembered as the last one used."""
        from netquest.saves import Profile, SaveStore

        folder = Path(tempfile.mkdtemp(prefix="saves-", dir=self.work))
        store = SaveStore(folder)
        store.save(Profile.new(name))
        store.set_last_profile(name)
        return folder

    def story(self, scenes: int) -> Path:
        """The generated story of ``scenes`` scenes (cached under bench/out/stories)."""
        stamp = hashlib.sha256((BENCH / "story_gen.py").read_bytes()).hexdigest()[:16]
        folder = OUT / "stories" / f"{scenes}"
        marker = folder / f".made-{stamp}"
        if not marker.exists():
            self.log(f"generating a story of {scenes} scenes")
            shutil.rmtree(folder, ignore_errors=True)
            # In a child process: a 100,000-scene story takes a lot of memory to build, and
            # this process forks every measured command.
            checked(
                run_timed([PYTHON, str(BENCH / "story_gen.py"), str(scenes), str(folder)], 600),
                "story_gen.py",
            )
            marker.touch()
        return folder

    def saves(self, count: int) -> Path:
        """A folder of ``count`` generated save files (cached under bench/out/saves)."""
        stamp = hashlib.sha256((BENCH / "saves_gen.py").read_bytes()).hexdigest()[:16]
        biggest = max(self.plan.report_sizes)
        source = OUT / "saves" / f"{biggest}"
        marker = source / f".made-{stamp}"
        if not marker.exists():
            self.log(f"generating {biggest} save files")
            shutil.rmtree(source, ignore_errors=True)
            checked(
                run_timed([PYTHON, str(BENCH / "saves_gen.py"), str(biggest), str(source)], 900),
                "saves_gen.py",
            )
            marker.touch()
        if count == biggest:
            return source
        folder = OUT / "saves" / f"{count}-of-{biggest}"
        marker_small = folder / f".made-{stamp}"
        if not marker_small.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for path in sorted(source.glob("*.json"))[:count]:
                shutil.copyfile(path, folder / path.name)
            marker_small.touch()
        return folder

    def ink_ready(self) -> str | None:
        """Install inkjs into bench/.ink if needed; returns why ink cannot run, or None."""
        if shutil.which("node") is None:
            return "node is not installed"
        package = INK_DIR / "node_modules" / "inkjs" / "package.json"
        if package.exists() and json.loads(package.read_text())["version"] == INK_VERSION:
            return None
        if shutil.which("npm") is None:
            return "npm is not installed"
        self.log(f"installing inkjs@{INK_VERSION} into {INK_DIR}")
        INK_DIR.mkdir(exist_ok=True)
        done = run_timed(
            [
                "npm",
                "install",
                "--prefix",
                str(INK_DIR),
                "--no-audit",
                "--no-fund",
                f"inkjs@{INK_VERSION}",
            ],
            300,
        )
        if done.status != 0:
            return f"npm install failed: {done.stderr.strip()[-300:]}"
        return None

    # -- 1. start-up -------------------------------------------------------------------------

    def startup(self) -> None:
        saves = self.saves_with_profile()
        commands: list[tuple[str, list[str], Check, Check]] = [
            (
                "minimal Textual app (one line)",
                [PYTHON, str(BENCH / "minimal_app.py")],
                showing(minimal_app.READY_TEXT),
                showing(minimal_app.READY_TEXT),
            ),
            (
                "netquest → title screen",
                [NETQUEST, "--saves", str(saves)],
                showing("New game", "Practise networking"),
                showing("New game", "Playing as bench"),
            ),
        ]
        drawn = [Series(label) for label, *_ in commands]
        ready = [Series(label) for label, *_ in commands]
        memory = [Series(label, unit="MiB") for label, *_ in commands]
        for run, order in interleaved(self.plan.runs, len(commands)):
            for index in order:
                _, argv, first, done = commands[index]
                got = startup(argv, first, done, env=saves_env(saves), cwd=self.work)
                drawn[index].values.append(got["drawn_s"])
                ready[index].values.append(got["ready_s"])
                memory[index].values.append(got["rss_kib"] / MIB)
            self.log(f"start-up run {run + 1}/{self.plan.runs}")
        rows = [
            ["minimal Textual app", "launch → its line drawn", *drawn[0].cells()],
            ["netquest", "launch → title screen drawn (menu, tagline)", *drawn[1].cells()],
            [
                "netquest",
                "launch → title screen ready (scenarios and profile shown)",
                *ready[1].cells(),
            ],
        ]
        r_drawn, r_ready = ratio(drawn[1], drawn[0]), ratio(ready[1], drawn[0])
        mem_diff = memory[1].median - memory[0].median
        text = [
            f"Pseudo-terminal {COLUMNS}×{ROWS}, `TERM=xterm-256color`; the saves folder holds one "
            "profile, so netquest opens at its title screen.",
            "",
            table(["app", "measured", "runs", "min", "median", "max"], rows),
            "",
            f"Ratio of medians, title drawn / minimal: **{r_drawn:.2f}** "
            f"(target ≤ 1.25: {verdict(r_drawn, 1.25)}). "
            f"Title ready / minimal: {r_ready:.2f}.",
            "",
            "Peak memory (VmHWM, read once the screen has settled):",
            "",
            table(
                ["app", "runs", "min", "median", "max"],
                [[memory[0].label, *memory[0].cells()], [memory[1].label, *memory[1].cells()]],
            ),
            "",
            f"Difference of medians: **{mem_diff:.1f} MiB** "
            f"(target ≤ 15 MiB: {verdict(mem_diff, 15)}).",
        ]
        self.sections["startup"] = "\n".join(text)
        self.target(
            "Start-up, title drawn vs minimal app",
            f"{r_drawn:.2f}×",
            "≤ 1.25×",
            verdict(r_drawn, 1.25),
        )
        self.target(
            "Start-up peak memory over minimal app",
            f"{mem_diff:.1f} MiB",
            "≤ 15 MiB",
            verdict(mem_diff, 15),
        )

    # -- 1b. instruction counts --------------------------------------------------------------

    def callgrind(self) -> None:
        if shutil.which("valgrind") is None:
            self.sections["callgrind"] = "valgrind is not installed: not measured."
            return
        saves = self.saves_with_profile()
        counts: dict[str, int] = {}
        walls: dict[str, float] = {}
        for which in ("minimal", "netquest"):
            out = self.work / f"callgrind.{which}.out"
            argv = [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                f"--log-file={self.work / f'valgrind.{which}.log'}",
                PYTHON,
                str(BENCH / "first_frame.py"),
                which,
                "--saves",
                str(saves),
            ]
            term = Terminal(argv, env=terminal_env(saves_env(saves)), cwd=self.work)
            started = time.perf_counter()
            term.start()
            if not term.wait_exit(min(600.0, max(60.0, self.left()))):
                term.stop()
                raise BenchError(f"callgrind run of {which} did not finish")
            walls[which] = time.perf_counter() - started
            term.stop()
            if term.exit_status != 0:
                raise BenchError(f"callgrind run of {which} exited {term.exit_status}")
            found = re.search(r"^summary:\s*(\d+)", out.read_text(), re.MULTILINE)
            if found is None:
                raise BenchError(f"no summary line in {out}")
            counts[which] = int(found.group(1))
            self.log(f"callgrind {which}: {counts[which]:,} instructions")
        r = counts["netquest"] / counts["minimal"]
        self.sections["callgrind"] = "\n".join(
            [
                "One run each under `valgrind --tool=callgrind` (instruction counts barely move "
                "between runs). Both go through `bench/first_frame.py`: `App.run` with an "
                "auto-pilot that waits until the app is ready (netquest: scenarios and profile "
                "loaded, as its title screen shows them), lets pending messages and refreshes "
                "run (`Pilot.pause`), then exits.",
                "",
                table(
                    ["app", "instructions (Ir)", "wall time under valgrind"],
                    [
                        [
                            "minimal Textual app",
                            f"{counts['minimal']:,}",
                            seconds(walls["minimal"]),
                        ],
                        [
                            "netquest title screen",
                            f"{counts['netquest']:,}",
                            seconds(walls["netquest"]),
                        ],
                    ],
                ),
                "",
                f"Ratio: **{r:.2f}** (the 1.25 start-up target, applied to instructions: "
                f"{verdict(r, 1.25)}).",
            ]
        )
        self.target(
            "Start-up instructions vs minimal app (callgrind)",
            f"{r:.2f}×",
            "≤ 1.25×",
            verdict(r, 1.25),
        )

    # -- 2. choice latency -------------------------------------------------------------------

    def latency(self) -> None:
        template = self.saves_with_profile()
        saves = self.work / "latency-saves"
        story = self.story(60)
        presses = self.plan.latency_presses
        commands: list[tuple[list[str], Check, list[tuple[bytes, Check]]]] = [
            (
                [PYTHON, str(BENCH / "minimal_app.py")],
                showing(minimal_app.READY_TEXT),
                [(b"1", showing(minimal_app.line_text(i))) for i in range(1, presses + 1)],
            ),
            (
                [PYTHON, str(BENCH / "scene_swap_app.py")],
                showing(scene_swap_app.READY_TEXT, "3  Follow up"),
                [
                    (
                        b"2",
                        showing(
                            scene_swap_app.title_text(i),
                            f"Paragraph 2 of the {i}th scene.",
                            "3  Follow up on what you offered earlier.",
                        ),
                    )
                    for i in range(1, presses + 1)
                ],
            ),
            (
                [
                    NETQUEST,
                    "play",
                    "generated",
                    "--saves",
                    str(saves),
                    "--scenarios",
                    str(story),
                    "--profile",
                    "bench",
                    "--mode",
                    "assessment",
                ],
                showing("Moment 0 ", "at the 0th moment"),
                [
                    (
                        b"2",
                        showing(
                            f"Moment {i} ",
                            f"at the {i}th moment",
                            "3  Follow up on what you offered earlier.",
                        ),
                    )
                    for i in range(1, presses + 1)
                ],
            ),
        ]
        series = [
            Series("minimal app: key `1` → new line drawn"),
            Series("scene-swap app: key `2` → title, 3 paragraphs, 3 options replaced and drawn"),
            Series("netquest: choice key `2` → next scene drawn"),
        ]
        launches = self.plan.latency_launches
        for run, order in interleaved(launches, len(commands)):
            for index in order:
                argv, first, steps = commands[index]
                # A fresh copy of the saves each launch, so every run starts at the first scene.
                shutil.rmtree(saves, ignore_errors=True)
                shutil.copytree(template, saves)
                series[index].values.extend(
                    key_latencies(argv, first, steps, env=saves_env(saves), cwd=self.work)
                )
            self.log(f"latency launch {run + 1}/{launches}")
        line, swap, game = series
        r_swap, r_line = ratio(game, swap), ratio(game, line)
        p95 = game.p95 / swap.p95 if swap.values and game.values else float("nan")
        rows = [[s.label, *s.cells(), seconds(s.p95)] for s in series]
        by_press = [
            [
                s.label.split(":")[0],
                *(seconds(statistics.median(s.values[press::presses])) for press in range(presses)),
            ]
            for s in (swap, game)
            if len(s.values) >= presses
        ]
        slowest = max(
            range(presses), key=lambda press: statistics.median(game.values[press::presses])
        )
        self.sections["latency"] = "\n".join(
            [
                f"Each launch waits for the first screen, then {presses} times: lets the screen "
                "settle (no output for 0.3 s), presses the key and times until the expected "
                f"text is on the emulated screen. {launches} launches of each, "
                "interleaved. netquest plays a generated 60-scene story in assessment mode "
                "(`netquest play generated --mode assessment`); choice 2 has no consequence "
                "text, so the key leads straight to the next scene: its title, its text and "
                "its three choices must all be drawn. Two anchors: the scene-swap app "
                "(`bench/scene_swap_app.py`: the least a Textual app can do to show a next "
                "scene, a title, three paragraphs and an OptionList of three replaced) is the "
                "one the target is measured against; the one-line update of the minimal app "
                "is Textual's floor for any key.",
                "",
                table(["measured", "samples", "min", "median", "max", "p95"], rows),
                "",
                f"Ratio of medians to the scene-swap app: **{r_swap:.2f}** (target ≤ 1.5: "
                f"{verdict(r_swap, 1.5)}); of the 95th percentiles: **{p95:.2f}** (target ≤ 2: "
                f"{verdict(p95, 2)}). To the minimal app's one-line update: {r_line:.2f}.",
                "",
                "Where the time goes, by the press's place in its launch (median of "
                f"{launches} launches):",
                "",
                table(["app", *(f"press {n + 1}" for n in range(presses))], by_press),
                "",
                f"netquest's slowest is press {slowest + 1}. The story's first scene offers two "
                "choices and the next three, so the first key grows the choice list: Textual "
                "lays out and repaints the whole screen (about 30 ms of layout and 27 ms of "
                "render against 4 and 8 ms for the later keys, timed frame by frame in a "
                "pseudo-terminal). With one press in four like that, the 95th percentile is "
                "that press; the scene-swap anchor always replaces three options with three.",
            ]
        )
        self.target(
            "Choice latency vs scene-swap app (median)",
            f"{r_swap:.2f}×",
            "≤ 1.5×",
            verdict(r_swap, 1.5),
        )
        self.target(
            "Choice latency vs scene-swap app (p95)", f"{p95:.2f}×", "≤ 2×", verdict(p95, 2)
        )
        self.target(
            "Choice latency vs minimal app's one-line update",
            f"{r_line:.2f}×",
            "— (second anchor)",
            "reported",
        )

    # -- 5. hostile input (issue 10) -------------------------------------------------------

    def hostile_file(self, name: str, make: Callable[[], str]) -> Path:
        """A generated input file, cached under bench/out/hardening until its generator changes."""
        stamp = hashlib.sha256(
            (BENCH / "flag_gen.py").read_bytes() + (BENCH / "run_all.py").read_bytes()
        ).hexdigest()[:16]
        folder = OUT / "hardening"
        path = folder / f"{name}-{stamp}.toml"
        if not path.exists():
            self.log(f"generating {name}")
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob(f"{name}-*.toml"):
                old.unlink()
            path.write_text(make(), encoding="utf-8")
        return path

    def _hostile(self, step: str, argument: str, label: str, note: str = "") -> list[str]:
        """One row: ``step`` of hardening_worker.py on ``argument``, ``runs`` times."""
        work, wall, peak = Series(label), Series(label), Series(label, unit="MiB")
        status = ""
        runs = self.plan.hardening_runs
        self._hostile_medians.append(0.0)
        for _ in range(runs):
            argv = [PYTHON, str(BENCH / "hardening_worker.py"), step, argument]
            timed = run_timed(argv, timeout=900)
            if timed.status != 0:
                last = (timed.stderr.strip().splitlines() or ["no message"])[-1][:160]
                return [label, "0", "—", "—", "—", f"failed: {last}"]
            out = json.loads(timed.stdout.strip().splitlines()[-1])
            work.values.append(out["work_s"])
            wall.values.append(timed.wall)
            peak.values.append(out["rss_kib"] / MIB)
            if "status" in out:
                status = f"exit {out['status']}, {', '.join(out['codes']) or 'clean'}"
        self._hostile_medians[-1] = work.median
        return [
            label,
            str(len(work.values)),
            seconds(work.median),
            seconds(wall.median),
            f"{peak.median:.0f} MiB",
            "; ".join(part for part in (status, note) if part),
        ]

    def hardening(self) -> None:
        import flag_gen

        def keys_file() -> str:
            story = flag_gen.flag_story("local", 3, 1)
            junk = "".join(f"junk{n} = {n}\n" for n in range(self.plan.unknown_keys))
            return story.replace("[scenario]\n", "[scenario]\n" + junk, 1)

        def word_file() -> str:
            story = flag_gen.flag_story("local", 3, 1)
            return story.replace('"Moment 0 of the day."', f'"{"x" * 10_000_000}"', 1)

        local22 = self.hostile_file("flags-22", lambda: flag_gen.flag_story("local", 25, 22))
        local30 = self.hostile_file("flags-30", lambda: flag_gen.flag_story("local", 1000, 30))
        boom = self.hostile_file("flags-boom", lambda: flag_gen.flag_story("exploding", 24, 20))
        keys = self.hostile_file(f"unknown-keys-{self.plan.unknown_keys}", keys_file)
        word = self.hostile_file("long-word", word_file)
        count = f"{self.plan.unknown_keys:,}"
        rows = [
            self._hostile("check", str(local22), "check: 22 flags, 25 scenes (was 2^22 states)"),
            self._hostile("check", str(local30), "check: 30 flags, 1,000 scenes"),
            self._hostile(
                "check", str(boom), "check: 20 flags all live at once (state cap reached)"
            ),
            self._hostile("parse", str(keys), f"floor: tomli parse, {count} unknown keys"),
            self._hostile("check", str(keys), f"check: {count} unknown keys"),
            self._hostile("check", str(word), "check: one 10 MB word in a scene's text"),
            self._hostile("fill", "10000000", "plain-mode wrap: one 10 MB word"),
            self._hostile("fill", "1000000", "plain-mode wrap: one 1 MB word"),
            self._hostile("textwrap", "1000000", "anchor: textwrap.fill, one 1 MB word"),
        ]
        self.log("hardening done")
        floor, flood = self._hostile_medians[3], self._hostile_medians[4]
        if floor and flood:
            r = flood / floor
            self.target(
                f"Check of {count} unknown keys vs parse floor",
                f"{r:.2f}×",
                "≤ 1.5×",
                verdict(r, 1.5),
            )
        self.sections["hardening"] = "\n".join(
            [
                "Issue 10's hostile inputs, each step in a fresh process "
                "(`bench/hardening_worker.py`; flag stories from `bench/flag_gen.py`). "
                "**work** is the step alone, after imports; **process** is spawn to exit; "
                "**peak** is VmHWM. None of these may print a traceback or a wrong score: the "
                "exploding story must end in NQ032 (score range unknown), the unknown keys in "
                "200 NQ007 lines and one NQ034 count, the long word in NQ033.",
                "",
                table(["step", "runs", "work median", "process median", "peak", "result"], rows),
            ]
        )

    # -- 3. loading and checking -------------------------------------------------------------

    def load(self) -> None:
        why_no_ink = self.ink_ready()
        if why_no_ink:
            self.notes.append(f"ink was not measured: {why_no_ink}.")
        results: dict[int, dict[str, StepFigures]] = {}
        blocks: list[str] = []
        for size in self.plan.sizes:
            folder = self.story(size)
            per = {step: StepFigures(label) for step, label in LOAD_STEPS.items()}
            results[size] = per
            large = size >= LARGE
            runs = 1 if large else self.plan.runs if size < 10_000 else self.plan.runs_10k
            ink_runs = min(runs, self.plan.ink_runs_large) if size >= 10_000 else runs
            if why_no_ink:
                ink_runs = 0
            # The largest size runs once, most wanted first, while the budget lasts.
            steps = ["load", "check", "parse", "ink"] if large else list(LOAD_STEPS)
            for run, order in interleaved(runs, len(steps)):
                for index in order:
                    step = steps[index]
                    figures = per[step]
                    if figures.skipped or figures.stopped or (step == "ink" and run >= ink_runs):
                        continue
                    self._load_step(step, size, folder, figures, large)
                self.log(f"load/check {size} scenes: run {run + 1}/{runs}")
            blocks.append(self._load_block(size, per))
        self.sections["load"] = "\n\n".join(
            [self._load_intro(), *blocks, self._load_targets(results)]
        )

    def _load_step(
        self, step: str, size: int, folder: Path, figures: StepFigures, large: bool
    ) -> None:
        if step == "ink":
            argv = [
                "node",
                NODE_HEAP,
                str(BENCH / "ink_compile.js"),
                str(INK_DIR),
                str(folder / "generated.ink"),
            ]
        else:
            argv = [PYTHON, str(BENCH / "load_worker.py"), step, str(folder / "generated.toml")]
        timeout = 900.0
        if large:
            timeout = self.left() - 15
            if timeout < 20:
                figures.skipped = "not run: no time left in the budget"
                return
        timed = run_timed(argv, timeout=timeout)
        if large and timed.status != 0 and timed.wall >= timeout - 0.5:
            figures.stopped = timed.wall
            return
        if timed.status != 0:
            last = (timed.stderr.strip().splitlines() or ["no message"])[-1][:160]
            figures.skipped = f"failed (exit {timed.status}): {last}"
            self.notes.append(f"{figures.label} at {size:,} scenes failed: {last}")
            return
        out = json.loads(timed.stdout.strip().splitlines()[-1])
        figures.wall.values.append(timed.wall)
        figures.cpu.values.append(timed.cpu)
        figures.work.values.append(out["work_s"])
        figures.rss.values.append(out["rss_kib"] / MIB)

    def _load_intro(self) -> str:
        return (
            "The same synthetic story (`bench/story_gen.py`: three choices a scene, effects on "
            "two principles, a flag set by one choice and required and cleared by another, a "
            "golden-path test through every scene) as a netquest scenario and as ink. Every "
            "step runs in a fresh process (`bench/load_worker.py`, `bench/ink_compile.js`), "
            "the steps of one repetition in rotating order. **work** is the step alone, timed "
            "inside the process after its imports (ink: reading the file and "
            "`new Compiler(src).Compile()`, after `require`); **process** is the whole "
            "process from spawn to exit; **CPU** is the process's user + system time; "
            "**peak** is its VmHWM. Ratios are of medians, against the parse floor's work."
        )

    def _load_block(self, size: int, per: dict[str, StepFigures]) -> str:
        floor = per["parse"].work
        rows = []
        for figures in per.values():
            if not figures.work.values:
                if figures.stopped:
                    why = f"stopped at {seconds(figures.stopped)} (budget): > that"
                else:
                    why = figures.skipped or "not run"
                rows.append([figures.label, "0", "—", "—", "—", "—", why, "—", "—"])
                continue
            runs, low, mid, high = figures.work.cells()
            against = ratio(figures.work, floor)
            rows.append(
                [
                    figures.label,
                    runs,
                    low,
                    mid,
                    high,
                    "—" if against != against else f"{against:.2f}×",
                    seconds(figures.wall.median),
                    seconds(figures.cpu.median),
                    f"{figures.rss.median:.0f} MiB",
                ]
            )
        header = [
            "step",
            "runs",
            "work min",
            "work median",
            "work max",
            "work / floor",
            "process median",
            "CPU median",
            "peak",
        ]
        return f"**{size:,} scenes** (TOML {file_mib(size)})\n\n" + table(header, rows)

    def _load_targets(self, results: dict[int, dict[str, StepFigures]]) -> str:
        lines = ["Targets:", ""]
        for size, per in results.items():
            r = ratio(per["load"].work, per["parse"].work)
            if r != r:
                continue
            rp = ratio(per["load"].wall, per["parse"].wall)
            rc = ratio(per["load"].cpu, per["parse"].cpu)
            lines.append(
                f"- {size:,} scenes, load + static checks / parse floor: **{r:.2f}** "
                f"(process {rp:.2f}, CPU {rc:.2f}; target ≤ 1.5: {verdict(r, 1.5)})"
            )
            self.target(
                f"Load + static checks vs parse floor, {size:,} scenes",
                f"{r:.2f}×",
                "≤ 1.5×",
                verdict(r, 1.5),
            )
        if 10_000 in results:
            per = results[10_000]
            r = ratio(per["check"].work, per["ink"].work)
            if r == r:
                rp = ratio(per["check"].wall, per["ink"].wall)
                rc = ratio(per["check"].cpu, per["ink"].cpu)
                lines.append(
                    f"- 10,000 scenes, full check / ink compile: **{r:.2f}** (process {rp:.2f}, "
                    f"CPU {rc:.2f}; target < 0.33: {verdict(r, 1 / 3, below=True)})"
                )
                self.target(
                    "Full check vs ink compiler, 10,000 scenes",
                    f"{r:.2f}×",
                    "< 0.33×",
                    verdict(r, 1 / 3, below=True),
                )
        big = max((size for size in results if size >= LARGE), default=None)
        if big is not None and 10_000 in results:
            factor = big // 10_000
            for step in ("parse", "load", "check"):
                large, small = results[big][step], results[10_000][step]
                if large.work.values:
                    growth = ratio(large.work, small.work)
                    shown, result = f"{growth:.1f}×", verdict(growth, 12)
                elif large.stopped and small.wall.values:
                    growth = large.stopped / small.wall.median
                    shown, result = f"> {growth:.1f}×", verdict(growth, 12)
                else:
                    shown, result = "—", "not measured"
                lines.append(
                    f"- growth 10,000 → {big:,} scenes ({factor}× the size), {step}: "
                    f"**{shown}** (target ≤ 12×: {result})"
                )
                if step != "parse":
                    self.target(
                        f"Linear growth of {step} ({big // 1000}k / 10k scenes)",
                        shown,
                        "≤ 12×",
                        result,
                    )
        return "\n".join(lines)

    # -- 4. reports --------------------------------------------------------------------------

    def reports(self) -> None:
        probe = run_timed(
            [
                PYTHON,
                "-c",
                "import importlib.util, sys; "
                "sys.exit(importlib.util.find_spec('netquest.commands.report') is None)",
            ],
            60,
        )
        available = probe.status == 0
        rows = []
        for count in self.plan.report_sizes:
            folder = self.saves(count)
            out = self.work / f"report-{count}.json"
            commands = [
                (
                    "floor: read + json.loads every file",
                    [PYTHON, str(BENCH / "read_saves.py"), str(folder)],
                ),
                (
                    "netquest report --format json",
                    [NETQUEST, "report", str(folder), "--format", "json", "--out", str(out)],
                ),
            ]
            if not available:
                commands = commands[:1]
            series = [Series(label) for label, _ in commands]
            cpu = [Series(label) for label, _ in commands]
            runs = self.plan.runs if count < 10_000 else self.plan.runs_10k
            for _, order in interleaved(runs, len(commands)):
                for index in order:
                    timed = checked(run_timed(commands[index][1], 600), commands[index][0])
                    series[index].values.append(timed.wall)
                    cpu[index].values.append(timed.cpu)
            if available:
                json.loads(out.read_text(encoding="utf-8"))  # it really wrote a report
            self.log(f"reports over {count} files done")
            for index, s in enumerate(series):
                shown = f"{ratio(s, series[0]):.2f}×" if index else "1.00×"
                rows.append([f"{count:,}", s.label, *s.cells(), seconds(cpu[index].median), shown])
            if available:
                r = ratio(series[1], series[0])
                self.target(
                    f"Report over {count:,} saves vs read floor", f"{r:.2f}×", "≤ 3×", verdict(r, 3)
                )
            else:
                self.target(
                    f"Report over {count:,} saves vs read floor",
                    "—",
                    "≤ 3×",
                    "pending: `netquest report` not in this build yet",
                )
        intro = (
            "Save files from `bench/saves_gen.py`: one profile per learner with 1–6 runs "
            "of the bundled scenarios, played by the engine with seeded random choices "
            "(about 1 in 8 left unfinished), written as `SaveStore.save` writes them. Each "
            "command is a fresh process, timed from spawn to exit; floor and report "
            "interleaved."
        )
        if not available:
            intro += (
                "\n\n**`netquest report` is not in this build yet**: only the floor was timed. "
                "The benchmark is ready and runs it as soon as `netquest/commands/report.py` "
                "exists."
            )
        header = [
            "saves",
            "command",
            "runs",
            "min",
            "median",
            "max",
            "CPU median",
            "ratio to floor",
        ]
        self.sections["reports"] = intro + "\n\n" + table(header, rows)
        if available:
            self.sections["reports"] += "\n\n" + self.report_phases(self.plan.report_sizes[0])
            self.sections["reports"] += "\n\n" + self.xapi_export()

    def report_phases(self, count: int) -> str:
        """Where the report's time goes: its phases' CPU in one process (median of 3 runs)."""
        folder = self.saves(count)
        out = self.work / f"phases-{count}.json"
        runs = [
            json.loads(
                checked(
                    run_timed(
                        [PYTHON, str(BENCH / "report_phases.py"), str(folder), str(out)], 600
                    ),
                    "report_phases.py",
                ).stdout
            )
            for _ in range(3)
        ]
        out.unlink(missing_ok=True)
        names = list(runs[0]["phases"])
        phases = {name: statistics.median(r["phases"][name] for r in runs) for name in names}
        floor = {
            name: statistics.median(r["floor"][name] for r in runs) for name in runs[0]["floor"]
        }
        total, floor_total = sum(phases.values()), sum(floor.values())
        rows = [
            [name, seconds(value), f"{value / floor_total:.2f}×"] for name, value in phases.items()
        ]
        rows.append(["**all of the report's work**", seconds(total), f"{total / floor_total:.2f}×"])
        rows += [[f"floor: {name}", seconds(value), ""] for name, value in floor.items()]
        shares = "; ".join(f"{name} {value / floor_total:.2f}×" for name, value in phases.items())
        core = sum(
            value for name, value in phases.items() if not name.startswith(("imports", "load"))
        )
        self.notes.append(
            f"Report over {count:,} saves (section 4, where the time goes): the report's own "
            f"work is {total / floor_total:.1f}× the floor's CPU: {shares}. Reading the saves, "
            f"building and rendering alone come to {core / floor_total:.1f}×, so no one phase "
            "made faster would reach 3×."
        )
        return (
            f"**Where the time goes** (`bench/report_phases.py`: `netquest report --format json` "
            f"over {count:,} saves, its own calls timed in one process, CPU seconds, median of "
            "3 runs; the interpreter's start is not included, and the floor's two steps are "
            "timed on the same files in the same process):\n\n"
            + table(["phase", "CPU", "of the floor"], rows)
        )

    def xapi_export(self) -> str:
        """``report --format xapi`` over XAPI_SAVES saves: time, peak memory, output size.

        Every statement is rebuilt from the saves (generated saves have no journals), the
        heaviest path. Streaming keeps peak memory flat whatever the cohort's size; the figure
        is compared with the size of what was written.
        """
        count = min(XAPI_SAVES, max(self.plan.report_sizes))
        folder = self.saves(count)
        out = self.work / f"xapi-{count}.jsonl"
        command = [NETQUEST, "report", str(folder), "--format", "xapi", "--out", str(out)]
        wall, cpu = Series("wall"), Series("CPU")
        peak = Series("peak memory", unit="MiB")
        for _ in range(XAPI_RUNS):
            timed = checked(run_timed(command, 900), "netquest report --format xapi")
            wall.values.append(timed.wall)
            cpu.values.append(timed.cpu)
            peak.values.append(timed.peak_mib)
        written = out.stat().st_size / MIB / MIB
        out.unlink()
        self.log(f"xapi export over {count} files done")
        self.target(
            f"xapi export over {count:,} saves, peak memory",
            f"{peak.median:.0f} MiB for {written:,.0f} MiB written",
            "< 512 MiB (not growing with the cohort)",
            verdict(peak.median, 512, below=True),
        )
        rows = [[f"{count:,}", series.label, *series.cells()] for series in (wall, cpu, peak)]
        return (
            f"`netquest report --format xapi --out FILE` over {count:,} saves "
            f"({written:,.0f} MiB of JSON Lines written, every statement rebuilt from the "
            "saves); statements are written learner by learner as they are produced. "
            "Peak memory is the process's `ru_maxrss`.\n\n"
            + table(["saves", "figure", "runs", "min", "median", "max"], rows)
        )


XAPI_SAVES = 5_000
"""Saves in the xAPI export benchmark (issue 10: 3.1 GB of memory before it streamed)."""
XAPI_RUNS = 3
"""Each export takes tens of seconds: a few runs are enough for memory, which barely varies."""

NODE_HEAP = "--max-old-space-size=16384"
"""Node's default heap limit is too small for the ink compiler at 100,000 scenes."""

LARGE = 100_000
"""Story sizes from here on run once, while the time budget lasts."""

LOAD_STEPS = {
    "parse": "floor: tomli.loads",
    "load": "netquest load (+ static checks)",
    "check": "netquest check (full, explorer)",
    "ink": f"inkjs {INK_VERSION} compiler",
}


@dataclass
class StepFigures:
    """Figures for one step at one story size."""

    label: str
    wall: Series = field(default_factory=lambda: Series("process"))
    work: Series = field(default_factory=lambda: Series("work"))
    cpu: Series = field(default_factory=lambda: Series("CPU"))
    rss: Series = field(default_factory=lambda: Series("peak", unit="MiB"))
    stopped: float = 0.0
    """Process wall time when it was stopped for the budget (a lower bound), else 0."""
    skipped: str = ""


def saves_env(saves: Path) -> dict[str, str]:
    """Name the saves folder in the environment too, so no run can touch a real one."""
    return {"NETQUEST_SAVES": str(saves)}


def file_mib(scenes: int) -> str:
    path = OUT / "stories" / f"{scenes}" / "generated.toml"
    return f"{path.stat().st_size / 1048576:.1f} MiB" if path.exists() else "?"


# -- RESULTS.md ------------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1048576:.1f} GiB"
    node = "not installed"
    if shutil.which("node"):
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    valgrind = "not installed"
    if shutil.which("valgrind"):
        valgrind = subprocess.run(
            ["valgrind", "--version"], capture_output=True, text=True
        ).stdout.strip()
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {memory}",
        f"- {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Python {platform.python_version()}, Textual {version('textual')}, "
        f"tomli {version('tomli')}, pyte {version('pyte')}, netquest {version('netquest')}",
        f"- Node {node}, inkjs {INK_VERSION}, {valgrind}",
    ]


SERVE_START, SERVE_END = "<!-- serve:start -->", "<!-- serve:end -->"


def _serve_section(path: Path) -> str:
    """Keep the classroom load test's figures (written by bench/serve_load.py) across reruns."""
    try:
        old = path.read_text(encoding="utf-8")
    except OSError:
        old = ""
    start, end = old.find(SERVE_START), old.find(SERVE_END)
    if start != -1 and end > start:
        return old[start : end + len(SERVE_END)]
    return (
        "## 5. Serve\n\nThe classroom load test (30 browser sessions) lives in "
        "`bench/serve_load.py`; run it to add its figures here."
    )


def write_results(
    bench: Bench,
    path: Path,
    started: datetime,
    took: float,
    loads: tuple[tuple[float, ...], tuple[float, ...]],
) -> None:
    load_before, load_after = loads
    parts = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`bench/run_all.py`) on {started:%Y-%m-%d %H:%M} UTC; the "
        f"whole run took {took / 60:.1f} minutes. How each figure is taken: "
        "[bench/README.md](README.md).",
        "",
        "## Machine",
        "",
        *machine(),
        f"- Load average (1, 5, 15 min) at start {fmt_load(load_before)}, at end "
        f"{fmt_load(load_after)}. This machine is shared and noisy (±30 % run to run): every "
        "comparison interleaves its commands in the same run, and CPU times and instruction "
        "counts are given where wall time alone would mislead.",
        "",
        "## Targets",
        "",
        table(["what", "measured", "target", "result"], bench.targets),
    ]
    titles = {
        "startup": "## 1. Start-up",
        "callgrind": "### Instruction counts",
        "latency": "## 2. Choice latency",
        "load": "## 3. Loading and checking",
        "reports": "## 4. Reports",
        "hardening": "## 6. Hostile input",
        "studio": "## 7. Authoring: studio reload and randomtest",
    }
    for key in ("startup", "callgrind", "latency", "load", "reports"):
        if key in bench.sections:
            parts += ["", titles[key], "", bench.sections[key]]
    parts += ["", _serve_section(path)]
    for key in ("hardening", "studio"):  # numbered after the serve section (5)
        if key in bench.sections:
            parts += ["", titles[key], "", bench.sections[key]]
    if bench.notes:
        parts += ["", "## Notes", "", *[f"- {note}" for note in bench.notes]]
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def fmt_load(values: tuple[float, ...]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def bytecode_like_an_install() -> None:
    """Let every measured process load compiled bytecode, as an installed package does.

    pip compiled Textual (nearly all of the anchor's start-up) into ``__pycache__`` when it was
    installed; netquest runs from its source tree, so with ``PYTHONDONTWRITEBYTECODE`` set (as on
    the development machine) every measured netquest process compiled all its own modules again:
    a cost no installed copy pays. Compile them once here and let the children read the cache.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(ROOT / "netquest"), str(BENCH)],
        check=False,
        stdout=subprocess.DEVNULL,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help=f"comma-separated sections of: {', '.join(SECTIONS)}")
    parser.add_argument("--runs", type=int, default=15, help="repetitions per comparison")
    parser.add_argument(
        "--runs-10k", type=int, default=10, help="repetitions at 10,000 scenes or saves"
    )
    parser.add_argument("--launches", type=int, default=8, help="latency: launches of each app")
    parser.add_argument("--presses", type=int, default=4, help="latency: key presses per launch")
    parser.add_argument("--sizes", default="1000,10000,100000", help="story sizes in scenes")
    parser.add_argument(
        "--ink-runs-large",
        type=int,
        default=5,
        help="ink compiles at 10,000+ scenes (each takes seconds)",
    )
    parser.add_argument("--report-sizes", default="1000,10000")
    parser.add_argument("--hardening-runs", type=int, default=3, help="hostile input: runs each")
    parser.add_argument(
        "--unknown-keys", type=int, default=3_000_000, help="hostile input: keys in the flood"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=1000.0,
        help="seconds; the 100,000-scene steps run only while time is left",
    )
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args()
    sections = args.only.split(",") if args.only else list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    plan = Plan(
        runs=args.runs,
        runs_10k=args.runs_10k,
        latency_launches=args.launches,
        latency_presses=args.presses,
        sizes=[int(s) for s in args.sizes.split(",") if s],
        ink_runs_large=args.ink_runs_large,
        report_sizes=[int(s) for s in args.report_sizes.split(",") if s],
        deadline=time.monotonic() + args.budget,
        hardening_runs=args.hardening_runs,
        unknown_keys=args.unknown_keys,
    )
    started, clock = datetime.now(UTC), time.monotonic()
    load_before = os.getloadavg()
    OUT.mkdir(exist_ok=True)
    bytecode_like_an_install()
    bench = Bench(plan)
    if plan.runs < 15:
        bench.notes.append(f"Run with --runs {plan.runs}: fewer repetitions than the 15 asked.")
    try:
        for name in SECTIONS:
            if name in sections:
                bench.log(f"== {name}")
                try:
                    getattr(bench, name)()
                except (BenchError, HarnessTimeout) as error:
                    bench.sections[name] = f"**Could not run:** {error}"
                    bench.log(f"{name} failed: {error}")
    finally:
        shutil.rmtree(bench.work, ignore_errors=True)
    bench.notes.append(
        f"Repetitions, to fit `make bench` in about 20 minutes on 2 cores: {plan.runs} at 1,000 "
        f"scenes or saves and for start-up; {plan.runs_10k} at 10,000 (the ink compiler "
        f"{plan.ink_runs_large}: it takes seconds each time); once at 100,000, most wanted step "
        "first (load, check, parse, ink), each while the time budget lasts; choice latency "
        f"{plan.latency_launches} launches × {plan.latency_presses} key presses. "
        "`python bench/run_all.py --runs-10k 15 --budget 1500` runs more."
    )
    took = time.monotonic() - clock
    write_results(bench, args.results, started, took, (load_before, os.getloadavg()))
    bench.log(f"wrote {args.results} ({took / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
