"""The anchor: a minimal Textual app that shows one line of text.

Pressing ``1`` replaces the line with the next count, so the same harness can time a key press to
the frame that shows its effect. ``ctrl+q`` quits (Textual's default binding).

    python bench/minimal_app.py
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

READY_TEXT = "Minimal anchor app, line 0"
"""The line shown at start-up."""


def line_text(count: int) -> str:
    """The line shown after ``count`` presses of ``1``."""
    return f"Minimal anchor app, line {count}"


class MinimalApp(App[None]):
    """One line of text; ``1`` changes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("1", "next_line", "Next line")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        """The one line."""
        yield Static(READY_TEXT, id="line")

    def action_next_line(self) -> None:
        """Show the next line."""
        self.count += 1
        self.query_one("#line", Static).update(line_text(self.count))


def main() -> None:
    """Run the app full-screen."""
    MinimalApp().run()


if __name__ == "__main__":
    main()
