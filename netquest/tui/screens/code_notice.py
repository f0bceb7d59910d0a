"""The code a new student in a served class needs to continue later, shown once."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalGroup
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class CodeNotice(ModalScreen[None]):
    """ "Your code is K7P-2QX: write it down." Enter or Escape closes it."""

    DEFAULT_CSS = """
    CodeNotice { align: center middle; }
    CodeNotice #code-value {
        text-style: bold;
        color: $text-accent;
        text-align: center;
        width: 100%;
        padding: 1 0;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="code_notice.close"),
    ]
    AUTO_FOCUS = "#code-ok"

    def __init__(self, name: str, code: str) -> None:
        """Show ``code`` to the student called ``name``."""
        super().__init__()
        self.player = name
        self.code = code

    def compose(self) -> ComposeResult:
        """The code, large, and why it matters."""
        with VerticalGroup(classes="dialog"):
            yield Static(Content(f"Your code, {self.player}"), classes="dialog-title")
            yield Static(Content(self.code), id="code-value")
            yield Static(
                Content(
                    "Write it down. To continue another day you need your name and this "
                    "code: without it nobody, you included, can open your progress."
                ),
                classes="dialog-text",
            )
            yield Button("I have written it down", id="code-ok", variant="primary")

    def on_button_pressed(self) -> None:
        """Close."""
        self.dismiss(None)

    def action_close(self) -> None:
        """Close."""
        self.dismiss(None)
