"""Inline SVG charts for the HTML report, drawn by hand: no scripts, fonts or images.

Each function returns an ``<svg>`` element as text. Colours come from CSS classes (``c-…``)
defined by the page, so the charts follow its light or dark scheme. Every piece of text is
escaped; labels too long for the chart are shortened and given in full in a ``<title>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
LABEL = 230
RIGHT = 120
ROW = 26
BAR = 16
TOP = 8
AXIS = 22


def _text(value: str, limit: int = 34) -> tuple[str, str]:
    """(shown, full) text, both escaped."""
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return escape(shown), escape(value)


def _open(height: int, label: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{escape(label)}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(label)}</title>"
    )


def _scale(value: float, high: float) -> float:
    plot = WIDTH - LABEL - RIGHT
    return LABEL + plot * (max(0.0, min(value, high)) / high if high else 0.0)


def _grid_lines(height: int, high: float, ticks: Sequence[float], suffix: str = "") -> str:
    parts = []
    for tick in ticks:
        x = _scale(tick, high)
        parts.append(
            f'<line class="c-grid" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{height - AXIS}"/>'
            f'<text class="c-tick" x="{x:.1f}" y="{height - 6}" text-anchor="middle">'
            f"{tick:g}{escape(suffix)}</text>"
        )
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a bar chart: a label, a value and an optional spread around it."""

    label: str
    value: float | None
    spread: float | None = None
    note: str = ""
    tone: str = "c-bar"


def bar_chart(bars: Sequence[Bar], label: str, high: float = 100, suffix: str = "") -> str:
    """Horizontal bars on a 0..``high`` scale; a whisker shows ± ``spread``."""
    height = TOP + ROW * len(bars) + AXIS
    parts = [
        _open(height, label),
        _grid_lines(height, high, [0, high / 4, high / 2, high * 3 / 4, high], suffix),
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * ROW
        shown, full = _text(bar.label)
        parts.append(f"<g><title>{full}: {escape(_value(bar, suffix))}</title>")
        parts.append(
            f'<text class="c-label" x="{LABEL - 8}" y="{y + BAR - 3}" text-anchor="end">'
            f"{shown}</text>"
        )
        if bar.value is None:
            parts.append(
                f'<text class="c-tick" x="{LABEL + 4}" y="{y + BAR - 3}">no data</text></g>'
            )
            continue
        end = _scale(bar.value, high)
        parts.append(
            f'<rect class="{bar.tone}" x="{LABEL}" y="{y}" width="{max(end - LABEL, 1):.1f}" '
            f'height="{BAR}" rx="2"/>'
        )
        if bar.spread:
            low, top = _scale(bar.value - bar.spread, high), _scale(bar.value + bar.spread, high)
            mid = y + BAR / 2
            parts.append(
                f'<path class="c-whisker" d="M{low:.1f} {mid}H{top:.1f}M{low:.1f} {mid - 4}'
                f'V{mid + 4}M{top:.1f} {mid - 4}V{mid + 4}"/>'
            )
        parts.append(
            f'<text class="c-value" x="{WIDTH - RIGHT + 6}" y="{y + BAR - 3}">'
            f"{escape(_value(bar, suffix))}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _value(bar: Bar, suffix: str) -> str:
    if bar.value is None:
        return "no data"
    text = f"{bar.value:.0f}{suffix}"
    if bar.spread:
        text += f" ± {bar.spread:.0f}"
    return text + (f" {bar.note}" if bar.note else "")


_LIGHT = frozenset({"c-none", "c-other"})
"""Segment tones light enough to need dark numbers."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a stacked bar."""

    count: int
    tone: str
    name: str


def stacked_chart(rows: Sequence[tuple[str, Sequence[Segment]]], label: str) -> str:
    """Horizontal 100 % stacked bars: each row's segments as shares of its total."""
    height = TOP + ROW * len(rows) + AXIS
    parts = [_open(height, label), _grid_lines(height, 100, [0, 25, 50, 75, 100], "%")]
    for index, (name, segments) in enumerate(rows):
        y = TOP + index * ROW
        shown, full = _text(name)
        total = sum(segment.count for segment in segments)
        parts.append(
            f'<text class="c-label" x="{LABEL - 8}" y="{y + BAR - 3}" text-anchor="end">'
            f"<title>{full}</title>{shown}</text>"
        )
        x = float(LABEL)
        for segment in segments:
            if not segment.count or not total:
                continue
            width = _scale(100 * segment.count / total, 100) - LABEL
            share = round(100 * segment.count / total)
            parts.append(
                f'<rect class="{escape(segment.tone)}" x="{x:.1f}" y="{y}" width="{width:.1f}" '
                f'height="{BAR}"><title>{escape(segment.name)}: {segment.count} ({share}%)'
                "</title></rect>"
            )
            if width > 26:
                ink = "c-inbar-dark" if segment.tone in _LIGHT else "c-inbar"
                parts.append(
                    f'<text class="{ink}" x="{x + width / 2:.1f}" y="{y + BAR - 4}" '
                    f'text-anchor="middle">{segment.count}</text>'
                )
            x += width
        parts.append(
            f'<text class="c-value" x="{WIDTH - RIGHT + 6}" y="{y + BAR - 3}">{total}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def dumbbell_chart(rows: Sequence[tuple[str, float, float]], label: str) -> str:
    """First (hollow) and latest (filled) score per row on 0..100, joined by a line."""
    height = TOP + ROW * len(rows) + AXIS
    parts = [_open(height, label), _grid_lines(height, 100, [0, 25, 50, 75, 100])]
    for index, (name, first, latest) in enumerate(rows):
        y = TOP + index * ROW + BAR / 2
        shown, full = _text(name)
        x1, x2 = _scale(first, 100), _scale(latest, 100)
        tone = "c-up" if latest >= first else "c-down"
        parts.append(
            f"<g><title>{full}: first {first:.0f}, latest {latest:.0f}</title>"
            f'<text class="c-label" x="{LABEL - 8}" y="{y + 5}" text-anchor="end">{shown}</text>'
            f'<line class="{tone}" x1="{x1:.1f}" y1="{y}" x2="{x2:.1f}" y2="{y}"/>'
            f'<circle class="c-first" cx="{x1:.1f}" cy="{y}" r="5"/>'
            f'<circle class="{tone}-dot" cx="{x2:.1f}" cy="{y}" r="5"/>'
            f'<text class="c-value" x="{WIDTH - RIGHT + 6}" y="{y + 5}">'
            f"{latest - first:+.0f}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
