"""The side panel of a scene: the run so far (principle meters and moments read)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from netquest.play.debrief_markdown import axis_title, principle_title
from netquest.tui.literal import literal
from netquest.tui.widgets.principle_meter import PrincipleMeter

if TYPE_CHECKING:
    from netquest.engine import Catalogue, Tally


class RunPanel(VerticalScroll, can_focus=False):
    """Principle meters and "read N of M" per axis; in assessment mode, only the step count.

    Only the principles the run has moved so far get a meter, so the panel stays short.
    """

    DEFAULT_CSS = """
    RunPanel {
        width: 32;
        height: 1fr;
        padding: 0 1;
        border-left: vkey $border;
        background: $surface;
        scrollbar-size-vertical: 1;
        & > .run-panel--heading {
            text-style: bold;
            color: $text-accent;
            margin: 1 0 0 0;
        }
        & > .run-panel--heading.-first { margin: 0; }
        & > .run-panel--line { color: $text-muted; }
        & > #run-moments { margin-bottom: 1; }
    }
    """

    def __init__(
        self,
        principles: Sequence[str],
        catalogue: Catalogue,
        *,
        coaching: bool,
        id: str | None = None,
    ) -> None:
        """Meters for ``principles``; ``coaching`` is off in assessment mode."""
        super().__init__(id=id)
        self.principles = tuple(principles)
        self.catalogue = catalogue
        self.coaching = coaching

    def compose(self) -> ComposeResult:
        """Headings, the moments line and one meter per principle."""
        yield Static(Content("Your run"), classes="run-panel--heading -first")
        yield Static(id="run-steps", classes="run-panel--line")
        if not self.coaching:
            yield Static(
                Content("Assessment: your scores are revealed in the debrief."),
                id="run-note",
                classes="run-panel--line",
            )
            return
        yield Static(Content("Reading the moment"), classes="run-panel--heading")
        yield Static(id="run-moments", classes="run-panel--line")
        yield Static(Content("Principles"), classes="run-panel--heading")
        yield Static(
            Content("No points either way yet"), id="run-no-points", classes="run-panel--line"
        )
        for index, principle in enumerate(self.principles):
            meter = PrincipleMeter(principle_title(self.catalogue, principle), id=f"meter-{index}")
            meter.display = False
            yield meter

    def update_tally(self, tally: Tally) -> None:
        """Show the running totals and moments read."""
        steps = tally.decisions
        self.query_one("#run-steps", Static).update(
            Content(f"{steps} decision{'s' if steps != 1 else ''} made")
        )
        if not self.coaching:
            return
        lines = [
            f"{axis_title(self.catalogue, r.axis)}: read {r.right} of {r.total}"
            for r in tally.readings
            if r.total
        ]
        self.query_one("#run-moments", Static).update(
            literal("\n".join(lines) if lines else "No moments read yet")
        )
        moved = False
        for index, principle in enumerate(self.principles):
            meter = self.query_one(f"#meter-{index}", PrincipleMeter)
            meter.value = tally.totals.get(principle, 0)
            meter.display = meter.value != 0
            moved = moved or meter.value != 0
        self.query_one("#run-no-points", Static).display = not moved

    def set_ranges(self, ranges: Mapping[str, tuple[int, int]]) -> None:
        """Scale each meter to the lowest and highest total the scenario allows."""
        if not self.coaching:
            return
        for index, principle in enumerate(self.principles):
            low, high = ranges.get(principle, (0, 0))
            meter = self.query_one(f"#meter-{index}", PrincipleMeter)
            meter.low, meter.high = low, high
