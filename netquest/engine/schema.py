"""Typed access to parsed TOML that records a diagnostic for every problem.

The loader walks the document through a :class:`Reader`; each accessor returns a
usable value (or ``None``) and never raises, so one pass finds every problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from netquest.engine import diagnostics as _diagnostics
from netquest.engine.diagnostics import CODES, Diagnostic, Severity, did_you_mean, make
from netquest.engine.positions import join
from netquest.engine.toml_source import Source

ID_PATTERN = re.compile(r"[a-z0-9_-]+")
_NO_FLAGS: frozenset[str] = frozenset()
FLAG_PATTERN = re.compile(r"[A-Za-z0-9_.:-]+")

#: The longest string a scenario may hold (a scene's text is a few hundred characters; a
#: whole short story is about 20,000). Longer strings are reported (NQ033), not refused.
MAX_TEXT = 20_000


def type_name(value: object) -> str:
    """How TOML would call the type of ``value``."""
    for kind, name in (
        (bool, "true or false"),
        (int, "an integer"),
        (float, "a float"),
        (str, "a string"),
        (list, "an array"),
        (dict, "a table"),
    ):
        if isinstance(value, kind):
            return name
    return "a date or time"


class Reader:
    """Collects diagnostics while reading one :class:`Source`."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.dropped: list[str] = []
        """Codes of the diagnostics past the per-file cap: counted, never built or placed."""
        self._failed = False

    # -- reporting -------------------------------------------------------------------------
    def at(self, path: str) -> tuple[int, int]:
        """The position of a key path in the file."""
        return self.source.index.find(path)

    @property
    def full(self) -> bool:
        """Whether the per-file cap is reached (later diagnostics are only counted)."""
        return len(self.diagnostics) >= _diagnostics.MAX_PER_FILE

    def report(self, code: str, path: str, message: str, hint: str = "") -> None:
        """Record a diagnostic at ``path`` (past the per-file cap, only count it).

        The first error is always kept, so a file that fails to load always says why.
        """
        error = CODES[code].severity is Severity.ERROR
        if self.full and (self._failed or not error):
            self.dropped.append(code)
            return
        self._failed = self._failed or error
        self.diagnostics.append(make(code, self.source.file, self.at(path), message, hint))

    def finish(self) -> list[Diagnostic]:
        """Every diagnostic kept, and one NQ034 line counting those past the cap."""
        if not self.dropped:
            return self.diagnostics
        count, codes = len(self.dropped), set(self.dropped)
        return [*self.diagnostics, _diagnostics.more_not_shown(self.source.file, count, codes)]

    @property
    def failed(self) -> bool:
        """Whether any error has been recorded."""
        return self._failed

    # -- shape -----------------------------------------------------------------------------
    def keys(self, table: Mapping[str, Any], path: str, allowed: frozenset[str]) -> None:
        """Warn about keys that are not part of the format."""
        if table.keys() <= allowed:
            return
        names = sorted(allowed)
        unknown = [key for key in table if key not in allowed]
        for position, key in enumerate(unknown):
            if self.full:  # count the rest cheaply: no suggestions, no positions
                self.dropped.extend(["NQ007"] * (len(unknown) - position))
                return
            hint = did_you_mean(key, names) or f"allowed keys: {', '.join(names)}"
            self.report("NQ007", join(path, key), f"unknown key '{key}' in {path or 'file'}", hint)

    def table(
        self, parent: Mapping[str, Any], key: str, path: str, required: bool = True
    ) -> dict[str, Any] | None:
        """A sub-table, or ``None`` (reported when required or of the wrong type)."""
        full = join(path, key)
        value = parent.get(key)
        if value is None:
            if required:
                self.report("NQ005", path, f"missing table [{full}]", f"add a [{full}] table")
            return None
        if not isinstance(value, dict):
            self.report(
                "NQ006",
                full,
                f"'{full}' must be a table, not {type_name(value)}",
                f"write it as [{full}]",
            )
            return None
        return value

    def string(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        required: bool = True,
        code: str = "NQ005",
        nonempty: bool = True,
    ) -> str | None:
        """A string value; empty strings count as missing when ``nonempty``."""
        value = table.get(key)
        if type(value) is str and ((value and not value.isspace()) or not nonempty):
            if len(value) > MAX_TEXT:
                self.report(
                    "NQ033",
                    join(path, key),
                    f"'{key}' is {len(value):,} characters long, over the {MAX_TEXT:,} limit",
                    "shorten it or split it over several scenes",
                )
            return value  # the common case, kept cheap: large files have many strings
        full = join(path, key)
        if value is None:
            if required:
                self.report(code, path, f"missing '{key}' in {path}", f'add {key} = "…"')
            return None
        if not isinstance(value, str):
            self.report(
                "NQ006",
                full,
                f"'{key}' must be a string, not {type_name(value)}",
                f'write {key} = "…"',
            )
            return None
        if nonempty and not value.strip():
            if required:
                self.report(code, full, f"'{key}' is empty in {path}", f"write the {key}")
            return None
        return value

    def integer(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        required: bool = True,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        """An integer value within optional bounds."""
        full = join(path, key)
        value = table.get(key)
        if value is None:
            if required:
                self.report("NQ005", path, f"missing '{key}' in {path}", f"add {key} = <number>")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(
                "NQ006",
                full,
                f"'{key}' must be an integer, not {type_name(value)}",
                f"write {key} = <whole number>",
            )
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"{minimum}..{maximum}" if maximum is not None else f">= {minimum}"
            self.report(
                "NQ006", full, f"'{key}' is {value}, outside {bounds}", f"use a value in {bounds}"
            )
            return None
        return value

    def string_list(
        self, table: Mapping[str, Any], key: str, path: str, required: bool = False
    ) -> list[str] | None:
        """An array of strings; bad items are reported and dropped."""
        value = table.get(key)
        if type(value) is list and all(type(item) is str for item in value):
            return value
        full = join(path, key)
        if value is None:
            if required:
                self.report("NQ005", path, f"missing '{key}' in {path}", f'add {key} = ["…"]')
            return None
        if not isinstance(value, list):
            self.report(
                "NQ006",
                full,
                f"'{key}' must be an array of strings, not {type_name(value)}",
                f'write {key} = ["…"]',
            )
            return None
        items: list[str] = []
        for position, item in enumerate(value):
            if isinstance(item, str):
                items.append(item)
            else:
                self.report(
                    "NQ006",
                    f"{full}[{position}]",
                    f"'{key}' item {position + 1} must be a string, not {type_name(item)}",
                    "quote it",
                )
        return items

    def identifier(self, value: str, path: str, what: str) -> bool:
        """Check an id against ``[a-z0-9_-]+``."""
        if ID_PATTERN.fullmatch(value):
            return True
        self.report(
            "NQ009",
            path,
            f"{what} id '{value}' is not valid",
            "use lowercase letters, digits, '_' and '-' only",
        )
        return False

    def flags(self, table: Mapping[str, Any], key: str, path: str) -> frozenset[str]:
        """A set of flag names."""
        if key not in table:
            return _NO_FLAGS
        items = self.string_list(table, key, path) or []
        good = []
        for position, flag in enumerate(items):
            if FLAG_PATTERN.fullmatch(flag):
                good.append(flag)
            else:
                self.report(
                    "NQ009",
                    f"{join(path, key)}[{position}]",
                    f"flag '{flag}' is not valid",
                    "use letters, digits, '_', '-', '.' and ':' only",
                )
        return frozenset(good)
