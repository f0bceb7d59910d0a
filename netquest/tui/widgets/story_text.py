"""The scene's narrative: a heading and wrapped paragraphs, scrollable when long."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.widgets import Static

from netquest.tui.literal import literal

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str) -> list[str]:
    """Split scenario text on blank lines, joining the lines within each paragraph."""
    return [" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(text.strip()) if part.strip()]


def story_content(title: str, text: str) -> Content:
    """A scene's heading and paragraphs as one literal (never markup) piece of content."""
    parts: list[Content] = []
    if title:
        parts.append(literal(title, "bold $text-accent"))
    parts += [literal(paragraph) for paragraph in paragraphs(text)]
    return Content("\n\n").join(parts)


class StoryText(VerticalScroll):
    """A scrolling view of a scene's text that knows when more of it is out of sight."""

    DEFAULT_CSS = """
    StoryText {
        height: 1fr;
        padding: 1 2 0 2;
        scrollbar-size-vertical: 1;
        & > #story-body {
            width: 1fr;
            padding-bottom: 1;
        }
    }
    """

    more_below: var[bool] = var(False, init=False)
    """Some of the text is below the visible part (the screen shows a "more ↓" marker)."""

    def compose(self) -> ComposeResult:
        """The body text."""
        yield Static(id="story-body")

    def on_mount(self) -> None:
        """Keep :attr:`more_below` up to date as the text scrolls, changes or is resized."""
        self.watch(self, "scroll_y", self._check_more, init=False)
        self.watch(self, "virtual_size", self._check_more, init=False)

    def on_resize(self) -> None:
        """A new height may show all of the text, or no longer."""
        self._check_more()

    def _check_more(self) -> None:
        self.more_below = self.display and round(self.scroll_y) < self.max_scroll_y

    def show(self, title: str, text: str) -> None:
        """Show a scene's title and text, scrolled to the top."""
        self.query_one("#story-body", Static).update(story_content(title, text))
        self.scroll_home(animate=False)
        self.call_after_refresh(self._check_more)

    @property
    def text_height(self) -> int:
        """Lines the text takes, whatever the height it is given."""
        return self.query_one("#story-body", Static).outer_size.height

    @property
    def plain(self) -> str:
        """The text shown, without styles (for tests and screen readers)."""
        content = self.query_one("#story-body", Static).visual
        return content.plain if isinstance(content, Content) else str(content)
