"""The class debrief distribution: endings reached and scores, for one scenario."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from netquest.play.class_state import Ending
from netquest.tui.dashboard.projector_text import ProjectorText
from netquest.tui.literal import printable

BAR = "█"
BANDS = ((0, 39, "0–39"), (40, 59, "40–59"), (60, 79, "60–79"), (80, 100, "80–100"))


class EndingChart(ProjectorText):
    """How many finished runs reached each ending, and how the scores spread."""

    DEFAULT_CSS = """
    EndingChart {
        height: auto;
        padding: 0 1;
    }
    """

    def show(self, title: str, endings: Sequence[Ending], scores: Sequence[int]) -> None:
        """Draw the distribution for the scenario called ``title``."""
        finished = sum(ending.count for ending in endings)
        most = max((ending.count for ending in endings), default=0) or 1
        parts: list[str | tuple[str, str]] = [
            (f"Class debrief: {printable(title)}", "bold $text-accent"),
            (f" · {finished} finished", "$text-muted"),
            "\n",
            ("Endings", "bold underline"),
            "\n",
        ]
        for ending in endings:
            style = "$text-success" if ending.outcome in ("great", "good") else "$text-warning"
            parts += [
                (printable(ending.title)[:30].ljust(30), "bold"),
                (f" {ending.outcome:<6} ", style),
                (BAR * round(30 * ending.count / most), style),
                (f" {ending.count}", "bold"),
                "\n",
            ]
        if scores:
            average = round(sum(scores) / len(scores))
            parts += [("Scores", "bold underline"), (f"  average {average}/100", ""), "\n"]
            top = max(sum(1 for s in scores if low <= s <= high) for low, high, _ in BANDS) or 1
            for low, high, label in BANDS:
                count = sum(1 for score in scores if low <= score <= high)
                parts += [
                    (label.rjust(8), "bold"),
                    " ",
                    (BAR * round(30 * count / top), "$text-primary"),
                    (f" {count}", "bold"),
                    "\n",
                ]
        self.show_content(Content.assemble(*parts).rstrip())
