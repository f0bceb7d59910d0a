"""For one scenario, per scene: how many students took each choice, as bars."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from netquest.play.class_state import SceneBars
from netquest.tui.dashboard.projector_text import ProjectorText
from netquest.tui.literal import printable

BAR = "█"


class ChoiceBars(ProjectorText):
    """Bars per choice; the best move is marked only once revealed."""

    DEFAULT_CSS = """
    ChoiceBars {
        height: auto;
        padding: 0 1;
    }
    """

    def show(self, title: str, scenes: Sequence[SceneBars], revealed: bool, width: int) -> None:
        """Draw the bars of ``scenes`` in ``width`` cells."""
        decisions = sum(scene.total for scene in scenes)
        parts: list[str | tuple[str, str]] = [
            (printable(title), "bold $text-accent"),
            (f" · {decisions} decisions", "$text-muted"),
            ("  best moves shown" if revealed else "  r: reveal the best moves", "$text-muted"),
            "\n",
        ]
        if not scenes:
            parts.append(("No decisions yet.", "$text-muted"))
        text_width = max(10, min(40, width // 2 - 6))
        bar_room = max(4, width - text_width - 12)
        for scene in scenes:
            most = max((option.count for option in scene.options), default=0) or 1
            parts += [(printable(scene.title), "bold underline"), "\n"]
            for number, option in enumerate(scene.options, start=1):
                best = revealed and option.best
                label = printable(option.text)
                if len(label) > text_width:
                    label = label[: text_width - 1] + "…"
                length = round(bar_room * option.count / most) if option.count else 0
                parts += [
                    ("★ " if best else "  ", "bold $text-success"),
                    (f"{number} {label.ljust(text_width)} ", "bold" if best else ""),
                    (BAR * length, "$text-success" if best else "$text-primary"),
                    (f" {option.count}", "bold"),
                    "\n",
                ]
        self.show_content(Content.assemble(*parts).rstrip())
