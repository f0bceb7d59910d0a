"""The lines around a diagnostic, when no editor can be opened."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from netquest.engine.text import printable

CONTEXT = 5


class SourceView(ModalScreen[None]):
    """A few lines of the file around ``line``, that line marked."""

    DEFAULT_CSS = """
    SourceView {
        align: center middle;
        & > VerticalScroll {
            width: 90%; height: auto; max-height: 90%;
            border: round $accent; background: $panel; padding: 0 1;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "dismiss", "Close", id="close-source"),
    ]

    def __init__(self, title: str, text: str, line: int, why: str) -> None:
        super().__init__()
        self._title, self._text, self._line, self._why = title, text, line, why

    def compose(self) -> ComposeResult:
        lines = self._text.splitlines()
        first = max(1, self._line - CONTEXT)
        last = min(len(lines), self._line + CONTEXT)
        shown = Text()
        for number in range(first, last + 1):
            marker = "▶" if number == self._line else " "
            style = "reverse" if number == self._line else ""
            shown.append(f"{marker}{number:>5}  {printable(lines[number - 1])}\n", style=style)
        box = VerticalScroll(Static(Text(self._why, style="dim")), Static(shown))
        box.border_title = f"{self._title} line {self._line}"
        yield box

    async def action_dismiss(self, result: None = None) -> None:
        """Close the view."""
        self.dismiss(result)
