"""A principle's running total as a labelled bar within the range the scenario allows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from netquest.play.debrief_markdown import signed
from netquest.tui.literal import literal

if TYPE_CHECKING:
    from textual.app import RenderResult

FILL = "━"
TRACK = "─"
ZERO = "│"


def position(value: int, low: int, high: int, width: int) -> int:
    """The cell (0..width) where ``value`` falls on a scale from ``low`` to ``high``."""
    if high <= low:
        return 0
    fraction = (min(max(value, low), high) - low) / (high - low)
    return round(fraction * width)


def meter_cells(value: int, low: int, high: int, width: int) -> list[tuple[str, int]]:
    """The bar as ``(kind, count)`` runs: ``track``, ``fill`` and ``zero`` cells.

    The bar diverges from zero: a positive total fills rightwards from the zero mark,
    a negative one leftwards, each within the range the scenario allows.
    """
    width = max(width, 3)
    low, high = min(low, 0), max(high, 0)
    zero = min(position(0, low, high, width), width - 1)
    here = position(value, low, high, width)
    cells = ["track"] * width
    if value > 0:
        for cell in range(zero + 1, max(here, zero + 2)):
            if cell < width:
                cells[cell] = "fill"
    elif value < 0:
        for cell in range(min(here, zero - 1), zero):
            if cell >= 0:
                cells[cell] = "fill"
    cells[zero] = "zero"
    runs: list[tuple[str, int]] = []
    for kind in cells:
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + 1)
        else:
            runs.append((kind, 1))
    return runs


class PrincipleMeter(Widget):
    """Two lines: the principle's title with its points, then a bar from low to high."""

    DEFAULT_CSS = """
    PrincipleMeter {
        height: 2;
        width: 1fr;
        margin: 0 0 1 0;
    }
    """

    value: reactive[int] = reactive(0)
    """Points so far."""

    low: reactive[int] = reactive(0)
    """Lowest total the scenario allows for this principle."""

    high: reactive[int] = reactive(0)
    """Highest total the scenario allows for this principle."""

    show_range: reactive[bool] = reactive(False)
    """Label the bar's ends with the range."""

    def __init__(
        self,
        title: str,
        value: int = 0,
        low: int = 0,
        high: int = 0,
        *,
        show_range: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """A meter for the principle called ``title``."""
        super().__init__(id=id, classes=classes)
        self.title = title
        self.set_reactive(PrincipleMeter.value, value)
        self.set_reactive(PrincipleMeter.low, low)
        self.set_reactive(PrincipleMeter.high, high)
        self.set_reactive(PrincipleMeter.show_range, show_range)

    def _colour(self) -> str:
        if self.value > 0:
            return "$text-success"
        if self.value < 0:
            return "$text-error"
        return "$text-muted"

    def render(self) -> RenderResult:
        """Title and points, then the bar."""
        width = max(self.content_size.width, 8)
        points = signed(self.value)
        colour = self._colour()
        title = literal(self.title).truncate(max(width - len(points) - 1, 1), ellipsis=True)
        gap = max(width - title.cell_length - len(points), 1)
        head = Content.assemble(title, " " * gap, (points, f"bold {colour}"))
        if self.show_range:
            low, high = f"{signed(self.low)} ", f" {signed(self.high)}"
        else:
            low = high = ""
        glyphs = {"track": (TRACK, "$text-muted 40%"), "fill": (FILL, colour), "zero": (ZERO, "")}
        parts: list[str | tuple[str, str]] = [(low, "$text-muted")]
        for kind, count in meter_cells(
            self.value, self.low, self.high, width - len(low) - len(high)
        ):
            glyph, style = glyphs[kind]
            parts.append((glyph * count, style))
        parts.append((high, "$text-muted"))
        bar = Content.assemble(*parts)
        return Content("\n").join([head, bar])
