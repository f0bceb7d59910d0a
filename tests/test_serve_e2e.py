"""``netquest serve`` end to end: a real server process, real sessions, a real browser.

The browser test drives Debian's Chromium headless through Playwright: it creates a profile,
plays the mini scenario to its debrief, exports the debrief (a download) and checks the save
on disk. Every request that does not go to 127.0.0.1 is blocked *and* recorded, so the test
also proves the page works offline and asks nothing of the internet. What the browser's
terminal shows is rebuilt from the websocket frames with pyte.

The other tests speak the websocket protocol directly (no browser): the session cap and the
"class is full" page, and refusing websockets from other sites.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from netquest.saves import RunRecord, SaveStore

pytest.importorskip("textual_serve", reason="needs the web extra: pip install 'netquest[web]'")
aiohttp = pytest.importorskip("aiohttp")

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
URL_LINE = re.compile(r"serving the game at (http://127\.0\.0\.1:\d+/)")
PLAYER = "Ada Lovelace"
QUIET = 0.25
"""Seconds without a new frame before the test presses the next key (focus has settled)."""


# -- the server --------------------------------------------------------------------------------


@contextmanager
def running_server(
    saves: Path, *options: str, spawn: str = "fork", log: list[str] | None = None
) -> Iterator[str]:
    """Run ``netquest serve`` on a free loopback port and yield its URL; stop it by its pid.

    ``spawn="exec"`` starts each game as a new process instead of forking the launcher's.
    ``log`` collects what the server writes to stderr (complete once the server has stopped).
    """
    command = [sys.executable, "-m", "netquest", "serve", "--port", "0", "--saves", str(saves)]
    process = subprocess.Popen(
        [*command, *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NETQUEST_LOG": "INFO", "NETQUEST_SERVE_SPAWN": spawn},
    )
    output: list[str] = []
    url: list[str] = []
    started = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            match = URL_LINE.search(line)
            if match and not url:
                url.append(match.group(1))
                started.set()

    def read_log() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            if log is not None:
                log.append(line)

    threading.Thread(target=read, daemon=True).start()
    errors = threading.Thread(target=read_log, daemon=True)
    errors.start()
    try:
        deadline = time.monotonic() + 20
        while not started.wait(0.1):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"netquest serve did not start: {''.join(output)}")
        yield url[0]
    finally:
        _stop(process, errors)


def _stop(process: subprocess.Popen[str], reader: threading.Thread | None = None) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)  # lets every game save and quit
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    if reader is not None:
        reader.join(timeout=10)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _saved_runs(saves: Path, player: str) -> list[RunRecord]:
    """The runs saved for ``player`` (read with the game's own save store)."""
    store = SaveStore(saves)
    assert store.path_for(player).exists(), f"no save for {player}"
    return list(store.load(player).profile.runs)


# -- in a real browser -------------------------------------------------------------------------


class Terminal:
    """What the browser's terminal shows, rebuilt from the game's websocket frames."""

    def __init__(self) -> None:
        import pyte

        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.last_frame = time.monotonic()

    def opened(self, url: str) -> None:
        query = parse_qs(urlsplit(url).query)
        self.resize(int(query["width"][0]), int(query["height"][0]))

    def resize(self, columns: int, rows: int) -> None:
        self.screen.resize(rows, columns)

    def sent(self, payload: str | bytes) -> None:
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            self.resize(int(size["width"]), int(size["height"]))

    def received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            self.stream.feed(payload)
            self.last_frame = time.monotonic()

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)


def _wait_for(page: Any, terminal: Terminal, text: str, timeout: float = 15.0) -> None:
    """Wait until the terminal shows ``text`` and then stops changing, like a reader would."""
    deadline = time.monotonic() + timeout
    while text not in terminal.text or time.monotonic() - terminal.last_frame < QUIET:
        if time.monotonic() > deadline:
            pytest.fail(f"the browser never showed {text!r}; the screen was:\n{terminal.text}")
        page.wait_for_timeout(25)


def _browser_ready() -> str | None:
    if not CHROMIUM.exists():
        return "needs Chromium at /usr/bin/chromium (CI installs it: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
        import pyte  # noqa: F401
    except ImportError:
        return "needs playwright and pyte (pip install -e '.[dev]')"
    return None


@pytest.mark.skipif(_browser_ready() is not None, reason=str(_browser_ready()))
def test_a_student_plays_to_the_debrief_in_a_browser_offline(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import Route, sync_playwright

    saves = tmp_path / "saves"
    # The browser's files: a short path, as Chromium puts a socket in its temporary folder.
    scratch = tmp_path_factory.mktemp("web")
    monkeypatch.setenv("TMPDIR", str(scratch))

    requested: list[str] = []
    blocked: list[str] = []
    terminal = Terminal()

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    def watch(websocket: Any) -> None:
        terminal.opened(websocket.url)
        websocket.on("framesent", terminal.sent)
        websocket.on("framereceived", terminal.received)

    with running_server(saves, "--scenarios", str(MINI)) as url, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(scratch / "profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            env={**os.environ, "HOME": str(scratch)},
            accept_downloads=True,
            downloads_path=str(scratch / "downloads"),
            viewport={"width": 1280, "height": 800},
        )
        try:
            context.add_init_script(
                "window.cspViolations = [];"
                "document.addEventListener('securitypolicyviolation',"
                " (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
            )
            context.route("**/*", only_loopback)
            page = context.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.on("websocket", watch)
            page.goto(url)
            press: Callable[[str], None] = page.keyboard.press

            _wait_for(page, terminal, "Welcome to netquest")  # every tab: who is playing?
            page.focus(".xterm-helper-textarea")
            page.keyboard.type(PLAYER)
            press("Enter")
            _wait_for(page, terminal, "I have written it down")  # a new student's code
            press("Enter")
            _wait_for(page, terminal, f"Playing as {PLAYER}")

            press("s")  # scenarios; the mini one comes after the bundled curriculum
            _wait_for(page, terminal, "Choose a scenario")
            press("End")
            _wait_for(page, terminal, "A small test scenario.")
            press("Enter")
            _wait_for(page, terminal, "You arrive at the mixer.")
            steps = (  # practice mode: after each choice the coach speaks, Enter moves on
                ("Focused conversation", "someone talks about football"),
                ("Rapport is the foundation", "The next morning"),
                ("something to give", "Coffee with Priya"),  # the debrief, with its ending
            )
            for coach, then in steps:
                press("1")
                _wait_for(page, terminal, coach)
                press("Enter")
                _wait_for(page, terminal, then)

            with page.expect_download(timeout=15_000) as download:
                press("e")
            exported = scratch / "debrief.md"
            download.value.save_as(exported)
            assert "Coffee with Priya" in exported.read_text(encoding="utf-8")
            violations = page.evaluate("window.cspViolations")
            assert page.evaluate("document.body.classList.contains('-first-byte')")
        finally:
            context.close()

    # Stopping the server asked the game to save and quit: the run is on disk, finished.
    runs = _saved_runs(saves, PLAYER)
    assert [run.scenario_id for run in runs] == ["mixer"]
    assert runs[0].is_finished

    # ... and the trainer's report shows it.
    command = [sys.executable, "-m", "netquest", "report", str(saves), "--format", "csv"]
    report = subprocess.run(
        [*command, "--scenarios", str(MINI)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    rows = list(csv.DictReader(io.StringIO(report.stdout)))
    assert [(row["learner"], row["scenario"], row["completed_runs"]) for row in rows] == [
        (PLAYER, "mixer", "1")
    ]

    # Offline: nothing was blocked because nothing was asked of the internet.
    assert blocked == []
    assert all(urlsplit(address).hostname == "127.0.0.1" for address in requested)
    assert violations == []


# -- the protocol, without a browser -----------------------------------------------------------


async def _open_game(session: Any, url: str) -> Any:
    """Open a game websocket and wait until it shows the profile screen."""
    websocket = await session.ws_connect(url.replace("http", "ws", 1) + "ws?width=100&height=30")
    screen = b""
    deadline = time.monotonic() + 20
    while b"Welcome to netquest" not in screen:
        assert time.monotonic() < deadline, "the game never showed its profile screen"
        message = await websocket.receive(timeout=20)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        screen += message.data
    return websocket


@pytest.mark.parametrize("spawn", ["fork", "exec"])
def test_the_class_is_full_page_and_refused_websockets(tmp_path: Path, spawn: str) -> None:
    async def scenario(url: str) -> None:
        async with aiohttp.ClientSession() as session:
            first = await _open_game(session, url)

            async with session.get(url) as page:  # a second tab
                assert page.status == 503
                assert "The class is full" in await page.text()
                assert page.headers["Retry-After"].isdigit()

            late = await session.ws_connect(url.replace("http", "ws", 1) + "ws")
            closing = await late.receive(timeout=10)
            assert closing.type == aiohttp.WSMsgType.CLOSE
            assert closing.data == 1013  # try again later
            assert "class is full" in closing.extra

            await first.close()  # the first student leaves: a seat is free again
            deadline = time.monotonic() + 15
            while True:
                async with session.get(url) as page:
                    if page.status == 200:
                        assert "textual.js" in await page.text()
                        break
                assert time.monotonic() < deadline, "the seat was never freed"
                await asyncio.sleep(0.1)

    with running_server(tmp_path / "saves", "--max-sessions", "1", spawn=spawn) as url:
        asyncio.run(scenario(url))


def test_other_sites_cannot_use_the_server(tmp_path: Path) -> None:
    async def scenario(url: str) -> None:
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(
                    url.replace("http", "ws", 1) + "ws",
                    headers={"Origin": "http://elsewhere.example"},
                )
            assert refused.value.status == 403
            own = await session.ws_connect(
                url.replace("http", "ws", 1) + "ws", headers={"Origin": url.rstrip("/")}
            )
            await own.close()
            # A site whose name was made to resolve to 127.0.0.1 ("DNS rebinding"):
            port = urlsplit(url).port
            rebound = {"Host": f"rebound.example:{port}"}
            async with session.get(url, headers=rebound) as page:
                assert page.status == 403
            async with session.get(url, headers={"Host": f"localhost:{port}"}) as page:
                assert page.status == 200

    with running_server(tmp_path / "saves") as url:
        asyncio.run(scenario(url))


def test_the_page_asks_nothing_of_the_internet(tmp_path: Path) -> None:
    async def scenario(url: str) -> None:
        async with aiohttp.ClientSession() as session, session.get(url) as page:
            html = await page.text()
            policy = page.headers["Content-Security-Policy"]
        addresses = re.findall(r"""(?:href|src)\s*=\s*["']([^"']+)""", html)
        assert addresses
        for address in addresses:
            assert address.startswith((url, "data:")), address
        assert "googleapis" not in html
        assert "default-src 'self'" in policy

    with running_server(tmp_path / "saves") as url:
        asyncio.run(scenario(url))
