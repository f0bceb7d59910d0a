"""One numbered choice in a :class:`~netquest.tui.widgets.choice_list.ChoiceList`."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from netquest.tui.literal import literal


class ChoiceItem(HorizontalGroup):
    """A choice's number and its text (shown literally, wrapped with a hanging indent)."""

    DEFAULT_CSS = """
    ChoiceItem {
        height: auto;
        padding: 0 1;
        margin: 1 0 0 0;
        pointer: pointer;
        & > .choice-item--number {
            width: 3;
            color: $text-accent;
            text-style: bold;
        }
        & > .choice-item--text {
            width: 1fr;
        }
        &:hover {
            background: $block-hover-background;
        }
        /* The gap goes above each item but the first: the last one shown changes from scene
           to scene (spare items are hidden), and its :last-of-type style went stale, which
           cramped the last choice and flagged "more choices" for a frame. */
        &:first-of-type {
            margin: 0;
        }
    }
    """

    @dataclass
    class Clicked(Message):
        """The choice was clicked."""

        item: ChoiceItem

    def __init__(self, number: int, choice_id: str, text: str, *, id: str | None = None) -> None:
        """A choice numbered ``number`` (1-based) with the scenario's ``text``."""
        super().__init__(id=id)
        self.number = number
        self.choice_id = choice_id
        self.text = text

    def compose(self) -> ComposeResult:
        """The number, then the text."""
        yield Static(Content(f"{self.number}"), classes="choice-item--number")
        yield Static(literal(self.text), classes="choice-item--text")

    def show(self, number: int, choice_id: str, text: str) -> None:
        """Reuse this item for another choice (a part that does not change is left alone, so
        it costs no layout)."""
        if number != self.number:
            self.query_one(".choice-item--number", Static).update(Content(f"{number}"))
        if text != self.text:
            self.query_one(".choice-item--text", Static).update(literal(text))
        self.number, self.choice_id, self.text = number, choice_id, text

    def on_click(self, event: events.Click) -> None:
        """Choosing by mouse."""
        event.stop()
        self.post_message(self.Clicked(self))
