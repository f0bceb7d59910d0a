"""The local statement journal: one JSON Lines file beside each profile's save.

``<saves>/<profile file stem>.xapi.jsonl`` holds every statement recorded for the profile, one
per line, appended and never rewritten. Beside it, ``.xapi.cursor`` remembers how far each LRS
endpoint has accepted the journal (a byte offset), so unsent statements are simply the lines
after the cursor: nothing is ever lost when the network is down. ``.xapi.rejected.jsonl``
keeps statements an LRS refused, with its reason.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netquest.folder_walk import walk_files
from netquest.saves.jsonfile import atomic_write

log = logging.getLogger("netquest.xapi")

JOURNAL_SUFFIX = ".xapi.jsonl"
CURSOR_SUFFIX = ".xapi.cursor"
REJECTED_SUFFIX = ".xapi.rejected.jsonl"
LOCK_SUFFIX = ".xapi.lock"
CURSOR_FORMAT = "netquest-xapi-cursor"


def journal_for(save_file: Path) -> Path:
    """The journal beside a profile's save file."""
    return save_file.with_name(save_file.name.removesuffix(".json") + JOURNAL_SUFFIX)


def _sibling(journal: Path, suffix: str) -> Path:
    return journal.with_name(journal.name.removesuffix(JOURNAL_SUFFIX) + suffix)


def is_journal(path: Path) -> bool:
    """Whether ``path`` names a statement journal (not a rejected-statements file)."""
    name = path.name
    return (
        name.endswith(JOURNAL_SUFFIX)
        and not name.endswith(REJECTED_SUFFIX)
        and not name.startswith(".")
    )


def encode_lines(statements: Iterable[dict[str, Any]]) -> bytes:
    """Statements as compact UTF-8 JSON lines."""
    return b"".join(
        json.dumps(statement, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8", "backslashreplace"
        )
        + b"\n"
        for statement in statements
    )


def append(path: Path, data: bytes) -> None:
    """Append ``data`` to ``path`` in one ``O_APPEND`` write, creating the file (``0600``).

    Concurrent appenders never interleave within a write, and a reader sees whole lines or a
    missing tail, never a torn middle. A symbolic link planted at ``path`` is refused, never
    followed. A tail left without its newline by an earlier failed write (a full disk) is ended
    first, so ``data`` always starts on a line of its own and the journal stays parseable.

    Raises:
        OSError: if the file cannot be written (``ELOOP`` for a symbolic link). Part of
            ``data`` may have been written; the next append ends that torn line.
    """
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | _NOFOLLOW, 0o600)
    try:
        size = os.fstat(fd).st_size
        torn = bool(size) and os.pread(fd, 1, size - 1) != b"\n"
        prefix = b"\n" if torn else b""  # the torn partial line becomes an unreadable line
        view = memoryview(prefix + data)
        done = 0
        try:
            while view:
                written = os.write(fd, view)
                view = view[written:]
                done += written
        except OSError as error:
            error.written = max(0, done - len(prefix))  # type: ignore[attr-defined]
            raise
    finally:
        os.close(fd)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

_unwritten: dict[Path, bytes] = {}
_unwritten_lock = threading.Lock()


def append_lines(path: Path, data: bytes) -> None:
    """Append whole lines to a journal; lines a failed append could not write are kept.

    Lines that could not be written (a full disk) are kept in memory and written first at the
    next append to the same journal, so a statement is delayed by a failure, never dropped.

    Raises:
        OSError: if the journal cannot be written now (the lines are kept for the next try).
    """
    with _unwritten_lock:
        data = _unwritten.pop(path, b"") + data
        try:
            append(path, data)
        except OSError as error:
            written = getattr(error, "written", 0)
            whole = data.rfind(b"\n", 0, written) + 1  # lines written in full are not repeated
            if data[whole:]:
                _unwritten[path] = data[whole:]
            raise


def unwritten(path: Path) -> bytes:
    """Lines waiting to be appended to ``path`` after a failed append."""
    with _unwritten_lock:
        return _unwritten.get(path, b"")


def flush_unwritten() -> None:
    """Try once more to append every waiting line (at exit); failures stay waiting."""
    with _unwritten_lock:
        waiting = list(_unwritten.items())
    for path, _ in waiting:
        with contextlib.suppress(OSError):
            append_lines(path, b"")


@dataclass(frozen=True, slots=True)
class Line:
    """One complete line of a journal: where it ends, and the statement (None if unreadable)."""

    end: int
    raw: bytes
    statement: dict[str, Any] | None


def read_lines(path: Path, offset: int = 0) -> Iterator[Line]:
    """The complete lines of a journal from byte ``offset`` on.

    A last line without its newline (a write in progress) is left for later. Lines that are not
    a JSON object come back with ``statement=None``.

    Raises:
        OSError: if the journal cannot be read.
    """
    with path.open("rb") as handle:
        handle.seek(offset)
        data = handle.read()
    position = offset
    start = 0
    while True:
        end = data.find(b"\n", start)
        if end < 0:
            return
        raw = data[start:end]
        position = offset + end + 1
        start = end + 1
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        yield Line(position, raw, value if isinstance(value, dict) else None)


def read_statements(path: Path) -> tuple[list[dict[str, Any]], int]:
    """Every readable statement of a journal, and how many lines were unreadable.

    Raises:
        OSError: if the journal cannot be read.
    """
    statements: list[dict[str, Any]] = []
    bad = 0
    for line in read_lines(path):
        if line.statement is None:
            bad += 1
        else:
            statements.append(line.statement)
    return statements, bad


def cursor_path(journal: Path) -> Path:
    """Where the journal's send positions are kept."""
    return _sibling(journal, CURSOR_SUFFIX)


def rejected_path(journal: Path) -> Path:
    """Where statements refused by an LRS are kept."""
    return _sibling(journal, REJECTED_SUFFIX)


def lock_path(journal: Path) -> Path:
    """The lock taken while a journal is being sent."""
    return _sibling(journal, LOCK_SUFFIX)


def read_cursor(journal: Path, target: str) -> int:
    """How many bytes of the journal ``target`` (a statements URL) has accepted."""
    try:
        data = json.loads(cursor_path(journal).read_bytes())
        value = data["sent"][target]
    except (OSError, ValueError, KeyError, TypeError):
        return 0
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def write_cursor(journal: Path, target: str, offset: int) -> None:
    """Remember that ``target`` has accepted the journal up to ``offset`` (atomic).

    Raises:
        OSError: if the file cannot be written.
    """
    path = cursor_path(journal)
    try:
        data = json.loads(path.read_bytes())
        sent = data.get("sent") if isinstance(data, dict) else None
    except (OSError, ValueError):
        sent = None
    positions = dict(sent) if isinstance(sent, dict) else {}
    positions[target] = offset
    body = {"format": CURSOR_FORMAT, "version": 1, "sent": positions}
    atomic_write(path, (json.dumps(body, indent=2) + "\n").encode("utf-8"))


def journals_in(inputs: Iterable[Path]) -> list[Path]:
    """The journals in folders (recursively) and beside given save files, sorted."""
    found: set[Path] = set()
    for item in inputs:
        if item.is_dir():  # iterative and bounded: a saves tree can be hostile
            wanted = lambda name: is_journal(Path(name))  # noqa: E731
            found.update(map(Path, walk_files(str(item), wanted, lambda _: None)))
        elif item.name.endswith(JOURNAL_SUFFIX) and is_journal(item):
            found.add(item)
        else:
            journal = journal_for(item)
            if journal.is_file():
                found.add(journal)
    return sorted(found)
