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

    The panel takes the focus so the arrow keys scroll it when the coach has a lot to say.
    While part of it is out of sight, moving on first shows the rest (:meth:`show_more`), so no
    key skips coaching the player has not been able to see: the button reads "More ↓" until
    the end is in view.
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
        & #continue { min-width: 10; text-wrap: nowrap; }
        & #coach-hint {
            color: $text-muted;
            width: 1fr;
            padding: 0 2;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
    }
    """

    MORE_HINT = "Enter shows the rest"
    """The hint while part of the panel is out of sight."""

    @dataclass
    class Continue(Message):
        """The player is ready to move on."""

        panel: CoachPanel

    def __init__(self, *, id: str | None = None) -> None:
        """An empty panel (see :meth:`show_outcome`)."""
        super().__init__(id=id)
        self._finished = False
        self._hint = ""

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
        self._finished, self._hint = finished, hint
        self.scroll_home(animate=False)
        self._show_actions(more=False)
        self.call_after_refresh(self._check_more)

    def on_mount(self) -> None:
        """Follow the scroll position, the content and the size to say whether more is below."""
        self.watch(self, "scroll_y", self._check_more, init=False)
        self.watch(self, "virtual_size", self._check_more, init=False)

    def on_resize(self) -> None:
        """A new height may show all of the panel, or no longer."""
        self._check_more()

    @property
    def more_below(self) -> bool:
        """Part of the panel is below the visible part."""
        return round(self.scroll_y) < self.max_scroll_y

    def _check_more(self) -> None:
        self._show_actions(more=self.more_below)

    def _show_actions(self, *, more: bool) -> None:
        button = self.query_one("#continue", Button)
        if more:
            label, hint = "More ↓", self.MORE_HINT
        else:
            label, hint = ("See your debrief" if self._finished else "Continue"), self._hint
        if str(button.label) != label:
            button.label = label
            button.refresh(layout=True)  # the label sets the width
        self._set("#coach-hint", Content(hint) if hint else None)

    def show_more(self) -> bool:
        """Scroll a page on (keeping a line of context) if part of the panel is out of sight.

        Returns:
            Whether there was more to show (else the player has seen it all).
        """
        if not self.more_below:
            return False
        self.page(1)
        return True

    def page(self, direction: int) -> None:
        """Scroll a page down (``direction`` > 0) or up, overlapping by a line.

        The row of actions is docked over the bottom line, so a plain page would skip a line.
        """
        step = max(1, self.scrollable_content_region.height - 2)
        self.scroll_to(y=self.scroll_y + step * (1 if direction > 0 else -1), animate=False)

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
        """Show the rest of the panel, or move on once it has all been in view."""
        if not self.show_more():
            self.post_message(self.Continue(self))
