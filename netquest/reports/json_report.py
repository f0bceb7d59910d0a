"""The report as JSON: every number the other formats show, and the runs behind them.

The layout stays readable and fast for ten thousand learners: one key per line at the top,
one learner (or cell, principle, …) per line inside each list, each item compact.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any

from netquest.reports.model import Attempt, Cell, Learner, Report

REPORT_FORMAT = "netquest-report"
REPORT_VERSION = 1


_FIELDS: dict[type, tuple[str, ...]] = {}
"""Public field names per dataclass type (``dataclasses.fields`` is slow to call per item)."""


def _public_fields(kind: type) -> tuple[str, ...] | None:
    names = _FIELDS.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(kind):
            return None
        names = _FIELDS[kind] = tuple(
            f.name for f in dataclasses.fields(kind) if not f.name.startswith("_")
        )
    return names


def _plain(value: Any) -> Any:
    """Dataclasses, tuples and mappings as JSON-able data (private fields left out)."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    names = _public_fields(kind) if not isinstance(value, type) else None
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Sequence):
        return [_plain(item) for item in value]
    return value


def _attempt(a: Attempt) -> dict[str, Any]:
    return {
        "run_id": a.run_id,
        "scenario": a.scenario,
        "mode": a.mode,
        "started": a.started,
        "updated": a.updated,
        "finished": a.finished,
        "seconds": a.seconds,
        "score": a.score,
        "outcome": a.outcome,
        "ending": a.ending,
        "path": a.path,
        "principles": a.principles,
        "readings": a.readings,
    }


def _learner(learner: Learner) -> dict[str, Any]:
    return {
        "key": learner.key,
        "name": learner.name,
        "machine": learner.machine,
        "label": learner.label,
        "files": learner.files,
        "attempts": [_attempt(a) for a in learner.attempts],
    }


def _cell(cell: Cell) -> dict[str, Any]:
    return {
        "learner": cell.learner,
        "scenario": cell.scenario,
        "status": cell.status,
        "attempts": cell.attempts,
        "completed": cell.completed,
        "best": cell.best,
        "first": cell.first,
        "latest": cell.latest,
        "gain": cell.gain,
        "latest_outcome": cell.latest_outcome,
        "seconds": cell.seconds,
        "assessment": cell.assessment,
        "assessment_outcome": cell.assessment_outcome,
        "assessment_pending": cell.assessment_pending,
        "first_started": cell.first_started,
        "last_activity": cell.last_activity,
    }


def _grid(report: Report) -> list[dict[str, Any]]:
    """Every learner × scenario pair, not started ones included (like the CSV)."""
    out = []
    for learner in report.learners:
        for info in report.scenarios:
            cell = report.started(learner.key, info.id)
            out.append(
                _cell(cell if cell is not None else Cell(learner.key, info.id, "not started"))
            )
    return out


def report_data(report: Report) -> dict[str, Any]:
    """The report as JSON-able data (``format`` and ``version`` first)."""
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "title": report.title,
        "generated": report.generated,
        "files": report.files,
        "skipped": _plain(report.skipped),
        "scenario_filter": report.scenario_filter,
        "summary": _plain(report.summary),
        "scenarios": _plain(report.scenarios),
        "learners": [_learner(learner) for learner in report.learners],
        "grid": _grid(report),
        "principles": _plain(report.principles),
        "weakest": list(report.weakest),
        "axes": _plain(report.axes),
        "gains": _plain(report.gains),
        "decisions": _plain(report.decisions),
        **({"course": _course(report)} if report.course is not None else {}),
    }


def _course(report: Report) -> dict[str, Any]:
    course = report.course
    assert course is not None
    data: dict[str, Any] = _plain(course)
    for row, learner in zip(data["learners"], course.learners, strict=True):
        row["status"] = learner.status
    data["passed"] = course.passed
    return data


def _fallback(value: object) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_compact = json.JSONEncoder(
    ensure_ascii=False, separators=(", ", ": "), default=_fallback, check_circular=False
).encode
"""One item as compact JSON (one encoder for every item: ``json.dumps`` builds one a call)."""


def render_json(report: Report) -> str:
    """The report as JSON text."""
    lines = []
    for key, value in report_data(report).items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(_compact(item) for item in value)
            lines.append(f"  {_compact(key)}: [\n    {items}\n  ]")
        else:
            lines.append(f"  {_compact(key)}: {_compact(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"
