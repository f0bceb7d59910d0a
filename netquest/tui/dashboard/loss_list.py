"""The principles the class is losing most points on so far."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from netquest.play.class_state import Loss
from netquest.tui.dashboard.projector_text import ProjectorText
from netquest.tui.literal import printable

SHOWN = 3


class LossList(ProjectorText):
    """The three principles with the most points lost, and how many students lost them."""

    DEFAULT_CSS = """
    LossList {
        height: auto;
        padding: 0 1;
        border-top: solid $border;
    }
    """

    def show(self, losses: Sequence[Loss]) -> None:
        """Draw the top of ``losses``."""
        parts: list[str | tuple[str, str]] = [("Losing points on: ", "bold $text-warning")]
        if not losses:
            parts.append(("nothing yet", "$text-muted"))
        for index, loss in enumerate(losses[:SHOWN]):
            people = f"{loss.students} student{'s' if loss.students != 1 else ''}"
            parts += [
                ("  ·  " if index else "", "$text-muted"),
                (printable(loss.title), "bold"),
                (f" {loss.points}".replace("-", "\u2212"), "$text-error"),
                (f" ({people})", "$text-muted"),
            ]
        self.show_content(Content.assemble(*parts))
