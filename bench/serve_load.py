"""Load test for ``netquest serve``: many simultaneous browser sessions from one client process.

Starts ``netquest serve`` on a free loopback port with a fresh saves folder, then opens N
sessions at once, speaking textual-serve's websocket protocol as its page does (``resize``,
``stdin`` and binary screen updates). Every session, like a student:

1. waits for the profile screen ("Welcome to netquest") — the *ready* time, from the moment
   all N connections were started;
2. once every session is ready, types its own name and Enter (a new profile is saved);
3. presses up/down on the title menu ``--probes`` times, with a pause between presses, and
   times each key to the first screen update that answers it (*key-to-frame*);
4. starts a new game (``n``) and takes the first choice (``1``): timed the same way, saved;
5. closes its tab; the server asks the game to save and quit.

The teacher's dashboard (``/teacher?token=…``, as the server prints it) is open the whole time,
like a projector: its *update latency* is, for the k-th choice taken in the class, the time from
sending that key to the first dashboard frame that counts k decisions in the bars (the count
only grows, so the k-th earliest choice is drawn when the count first reaches k).

Once every session has played, the server's memory is read (once, so that measuring does not
compete with the games): the sum over the server and all its processes of RSS (counts shared
pages once per process) and of PSS (shares them out: what the machine really spends). At the
end every profile is read back from disk and must hold a run with a choice. Every wait is
bounded, traffic stays on 127.0.0.1, and the server is stopped by its pid. The whole run is
repeated (``--runs``, each with a fresh server) and the median run is reported in the "Serve"
section of bench/RESULTS.md (between ``<!-- serve:start -->`` and ``<!-- serve:end -->``; the
rest of the file is left alone).

    .venv/bin/python bench/serve_load.py                   # 30 sessions, writes RESULTS.md
    .venv/bin/python bench/serve_load.py --sessions 5 --no-write
    .venv/bin/python bench/serve_load.py --runs 1 --baseline-runs 0 --no-write   # quick look
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- serve:start -->", "<!-- serve:end -->"
DOWN, UP = "\x1b[B", "\x1b[A"
WAIT = 30.0
"""Longest wait for any one screen (seconds)."""


# -- one session ---------------------------------------------------------------------------------


@dataclass
class Tab:
    """One browser tab: the bytes it received and when each screen update arrived."""

    index: int
    websocket: Any = None
    data: bytearray = field(default_factory=bytearray)
    frames: list[float] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    ready: float | None = None
    latencies: list[float] = field(default_factory=list)
    choice_latency: float | None = None
    choice_sent: float | None = None
    key_sent: float | None = None
    """When the last timed key was sent (after the screen had settled)."""
    error: str | None = None
    reader: asyncio.Task[None] | None = None

    @property
    def name(self) -> str:
        return f"load-{self.index:02d}"

    async def read(self) -> None:
        async for message in self.websocket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.data += message.data
                self.frames.append(time.monotonic())
                self.arrived.set()

    async def wait_for(self, text: bytes, since: int = 0, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.data[since:]:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{self.name}: never showed {text.decode()!r}")
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), left)

    async def settle(self, quiet: float = 0.1, limit: float = 2.0) -> None:
        """Wait until no update has arrived for ``quiet`` seconds (at most ``limit``)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            last = self.frames[-1] if self.frames else 0.0
            if time.monotonic() - last >= quiet:
                return
            await asyncio.sleep(quiet / 2)

    async def send(self, keys: str) -> None:
        await self.websocket.send_str(json.dumps(["stdin", keys]))

    async def key_to_frame(self, key: str, timeout: float = 10.0) -> float:
        """Press ``key``; seconds until the next screen update arrives."""
        await self.settle()
        count = len(self.frames)
        sent = self.key_sent = time.monotonic()
        await self.send(key)
        deadline = sent + timeout
        while len(self.frames) <= count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: no screen update after a key")
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), deadline - time.monotonic())
        return self.frames[count] - sent


async def connect(tab: Tab, session: aiohttp.ClientSession, url: str, started: float) -> None:
    ws_url = url.replace("http", "ws", 1) + "ws?width=100&height=30"
    tab.websocket = await session.ws_connect(ws_url, max_msg_size=0)
    await tab.websocket.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
    tab.reader = asyncio.create_task(tab.read())
    await tab.wait_for(b"Welcome to netquest")
    tab.ready = time.monotonic() - started


async def play(tab: Tab, probes: int) -> None:
    rng = random.Random(tab.index)
    mark = len(tab.data)
    for character in tab.name:  # typed, not pasted
        await tab.send(character)
        await asyncio.sleep(rng.uniform(0.03, 0.08))
    await tab.send("\r")
    await tab.wait_for(b"I have written it down", since=mark)  # a new student's code
    mark = len(tab.data)
    await tab.send("\r")
    await tab.wait_for(b"Playing as", since=mark)
    for probe in range(probes):
        await asyncio.sleep(rng.uniform(0.05, 0.25))
        tab.latencies.append(await tab.key_to_frame(DOWN if probe % 2 == 0 else UP))
    mark = len(tab.data)
    await tab.send("n")  # new game
    await tab.wait_for(b"Step back", since=mark)
    mark = len(tab.data)
    tab.choice_latency = await tab.key_to_frame("1")
    tab.choice_sent = tab.key_sent  # not before: key_to_frame waits for the screen to settle
    await tab.wait_for(b"Coach", since=mark)
    await tab.settle(quiet=0.3)


@dataclass
class Dashboard:
    """The teacher's tab: when each decision count first appeared in its bars."""

    websocket: Any = None
    reader: asyncio.Task[None] | None = None
    shown: dict[int, float] = field(default_factory=dict)
    """Decisions counted -> when a frame first showed that count."""
    highest: int = 0

    async def open(self, session: aiohttp.ClientSession, teacher_url: str) -> None:
        token = teacher_url.split("token=", 1)[1]
        base = teacher_url.split("/teacher", 1)[0].replace("http", "ws", 1)
        url = f"{base}/teacher/ws/{token}?width=106&height=30"
        self.websocket = await session.ws_connect(url, max_msg_size=0)
        await self.websocket.send_str(json.dumps(["resize", {"width": 106, "height": 30}]))
        self.reader = asyncio.create_task(self.read())

    async def read(self) -> None:
        async for message in self.websocket:
            if message.type != aiohttp.WSMsgType.BINARY:
                continue
            now = time.monotonic()
            for match in re.finditer(rb"(\d+) decisions", message.data):
                count = int(match.group(1))
                for k in range(self.highest + 1, count + 1):
                    self.shown.setdefault(k, now)
                self.highest = max(self.highest, count)

    def latencies(self, tabs: list[Tab]) -> list[float]:
        """Choice sent -> drawn, for each choice (matched by order: the count only grows)."""
        sent = sorted(tab.choice_sent for tab in tabs if tab.choice_sent is not None)
        return [self.shown[k] - at for k, at in enumerate(sent, start=1) if k in self.shown]


# -- the server and its memory ---------------------------------------------------------------


def start_server(saves: Path, sessions: int, spawn: str) -> tuple[subprocess.Popen[str], str, str]:
    command = [sys.executable, "-m", "netquest", "serve", "--port", "0", "--saves", str(saves)]
    command += ["--max-sessions", str(max(sessions, 40))]
    server = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NETQUEST_SERVE_SPAWN": spawn},
    )
    assert server.stdout is not None
    deadline = time.monotonic() + 30
    url = None
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        match = re.search(r"serving the game at (http://127\.0\.0\.1:\d+/)", line)
        if match:
            url = match.group(1)
        teacher = re.search(r"teacher's dashboard at (\S+)", line)
        if url and teacher:
            return server, url, teacher.group(1)
        if not line and server.poll() is not None:
            break
    stop_server(server)
    raise SystemExit("netquest serve did not start")


def stop_server(server: subprocess.Popen[str]) -> None:
    if server.poll() is None:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def family(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue += parents.get(current, [])
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by the live processes ``pids``."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def memory(pid: int) -> tuple[int, int, int]:
    """(processes, sum of RSS, sum of PSS) in bytes for ``pid`` and its descendants."""
    rss = pss = count = 0
    for member in family(pid):
        try:
            rollup = Path(f"/proc/{member}/smaps_rollup").read_text()
        except OSError:
            continue
        count += 1
        for line in rollup.splitlines():
            if line.startswith("Rss:"):
                rss += int(line.split()[1]) * 1024
            elif line.startswith("Pss:"):
                pss += int(line.split()[1]) * 1024
    return count, rss, pss


@dataclass
class Memory:
    """Memory of the server's processes when idle, and with every game in play."""

    idle: tuple[int, int, int] = (0, 0, 0)
    busy: tuple[int, int, int] = (0, 0, 0)


# -- the run -------------------------------------------------------------------------------------


async def run(
    url: str, teacher_url: str | None, server_pid: int, sessions: int, probes: int
) -> dict[str, Any]:
    tabs = [Tab(index) for index in range(1, sessions + 1)]
    dashboard = Dashboard() if teacher_url else None
    usage = Memory(idle=memory(server_pid))
    before = set(family(server_pid))
    load_before = os.getloadavg()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        if dashboard is not None and teacher_url is not None:
            await dashboard.open(session, teacher_url)
            await asyncio.sleep(2.0)  # the projector is up before the class arrives
            before = set(family(server_pid))
        started = time.monotonic()
        await gather(tabs, lambda tab: connect(tab, session, url, started))
        all_ready = time.monotonic() - started
        games = [pid for pid in family(server_pid) if pid not in before]
        start_cpu = cpu_seconds(games) / max(len(games), 1)
        await gather([tab for tab in tabs if tab.error is None], lambda tab: play(tab, probes))
        usage.busy = memory(server_pid)  # once, so measuring does not load the machine meanwhile
        await asyncio.sleep(1.5)  # the last choices reach the dashboard
        for tab in tabs:
            if tab.websocket is not None:
                await tab.websocket.close()
        if dashboard is not None and dashboard.websocket is not None:
            await dashboard.websocket.close()
    deadline = time.monotonic() + 60
    while len(family(server_pid)) > len(before) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)  # every game saves and quits after its tab closed
    return {
        "tabs": tabs,
        "all_ready": all_ready,
        "memory": usage,
        "start_cpu": start_cpu,
        "load": (load_before, os.getloadavg()),
        "dashboard": dashboard.latencies(tabs) if dashboard is not None else None,
    }


async def gather(tabs: list[Tab], step: Any) -> None:
    async def guarded(tab: Tab) -> None:
        try:
            await asyncio.wait_for(step(tab), 120)
        except Exception as error:
            tab.error = tab.error or f"{type(error).__name__}: {error}"

    await asyncio.gather(*(guarded(tab) for tab in tabs))


def saved(saves: Path, tabs: list[Tab]) -> int:
    """How many sessions have a profile on disk holding a run with at least one choice."""
    sys.path.insert(0, str(ROOT))
    from netquest.saves import SaveStore

    store = SaveStore(saves)
    good = 0
    for tab in tabs:
        if not store.path_for(tab.name).exists():
            continue
        runs = store.load(tab.name).profile.runs
        if any(run.state.get("history") for run in runs):
            good += 1
    return good


# -- reporting ----------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def mib(size: int) -> str:
    return f"{size / 1048576:,.0f} MiB"


def summarise(result: dict[str, Any], saves_ok: int, sessions: int) -> tuple[str, bool]:
    tabs: list[Tab] = result["tabs"]
    usage: Memory = result["memory"]
    ready = [tab.ready for tab in tabs if tab.ready is not None]
    keys = [value * 1000 for tab in tabs for value in tab.latencies]
    choices = [tab.choice_latency * 1000 for tab in tabs if tab.choice_latency is not None]
    errors = [f"{tab.name}: {tab.error}" for tab in tabs if tab.error]
    count, rss, pss = usage.busy
    games = max(count - usage.idle[0], 1)
    start_cpu: float = result["start_cpu"]
    (before, after) = result["load"]
    p95 = percentile(keys, 0.95) if keys else float("inf")
    all_ready = max(ready) if len(ready) == sessions else float("inf")
    passed = all_ready <= 15 and p95 < 150 and saves_ok == sessions and not errors
    drawn: list[float] | None = result.get("dashboard")
    board = [value * 1000 for value in drawn] if drawn is not None else []
    board_p95 = percentile(board, 0.95) if len(board) == sessions else float("inf")
    if drawn is not None:
        passed = passed and board_p95 <= 1000
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break

    def spread(values: list[float]) -> str:
        if not values:
            return "none"
        p50, p95_, top = (percentile(values, f) for f in (0.5, 0.95, 1.0))
        return f"{p50:.0f} / {p95_:.0f} / {top:.0f} ms"

    ok = {True: "met", False: "**missed**"}
    rows = [
        (
            "all sessions showing the profile screen",
            f"{all_ready:.1f} s",
            "≤ 15 s",
            ok[all_ready <= 15],
        ),
        (
            "… first / median session ready",
            f"{min(ready):.1f} / {statistics.median(ready):.1f} s" if ready else "none",
            "",
            "",
        ),
        ("… CPU per game until ready (user + system)", f"{start_cpu * 1000:.0f} ms", "", ""),
        (
            f"key-to-frame p50 / p95 / max ({len(keys)} keys)",
            spread(keys),
            "p95 < 150 ms",
            ok[p95 < 150],
        ),
        (f"choice-to-frame p50 / p95 / max ({len(choices)} choices)", spread(choices), "", ""),
        *(
            [
                (
                    f"dashboard: choice → bar drawn p50 / p95 / max ({len(board)} of "
                    f"{sessions} choices)",
                    spread(board),
                    "p95 ≤ 1 s",
                    ok[board_p95 <= 1000],
                )
            ]
            if drawn is not None
            else []
        ),
        (f"memory, every game in play ({count} processes): sum of PSS", mib(pss), "", ""),
        ("… sum of RSS (shared pages counted per process)", mib(rss), "", ""),
        ("… per game (PSS)", mib((pss - usage.idle[2]) // games), "", ""),
        (
            f"… the server and game launcher, idle ({usage.idle[0]} processes, PSS)",
            mib(usage.idle[2]),
            "",
            "",
        ),
        (
            "saves written, each with a choice",
            f"{saves_ok} of {sessions}",
            "all",
            ok[saves_ok == sessions],
        ),
        ("sessions with an error", str(len(errors)), "none", ok[not errors]),
    ]
    table = ["| measure | result | target | |", "|---|---|---|---|"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    text = [
        f"`bench/serve_load.py`: {sessions} simultaneous sessions against `netquest serve` "
        f"(bundled curriculum), on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {cpu}, "
        f"{os.cpu_count()} cores; Python {platform.python_version()}. The client (one process, "
        "aiohttp, speaking textual-serve's websocket protocol) runs on the same machine, so it "
        "competes with the server for the CPU. Each session signs in as a new student (types "
        "its name, closes the screen showing its code), "
        "presses up/down on the menu with 50–250 ms pauses, starts a game, takes a choice and "
        "closes its tab. Key-to-frame: from sending a key to the first screen update after it. "
        + (
            "The teacher's dashboard is open throughout (its process counts in the memory); "
            "choice → bar drawn: from a student's choice key to the dashboard frame that "
            "counts it. "
            if drawn is not None
            else ""
        )
        + f"Load average (1 min) {before[0]:.1f} before the run and {after[0]:.1f} after: this "
        "machine is shared, so other work competes too.",
        "",
        *table,
    ]
    if errors:
        text += ["", "Errors:", "", *[f"- {error}" for error in errors[:10]]]
    return "\n".join(text), passed


def write_section(path: Path, body: str) -> None:
    """Replace our section of RESULTS.md (or the placeholder, or append): nothing else."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    heading = "## Serve"
    placeholder = re.search(r"^## (?:\d+\. )?Serve\n.*?(?=^## |\Z)", old, re.M | re.S)
    if START in old and END in old:
        before, rest = old.split(START, 1)
        after = rest.split(END, 1)[1]
        heading_match = re.search(r"^## .*Serve.*$", rest.split(END, 1)[0], re.M)
        heading = heading_match.group(0) if heading_match else heading
    elif placeholder:
        heading = placeholder.group(0).splitlines()[0]
        before, after = old[: placeholder.start()], "\n" + old[placeholder.end() :]
    else:
        before, after = old.rstrip("\n") + "\n\n", "\n"
    block = f"{START}\n{heading}\n\n{body}\n{END}\n"
    rest = after.strip("\n")
    path.write_text(before + block + (f"\n{rest}\n" if rest else ""), encoding="utf-8")


def one_run(
    sessions: int, probes: int, spawn: str = "fork", dashboard: bool = True
) -> tuple[dict[str, Any], int]:
    """A whole run with a fresh server and saves folder: (result, sessions saved)."""
    saves = Path(tempfile.mkdtemp(prefix="netquest-serve-load-"))
    server, url, teacher = start_server(saves, sessions, spawn)
    try:
        print(f"serving at {url} ({spawn}); {sessions} sessions…", file=sys.stderr)
        watch = teacher if dashboard else None
        result = asyncio.run(asyncio.wait_for(run(url, watch, server.pid, sessions, probes), 300))
        stop_server(server)
        return result, saved(saves, result["tabs"])
    finally:
        stop_server(server)
        shutil.rmtree(saves, ignore_errors=True)


def key_p95(result: dict[str, Any]) -> float:
    keys = [value for tab in result["tabs"] for value in tab.latencies]
    return percentile(keys, 0.95) if keys else float("inf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--probes", type=int, default=20, help="menu key presses per session")
    parser.add_argument(
        "--runs", type=int, default=3, help="whole runs, each with a fresh server (default: 3)"
    )
    parser.add_argument(
        "--baseline-runs",
        type=int,
        default=1,
        help="runs without the game launcher, for comparison (default: 1)",
    )
    parser.add_argument(
        "--no-dashboard", action="store_true", help="without the teacher's dashboard open"
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    board = not args.no_dashboard
    runs = [one_run(args.sessions, args.probes, "fork", board) for _ in range(max(args.runs, 1))]
    ordered = sorted(runs, key=lambda run: key_p95(run[0]))
    median_result, median_saved = ordered[len(ordered) // 2]
    body, passed = summarise(median_result, median_saved, args.sessions)
    if len(runs) > 1:
        ready = " / ".join(f"{result['all_ready']:.1f}" for result, _ in runs)
        p95 = " / ".join(f"{key_p95(result) * 1000:.0f}" for result, _ in runs)
        saves = " / ".join(str(count) for _, count in runs)
        body += (
            f"\n\nThe table is the median of {len(runs)} runs (by key-to-frame p95). Every run, "
            f"in order: all ready {ready} s; key-to-frame p95 {p95} ms; saves written {saves}."
        )
    baseline = [
        one_run(args.sessions, args.probes, "exec", False) for _ in range(args.baseline_runs)
    ]
    if baseline:
        result, count = sorted(baseline, key=lambda run: key_p95(run[0]))[len(baseline) // 2]
        games = max(result["memory"].busy[0] - result["memory"].idle[0], 1)
        per_game = (result["memory"].busy[2] - result["memory"].idle[2]) // games
        body += (
            "\n\nWithout the game launcher (`NETQUEST_SERVE_SPAWN=exec`: a fresh Python per tab, "
            f"as textual-serve does it; {len(baseline)} run): all ready in "
            f"{result['all_ready']:.1f} s, CPU per game until ready "
            f"{result['start_cpu'] * 1000:.0f} ms, {mib(per_game)} per game (PSS), key-to-frame "
            f"p95 {key_p95(result) * 1000:.0f} ms, saves written {count} of {args.sessions}."
        )
    print(body)
    if not args.no_write:
        write_section(args.results, body)
        print(f"\nwritten to {args.results}", file=sys.stderr)
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
