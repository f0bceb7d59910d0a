"""A block of dashboard text that redraws only the lines whose text or styles changed."""

from __future__ import annotations

from collections.abc import Hashable

from textual.content import Content
from textual.geometry import Region, Size
from textual.selection import Selection
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

RowKey = tuple[str, tuple[object, ...], int]
"""A row's text, its styles and the width it was drawn at."""


class ProjectorText(Widget):
    """Text drawn line by line, so that a new version repaints only the lines that differ.

    Every class event redraws the dashboard, and on a machine shared with thirty games a whole
    frame of the roster and the bars costs the dashboard hundreds of milliseconds of waiting
    for the CPU. Here each row (a line of the text before wrapping) is drawn once and kept
    while it stays the same; a new version that keeps the number of lines asks Textual to
    repaint only the lines that changed (no layout), so a student's choice redraws their
    roster line, the count and the bars that moved, not the whole screen.
    """

    DEFAULT_CSS = """
    ProjectorText {
        height: auto;
    }
    """

    def __init__(self) -> None:
        """An empty block."""
        super().__init__()
        self._content = Content("")
        self._shown: Hashable | None = None
        self._lines: list[Strip] = []
        self._width = -1
        """The width ``_lines`` were drawn at (-1: to draw)."""
        self._rows: dict[RowKey, list[Strip]] = {}

    def render(self) -> Content:
        """The whole text (for Textual's measuring and for reading it back)."""
        return self._content

    def show_content(self, content: Content) -> None:
        """Show ``content``, repainting only what changed (nothing if it is what is shown)."""
        key = (content.plain, tuple(content.spans))
        if key == self._shown:
            return
        self._shown = key
        self._content = content
        width = self.size.width
        if not self.is_mounted or width <= 0 or width != self._width:
            self._forget()
            self.refresh(layout=True)
            return
        old = self._lines
        new = self._draw(width)
        if len(new) != len(old):
            self.refresh(layout=True)
            return
        pairs = enumerate(zip(old, new, strict=True))
        changed = [Region(0, y, width, 1) for y, (line, was) in pairs if line != was]
        if changed:
            self.refresh(*changed)

    def _forget(self) -> None:
        self._lines, self._width, self._rows = [], -1, {}

    def _draw(self, width: int) -> list[Strip]:
        """Draw the content at ``width``, reusing the rows drawn before."""
        style = self.visual_style
        if self.text_selection is not None:  # a selection spans rows: draw the whole text
            lines = Visual.to_strips(self, self._content, width, None, style)
            self._lines, self._width, self._rows = lines, width, {}
            return lines
        rows: dict[RowKey, list[Strip]] = {}
        lines = []
        for row in self._content.split("\n", allow_blank=True):
            key = (row.plain, tuple(row.spans), width)
            strips = self._rows.get(key)
            if strips is None:
                strips = Visual.to_strips(self, row, width, None, style)
            rows[key] = strips
            lines.extend(strips)
        self._lines, self._width, self._rows = lines, width, rows
        return lines

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the content area."""
        width = self.size.width
        if width != self._width:
            self._draw(width)
        if 0 <= y < len(self._lines):
            return self._lines[y]
        return Strip.blank(width, self.visual_style.rich_style)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the text takes at ``width``."""
        if width <= 0:
            return 0
        return len(self._draw(width) if width != self._width else self._lines)

    def notify_style_update(self) -> None:
        """Styles or the theme changed: every row is drawn again."""
        self._forget()
        super().notify_style_update()

    def selection_updated(self, selection: Selection | None) -> None:
        """Draw the text again with (or without) the selection."""
        self._forget()
        super().selection_updated(selection)
