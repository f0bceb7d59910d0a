"""Map TOML key paths back to line and column.

``tomllib`` and ``tomli`` return plain dicts with no positions, so the loader scans
the (already successfully parsed) source once more and records where each key,
table header, array-of-tables entry and array element starts. Paths look like
``scenes.lobby.choices[2].goto`` or ``tests[0].choices[3]``.

The scanner assumes valid TOML (it only runs after the parser accepted the text)
but never raises: on anything unexpected it stops and returns what it has.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator

Position = tuple[int, int]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_WS = re.compile(r"(?:[ \t\r]+|#[^\n]*)*")
_WS_NL = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_SCALAR = re.compile(r"[^,\]}\n#]*")
_NEWLINE = re.compile(r"\n")
#: ``key = value`` with a bare key and a one-line value that holds no array, table or escape.
_SIMPLE_PAIR = re.compile(
    r'([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"[^"\\\n]*"|[-+0-9A-Za-z_.:]+)(?=[ \t\r]*(?:#|\n|$))'
)


class PositionIndex:
    """Line/column lookup for key paths in one TOML document.

    The document is scanned lazily, only as far as the paths asked for: a file with millions
    of lines whose problems are near the top is never scanned to the end.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0]
        self._lines_to = 0
        """Every line start before this offset is in ``_line_starts``."""
        self._paths: dict[str, int] = {}
        self._starts: list[int] = []
        self._steps: Iterator[None] | None = _Scanner(text, self._paths, self._starts).statements()

    def _scan_until(self, enough: Callable[[], bool]) -> None:
        """Scan further statements until ``enough()`` or the end of the document."""
        while self._steps is not None and not enough():
            try:
                next(self._steps)
            # A partial index is still useful; RecursionError: arrays nested thousands deep.
            except (StopIteration, IndexError, ValueError, RecursionError):
                self._steps = None

    def _position(self, offset: int) -> Position:
        starts = self._line_starts
        if offset >= self._lines_to:  # line starts are found only as far as asked, doubling
            end = max(offset + 1, 2 * self._lines_to, 1 << 16)
            starts.extend(m.end() for m in _NEWLINE.finditer(self._text, self._lines_to, end))
            self._lines_to = end
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def exact(self, path: str) -> Position | None:
        """The position of ``path`` if it was seen."""
        self._scan_until(lambda: path in self._paths)
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

    def statement(self, offset: int) -> Position:
        """The start of the top-level statement (key/value line or table header) at ``offset``.

        The parser reports a duplicate key after reading its whole value, which may end
        lines later; this gives the place a person would look at instead.
        """
        self._scan_until(lambda: bool(self._starts) and self._starts[-1] > offset)
        found = bisect_right(self._starts, offset) - 1
        return self._position(self._starts[found] if found >= 0 else offset)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.exact(path) is not None


def _parent(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    dot = path.rfind(".")
    return path[:dot] if dot > 0 else ""


def join(base: str, key: str) -> str:
    """Join a path and a key the way the index spells paths."""
    return f"{base}.{key}" if base else key


class _Scanner:
    def __init__(self, text: str, paths: dict[str, int], starts: list[int]) -> None:
        self.text = text
        self.i = 0
        self.paths = paths
        self.starts = starts
        self.table = ""
        self.aot_counts: dict[str, int] = {}
        self.nested: dict[str, set[str]] = {}

    # -- low level -------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> str:
        index = self.i + ahead
        return self.text[index] if index < len(self.text) else ""

    def skip_ws(self, newlines: bool = False) -> None:
        pattern = _WS_NL if newlines else _WS
        self.i = pattern.match(self.text, self.i).end()  # type: ignore[union-attr]

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
                match = _BARE_KEY.match(self.text, self.i)
                if match is None:
                    raise ValueError("no key")
                self.i = match.end()
                parts.append(match.group())
            self.skip_ws()
            if self.peek() == ".":
                self.i += 1
                continue
            return parts

    # -- structure -------------------------------------------------------------------------
    def run(self) -> None:
        for _ in self.statements():
            pass

    def statements(self) -> Iterator[None]:
        """Scan one top-level statement (key/value line or table header) per step."""
        while True:
            yield
            self.skip_ws(newlines=True)
            if self.i >= len(self.text):
                return
            start = self.i
            self.starts.append(start)
            if self.text.startswith("[[", self.i):
                self.i += 2
                base = ".".join(self.key())
                index = self.aot_counts.get(base, 0)
                self.aot_counts[base] = index + 1
                # Nested arrays of tables restart their numbering under a new parent entry.
                for child in self.nested.pop(base, ()):
                    self.aot_counts.pop(child, None)
                parent = self._aot_parent(base)
                if parent:
                    self.nested.setdefault(parent, set()).add(base)
                self.table = f"{base}[{index}]"
                self.paths.setdefault(self.table, start)
                self.skip_line()
            elif self.peek() == "[":
                self.i += 1
                self.table = self._resolve(".".join(self.key()))
                self.paths.setdefault(self.table, start)
                self.skip_line()
            else:
                simple = _SIMPLE_PAIR.match(self.text, self.i)
                if simple is not None:  # most lines: one regex instead of the scanner's steps
                    self.paths.setdefault(join(self.table, simple[1]), start)
                    self.i = simple.end()
                else:
                    self.pair(self.table)
                self.skip_line()

    def _aot_parent(self, dotted: str) -> str:
        """The longest proper prefix of ``dotted`` that is an array of tables (checks each dot)."""
        end = dotted.rfind(".")
        while end > 0:
            prefix = dotted[:end]
            if prefix in self.aot_counts:
                return prefix
            end = dotted.rfind(".", 0, end)
        return ""

    def _resolve(self, dotted: str) -> str:
        """Give a plain table header the index of the array-of-tables it sits under."""
        best = dotted if dotted in self.aot_counts else self._aot_parent(dotted)
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
                self.skip_ws(newlines=True)  # TOML 1.1 (tomli 2.3+) lets inline tables span lines
                if self.peek() == "}":
                    self.i += 1
                    return
                if self.peek() == ",":
                    self.i += 1
                    continue
                self.pair(path)
        else:
            self.i = _SCALAR.match(self.text, self.i).end()  # type: ignore[union-attr]


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - 1 - backslashes >= 0 and text[index - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


_ESCAPES = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    '"': '"',
    "\\": "\\",
}
_ESCAPE = re.compile(r"\\(?:([btnfre\"\\])|x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")


def _unescape(raw: str) -> str:
    """Decode TOML basic-string escapes (quoted keys); unknown escapes are kept as written."""
    if "\\" not in raw:
        return raw

    def replace(match: re.Match[str]) -> str:
        simple, *codes = match.groups()
        if simple:
            return _ESCAPES[simple]
        code = int(next(c for c in codes if c), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group()

    return _ESCAPE.sub(replace, raw)
