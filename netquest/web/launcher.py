"""Server side of the game launcher (:mod:`netquest.web.zygote`): ask it for a game per tab.

:class:`GameLauncher` starts the launcher process once; :meth:`GameLauncher.spawn` makes
three pipes, hands the game's ends to the launcher, which forks, and returns a
:class:`ForkedGame` that looks, to textual-serve's code, like the process it would have
started itself (``stdin`` writer, ``stdout``/``stderr`` readers, ``pid``, ``kill``).

Linux only (fork and fd passing); elsewhere, or if the launcher fails, each tab runs
``netquest --web-session`` in a new process as textual-serve does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import sys
from contextlib import suppress
from importlib.metadata import version
from pathlib import Path

log = logging.getLogger(__name__)

START_TIMEOUT = 60.0
"""Seconds the launcher may take to import the game and load the scenarios."""


def game_environment() -> dict[str, str]:
    """The environment textual-serve gives a game (``AppService._build_environment``)."""
    environment = dict(os.environ)
    environment["TEXTUAL_DRIVER"] = "textual.drivers.web_driver:WebDriver"
    environment["TEXTUAL_FPS"] = "60"
    environment["TEXTUAL_COLOR_SYSTEM"] = "truecolor"
    environment["TERM_PROGRAM"] = "textual"
    environment["TERM_PROGRAM_VERSION"] = version("textual-serve")
    return environment


class ForkedGame:
    """A game forked by the launcher, with the interface of ``asyncio.subprocess.Process``."""

    def __init__(
        self,
        pid: int,
        stdin: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
    ) -> None:
        """Wrap the game ``pid`` and the server's ends of its pipes."""
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr

    @property
    def returncode(self) -> int | None:
        """``None`` while the game runs (its output is still open), else 0 (not known)."""
        return 0 if self.stdout.at_eof() else None

    def kill(self) -> None:
        """Stop the game at once (only while it runs, so the pid is still its own)."""
        if self.returncode is None:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def close(self) -> None:
        """Close the server's end of the game's input."""
        self.stdin.close()


class GameLauncher:
    """One launcher process for the server's lifetime."""

    def __init__(self, saves: Path, scenario_dirs: list[Path]) -> None:
        """Launch games saving to ``saves`` with the extra ``scenario_dirs``."""
        self.saves = saves
        self.scenario_dirs = scenario_dirs
        self._process: asyncio.subprocess.Process | None = None
        self._control: socket.socket | None = None
        self._lock = asyncio.Lock()

    @property
    def running(self) -> bool:
        """Whether the launcher is up."""
        return self._control is not None

    async def start(self) -> bool:
        """Start the launcher and wait until it has loaded the game; ``False`` if it cannot."""
        if sys.platform != "linux":
            return False
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = [sys.executable, "-m", "netquest.web.zygote", "--control", str(theirs.fileno())]
        command += ["--saves", str(self.saves)]
        for folder in self.scenario_dirs:
            command += ["--scenarios", str(folder)]
        try:
            self._process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                pass_fds=[theirs.fileno()],
                env=game_environment(),
            )
        except OSError as error:
            log.warning("could not start the game launcher (%s); starting games one by one", error)
            ours.close()
            return False
        finally:
            theirs.close()
        ours.setblocking(False)
        try:
            answer = await asyncio.wait_for(_receive(ours), START_TIMEOUT)
        except (TimeoutError, OSError, ValueError) as error:
            answer = {"error": str(error) or type(error).__name__}
        self._control = ours  # only now: no tab can ask before the launcher is ready
        if answer.get("ready") is not True:
            log.warning("the game launcher did not start (%s); starting games one by one", answer)
            await self.close()
            return False
        return True

    async def spawn(self, columns: int, rows: int, app: str = "game") -> ForkedGame:
        """A new game (``app="teacher"``: the class dashboard) for one tab.

        Raises:
            OSError: if the launcher is gone or refused.
        """
        loop = asyncio.get_running_loop()
        pipes = [os.pipe() for _ in range(3)]  # stdin, stdout, stderr: (read end, write end)
        theirs = [pipes[0][0], pipes[1][1], pipes[2][1]]
        ours = [pipes[0][1], pipes[1][0], pipes[2][0]]
        try:
            async with self._lock:
                control = self._control
                if control is None:
                    raise OSError("the game launcher is not running")
                request = json.dumps({"columns": columns, "rows": rows, "app": app}).encode()
                try:
                    socket.send_fds(control, [request], theirs)
                    answer = await asyncio.wait_for(_receive(control), 10)
                except (OSError, TimeoutError, ValueError):
                    await self.close()  # out of step or gone: games start as new processes
                    raise
        except BaseException:
            for fd in ours:
                os.close(fd)
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        pid = answer.get("pid")
        if not isinstance(pid, int):
            for fd in ours:
                os.close(fd)
            raise OSError(f"the game launcher refused: {answer.get('error')}")
        stdin = await _writer(loop, ours[0])
        return ForkedGame(pid, stdin, await _reader(loop, ours[1]), await _reader(loop, ours[2]))

    async def close(self) -> None:
        """Stop the launcher (games already running carry on until they quit)."""
        control, self._control = self._control, None
        if control is not None:
            control.close()
        process, self._process = self._process, None
        if process is not None:
            try:
                await asyncio.wait_for(process.wait(), 5)
            except TimeoutError:
                process.kill()
                await process.wait()


async def _receive(control: socket.socket) -> dict[str, object]:
    """One message from the launcher."""
    data = await asyncio.get_running_loop().sock_recv(control, 4096)
    if not data:
        raise OSError("the game launcher stopped")
    answer = json.loads(data)
    if not isinstance(answer, dict):
        raise ValueError("bad answer from the game launcher")
    return answer


async def _reader(loop: asyncio.AbstractEventLoop, fd: int) -> asyncio.StreamReader:
    reader = asyncio.StreamReader(loop=loop)
    pipe = os.fdopen(fd, "rb", buffering=0)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader, loop=loop), pipe)
    return reader


async def _writer(loop: asyncio.AbstractEventLoop, fd: int) -> asyncio.StreamWriter:
    pipe = os.fdopen(fd, "wb", buffering=0)
    transport, protocol = await loop.connect_write_pipe(
        lambda: asyncio.streams.FlowControlMixin(loop=loop), pipe
    )
    return asyncio.StreamWriter(transport, protocol, None, loop)
