"""The live classroom end to end: a real server, Chromium tabs for three students and the teacher.

Like ``test_serve_e2e.py``, Debian's Chromium runs headless through Playwright with every request
to anywhere but 127.0.0.1 blocked, and what each tab's terminal shows is rebuilt from its
websocket frames with pyte. Two classes are run:

1. free play: three students sign in and play the mini scenario; after each choice the
   teacher's dashboard (1280×720, large type) shows where that student is and the choice bars;
2. group play (``--group mixer``): the dashboard leads three votes from the three tabs to the
   class debrief; each student's votes are then in their own save and in the report.

The dashboard's address is refused (403) without its token.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from test_serve_e2e import CHROMIUM, CHROMIUM_ARGS, MINI, Terminal, _browser_ready, _stop, _wait_for

from netquest.saves import SaveStore

pytest.importorskip("textual_serve", reason="needs the web extra: pip install 'netquest[web]'")

URL_LINE = re.compile(r"serving the game at (http://127\.0\.0\.1:\d+/)")
TEACHER_LINE = re.compile(r"teacher's dashboard at (http://127\.0\.0\.1:\d+/teacher\?token=\S+)")
STUDENTS = ("Ada", "Bao", "Chidi")
UPDATE = 2.0
"""The issue's promise: the dashboard shows a choice within 2 s."""


@contextmanager
def classroom(saves: Path, *options: str) -> Iterator[tuple[str, str]]:
    """``netquest serve`` on a free loopback port: yields the students' and the teacher's URLs."""
    command = [sys.executable, "-m", "netquest", "serve", "--port", "0", "--saves", str(saves)]
    process = subprocess.Popen(
        [*command, "--scenarios", str(MINI), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NETQUEST_LOG": "INFO", "NETQUEST_XAPI": "off"},
    )
    found: dict[str, str] = {}
    output: list[str] = []
    started = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            for key, pattern in (("url", URL_LINE), ("teacher", TEACHER_LINE)):
                match = pattern.search(line)
                if match:
                    found[key] = match.group(1)
            if len(found) == 2:
                started.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 30
        while not started.wait(0.1):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"netquest serve did not start: {''.join(output)}")
        yield found["url"], found["teacher"]
    finally:
        _stop(process)


def _status(url: str) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


class Tab:
    """One browser tab and what its terminal shows."""

    def __init__(self, context: Any, url: str, width: int = 1280, height: int = 800) -> None:
        self.terminal = Terminal()
        self.page = context.new_page()
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.on("websocket", self._watch)
        self.page.goto(url)

    def _watch(self, websocket: Any) -> None:
        self.terminal.opened(websocket.url)
        websocket.on("framesent", self.terminal.sent)
        websocket.on("framereceived", self.terminal.received)

    def wait(self, text: str, timeout: float = 20.0) -> None:
        _wait_for(self.page, self.terminal, text, timeout)

    def _focus(self) -> None:
        self.page.bring_to_front()  # keys go to the tab in front
        self.page.focus(".xterm-helper-textarea")

    def press(self, *keys: str) -> None:
        self._focus()
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self._focus()
        self.page.keyboard.type(text)

    @property
    def text(self) -> str:
        return self.terminal.text


def _shows(teacher: Tab, predicate: Callable[[str], bool], what: str, timeout: float) -> None:
    """Wait until the dashboard's screen satisfies ``predicate`` (fail after ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    while not predicate(teacher.text):
        if time.monotonic() > deadline:
            pytest.fail(f"the dashboard never showed {what}; it showed:\n{teacher.text}")
        teacher.page.wait_for_timeout(20)


def _sign_in(tab: Tab, name: str) -> None:
    tab.wait("Welcome to netquest")
    tab.type(name)
    tab.press("Enter")
    tab.wait("I have written it down")  # the new student's code
    tab.press("Enter")


@contextmanager
def browser(scratch: Path) -> Iterator[tuple[Any, list[str]]]:
    """A Chromium context that may only talk to 127.0.0.1 (what was blocked is listed)."""
    from playwright.sync_api import Route, sync_playwright

    blocked: list[str] = []

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(scratch / "profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            env={**os.environ, "HOME": str(scratch)},
        )
        try:
            context.route("**/*", only_loopback)
            yield context, blocked
        finally:
            context.close()


needs_browser = pytest.mark.skipif(_browser_ready() is not None, reason=str(_browser_ready()))


@pytest.mark.parametrize("spawn", ["fork", "exec"])
def test_the_dashboard_runs_behind_its_token_with_or_without_the_launcher(
    tmp_path: Path, spawn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    import aiohttp

    monkeypatch.setenv("NETQUEST_SERVE_SPAWN", spawn)

    async def dashboard(teacher_url: str) -> None:
        base, token = teacher_url.split("/teacher?token=")
        socket_url = base.replace("http", "ws", 1) + "/teacher/ws/"
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(socket_url + "not-the-token")
            assert refused.value.status == 403
            websocket = await session.ws_connect(socket_url + token + "?width=106&height=30")
            screen = b""
            deadline = time.monotonic() + 30
            while b"Waiting for students" not in screen:
                assert time.monotonic() < deadline, "the dashboard never drew"
                message = await websocket.receive(timeout=30)
                assert message.type == aiohttp.WSMsgType.BINARY, message
                screen += message.data
            await websocket.close()

    with classroom(tmp_path / "saves") as (url, teacher_url):
        assert _status(url.rstrip("/") + "/teacher") == 403
        asyncio.run(dashboard(teacher_url))


@needs_browser
def test_the_dashboard_follows_three_students_and_needs_its_token(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path_factory.mktemp("web")
    monkeypatch.setenv("TMPDIR", str(scratch))
    saves = tmp_path / "saves"
    with classroom(saves) as (url, teacher_url), browser(scratch) as (context, blocked):
        base = url.rstrip("/")
        assert _status(f"{base}/teacher") == 403
        assert _status(f"{base}/teacher?token=wrong") == 403
        assert _status(f"{base}/teacher/ws/wrong") == 403
        assert _status(teacher_url) == 200

        teacher = Tab(context, teacher_url, 1280, 720)  # a projector
        teacher.wait("Waiting for students to join")
        students = [Tab(context, url) for _ in STUDENTS]
        for tab, name in zip(students, STUDENTS, strict=True):
            _sign_in(tab, name)
        for tab, name in zip(students, STUDENTS, strict=True):
            tab.wait(f"Playing as {name}")
            tab.press("s")
            tab.wait("Choose a scenario")
            tab.press("End")
            tab.wait("A small test scenario.")
            tab.press("Enter")
            tab.wait("You arrive at the mixer.")
        teacher.wait("Class: 3 here")

        # Each choice reaches the projector: the student's position and the bars.
        plan = (("Ada", "1", "bar"), ("Bao", "2", "bar"), ("Chidi", "1", "bar"),
                ("Ada", "1", "follow"))  # fmt: skip
        for decisions, (name, key, scene) in enumerate(plan, start=1):
            tab = students[STUDENTS.index(name)]
            if decisions == 4:
                tab.press("Enter")  # past the coach's note
                tab.wait("someone talks about football")
            tab.press(key)
            _shows(
                teacher,
                lambda text, n=decisions, who=name, where=scene: (
                    f"{n} decisions" in text
                    and re.search(rf"{who}\s.*The Mixer · {where}", text) is not None
                ),
                f"{name} at {scene} after decision {decisions}",
                UPDATE,
            )
        text = teacher.text
        assert re.search(r"1 Introduce yourself.*█+ 2", text), text
        assert re.search(r"2 Ask the host.*█+ 1", text), text
        assert "★" not in text
        teacher.press("r")  # reveal the best moves
        teacher.wait("★ 1 Introduce yourself")
        assert "Give and take" in teacher.text  # what the class is losing points on
        teacher.press("h")  # hide names for projecting
        teacher.wait("Student 3")
        assert "Chidi" not in teacher.text

        students[1].page.close()  # Bao closes the tab mid-run
        teacher.wait("(left)")
        assert "3 decisions" in teacher.text or "4 decisions" in teacher.text
    assert blocked == []


@needs_browser
def test_a_group_round_with_three_voting_tabs_reaches_the_class_debrief(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path_factory.mktemp("web")
    monkeypatch.setenv("TMPDIR", str(scratch))
    saves = tmp_path / "saves"
    with (
        classroom(saves, "--group", "mixer") as (url, teacher_url),
        browser(scratch) as (
            context,
            blocked,
        ),
    ):
        teacher = Tab(context, teacher_url, 1280, 720)
        teacher.wait("Group play: The Mixer")
        students = [Tab(context, url) for _ in STUDENTS]
        for tab, name in zip(students, STUDENTS, strict=True):
            _sign_in(tab, name)
        for tab in students:
            tab.wait("Look at the projector")
        votes = (("1", "1", "2"), ("2", "1", "1"), ("1", "1", "2"))  # per scene, per student
        for number, keys in enumerate(votes, start=1):
            teacher.press("o")
            for tab in students:
                tab.wait("Vote now")
            for tab, key in zip(students, keys, strict=True):
                tab.press(key)
                tab.wait("← your vote")
            teacher.wait("3 votes")
            teacher.press("c", "Enter")  # close the vote, play the majority
            teacher.wait("The class played")
            for tab in students:
                tab.wait("Coach:")
            teacher.press("Enter")
            if number < len(votes):
                teacher.wait(f"decision {number + 1}")
        teacher.wait("Best path:")
        assert "Best path: introduce → chat → email_host" in teacher.text
        assert "Class path: introduce → chat → email_host" in teacher.text
        for tab in students:
            tab.wait("The class reached: Coffee with Priya")
    assert blocked == []

    # Every student's votes are in their own save, as a group run, and in the report.
    for index, name in enumerate(STUDENTS):
        (run,) = SaveStore(saves).load(name).profile.runs
        assert run.is_finished and run.group is not None
        mine = [keys[index] for keys in votes]
        chosen = [["door", "introduce", "ask_job"], ["bar", "chat", "pitch"],
                  ["follow", "email_host", "nothing"]]  # fmt: skip
        expected = [[row[0], row[int(key)]] for row, key in zip(chosen, mine, strict=True)]
        assert run.group["votes"] == expected
    report = subprocess.run(
        [sys.executable, "-m", "netquest", "report", str(saves), "--format", "json",
         "--scenarios", str(MINI)],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert report.stdout.count('"mode": "group"') == 3
    rows = list(
        csv.DictReader(
            io.StringIO(
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "netquest",
                        "report",
                        str(saves),
                        "--format",
                        "csv",
                        "--scenarios",
                        str(MINI),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=60,
                ).stdout
            )
        )
    )
    assert sorted(row["learner"] for row in rows) == sorted(STUDENTS)
