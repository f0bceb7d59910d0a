"""A one-line switch between practice and assessment mode."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.app import RenderResult

    from netquest.engine import PlayMode

MODE_HELP: dict[str, str] = {
    "practice": "The coach explains each choice as you go; you may step back one choice.",
    "assessment": "No coaching until the debrief and no stepping back: this attempt counts.",
}


class ModeSwitch(Widget, can_focus=True):
    """Shows both modes with the chosen one marked; click a mode, or press space to switch."""

    DEFAULT_CSS = """
    ModeSwitch {
        height: auto;
        width: 1fr;
        padding: 0 1;
        &:focus { background-tint: $foreground 5%; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter,left,right", "switch", "Switch mode", show=False),
    ]

    mode: reactive[PlayMode] = reactive["PlayMode"]("practice")
    """The mode chosen."""

    @dataclass
    class Changed(Message):
        """The mode was switched."""

        mode_switch: ModeSwitch
        mode: PlayMode

        @property
        def control(self) -> ModeSwitch:
            """The switch that changed."""
            return self.mode_switch

    def __init__(self, mode: PlayMode = "practice", *, id: str | None = None) -> None:
        """Start on ``mode``."""
        super().__init__(id=id)
        self.set_reactive(ModeSwitch.mode, mode)

    def render(self) -> RenderResult:
        """``Mode  ◉ Practice  ○ Assessment`` and, below, what the chosen mode means."""
        parts: list[str | tuple[str, str]] = [("Mode  ", "bold")]
        for mode, title in (("practice", "Practice"), ("assessment", "Assessment")):
            chosen = mode == self.mode
            mark = "◉" if chosen else "○"
            look = "bold $text-accent" if chosen else "$text-muted"
            parts += [(f"{mark} {title}", f"{look} @click=set_mode('{mode}')"), "   "]
        parts += ["\n", (MODE_HELP[self.mode], "italic $text-muted")]
        return Content.assemble(*parts)

    def action_switch(self) -> None:
        """Switch to the other mode."""
        self.mode = "assessment" if self.mode == "practice" else "practice"

    def action_set_mode(self, mode: str) -> None:
        """Choose a mode (from a click)."""
        self.mode = "assessment" if mode == "assessment" else "practice"

    def watch_mode(self, mode: PlayMode) -> None:
        """Tell the screen."""
        self.post_message(self.Changed(self, mode))
