"""What a choice did: the story's reaction and, in practice mode, the coach's note and points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from netquest.play.debrief_markdown import delta_label
from netquest.tui.literal import literal, printable


def deltas_content(deltas: Sequence[tuple[int, str]]) -> Content:
    """Deltas as coloured chips: ``+2 Give and take  −1 Focused conversation``."""
    if not deltas:
        return Content.styled("No points either way", "$text-muted")
    parts: list[str | tuple[str, str]] = []
    for value, title in deltas:
        if parts:
            parts.append("  ")
        colour = "$text-success" if value > 0 else "$text-error" if value < 0 else "$text-muted"
        parts.append((printable(delta_label(value, title)), f"bold {colour}"))
    return Content.assemble(*parts)


class CoachPanel(VerticalScroll):
    """Shown after a choice until the player moves on (Enter, space or a click).

    The panel takes the focus so the arrow keys scroll it when the coach has a lot to say;
    the screen owns Enter and space, so a key press moves on at once.
    """

    DEFAULT_CSS = """
    CoachPanel {
        height: auto;
        max-height: 100%;
        padding: 0 1;
        border-top: hkey $border;
        scrollbar-size-vertical: 1;
        & > Static { margin: 0 0 1 0; }
        & > #coach-you { color: $text-muted; }
        & > #coach-consequence { text-style: italic; }
        & > #coach-note { }
        & > #coach-moment.-right { color: $text-success; }
        & > #coach-moment.-wrong { color: $text-warning; }
        & > #coach-actions { height: 1; dock: bottom; background: $surface; }
        & #coach-hint { color: $text-muted; width: 1fr; padding: 0 2; }
    }
    """

    @dataclass
    class Continue(Message):
        """The player is ready to move on."""

        panel: CoachPanel

    def compose(self) -> ComposeResult:
        """Every part; the ones a mode does not use are hidden."""
        yield Static(id="coach-you")
        yield Static(id="coach-consequence")
        yield Static(id="coach-note")
        yield Static(id="coach-deltas")
        yield Static(id="coach-moment")
        with HorizontalGroup(id="coach-actions"):
            continue_button = Button("Continue", id="continue", variant="primary", compact=True)
            continue_button.can_focus = False
            yield continue_button
            yield Static(id="coach-hint")

    def show_outcome(
        self,
        chosen: str,
        consequence: str,
        *,
        coach: str | None = None,
        deltas: Sequence[tuple[int, str]] | None = None,
        moment: str = "",
        read_right: bool | None = None,
        finished: bool = False,
        hint: str = "",
    ) -> None:
        """Fill the panel; ``coach``, ``deltas`` and ``moment`` are left out in assessment mode."""
        self._set("#coach-you", Content.assemble(("You: ", "bold"), literal(chosen)))
        self._set("#coach-consequence", literal(consequence) if consequence else None)
        note = Content.assemble(("Coach  ", "bold $text-accent"), literal(coach)) if coach else None
        self._set("#coach-note", note)
        self._set("#coach-deltas", deltas_content(deltas) if deltas is not None else None)
        moment_widget = self._set("#coach-moment", literal(moment) if moment else None)
        moment_widget.set_class(read_right is True, "-right")
        moment_widget.set_class(read_right is False, "-wrong")
        self.query_one("#continue", Button).label = "See your debrief" if finished else "Continue"
        self._set("#coach-hint", Content(hint) if hint else None)
        self.scroll_home(animate=False)

    def _set(self, selector: str, content: Content | None) -> Static:
        widget = self.query_one(selector, Static)
        widget.display = content is not None
        if content is not None:
            widget.update(content)
        return widget

    @on(Button.Pressed, "#continue")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_continue()

    def action_continue(self) -> None:
        """Move on."""
        self.post_message(self.Continue(self))
