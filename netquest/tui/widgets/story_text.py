"""The scene's narrative: a heading and wrapped paragraphs, scrollable when long."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
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
    """A scrolling view of a scene's text."""

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

    def compose(self) -> ComposeResult:
        """The body text."""
        yield Static(id="story-body")

    def show(self, title: str, text: str) -> None:
        """Show a scene's title and text, scrolled to the top."""
        self.query_one("#story-body", Static).update(story_content(title, text))
        self.scroll_home(animate=False)

    @property
    def plain(self) -> str:
        """The text shown, without styles (for tests and screen readers)."""
        content = self.query_one("#story-body", Static).visual
        return content.plain if isinstance(content, Content) else str(content)
