"""A footer that rebuilds only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` recomposes on every bindings refresh (each focus
change, each action), which costs more than the rest of a scene change put together. The
keys shown rarely change between two presses, so this footer compares first.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class GameFooter(Footer):
    """The standard footer, minus the rebuilds that would draw the same keys again."""

    def __init__(self, *, compact: bool = True, show_command_palette: bool = True) -> None:
        """A compact footer by default."""
        super().__init__(compact=compact, show_command_palette=show_command_palette)
        self._shown: Hashable | None = None

    def _signature(self) -> Hashable:
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild only if the keys on show would differ."""
        unchanged = self._shown is not None and self._signature() == self._shown
        if unchanged and self.is_attached and screen is self.screen:
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        """The standard footer keys, remembering which were shown."""
        children = list(super().compose())
        if children:
            self._shown = self._signature()
        yield from children
