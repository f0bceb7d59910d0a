"""One decision of a finished run, for the debrief: the choice, its points and the coach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.widgets import Static

from netquest.play.debrief_markdown import choice_deltas, moment_line, scene_heading
from netquest.tui.literal import literal
from netquest.tui.widgets.coach_panel import deltas_content

if TYPE_CHECKING:
    from netquest.engine import Catalogue, Decision


class DecisionReview(VerticalGroup):
    """What you chose, its deltas and coach note, and the better move where one existed."""

    DEFAULT_CSS = """
    DecisionReview {
        height: auto;
        padding: 0 1;
        margin: 0 0 1 0;
        border-left: outer $primary 50%;
        & > .decision--heading { text-style: bold; }
        & > .decision--coach { color: $text-muted; }
        & > .decision--moment.-right { color: $text-success; }
        & > .decision--moment.-wrong { color: $text-warning; }
        & > .decision--better { color: $text-accent; margin-top: 1; }
    }
    """

    def __init__(self, decision: Decision, catalogue: Catalogue) -> None:
        """Review ``decision``, naming principles from ``catalogue``."""
        super().__init__(id=f"decision-{decision.step + 1}")
        self.decision = decision
        self.catalogue = catalogue

    def compose(self) -> ComposeResult:
        """Heading, choice, points, coach, moment and better move."""
        decision, catalogue = self.decision, self.catalogue
        heading = scene_heading(decision.scene)
        yield Static(literal(f"{decision.step + 1}. {heading}"), classes="decision--heading")
        yield Static(Content.assemble(("You: ", "bold"), literal(decision.choice.text)))
        yield Static(deltas_content(choice_deltas(decision.choice, catalogue)))
        yield Static(
            Content.assemble(("Coach: ", "bold"), literal(decision.choice.coach)),
            classes="decision--coach",
        )
        moment = moment_line(decision.calls_for, decision.choice, catalogue)
        if moment:
            state = "-right" if decision.read_right else "-wrong"
            yield Static(literal(moment), classes=f"decision--moment {state}")
        better = decision.better
        if better is not None:
            yield Static(
                Content.assemble(("Better move: ", "bold"), literal(better.text)),
                classes="decision--better",
            )
            yield Static(deltas_content(choice_deltas(better, catalogue)))
            yield Static(literal(better.coach), classes="decision--coach")
