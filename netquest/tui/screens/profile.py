"""The profile screen: pick a player profile, or create one by typing a name."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalGroup, VerticalGroup
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from netquest.tui.literal import printable
from netquest.tui.widgets.game_footer import GameFooter

if TYPE_CHECKING:
    from netquest.saves import ProfileSummary, SaveStore

NAME_LIMIT = 60
"""Longest profile name accepted (names are free text; files use a safe slug)."""


def _profile_prompt(summary: ProfileSummary, current: str | None) -> Content:
    if summary.error is not None:
        return Content.assemble(
            (printable(summary.name), "strike"), ("  cannot be read", "$text-error")
        )
    runs = f"{summary.runs} run{'s' if summary.runs != 1 else ''}" if summary.runs else "no runs"
    parts: list[str | tuple[str, str]] = [
        (printable(summary.name), "bold"),
        ("  ", ""),
        (runs, "$text-muted"),
    ]
    if current is not None and summary.name == current:
        parts.append(("  (playing)", "$text-accent"))
    return Content.assemble(*parts)


class ProfileScreen(Screen[str | None]):
    """Choose who is playing; dismisses with the profile name, or ``None`` when cancelled.

    On first run (no profile yet) there is nothing to go back to, so it cannot be cancelled.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back", id="profile.back"),
    ]

    def __init__(self, store: SaveStore, current: str | None = None, first_run: bool = False):
        """Show the profiles saved in ``store``; ``current`` is the one playing now."""
        super().__init__()
        self.store = store
        self.current = current
        self.first_run = first_run
        self._names: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        """Heading, the saved players and a box to type a new name."""
        with VerticalGroup(id="profile-box", classes="dialog"):
            heading = "Welcome to netquest" if self.first_run else "Who is playing?"
            yield Static(Content(heading), classes="dialog-title")
            yield Static(
                Content(
                    "Your progress is saved under your name, so several people can "
                    "share this computer."
                ),
                classes="dialog-text",
            )
            yield OptionList(id="profiles")
            yield Static(Content("New player"), classes="field-label")
            with HorizontalGroup(id="new-player"):
                yield Input(
                    placeholder="Type your name and press Enter",
                    max_length=NAME_LIMIT,
                    id="name",
                )
                yield Button("Create", id="create", variant="primary", compact=True)
        yield GameFooter()

    def on_mount(self) -> None:
        """List the saved profiles in the background."""
        self.query_one("#profiles", OptionList).display = False
        name = self.query_one("#name", Input)
        name.cursor_blink = self.app.animation_level != "none"
        name.focus()
        self._list_profiles()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _list_profiles(self) -> None:
        from netquest.saves import SaveError

        try:
            summaries = self.store.list_profiles()
        except SaveError as error:
            self.app.call_from_thread(
                self.notify,
                str(error),
                title="Cannot list players",
                severity="error",
                markup=False,
            )
            return
        self.app.call_from_thread(self._show_profiles, summaries)

    def _show_profiles(self, summaries: list[ProfileSummary]) -> None:
        profiles = self.query_one("#profiles", OptionList)
        self._names = {}
        options = []
        for index, summary in enumerate(summaries):
            option_id = f"profile-{index}"
            self._names[option_id] = summary.name
            options.append(
                Option(
                    _profile_prompt(summary, self.current),
                    id=option_id,
                    disabled=summary.error is not None,
                )
            )
        profiles.set_options(options)
        profiles.display = bool(options)
        if not options:
            return
        for option_id, name in self._names.items():
            if name == self.current:
                profiles.highlighted = profiles.get_option_index(option_id)
                break
        profiles.focus()

    @on(OptionList.OptionSelected, "#profiles")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        name = self._names.get(event.option_id or "")
        if name is not None:
            self.dismiss(name)

    @on(Input.Submitted, "#name")
    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        name = " ".join(self.query_one("#name", Input).value.split())
        if not name:
            self.notify("Type a name first.", title="New player", severity="warning")
            self.query_one("#name", Input).focus()
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        """Go back without changing player (not possible before the first profile exists)."""
        if self.first_run or self.current is None:
            self.notify("Choose or create a player to start.", title="New player")
            return
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide 'Back' on first run."""
        if action == "cancel":
            return not self.first_run and self.current is not None
        return True
