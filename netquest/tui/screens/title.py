"""The title screen: the game's name, a tagline and the main menu."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, VerticalGroup
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from netquest.tui.literal import printable
from netquest.tui.widgets.game_footer import GameFooter

if TYPE_CHECKING:
    from netquest.engine import Library
    from netquest.saves import Profile

LOGO = "\n".join(
    (
        "┏┓╻┏━╸╺┳╸┏━┓╻ ╻┏━╸┏━┓╺┳╸",
        "┃┗┫┣╸  ┃ ┃┓┃┃ ┃┣╸ ┗━┓ ┃ ",
        "╹ ╹┗━╸ ╹ ┗┻┛┗━┛┗━╸┗━┛ ╹ ",
    )
)

TAGLINE = "Practise networking, one conversation at a time."

DETAIL_WIDTH = 33
"""Room for the Continue option's second line inside the menu."""

MENU: tuple[tuple[str, str, str, str], ...] = (
    # option id, label, key, app action
    ("continue", "Continue", "c", "continue_run"),
    ("new", "New game", "n", "new_game"),
    ("scenarios", "Scenarios", "s", "scenarios"),
    ("progress", "Progress", "p", "progress"),
    ("settings", "Settings", "t", "settings"),
    ("help", "Help", "h", "help"),
    ("player", "Switch player", "w", "switch_profile"),
    ("quit", "Quit", "q", "quit"),
)


def _menu_prompt(label: str, key: str, detail: str = "") -> Content:
    parts: list[str | tuple[str, str]] = [(key, "bold $text-accent"), "  ", label]
    if detail:
        shown = Content(printable(detail)).truncate(DETAIL_WIDTH, ellipsis=True).plain
        parts += ["\n   ", (shown, "$text-muted")]
    return Content.assemble(*parts)


class TitleScreen(Screen[None]):
    """Name, tagline and the main menu; Continue resumes the last unfinished run."""

    AUTO_FOCUS = "#menu"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "continue_run", "Continue", show=False, id="title.continue"),
        *(
            Binding(key, f"app.{action}", label, show=False, id=f"title.{option}")
            for option, label, key, action in MENU
            if option != "continue"
        ),
    ]

    def compose(self) -> ComposeResult:
        """The logo, the tagline, the menu and who is playing."""
        with VerticalGroup(id="title-box"):
            yield Static(Content(LOGO), id="logo")
            yield Static(Content(TAGLINE), id="tagline")
            with Center():
                yield OptionList(
                    *(
                        Option(_menu_prompt(label, key), id=option)
                        for option, label, key, _ in MENU
                    ),
                    id="menu",
                )
            yield Static(Content("Loading scenarios…"), id="player-line")
        yield GameFooter()

    def on_mount(self) -> None:
        """Follow the app's profile and library so Continue is ready when they are."""
        menu = self.query_one("#menu", OptionList)
        menu.disable_option("continue")
        menu.highlighted = menu.get_option_index("new")
        self.watch(self.app, "profile", self._refresh_status)
        self.watch(self.app, "library", self._refresh_status)

    @property
    def _profile(self) -> Profile | None:
        profile: Profile | None = getattr(self.app, "profile", None)
        return profile

    @property
    def _library(self) -> Library | None:
        library: Library | None = getattr(self.app, "library", None)
        return library

    def on_screen_resume(self) -> None:
        """Catch up with changes made while another screen was showing."""
        self._refresh_status()

    def _refresh_status(self) -> None:
        if not self.is_current:
            return  # done on resume
        from netquest.tui.run_status import continue_target

        profile, library = self._profile, self._library
        menu = self.query_one("#menu", OptionList)
        target = continue_target(profile, library)
        if target is None:
            menu.replace_option_prompt("continue", _menu_prompt("Continue", "c"))
            menu.disable_option("continue")
        else:
            run, entry = target
            scene = entry.scenario.scenes.get(str(run.state.get("node", "")))
            where = entry.scenario.title
            if scene is not None and scene.title:
                where = f"{where} · {scene.title}"
            menu.replace_option_prompt("continue", _menu_prompt("Continue", "c", where))
            was_disabled = menu.get_option("continue").disabled
            menu.enable_option("continue")
            if was_disabled and menu.highlighted == menu.get_option_index("new"):
                menu.highlighted = menu.get_option_index("continue")
        self.query_one("#player-line", Static).update(self._status_line(profile, library))

    @staticmethod
    def _status_line(profile: Profile | None, library: Library | None) -> Content:
        if library is None:
            return Content("Loading scenarios…")
        count = len(library.entries)
        scenarios = f"{count} scenario{'s' if count != 1 else ''}"
        if profile is None:
            return Content.assemble(scenarios, " · ", ("choose a player", "$text-muted"))
        return Content.assemble(
            ("Playing as ", "$text-muted"),
            (printable(profile.name), "bold"),
            (f" · {scenarios}", "$text-muted"),
        )

    async def action_continue_run(self) -> None:
        """Continue, when there is something to continue (else say why not)."""
        menu = self.query_one("#menu", OptionList)
        if menu.get_option("continue").disabled:
            self._nothing_to_continue()
        else:
            await self.app.run_action("continue_run")

    def _nothing_to_continue(self) -> None:
        if self._library is None or self._profile is None:
            message = "Still loading: Continue will be ready in a moment."
        else:
            message = "Nothing to continue yet: start a New game or pick a Scenario."
        self.notify(message, title="Continue")

    def on_click(self, event: events.Click) -> None:
        """A click on the greyed Continue says why it does nothing."""
        menu = self.query_one("#menu", OptionList)
        if event.widget is not menu:
            return
        index = event.style.meta.get("option")
        if index == menu.get_option_index("continue") and menu.get_option("continue").disabled:
            self._nothing_to_continue()

    @on(OptionList.OptionSelected, "#menu")
    async def _chosen(self, event: OptionList.OptionSelected) -> None:
        actions = {option: action for option, _, _, action in MENU}
        action = actions.get(event.option_id or "")
        if action is not None:
            await self.app.run_action(action)
