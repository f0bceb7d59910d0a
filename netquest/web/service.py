"""One browser tab's game process, as textual-serve runs it, with errors logged to stderr.

textual-serve's :class:`~textual_serve.app_service.AppService` starts the command, relays
its output to the websocket and, when the process ends, copies whatever it wrote to stderr
onto the *server's stdout*. :class:`TabService` keeps the protocol and changes the edges: the
game is forked by the game launcher when there is one (:mod:`netquest.web.launcher`), its
stderr is logged line by line as it arrives, a game that ends on its own closes its tab's
websocket, and one that ignores the request to quit is killed after a while.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import Any, cast

from textual_serve.app_service import AppService

from netquest.web.launcher import ForkedGame, GameLauncher

log = logging.getLogger(__name__)

PRELUDE = b"__GANGLION__\n"
"""What a Textual app using the web driver writes before its first packet."""

QUIT_TIMEOUT = 10.0
"""Seconds a game has to save and quit when asked, before it is killed."""

STDERR_LINES = 200
"""Most lines of one game's stderr logged (a runaway process cannot flood the log)."""


class TabService(AppService):
    """The game process behind one browser tab."""

    def __init__(
        self,
        command: str,
        *,
        label: str,
        launcher: GameLauncher | None = None,
        app: str = "game",
        **kwargs: Any,
    ) -> None:
        """Run the game for the tab called ``label`` in the log; see ``AppService``.

        Args:
            command: The shell command that runs the game (when there is no launcher).
            label: How the log names this tab.
            launcher: Forks the game from a process that has it loaded already.
            app: What the launcher forks: ``game`` or ``teacher`` (the class dashboard).
            kwargs: For ``AppService``.
        """
        super().__init__(command, **kwargs)
        self.label = label
        self.launcher = launcher
        self.app = app

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        """Fork the game from the launcher; failing that, run the command (as textual-serve)."""
        launcher = self.launcher
        if launcher is not None and launcher.running:
            try:
                game = await launcher.spawn(width, height, self.app)
            except (OSError, ValueError, TimeoutError) as error:
                log.warning(
                    "%s: the game launcher failed (%s); starting a new process", self.label, error
                )
            else:
                # A ForkedGame has all of Process that AppService and this class use.
                self._process = cast("asyncio.subprocess.Process", game)
                self._stdin = game.stdin
                return game
        return await super()._open_app_process(width, height)

    async def run(self) -> None:
        """Relay the game's packets to the browser until it exits (started by ``start``)."""
        process = self._process
        assert process is not None and process.stdout is not None and process.stderr is not None
        stderr_task = asyncio.create_task(self._log_stderr(process.stderr))
        try:
            if await self._wait_for_prelude(process.stdout):
                await self._relay(process.stdout)
            else:
                log.error("%s: the game did not start (its output is logged)", self.label)
        except (asyncio.IncompleteReadError, ConnectionResetError):
            pass  # the game exited
        finally:
            with suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(stderr_task), 1.0)
            stderr_task.cancel()
            with suppress(asyncio.CancelledError):
                await stderr_task
        if isinstance(process, ForkedGame):
            process.close()
        else:  # reap the process and release its pipes now, not whenever it is collected
            with suppress(Exception):
                await asyncio.wait_for(process.wait(), QUIT_TIMEOUT)
            transport = getattr(process, "_transport", None)
            if transport is not None:
                transport.close()
        with suppress(Exception):
            await self.remote_close()

    async def stop(self) -> None:
        """Ask the game to save and quit; kill it if it has not after ``QUIT_TIMEOUT``."""
        task, self._task = self._task, None
        if task is None:
            return
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})
        try:
            await asyncio.wait_for(asyncio.shield(task), QUIT_TIMEOUT)
        except TimeoutError:
            log.warning("%s: the game did not quit in %.0f s; killing it", self.label, QUIT_TIMEOUT)
            self.kill()
            await task

    def kill(self) -> None:
        """Stop the game process at once (it loses nothing saved before)."""
        process = self._process
        if process is not None and process.returncode is None:
            with suppress(ProcessLookupError):
                process.kill()

    @staticmethod
    async def _wait_for_prelude(stdout: asyncio.StreamReader) -> bool:
        for _ in range(10):
            line = await stdout.readline()
            if not line:
                return False
            if line == PRELUDE:
                return True
        return False

    async def _relay(self, stdout: asyncio.StreamReader) -> None:
        handlers = {b"D": self.on_data, b"M": self.on_meta, b"P": self.on_packed}
        while True:
            kind = await stdout.readexactly(1)
            size = int.from_bytes(await stdout.readexactly(4), "big")
            payload = await stdout.readexactly(size)
            handler = handlers.get(kind)
            if handler is not None:
                await handler(payload)

    async def _log_stderr(self, stderr: asyncio.StreamReader) -> None:
        logged = 0
        while True:
            try:
                line = await stderr.readline()
            except ValueError:  # a line longer than the stream's limit: take a piece
                line = await stderr.read(4096)
            if not line:
                return
            if logged < STDERR_LINES:
                log.warning("%s: %s", self.label, line.decode("utf-8", "replace").rstrip())
            elif logged == STDERR_LINES:
                log.warning("%s: (more output not shown)", self.label)
            logged += 1
