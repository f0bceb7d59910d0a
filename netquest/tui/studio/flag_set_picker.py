"""Choose which of a scene's reachable flag sets to jump in with."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class FlagSetPicker(ModalScreen[frozenset[str] | None]):
    """One option per flag set the explorer found the scene reachable with."""

    DEFAULT_CSS = """
    FlagSetPicker {
        align: center middle;
        & > OptionList { width: 60; height: auto; max-height: 80%; border: round $accent; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-jump"),
    ]

    def __init__(self, scene: str, flag_sets: tuple[frozenset[str], ...]) -> None:
        super().__init__()
        self._scene = scene
        self._sets = flag_sets

    def compose(self) -> ComposeResult:
        options = OptionList(
            *(
                Option(", ".join(sorted(flags)) or "no flags", id=str(number))
                for number, flags in enumerate(self._sets)
            )
        )
        options.border_title = f"Jump to '{self._scene}' with which flags?"
        yield options

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._sets[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        """Do not jump."""
        self.dismiss(None)
