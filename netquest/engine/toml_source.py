"""Read and parse a TOML file into a dict, turning every failure into a diagnostic.

``tomli`` (a compiled wheel, the faster parser here) is used where installed,
the standard library's ``tomllib`` otherwise.
"""

from __future__ import annotations

import os
import re
import stat
from functools import cached_property
from pathlib import Path
from typing import Any

try:  # pragma: no cover - which branch runs depends on the environment
    import tomli as _toml
except ModuleNotFoundError:  # pragma: no cover
    import tomllib as _toml  # type: ignore[no-redef]

from netquest.engine.diagnostics import Diagnostic, make
from netquest.engine.positions import PositionIndex

#: Files larger than this are refused before parsing (a clear error, not a hang).
MAX_FILE_BYTES = 128 * 1024 * 1024

_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


class Source:
    """A parsed TOML document; positions are indexed only when first asked for."""

    def __init__(self, file: str, data: dict[str, Any], text: str, raw: bytes) -> None:
        self.file = file
        self.data = data
        self.text = text
        self.raw = raw

    @cached_property
    def index(self) -> PositionIndex:
        """Line/column lookup, built on first use (clean files never pay for it)."""
        return PositionIndex(self.text)


def resolved(path: Path) -> Path:
    """``path`` made absolute with symlinks followed; as given (made absolute) when that fails.

    ``Path.resolve`` raises on a symlink loop; reading the path then reports the loop as a
    one-line NQ002 instead of a traceback.
    """
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def read_bytes(path: Path, max_bytes: int | None = None) -> tuple[bytes | None, Diagnostic | None]:
    """Read a file, or say in one diagnostic why it cannot be read.

    Only regular files are read (a device such as /dev/zero never ends, a FIFO blocks), and
    never more than ``max_bytes``: the limit counts the bytes read, not what ``stat`` says.
    """
    if max_bytes is None:
        max_bytes = MAX_FILE_BYTES  # looked up now, so tests can lower the limit
    try:
        if path.is_dir():
            return None, make(
                "NQ002",
                path,
                (1, 1),
                "is a directory, not a .toml file",
                "pass the folder's .toml files, or the folder to `check`",
            )
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked on the
        # open file itself, so it cannot be swapped after the check.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                return None, make(
                    "NQ002",
                    path,
                    (1, 1),
                    "is not a regular file (a device, FIFO or socket)",
                    "pass a .toml file",
                )
            # A file that is too big is refused unread; one that grows while read, at the limit.
            raw = b"" if status.st_size > max_bytes else handle.read(max_bytes + 1)
        if status.st_size > max_bytes or len(raw) > max_bytes:
            size = max(status.st_size, len(raw))
            return None, make(
                "NQ002",
                path,
                (1, 1),
                f"file is {size / 1048576:.1f} MiB, over the {max_bytes / 1048576:.0f} MiB limit",
                "split the scenario into smaller files",
            )
        return raw, None
    except FileNotFoundError:
        return None, make("NQ002", path, (1, 1), "file not found", "check the path")
    except PermissionError:
        return None, make("NQ002", path, (1, 1), "permission denied", "make the file readable")
    except OSError as error:
        return None, make(
            "NQ002", path, (1, 1), f"cannot read file: {error.strerror or error}", "check the path"
        )


def parse(raw: bytes, file: str | Path) -> tuple[Source | None, Diagnostic | None]:
    """Decode and parse TOML bytes; never raises."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        return None, make(
            "NQ001", file, (line, column), "file is not valid UTF-8", "save the file as UTF-8"
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = _toml.loads(text)
    except _toml.TOMLDecodeError as error:
        return None, _syntax_error(error, file, text)
    except RecursionError:
        return None, make(
            "NQ001", file, (1, 1), "TOML nesting is too deep", "flatten the nested arrays or tables"
        )
    return Source(str(file), data, text, raw), None


def _syntax_error(error: Exception, file: str | Path, text: str = "") -> Diagnostic:
    message = str(getattr(error, "msg", "") or error)
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    found = _AT.search(str(error))
    if (line is None or column is None) and found:
        line, column = int(found.group(1)), int(found.group(2))
    message = _AT.sub("", message).strip() or "invalid TOML"
    # Keys appear in the parser's messages as tuples: ('scenes', 'lobby') -> scenes.lobby.
    message = _KEY_TUPLE.sub(lambda m: ".".join(_KEY_PART.findall(m.group())), message)
    hint = "fix the TOML syntax at this place"
    if message == "Illegal character '\\n'":
        # A line break inside a one-line string: its closing quote is missing.
        message = "string is not closed at the end of the line"
        hint = "add the closing quote, or use triple quotes for text over several lines"
    elif message.startswith(_DUPLICATE) and line is not None and column is not None:
        # The parser notices a duplicate only after reading the whole statement (which may
        # end lines later): point at the statement that repeats the key or table instead.
        line, column = _statement_start(text, line, column)
        hint = "each key and table may be defined only once: remove or rename one"
    return make("NQ001", file, (line or 1, column or 1), f"TOML syntax: {message}", hint)


_KEY_TUPLE = re.compile(r"\((?:'[^']*'(?:, )?)+,?\)")
_KEY_PART = re.compile(r"'([^']*)'")
_DUPLICATE = ("Cannot overwrite", "Cannot declare", "Cannot redefine", "Cannot mutate")


def _statement_start(text: str, line: int, column: int) -> tuple[int, int]:
    lines = text.split("\n", line)
    offset = sum(len(part) + 1 for part in lines[: line - 1]) + column - 1
    return PositionIndex(text).statement(offset)
