"""The game launcher: forks games that speak Textual's web-driver protocol, and fails safely."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="needs the web extra: pip install 'netquest[web]'")
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the launcher is Linux-only")

from netquest.web.launcher import GameLauncher  # noqa: E402

PRELUDE = b"__GANGLION__\n"


def _packet(kind: bytes, payload: dict[str, object]) -> bytes:
    data = json.dumps(payload).encode()
    return kind + len(data).to_bytes(4, "big") + data


async def _first_line(reader: asyncio.StreamReader, wanted: bytes) -> None:
    for _ in range(10):
        line = await asyncio.wait_for(reader.readline(), 30)
        if line == wanted:
            return
    pytest.fail(f"never saw {wanted!r}")


def test_a_forked_game_starts_draws_and_quits_when_asked(tmp_path: Path) -> None:
    async def scenario() -> None:
        launcher = GameLauncher(tmp_path / "saves", [])
        assert await launcher.start()
        try:
            game = await launcher.spawn(100, 30)
            await _first_line(game.stdout, PRELUDE)
            kind = await asyncio.wait_for(game.stdout.readexactly(1), 30)
            assert kind in (b"D", b"M", b"P")  # a driver packet: the game is drawing
            game.stdin.write(_packet(b"M", {"type": "quit"}))
            await game.stdin.drain()
            await asyncio.wait_for(game.stdout.read(), 30)  # runs to the end: it quit
            assert game.returncode is not None
            game.close()
        finally:
            await launcher.close()

    asyncio.run(scenario())


def test_a_launcher_that_died_refuses_so_the_server_starts_a_process(tmp_path: Path) -> None:
    async def scenario() -> None:
        launcher = GameLauncher(tmp_path / "saves", [])
        assert await launcher.start()
        process = launcher._process
        assert process is not None
        process.kill()
        await process.wait()
        with pytest.raises(OSError):
            await launcher.spawn(80, 24)
        assert not launcher.running
        await launcher.close()

    asyncio.run(scenario())


def test_the_dashboard_runs_in_a_session_of_its_own_and_the_games_do_not(tmp_path: Path) -> None:
    """So the kernel (autogroup) weighs the projector against the class's games as a whole,
    not as one process among thirty."""
    import os

    async def scenario() -> None:
        launcher = GameLauncher(tmp_path / "saves", [])
        assert await launcher.start()
        tabs = []
        try:
            game = await launcher.spawn(100, 30)
            tabs.append(game)
            teacher = await launcher.spawn(106, 30, "teacher")
            tabs.append(teacher)
            for tab in tabs:
                await _first_line(tab.stdout, PRELUDE)
                await asyncio.wait_for(tab.stdout.readexactly(1), 30)  # drawing: set up
            assert os.getsid(teacher.pid) == teacher.pid
            assert os.getsid(game.pid) == os.getsid(0)
            for tab in tabs:
                tab.stdin.write(_packet(b"M", {"type": "quit"}))
                await tab.stdin.drain()
                await asyncio.wait_for(tab.stdout.read(), 30)
        finally:
            for tab in tabs:
                tab.kill()  # only if it has not quit (e.g. a failed assertion)
                tab.close()
            await launcher.close()

    asyncio.run(scenario())
