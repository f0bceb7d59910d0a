"""Diagnostics: every problem found in a scenario or catalogue, compiler style.

Each diagnostic has a stable code (documented in ``docs/diagnostics.md``), a
severity, the file and position, a message, and a hint saying how to fix it.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from netquest.engine.text import printable


class Severity(StrEnum):
    """How bad a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Code:
    """A documented diagnostic code."""

    code: str
    severity: Severity
    title: str


def _codes(*rows: tuple[str, Severity, str]) -> dict[str, Code]:
    return {code: Code(code, severity, title) for code, severity, title in rows}


E, W = Severity.ERROR, Severity.WARNING

#: Every code the checker can emit. ``docs/diagnostics.md`` documents each one.
CODES: dict[str, Code] = _codes(
    ("NQ001", E, "TOML syntax error"),
    ("NQ002", E, "file cannot be read"),
    ("NQ003", E, "missing or unsupported format version"),
    ("NQ004", E, "choice goes to an unknown scene or ending"),
    ("NQ005", E, "required key missing"),
    ("NQ006", E, "wrong type or invalid value"),
    ("NQ007", W, "unknown key"),
    ("NQ008", E, "duplicate id"),
    ("NQ009", E, "invalid id"),
    ("NQ010", E, "unknown principle"),
    ("NQ011", E, "unknown mode"),
    ("NQ012", E, "unknown axis"),
    ("NQ013", E, "effect outside -3..+3"),
    ("NQ014", E, "scene has no choices"),
    ("NQ015", E, "unknown start scene"),
    ("NQ016", E, "choice without a coach note"),
    ("NQ017", W, "flag required but never set"),
    ("NQ018", W, "moment calls for a mode no choice offers"),
    ("NQ019", W, "scenario has no golden-path tests"),
    ("NQ020", W, "unreachable scene"),
    ("NQ021", W, "choice never offered"),
    ("NQ022", W, "unreachable ending"),
    ("NQ023", E, "every choice can be hidden"),
    ("NQ024", E, "no way out"),
    ("NQ025", E, "points can be earned again in a cycle"),
    ("NQ026", E, "golden-path test fails"),
    ("NQ027", W, "principle never taught"),
    ("NQ028", E, "no scenarios found"),
    ("NQ029", E, "scenario id used twice"),
    ("NQ030", W, "exploration stopped at the state limit"),
    ("NQ031", W, "axis listed in teaches is never exercised"),
    ("NQ032", E, "too many flag combinations to score"),
    ("NQ033", W, "text too long"),
    ("NQ034", W, "more problems in this file not shown"),
    ("NQ040", W, "choice of the called-for mode loses points"),
    ("NQ041", W, "choice of another mode earns points"),
    ("NQ042", W, "every choice has the called-for mode"),
    ("NQ050", W, "choice still has imported placeholder scoring"),
    ("NQ060", E, "course names an unknown scenario"),
    ("NQ061", E, "course pass mark outside 0-100"),
    ("NQ062", E, "course step unlocks after an unknown step"),
    ("NQ063", E, "course steps unlock each other in a circle"),
)

#: At most this many diagnostics are kept per file; the rest are counted in one NQ034 line.
MAX_PER_FILE = 200


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, anchored to a place in a file."""

    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """The compiler-style one-line form; names quoted from a file are shown literally."""
        text = (
            f"{self.file}:{self.line}:{self.column}: "
            f"{self.severity.value} {self.code}: {self.message}"
        )
        if self.hint:
            text += f" ({self.hint})"
        return printable(_one_line(text))

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def is_error(self) -> bool:
        """Whether this diagnostic is an error."""
        return self.severity is Severity.ERROR


def make(
    code: str,
    file: str | Path,
    position: tuple[int, int],
    message: str,
    hint: str = "",
) -> Diagnostic:
    """Build a diagnostic with the code's registered severity."""
    line, column = position
    return Diagnostic(
        file=str(file),
        line=line,
        column=column,
        code=code,
        message=message,
        hint=hint,
        severity=CODES[code].severity,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split()) if ("\n" in text or "\r" in text) else text


def cap_per_file(diagnostics: Iterable[Diagnostic], limit: int | None = None) -> list[Diagnostic]:
    """Keep the first ``limit`` diagnostics of each file (by position); count the rest.

    The dropped ones become a single NQ034 line per file, so a file with millions of problems
    prints a screenful, not millions of lines.
    """
    if limit is None:
        limit = MAX_PER_FILE  # looked up now, so tests can lower the limit
    items = list(diagnostics)
    per_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in items:
        if diagnostic.code != "NQ034":  # a count made earlier (by the loader) stays as it is
            per_file.setdefault(diagnostic.file, []).append(diagnostic)
    if all(len(group) <= limit for group in per_file.values()):
        return items
    kept = [d for d in items if d.code == "NQ034"]
    for file, group in per_file.items():
        if len(group) <= limit:
            kept.extend(group)
            continue
        # Errors first, so the exit status and the first lines still show the worst.
        group.sort(key=lambda d: (not d.is_error, *sort_key(d)))
        kept.extend(group[:limit])
        kept.append(more_not_shown(file, len(group) - limit, {d.code for d in group[limit:]}))
    return kept


def more_not_shown(file: str, count: int, codes: Iterable[str] = ()) -> Diagnostic:
    """The NQ034 line that stands for ``count`` diagnostics (of ``codes``) left out of a file."""
    codes = sorted(codes)
    which = f" ({', '.join(codes[:6])}{', …' if len(codes) > 6 else ''})" if codes else ""
    return make(
        "NQ034",
        file,
        (1, 1),
        f"… {count} more problem{'s' if count != 1 else ''} in this file not shown{which}",
        "fix the ones above and check again",
    )


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A "did you mean 'x'?" hint, or ``""`` when nothing is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    """Order diagnostics by file, then position, then code."""
    return (diagnostic.file, diagnostic.line, diagnostic.column, diagnostic.code)


def summary(diagnostics: Iterable[Diagnostic], files: int) -> str:
    """A closing line such as ``2 errors, 1 warning in 9 files``."""
    items = list(diagnostics)
    errors = sum(1 for d in items if d.is_error)
    warnings = len(items) - errors

    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"


def to_json(diagnostics: Iterable[Diagnostic], files: int) -> str:
    """The ``--format json`` document."""
    items = sorted(diagnostics, key=sort_key)
    return json.dumps(
        {
            "files": files,
            "errors": sum(1 for d in items if d.is_error),
            "warnings": sum(1 for d in items if not d.is_error),
            "diagnostics": [d.to_dict() for d in items],
        },
        indent=2,
        ensure_ascii=False,
    )
