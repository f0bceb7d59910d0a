"""Small formatting helpers shared by the renderers."""

from __future__ import annotations

import math

from netquest.reports.model import Cell, Report

DASH = "–"


def iso(timestamp: str | None) -> str:
    """An ISO-8601 UTC timestamp to the second (``2025-01-31T09:30:00Z``), or empty."""
    if not timestamp:
        return ""
    if "." in timestamp and timestamp.endswith("Z"):
        return timestamp.split(".", 1)[0] + "Z"
    return timestamp


def day(timestamp: str | None) -> str:
    """The date part of a timestamp."""
    return iso(timestamp)[:10]


def duration(seconds: float) -> str:
    """Time played for people: ``45s``, ``12m 30s``, ``2h 05m``."""
    if not math.isfinite(seconds) or seconds < 0.5:
        return "0s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def number(value: float | None, digits: int = 0) -> str:
    """A number for a table, or a dash."""
    if value is None:
        return DASH
    if digits == 0:
        return str(round(value))
    return f"{value:.{digits}f}"


def signed(value: float | None, digits: int = 0) -> str:
    """A signed number (``+12``, ``−3``), or a dash."""
    if value is None:
        return DASH
    if round(value, digits) == 0:
        return "0"
    text = f"{value:+.{digits}f}" if digits else f"{round(value):+d}"
    return text.replace("-", "\u2212", 1)


def plural(count: int, noun: str) -> str:
    """``1 learner``, ``3 learners``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def percent(share: float) -> str:
    """A fraction 0..1 as a whole percentage."""
    return f"{round(100 * share)}%"


def cell_text(cell: Cell | None) -> str:
    """A grid cell in a few characters: best score, attempts, assessment score."""
    if cell is None or cell.status == "not started":
        return DASH
    parts = [number(cell.best) if cell.status == "completed" else "in progress"]
    if cell.status == "completed" and cell.best is None:
        parts = ["score unknown"]  # finished, but the engine could not score the scenario
    if cell.attempts > 1:
        parts.append(f"×{cell.attempts}")
    if cell.assessment is not None:
        parts.append(f"A {cell.assessment}")
    elif cell.assessment_pending:
        parts.append("A …")
    return " ".join(parts)


def labels(report: Report) -> dict[str, str]:
    """Learner key -> label."""
    return {learner.key: learner.label for learner in report.learners}


def principle_title(report: Report, principle: str) -> str:
    """A principle's title, or its id."""
    found = report.principle(principle)
    return found.title if found is not None else principle


def scenario_titles(report: Report) -> dict[str, str]:
    """Scenario id -> title."""
    return {info.id: info.title for info in report.scenarios}


def misstep(points: int | None, reads_right: bool | None, share: float) -> bool:
    """A shared misconception: a choice that loses points or misreads the moment, and that
    at least a third of the group took in their first run."""
    wrong = (points is not None and points < 0) or reads_right is False
    return wrong and share >= 1 / 3
