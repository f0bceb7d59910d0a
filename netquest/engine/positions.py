"""Map TOML key paths back to line and column.

``tomllib`` and ``tomli`` return plain dicts with no positions, so the loader scans
the (already successfully parsed) source once more and records where each key,
table header, array-of-tables entry and array element starts. Paths look like
``scenes.lobby.choices[2].goto`` or ``tests[0].choices[3]``.

The scanner assumes valid TOML (it only runs after the parser accepted the text)
but never raises: on anything unexpected it stops and returns what it has.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_right

Position = tuple[int, int]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class PositionIndex:
    """Line/column lookup for key paths in one TOML document."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._line_starts.append(index + 1)
        self._paths: dict[str, int] = {}
        with contextlib.suppress(IndexError, ValueError):  # a partial index is still useful
            _Scanner(text, self._paths).run()

    def _position(self, offset: int) -> Position:
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def exact(self, path: str) -> Position | None:
        """The position of ``path`` if it was seen."""
        offset = self._paths.get(path)
        return None if offset is None else self._position(offset)

    def find(self, path: str) -> Position:
        """The position of ``path``, or of its nearest recorded ancestor, else 1:1."""
        while path:
            found = self.exact(path)
            if found is not None:
                return found
            path = _parent(path)
        return (1, 1)

    def __contains__(self, path: object) -> bool:
        return path in self._paths


def _parent(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    dot = path.rfind(".")
    return path[:dot] if dot > 0 else ""


def join(base: str, key: str) -> str:
    """Join a path and a key the way the index spells paths."""
    return f"{base}.{key}" if base else key


class _Scanner:
    def __init__(self, text: str, paths: dict[str, int]) -> None:
        self.text = text
        self.i = 0
        self.paths = paths
        self.table = ""
        self.aot_counts: dict[str, int] = {}

    # -- low level -------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> str:
        index = self.i + ahead
        return self.text[index] if index < len(self.text) else ""

    def skip_ws(self, newlines: bool = False) -> None:
        while self.i < len(self.text):
            char = self.text[self.i]
            if char in " \t\r" or (newlines and char == "\n"):
                self.i += 1
            elif char == "#":
                while self.i < len(self.text) and self.text[self.i] != "\n":
                    self.i += 1
            else:
                return

    def skip_line(self) -> None:
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end < 0 else end + 1

    def string(self) -> str:
        """Read a string of any kind at the cursor and return its (raw-ish) value."""
        text = self.text
        for delim in ('"""', "'''"):
            if text.startswith(delim, self.i):
                start = self.i + 3
                end = start
                while True:
                    end = text.index(delim, end)
                    if delim == '"""' and _escaped(text, end):
                        end += 1
                        continue
                    break
                # A closing delimiter may be followed by up to two more quotes.
                while text.startswith(delim[0], end + 3):
                    end += 1
                self.i = end + 3
                return text[start:end]
        quote = text[self.i]
        start = self.i + 1
        end = start
        while True:
            end = text.index(quote, end)
            if quote == '"' and _escaped(text, end):
                end += 1
                continue
            break
        self.i = end + 1
        raw = text[start:end]
        return _unescape(raw) if quote == '"' else raw

    def key(self) -> list[str]:
        """Read a (possibly dotted, possibly quoted) key."""
        parts: list[str] = []
        while True:
            self.skip_ws()
            char = self.peek()
            if char in "\"'":
                parts.append(self.string())
            else:
                start = self.i
                while self.peek() in _BARE and self.peek():
                    self.i += 1
                if self.i == start:
                    raise ValueError("no key")
                parts.append(self.text[start : self.i])
            self.skip_ws()
            if self.peek() == ".":
                self.i += 1
                continue
            return parts

    # -- structure -------------------------------------------------------------------------
    def run(self) -> None:
        while True:
            self.skip_ws(newlines=True)
            if self.i >= len(self.text):
                return
            start = self.i
            if self.text.startswith("[[", self.i):
                self.i += 2
                base = ".".join(self.key())
                index = self.aot_counts.get(base, 0)
                self.aot_counts[base] = index + 1
                # Nested arrays of tables restart their numbering under a new parent.
                prefix = f"{base}["
                for other in list(self.aot_counts):
                    if other.startswith(prefix) or (other != base and other.startswith(base + ".")):
                        del self.aot_counts[other]
                self.table = f"{base}[{index}]"
                self.paths.setdefault(self.table, start)
                self.skip_line()
            elif self.peek() == "[":
                self.i += 1
                self.table = self._resolve(".".join(self.key()))
                self.paths.setdefault(self.table, start)
                self.skip_line()
            else:
                self.pair(self.table)
                self.skip_line()

    def _resolve(self, dotted: str) -> str:
        """Give a plain table header the index of the array-of-tables it sits under."""
        best = ""
        for base, _count in self.aot_counts.items():
            if (dotted == base or dotted.startswith(base + ".")) and len(base) > len(best):
                best = base
        if not best:
            return dotted
        return f"{best}[{self.aot_counts[best] - 1}]{dotted[len(best) :]}"

    def pair(self, base: str) -> None:
        start = self.i
        path = base
        for part in self.key():
            path = join(path, part)
            self.paths.setdefault(path, start)
        self.skip_ws()
        if self.peek() != "=":
            raise ValueError("expected =")
        self.i += 1
        self.skip_ws()
        self.value(path)

    def value(self, path: str) -> None:
        char = self.peek()
        if char in "\"'":
            self.string()
        elif char == "[":
            self.i += 1
            index = 0
            while True:
                self.skip_ws(newlines=True)
                if self.peek() == "]":
                    self.i += 1
                    return
                if self.peek() == ",":
                    self.i += 1
                    continue
                self.paths.setdefault(f"{path}[{index}]", self.i)
                self.value(f"{path}[{index}]")
                index += 1
        elif char == "{":
            self.i += 1
            while True:
                self.skip_ws()
                if self.peek() == "}":
                    self.i += 1
                    return
                if self.peek() == ",":
                    self.i += 1
                    continue
                self.pair(path)
        else:
            while self.peek() and self.peek() not in ",]}\n#":
                self.i += 1


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - 1 - backslashes >= 0 and text[index - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    try:
        return raw.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError:
        return raw
