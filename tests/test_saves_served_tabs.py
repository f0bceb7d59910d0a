"""Two browser tabs of ``netquest serve`` playing one profile's run at once (issue 10, item 1).

A real server process; each tab is a websocket speaking the browser's protocol (keys as
``["stdin", ...]``) to its own game process started by the server, with the screen rebuilt by
pyte.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("textual_serve", reason="needs the web extra: pip install 'netquest[web]'")
aiohttp = pytest.importorskip("aiohttp")
pyte = pytest.importorskip("pyte")

from test_serve_e2e import running_server  # noqa: E402

from netquest.play.access_code import hash_code  # noqa: E402
from netquest.saves import Profile, SaveStore  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PLAYER = "Pat"
CODE = "K7P-2QX"
"""Pat's class code (a served class asks for the name and the code)."""
COLUMNS, ROWS = 110, 36
PLAY = [sys.executable, "-m", "netquest", "play", "cold_email", "--plain"]


class Tab:
    """One browser tab: a game websocket and the screen it draws (read in the background)."""

    def __init__(self, websocket: Any) -> None:
        self.websocket = websocket
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.last_frame = time.monotonic()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.websocket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.stream.feed(message.data)
                self.last_frame = time.monotonic()

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text.replace("\n", " "):
            if time.monotonic() > deadline:
                pytest.fail(f"the tab never showed {text!r}; the screen was:\n{self.text}")
            await asyncio.sleep(0.05)

    async def settle(self, quiet: float = 0.4, longest: float = 10.0) -> None:
        """Wait until no frame has come for ``quiet`` seconds (or ``longest`` has passed)."""
        deadline = time.monotonic() + longest
        while time.monotonic() - self.last_frame < quiet and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    async def type(self, keys: str) -> None:
        await self.websocket.send_str(json.dumps(["stdin", keys]))

    async def close(self) -> None:
        await self.websocket.close()
        await self.reader


async def open_tab(session: Any, url: str) -> Tab:
    address = url.replace("http", "ws", 1) + f"ws?width={COLUMNS}&height={ROWS}"
    tab = Tab(await session.ws_connect(address))
    await tab.wait_for("Welcome to netquest")
    await tab.settle(quiet=2.0, longest=10.0)  # keys sent while the game starts are lost
    # A served class lists nobody: Pat signs in with the name and the code given to them.
    await tab.type(PLAYER + "\r")  # the name alone: the class asks for its code ...
    await tab.wait_for("needs its code")
    await tab.settle()
    await tab.type(CODE + "\r")  # ... in the code box, which now has the focus
    await tab.wait_for(f"Playing as {PLAYER}")
    await tab.settle()
    await tab.type("c")  # continue the unfinished run
    await tab.wait_for("Load the course template")
    await tab.settle()
    return tab


def wait_for_save(saves: Path, check: Any, timeout: float = 30.0) -> Profile:
    deadline = time.monotonic() + timeout
    while True:
        profile = SaveStore(saves).load(PLAYER).profile
        if check(profile):
            return profile
        assert time.monotonic() < deadline, f"the save never got there: {profile.runs}"
        time.sleep(0.1)


def history(profile: Profile) -> list[list[list[str]]]:
    return [[list(step) for step in run.state["history"]] for run in profile.runs]


def test_two_served_tabs_playing_the_same_run_keep_both_versions(
    tmp_path: Path,
) -> None:
    saves = tmp_path / "saves"
    started = subprocess.run(  # Pat's unfinished cold_email run, no choice made yet
        [*PLAY, "--saves", str(saves), "--profile", PLAYER],
        input="q\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=True,
        env={**os.environ, "NETQUEST_XAPI": "off"},
    )
    assert "Progress saved" in started.stdout
    store = SaveStore(saves)
    profile = store.load(PLAYER).profile
    store.save(dataclasses.replace(profile, access=hash_code(CODE)))  # as if Pat joined a class
    (original,) = SaveStore(saves).load(PLAYER).profile.runs

    async def scenario(url: str) -> None:
        async with aiohttp.ClientSession() as session:
            a = await open_tab(session, url)
            b = await open_tab(session, url)  # both tabs hold the same run, unchanged
            await a.type("1")
            await a.wait_for("Sixty identical emails")
            await asyncio.to_thread(
                wait_for_save, saves, lambda p: history(p) == [[["the_list", "blast_template"]]]
            )
            await b.type("2")  # tab B changed the run tab A changed: B is told, A is not
            await b.wait_for("Forty likes")
            # B changed the run A changed: B's moves go on as a new run; A's stay as they are.
            # (That B is told is shown by test_saves_concurrency.py's app-process test.)
            await asyncio.to_thread(wait_for_save, saves, lambda p: len(p.runs) == 2)
            await a.close()
            await b.close()

    with running_server(saves, "--max-sessions", "4") as url:
        asyncio.run(scenario(url))

    runs = SaveStore(saves).load(PLAYER).profile.runs
    kept = next(run for run in runs if run.id == original.id)
    forked = next(run for run in runs if run.id != original.id)
    assert [list(step) for step in kept.state["history"]] == [["the_list", "blast_template"]]
    assert [list(step) for step in forked.state["history"]] == [["the_list", "open_to_work_post"]]
