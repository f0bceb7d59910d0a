"""Reviewers' labels against the game's own reading: agreement, opposites, every disagreement.

A labels file is CSV (columns ``key``, ``direction``, ``mode``, optional ``note``; any other
column is ignored) or JSON lines (``{"key": …, "direction": …, "mode": …, "note": …}``). A row
with no direction is unlabelled and left out of the direction figures; likewise for mode.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netquest.review.items import Direction, ReviewItem


class LabelError(ValueError):
    """A labels file that cannot be used; the message is one line naming file, line and fix."""


@dataclass(frozen=True, slots=True)
class Label:
    """One reviewer's reading of one choice."""

    key: str
    direction: Direction | None
    mode: str | None
    note: str = ""
    text: str = ""
    """The choice text the reviewer saw, when the file carries it (the ``choice`` column)."""

    def describe(self) -> str:
        """E.g. ``poor, transactional``."""
        parts = [self.direction.value if self.direction else "(no direction)"]
        parts.append(self.mode or "(no mode)")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Reviewer:
    """One labels file."""

    name: str
    labels: Mapping[str, Label]


def read_labels(path: Path, modes: Collection[str]) -> Reviewer:
    """Read a labels file; raises :class:`LabelError` on anything it cannot use."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise LabelError(f"{path}: cannot read the labels file: {reason}") from None
    rows = _jsonl_rows(path, text) if path.suffix.lower() == ".jsonl" else _csv_rows(path, text)
    labels: dict[str, Label] = {}
    for line, row in rows:
        key = _text(row.get("key"))
        if not key:
            raise LabelError(f"{path}:{line}: a row without a key (copy keys from the export)")
        if key in labels:
            raise LabelError(f"{path}:{line}: key {key} is labelled twice (keep one row)")
        labels[key] = Label(
            key,
            _direction(path, line, _text(row.get("direction")).lower()),
            _mode(path, line, _text(row.get("mode")).lower(), modes),
            _text(row.get("note")),
            " ".join(_text(row.get("choice")).split()),
        )
    return Reviewer(path.stem, labels)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _direction(path: Path, line: int, value: str) -> Direction | None:
    if not value:
        return None
    try:
        return Direction(value)
    except ValueError:
        raise LabelError(
            f"{path}:{line}: direction '{value}' is not one of good, poor, neutral"
        ) from None


def _mode(path: Path, line: int, value: str, modes: Collection[str]) -> str | None:
    if not value:
        return None
    if value not in modes:
        known = ", ".join(sorted(modes))
        raise LabelError(f"{path}:{line}: mode '{value}' is unknown (use one of: {known})")
    return value


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(text.splitlines())
    columns = reader.fieldnames or []
    if "key" not in columns or "direction" not in columns:
        raise LabelError(
            f"{path}:1: a labels file needs at least the columns key and direction "
            "(start from the blank labels file the export wrote)"
        )
    for row in reader:
        yield reader.line_num, row


def _jsonl_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as error:
            raise LabelError(f"{path}:{line}: not JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise LabelError(f"{path}:{line}: each line must be a JSON object")
        yield line, row


@dataclass(frozen=True, slots=True)
class Figures:
    """One reviewer's agreement with the game (or all reviewers' pooled)."""

    name: str
    direction_labelled: int = 0
    direction_agreed: int = 0
    mode_labelled: int = 0
    mode_agreed: int = 0
    opposite: int = 0
    """Choices the reviewer calls good where the game's net is negative, or poor where positive."""
    unknown: int = 0
    """Keys no choice of the curriculum has (labels of other content), left out."""
    stale: int = 0
    """Labels of a choice whose text has changed since the export (worth labelling again)."""

    @property
    def direction_percent(self) -> float | None:
        """Direction agreement as a percentage of the choices labelled with one."""
        return _percent(self.direction_agreed, self.direction_labelled)

    @property
    def mode_percent(self) -> float | None:
        """Mode agreement as a percentage of the choices labelled with one."""
        return _percent(self.mode_agreed, self.mode_labelled)


def _percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100 * part / whole


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A choice at least one reviewer reads differently from the game."""

    item: ReviewItem
    labels: tuple[tuple[str, Label], ...]
    """(reviewer, label) for every reviewer who labelled it (direction or mode), agreeing or not."""
    opposite: bool
    direction: bool
    """Whether some reviewer's direction differs from the game's (else only a mode does)."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """The whole comparison."""

    choices: int
    reviewers: tuple[Figures, ...]
    pooled: Figures
    disagreements: tuple[Disagreement, ...] = field(default=())


def is_opposite(game: Direction, label: Direction | None) -> bool:
    """Good against poor, either way round."""
    return {game, label} == {Direction.GOOD, Direction.POOR}


def compare(items: Sequence[ReviewItem], reviewers: Sequence[Reviewer]) -> Comparison:
    """Compare every reviewer's labels with the game's direction and mode."""
    by_key = {item.key: item for item in items}
    figures = [_figures(reviewer, by_key) for reviewer in reviewers]
    pooled = Figures(
        "all",
        *(sum(getattr(f, name) for f in figures) for name in _COUNTS),
    )
    found: list[Disagreement] = []
    for item in items:
        given = [
            (reviewer.name, reviewer.labels[item.key])
            for reviewer in reviewers
            if item.key in reviewer.labels
            and (reviewer.labels[item.key].direction or reviewer.labels[item.key].mode)
        ]
        direction = any(
            label.direction is not None and label.direction != item.direction for _, label in given
        )
        mode = any(label.mode is not None and label.mode != item.choice.mode for _, label in given)
        if direction or mode:
            opposite = any(is_opposite(item.direction, label.direction) for _, label in given)
            found.append(Disagreement(item, tuple(given), opposite, direction))
    found.sort(key=lambda d: (not d.opposite, not d.direction))  # stable: story order within
    return Comparison(len(items), tuple(figures), pooled, tuple(found))


_COUNTS = (
    "direction_labelled",
    "direction_agreed",
    "mode_labelled",
    "mode_agreed",
    "opposite",
    "unknown",
    "stale",
)


def _figures(reviewer: Reviewer, by_key: Mapping[str, ReviewItem]) -> Figures:
    counts = dict.fromkeys(_COUNTS, 0)
    for key, label in reviewer.labels.items():
        item = by_key.get(key)
        if item is None:
            counts["unknown"] += 1
            continue
        if label.text and label.text != " ".join(item.choice.text.split()):
            counts["stale"] += 1
        if label.direction is not None:
            counts["direction_labelled"] += 1
            counts["direction_agreed"] += label.direction == item.direction
            counts["opposite"] += is_opposite(item.direction, label.direction)
        if label.mode is not None:
            counts["mode_labelled"] += 1
            counts["mode_agreed"] += label.mode == item.choice.mode
    return Figures(reviewer.name, **counts)


# --- rendering -------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _signed(value: int) -> str:
    return f"{value:+d}".replace("-", "\u2212") if value else "0"


def render_text(comparison: Comparison) -> str:
    """The comparison as plain text: a table of figures, then every disagreement."""
    rows = [("reviewer", "direction", "agree", "mode", "agree", "opposite")]
    for f in (*comparison.reviewers, comparison.pooled):
        rows.append(
            (
                f.name,
                str(f.direction_labelled),
                _pct(f.direction_percent),
                str(f.mode_labelled),
                _pct(f.mode_percent),
                str(f.opposite),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        f"Blind review: {comparison.choices} choices, "
        f"{len(comparison.reviewers)} reviewer{'s' if len(comparison.reviewers) != 1 else ''}",
        "",
    ]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    lines.append("direction/mode: choices labelled with one; agree: share the game agrees with;")
    lines.append("opposite: good where the game's net is negative, or poor where it is positive.")
    for f in comparison.reviewers:
        if f.unknown:
            lines.append(
                f"{f.name}: {f.unknown} key{'s' if f.unknown != 1 else ''} not in this "
                "curriculum (labels of other content) were left out."
            )
        if f.stale:
            lines.append(
                f"{f.name}: {f.stale} label{'s' if f.stale != 1 else ''} of choices whose text "
                "changed since the export (export again and re-label them)."
            )
    lines += ["", f"Disagreements: {len(comparison.disagreements)} choices"]
    for d in comparison.disagreements:
        item = d.item
        kind = "opposite" if d.opposite else "direction" if d.direction else "mode"
        lines.append(
            f"[{kind}] {item.scenario.id} / {item.scene.id} / {item.choice.id}: "
            f"game {item.direction.value} ({_signed(item.net)}), {item.choice.mode}"
        )
        lines.append(f"    “{_short(item.choice.text)}”")
        for name, label in d.labels:
            note = f" — {_short(label.note, 100)}" if label.note else ""
            lines.append(f"    {name}: {label.describe()}{note}")
    return "\n".join(lines) + "\n"


def render_json(comparison: Comparison) -> str:
    """The comparison as a JSON document (for tools)."""

    def figures(f: Figures) -> dict[str, Any]:
        return {
            "name": f.name,
            "direction_labelled": f.direction_labelled,
            "direction_agreement": f.direction_percent,
            "mode_labelled": f.mode_labelled,
            "mode_agreement": f.mode_percent,
            "opposite": f.opposite,
            "unknown_keys": f.unknown,
            "stale_labels": f.stale,
        }

    document = {
        "choices": comparison.choices,
        "reviewers": [figures(f) for f in comparison.reviewers],
        "pooled": figures(comparison.pooled),
        "disagreements": [
            {
                "key": d.item.key,
                "scenario": d.item.scenario.id,
                "scene": d.item.scene.id,
                "choice": d.item.choice.id,
                "text": d.item.choice.text,
                "game": {
                    "net": d.item.net,
                    "direction": d.item.direction.value,
                    "mode": d.item.choice.mode,
                },
                "opposite": d.opposite,
                "reviewers": {
                    name: {
                        "direction": label.direction.value if label.direction else None,
                        "mode": label.mode,
                        "note": label.note,
                    }
                    for name, label in d.labels
                },
            }
            for d in comparison.disagreements
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _short(text: str, limit: int = 90) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1].rsplit(" ", 1)[0] + "…"
