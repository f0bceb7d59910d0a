"""The report as CSV: one row per learner × scenario, ready for a spreadsheet.

A header row; ISO-8601 dates; numbers as numbers; and no formula injection: *every* text cell
that a spreadsheet could take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is prefixed with ``'``, and control characters in it are made visible.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Sequence

from netquest.engine.text import printable
from netquest.reports.fmt import iso
from netquest.reports.model import Cell, Report

COLUMNS = (
    "learner",
    "profile",
    "machine",
    "learner_id",
    "scenario",
    "scenario_title",
    "status",
    "attempts",
    "completed_runs",
    "best_score",
    "first_score",
    "latest_score",
    "gain",
    "latest_outcome",
    "assessment_status",
    "assessment_score",
    "assessment_outcome",
    "time_spent_seconds",
    "first_started",
    "last_activity",
)
"""The CSV header, in order."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@functools.lru_cache(maxsize=4096)
def safe_text(text: str) -> str:
    """Text a spreadsheet will show as text, never evaluate, and a terminal will show literally
    (controls made visible by :func:`~netquest.engine.text.printable`)."""
    shown = "'" + text if text.startswith(_FORMULA_START) else text
    return shown if shown.isprintable() else printable(shown)


def _safe(row: Sequence[str | int | float]) -> list[str | int | float]:
    """Every text cell of ``row`` made safe: by construction, not column by column."""
    return [safe_text(value) if isinstance(value, str) else value for value in row]


def rows(report: Report) -> list[list[str | int | float]]:
    """The data rows, in report order (learners, then scenarios)."""
    out: list[list[str | int | float]] = []
    for learner in report.learners:
        who = [learner.label, learner.name, learner.machine, learner.key]
        for info in report.scenarios:
            cell = report.started(learner.key, info.id)
            head: list[str | int | float] = [*who, info.id, info.title]
            out.append(_safe(head + (_NOT_STARTED if cell is None else _values(cell))))
    return out


_NOT_STARTED: list[str | int | float] = ["not started", 0, 0, *[""] * 8, 0, "", ""]


def _values(cell: Cell) -> list[str | int | float]:
    if cell.assessment is not None:
        assessment = "completed"
    else:
        assessment = "in progress" if cell.assessment_pending else ""
    values: list[str | int | float | None] = [
        cell.status,
        cell.attempts,
        cell.completed,
        cell.best,
        cell.first,
        cell.latest,
        cell.gain,
        cell.latest_outcome,
        assessment,
        cell.assessment,
        cell.assessment_outcome,
        round(cell.seconds),
        iso(cell.first_started),
        iso(cell.last_activity),
    ]
    return ["" if value is None else value for value in values]


COURSE_COLUMNS = (
    "learner",
    "profile",
    "machine",
    "learner_id",
    "course",
    "step_number",
    "step",
    "scenario",
    "mode",
    "state",
    "counting_score",
    "pass_mark",
    "attempts_used",
    "attempts_allowed",
    "due",
    "step_overdue",
    "course_steps_done",
    "course_steps",
    "course_status",
)
"""The CSV header with ``--course``: one row per learner × course step."""


def course_rows(report: Report) -> list[list[str | int | float]]:
    """The course rows, in report order (learners, then steps)."""
    course = report.course
    if course is None:
        return []
    learners = {learner.key: learner for learner in report.learners}
    out: list[list[str | int | float]] = []
    for row in course.learners:
        learner = learners[row.learner]
        who = [
            safe_text(row.label),
            safe_text(learner.name),
            safe_text(learner.machine),
            row.learner,
        ]
        columns = zip(course.steps, row.states, row.scores, row.attempts, row.late, strict=True)
        for number, (step, state, score, used, late) in enumerate(columns, 1):
            out.append(
                [
                    *who,
                    safe_text(course.id),
                    number,
                    safe_text(step.id),
                    safe_text(step.scenario),
                    step.mode,
                    state,
                    "" if score is None else score,
                    "" if step.pass_mark is None else step.pass_mark,
                    used,
                    step.attempts if step.mode == "assessment" else "",
                    step.due or "",
                    "yes" if late else "no",
                    row.done,
                    row.total,
                    row.status,
                ]
            )
    return out


def render_csv(report: Report) -> str:
    """The grid as CSV text (RFC 4180: CRLF line ends, quoted where needed); with a course,
    the course table instead (one row per learner and step)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if report.course is not None:
        writer.writerow(COURSE_COLUMNS)
        writer.writerows(course_rows(report))
    else:
        writer.writerow(COLUMNS)
        writer.writerows(rows(report))
    return buffer.getvalue()
