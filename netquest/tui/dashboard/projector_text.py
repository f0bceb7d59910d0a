"""A block of dashboard text that is redrawn only when what it shows has changed."""

from __future__ import annotations

from collections.abc import Hashable

from textual.content import Content
from textual.widgets import Static


class ProjectorText(Static):
    """A :class:`Static` that skips updates which would draw the same text and styles.

    Every class event redraws the dashboard; most of its blocks (the losses, the roster when a
    student only moved on) stay the same, and skipping them keeps a busy machine's redraws
    short.
    """

    def __init__(self) -> None:
        """An empty block."""
        super().__init__()
        self._shown: Hashable | None = None

    def show_content(self, content: Content) -> None:
        """Show ``content`` unless it is what is shown already."""
        key = (content.plain, tuple(content.spans))
        if key == self._shown:
            return
        self._shown = key
        self.update(content)
