"""The numbered choices of a scene: pick by number key, arrows and Enter, or a click."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalGroup
from textual.message import Message
from textual.reactive import reactive

from netquest.tui.widgets.choice_item import ChoiceItem

SPARE_ITEMS = 4
"""Items mounted (hidden) from the start, so a scene with more choices than the first one
shows them without mounting anything while the player waits."""


class ChoiceList(VerticalGroup, can_focus=True):
    """A focusable list of choices with a highlighted one; posts :class:`ChoiceList.Chosen`."""

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        padding: 0;
        & > ChoiceItem.-highlight {
            background: $block-cursor-blurred-background;
        }
        &:focus > ChoiceItem.-highlight {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
            & > .choice-item--number {
                color: $block-cursor-foreground;
            }
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Previous choice", show=False),
        Binding("down,j", "cursor_down", "Next choice", show=False),
        Binding("home", "first", "First choice", show=False),
        Binding("end", "last", "Last choice", show=False),
        Binding("enter", "select", "Choose", show=False),
    ]

    choices: reactive[tuple[tuple[str, str], ...]] = reactive(())
    """The ``(choice id, text)`` pairs on offer, in order."""

    highlighted: reactive[int] = reactive(0)
    """Index of the highlighted choice."""

    @dataclass
    class Chosen(Message):
        """A choice was taken."""

        choice_list: ChoiceList
        choice_id: str
        index: int

        @property
        def control(self) -> ChoiceList:
            """The list the choice was taken from."""
            return self.choice_list

    def __init__(self, choices: Sequence[tuple[str, str]] = (), *, id: str | None = None) -> None:
        """Offer ``choices`` as ``(choice id, text)`` pairs."""
        super().__init__(id=id)
        self.set_reactive(ChoiceList.choices, tuple(choices))

    def compose(self) -> ComposeResult:
        """One numbered item per choice."""
        for index, (choice_id, text) in enumerate(self.choices):
            item = ChoiceItem(index + 1, choice_id, text, id=f"choice-{index + 1}")
            item.set_class(index == self.highlighted, "-highlight")
            yield item
        for index in range(len(self.choices), SPARE_ITEMS):
            item = ChoiceItem(index + 1, "", "", id=f"choice-{index + 1}")
            item.display = False
            yield item

    def watch_choices(self, choices: tuple[tuple[str, str], ...]) -> None:
        """Show new choices, reusing the items already mounted; the first is highlighted.

        Spare items are hidden rather than removed, so a scene with fewer choices than the last
        one costs no unmounting (and the next one with more, no mounting): a choice key is
        answered with one layout pass.
        """
        items = list(self.query_children(ChoiceItem))
        for index, (item, (choice_id, text)) in enumerate(zip(items, choices, strict=False)):
            item.show(index + 1, choice_id, text)
            item.display = True
        for item in items[len(choices) :]:
            item.display = False
        if len(choices) > len(items):
            self.mount_all(
                ChoiceItem(index + 1, choice_id, text, id=f"choice-{index + 1}")
                for index, (choice_id, text) in enumerate(choices)
                if index >= len(items)
            )
        self.highlighted = 0
        self.call_after_refresh(self._mark_highlight)

    def _mark_highlight(self) -> None:
        self.watch_highlighted(self.highlighted)

    def validate_highlighted(self, highlighted: int) -> int:
        """Keep the highlight on a choice."""
        if not self.choices:
            return 0
        return max(0, min(highlighted, len(self.choices) - 1))

    def watch_highlighted(self, highlighted: int) -> None:
        """Move the highlight and keep it in view."""
        for item in self.query_children(ChoiceItem):
            item.set_class(item.number - 1 == highlighted, "-highlight")
            if item.number - 1 == highlighted:
                item.scroll_visible(animate=False)

    def choose(self, index: int) -> bool:
        """Take the choice at ``index`` (0-based); returns whether there was one."""
        if not 0 <= index < len(self.choices):
            return False
        self.highlighted = index
        self.post_message(self.Chosen(self, self.choices[index][0], index))
        return True

    def action_cursor_up(self) -> None:
        """Highlight the previous choice."""
        self.highlighted -= 1

    def action_cursor_down(self) -> None:
        """Highlight the next choice."""
        self.highlighted += 1

    def action_first(self) -> None:
        """Highlight the first choice."""
        self.highlighted = 0

    def action_last(self) -> None:
        """Highlight the last choice."""
        self.highlighted = len(self.choices) - 1

    def action_select(self) -> None:
        """Take the highlighted choice."""
        self.choose(self.highlighted)

    @on(ChoiceItem.Clicked)
    def _clicked(self, event: ChoiceItem.Clicked) -> None:
        event.stop()
        self.focus()
        self.choose(event.item.number - 1)
