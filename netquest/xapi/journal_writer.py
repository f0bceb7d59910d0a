"""Append journal lines from a background thread, so a choice key never waits for the disk.

The TUI's recorder hands each event's statements to one shared :class:`JournalWriter`; a single
thread appends them in the order they were given (so every journal keeps its order), then nudges
the sender. :meth:`JournalWriter.flush` waits until everything handed over is written: the app
calls it when it stops, and it runs at interpreter exit too, so no statement is lost.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netquest.xapi.journal import append_lines, encode_lines

log = logging.getLogger("netquest.xapi")

Written = Callable[[Path], None]
"""Called (on the writer's thread) once a journal has its new lines."""
Failed = Callable[[Path, OSError], None]
"""Called (on the writer's thread) when a journal could not be written."""

EXIT_WAIT = 10.0
"""Seconds the interpreter waits at exit for statements still to be written."""


def write_now(journal: Path, statements: list[dict[str, Any]]) -> None:
    """Append ``statements`` to ``journal`` (creating its folder), in this thread.

    Lines a failed append could not write are kept and written first next time
    (:func:`netquest.xapi.journal.append_lines`): a full disk delays a statement, never drops it.

    Raises:
        OSError: if the journal cannot be written now.
    """
    journal.parent.mkdir(parents=True, exist_ok=True)
    append_lines(journal, encode_lines(statements))


class JournalWriter:
    """One background thread appending statements to journals, first handed, first written."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[Path, list[dict[str, Any]], Written, Failed]] = (
            queue.SimpleQueue()
        )
        self._idle = threading.Condition()
        self._pending = 0
        self._thread: threading.Thread | None = None

    def submit(
        self, journal: Path, statements: list[dict[str, Any]], written: Written, failed: Failed
    ) -> None:
        """Queue ``statements`` for ``journal``; returns at once."""
        with self._idle:
            self._pending += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="netquest-xapi-journal", daemon=True
                )
                self._thread.start()
        self._queue.put((journal, statements, written, failed))

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every statement handed over so far is written (or failed).

        Returns:
            False if ``timeout`` seconds passed first.
        """
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _run(self) -> None:
        while True:
            journal, statements, written, failed = self._queue.get()
            try:
                try:
                    write_now(journal, statements)
                except OSError as error:
                    failed(journal, error)
                else:
                    written(journal)
            except Exception:  # a callback failed: the next statements must still be written
                log.debug("journal writer callback failed", exc_info=True)
            finally:
                with self._idle:
                    self._pending -= 1
                    if self._pending == 0:
                        self._idle.notify_all()


_shared: JournalWriter | None = None
_shared_lock = threading.Lock()


def shared_writer() -> JournalWriter:
    """The process's writer (one thread and one order for every journal), flushed at exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = JournalWriter()
            atexit.register(_shared.flush, EXIT_WAIT)
        return _shared


def flush_journals(timeout: float | None = None) -> bool:
    """Wait until the shared writer (if any was started) has written everything handed to it."""
    writer = _shared
    return True if writer is None else writer.flush(timeout)
