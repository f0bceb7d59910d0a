"""Run a full-screen program in a pseudo-terminal and read its screen through ``pyte``.

The program gets a pty of a fixed size with ``TERM=xterm-256color``. A reader thread does
nothing but read the pty and timestamp each chunk of output as it arrives; the measuring thread
feeds the chunks, in order, to a ``pyte`` terminal emulator and checks the emulated screen after
each one. A "drawn" time is the arrival time of the chunk after which the expected text is on the
emulated screen, so the emulator's own speed does not count against the program (it is the same
for every program measured anyway).

Peak memory is the program's ``VmHWM`` (resident-set high-water mark) read from
``/proc/PID/status`` while it is still running, just before it is asked to quit. Not
``getrusage``: a child forked from this (large) Python process and then exec'ing keeps the
parent's resident size in its ``ru_maxrss``, which would flatter a small program.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyte

COLUMNS = 100
ROWS = 30
CTRL_Q = b"\x11"

# The measuring thread feeds pyte (pure Python); keep the reader's wait for the GIL short.
sys.setswitchinterval(0.0005)


class HarnessTimeout(Exception):
    """The expected screen did not appear in time; carries the screen as last seen."""

    def __init__(self, message: str, screen: str) -> None:
        super().__init__(f"{message}\n--- screen ---\n{screen}")
        self.screen = screen


Check = Callable[[list[str]], bool]
"""A test on the emulated screen (its lines)."""


def showing(*texts: str) -> Check:
    """A check that passes when every one of ``texts`` is on the screen (each within a line)."""

    def check(lines: list[str]) -> bool:
        return all(any(text in line for line in lines) for text in texts)

    return check


def terminal_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every measured program gets: ours, minus anything that changes Textual."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "NETQUEST")) and key not in ("COLUMNS", "LINES")
    }
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.pop("NO_COLOR", None)
    if extra:
        env.update(extra)
    return env


@dataclass
class _Chunk:
    at: float
    data: bytes


@dataclass
class Terminal:
    """One program running in a pty, with an emulated screen.

    Use as a context manager: the program is stopped (``ctrl+q``, then signals) on exit.
    """

    argv: Sequence[str]
    env: Mapping[str, str] = field(default_factory=terminal_env)
    cwd: Path | None = None
    columns: int = COLUMNS
    rows: int = ROWS

    def __post_init__(self) -> None:
        self.screen = pyte.Screen(self.columns, self.rows)
        self._stream = pyte.ByteStream(self.screen)
        self._chunks: list[_Chunk] = []
        self._fed = 0
        self._arrived = threading.Condition()
        self._eof = False
        self.pid = 0
        self._fd = -1
        self._reader: threading.Thread | None = None
        self.launched = 0.0
        self.exit_status: int | None = None
        self.last_output = 0.0

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> float:
        """Start the program; returns the launch time (``time.perf_counter``)."""
        argv = list(self.argv)
        env = dict(self.env)
        winsize = struct.pack("HHHH", self.rows, self.columns, 0, 0)
        cwd = str(self.cwd) if self.cwd else None
        self.launched = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size its terminal, then become the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, winsize)
                if cwd:
                    os.chdir(cwd)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self._fd = pid, fd
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()
        return self.launched

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self._fd, 65536)
            except OSError:  # EIO: the program closed the terminal
                data = b""
            now = time.perf_counter()
            with self._arrived:
                if data:
                    self._chunks.append(_Chunk(now, data))
                    self.last_output = now
                else:
                    self._eof = True
                self._arrived.notify_all()
            if not data:
                return

    def __enter__(self) -> Terminal:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self, quit_keys: bytes = CTRL_Q, timeout: float = 10.0) -> int | None:
        """Ask the program to quit with ``quit_keys``; signal it if it does not; reap it."""
        if self.pid == 0:
            return self.exit_status
        if self.exit_status is None:
            with contextlib.suppress(OSError):
                os.write(self._fd, quit_keys)
            if not self.wait_exit(timeout):
                for sig in (signal.SIGTERM, signal.SIGKILL):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, sig)
                    if self.wait_exit(5.0):
                        break
        if self._reader is not None:
            self._reader.join(timeout=5.0)
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self.pid = 0
        return self.exit_status

    def wait_exit(self, timeout: float) -> bool:
        """Wait for the program to end by itself; returns whether it did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.exit_status = os.waitstatus_to_exitcode(status)
                return True
            time.sleep(0.01)
        return False

    # -- reading the screen ----------------------------------------------------------------

    @property
    def lines(self) -> list[str]:
        """The emulated screen, one string per row."""
        return list(self.screen.display)

    def text(self) -> str:
        """The emulated screen as one string (trailing blanks trimmed)."""
        return "\n".join(line.rstrip() for line in self.lines).rstrip()

    def wait_for(self, check: Check | str, timeout: float = 30.0) -> float:
        """Wait until the screen passes ``check``; returns when the deciding output arrived.

        Raises:
            HarnessTimeout: after ``timeout`` seconds, or if the program exits first.
        """
        test = showing(check) if isinstance(check, str) else check
        if test(self.lines):
            return self._chunks[self._fed - 1].at if self._fed else self.launched
        deadline = time.perf_counter() + timeout
        while True:
            with self._arrived:
                while self._fed == len(self._chunks) and not self._eof:
                    left = deadline - time.perf_counter()
                    if left <= 0:
                        raise HarnessTimeout(f"timed out after {timeout:.0f} s", self.text())
                    self._arrived.wait(left)
                pending = self._chunks[self._fed :]
                eof = self._eof
            for chunk in pending:
                self._stream.feed(chunk.data)
                self._fed += 1
                if test(self.lines):
                    return chunk.at
            if eof and self._fed == len(self._chunks):
                raise HarnessTimeout("the program exited", self.text())

    def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> float:
        """Wait until no output has arrived for ``quiet`` seconds (at most ``timeout``).

        Returns how long it waited. All output so far is fed to the screen.
        """
        start = time.perf_counter()
        while True:
            now = time.perf_counter()
            with self._arrived:
                last = self.last_output or self.launched
                if now - last >= quiet or now - start >= timeout or self._eof:
                    break
                self._arrived.wait(quiet - (now - last))
        self._feed_all()
        return time.perf_counter() - start

    def _feed_all(self) -> None:
        with self._arrived:
            pending = self._chunks[self._fed :]
        for chunk in pending:
            self._stream.feed(chunk.data)
            self._fed += 1

    # -- acting ----------------------------------------------------------------------------

    def press(self, keys: bytes) -> float:
        """Send keys to the program; returns the moment just before they were written."""
        moment = time.perf_counter()
        os.write(self._fd, keys)
        return moment

    def peak_rss_kib(self) -> int:
        """The program's resident-set high-water mark (``VmHWM``) so far, in KiB."""
        status = Path(f"/proc/{self.pid}/status").read_text(encoding="ascii")
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise RuntimeError("no VmHWM in /proc status")  # pragma: no cover - Linux always has it


def startup(
    argv: Sequence[str],
    drawn: Check | str,
    ready: Check | str | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 30.0,
) -> dict[str, float]:
    """Launch ``argv``, time launch → ``drawn`` (and → ``ready``), then read its peak memory.

    Returns seconds to ``drawn`` (``drawn_s``), to ``ready`` (``ready_s``, the same as drawn when
    not given) and peak RSS in KiB (``rss_kib``, read after the screen has settled).
    """
    term = Terminal(argv, env=terminal_env(env), cwd=cwd)
    with term:
        launched = term.launched
        drawn_at = term.wait_for(drawn, timeout)
        ready_at = term.wait_for(ready, timeout) if ready is not None else drawn_at
        term.settle()
        rss = term.peak_rss_kib()
    return {"drawn_s": drawn_at - launched, "ready_s": ready_at - launched, "rss_kib": float(rss)}


def key_latencies(
    argv: Sequence[str],
    first: Check | str,
    steps: Sequence[tuple[bytes, Check | str]],
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 30.0,
) -> list[float]:
    """Launch ``argv``, wait for ``first``, then for each ``(keys, expected)`` step: let the
    screen settle, press the keys and time until ``expected`` is drawn. Returns seconds per step.
    """
    term = Terminal(argv, env=terminal_env(env), cwd=cwd)
    times: list[float] = []
    with term:
        term.wait_for(first, timeout)
        for keys, expected in steps:
            term.settle()
            pressed = term.press(keys)
            times.append(term.wait_for(expected, timeout) - pressed)
    return times
