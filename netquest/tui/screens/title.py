"""The title screen: the game's name, a tagline, the main menu and, with a course, its checklist."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, HorizontalGroup, VerticalGroup
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from netquest.tui.literal import printable
from netquest.tui.widgets.course_checklist import CourseChecklist
from netquest.tui.widgets.game_footer import GameFooter

if TYPE_CHECKING:
    from netquest.engine import Library
    from netquest.engine.course import Course
    from netquest.play.course_progress import CourseProgress
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

MENU_FRAME = 7
"""Cells of the menu's width that are not the Continue option's second line: the border,
the padding and the line's indent."""

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


def _menu_prompt(label: str, key: str, detail: str = "", width: int = DETAIL_WIDTH) -> Content:
    parts: list[str | tuple[str, str]] = [(key, "bold $text-accent"), "  ", label]
    if detail:
        shown = Content(printable(detail)).truncate(width, ellipsis=True).plain
        parts += ["\n   ", (shown, "$text-muted")]
    return Content.assemble(*parts)


def _offer_continue(menu: OptionList) -> None:
    """Enable Continue; when it has just become possible, move the highlight onto it.

    Only a disabled Continue is enabled: Textual's ``enable_option`` moves the highlight off an
    option that is highlighted already, so enabling it again would jump the player's cursor to
    New game on every refresh (a resize, a profile reload).
    """
    if not menu.get_option("continue").disabled:
        return
    menu.enable_option("continue")
    if menu.highlighted == menu.get_option_index("new"):
        menu.highlighted = menu.get_option_index("continue")


class TitleScreen(Screen[None]):
    """Name, tagline and the main menu; Continue resumes the last unfinished run.

    With a course (``netquest --course ID``) the course's checklist stands beside the menu, and
    Continue goes to the course's next step.
    """

    AUTO_FOCUS = "#menu"
    VERTICAL_BREAKPOINTS = [(0, "-tiny"), (22, "-short"), (30, "-tall")]  # noqa: RUF012
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]  # noqa: RUF012
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
            menu = OptionList(
                *(Option(_menu_prompt(label, key), id=option) for option, label, key, _ in MENU),
                id="menu",
            )
            course = self._course
            if course is None:
                with Center():
                    yield menu
            else:
                self.add_class("-course")
                with HorizontalGroup(id="title-main"):
                    yield menu
                    yield CourseChecklist(course.title, id="course-checklist")
            yield Static(Content("Loading scenarios…"), id="player-line")
        yield GameFooter()

    def on_mount(self) -> None:
        """Follow the app's profile and library so Continue is ready when they are."""
        menu = self.query_one_optional("#menu", OptionList)
        if menu is None:  # the app is closing before it started (e.g. a browser tab dropped)
            return
        menu.disable_option("continue")
        menu.highlighted = menu.get_option_index("new")
        self.watch(self.app, "profile", self._refresh_status)
        self.watch(self.app, "library", self._refresh_status)

    @property
    def _profile(self) -> Profile | None:
        profile: Profile | None = getattr(self.app, "profile", None)
        return profile

    @property
    def _course(self) -> Course | None:
        course: Course | None = getattr(self.app, "course", None)
        return course

    @property
    def _library(self) -> Library | None:
        library: Library | None = getattr(self.app, "library", None)
        return library

    def on_resize(self) -> None:
        """The menu's width changed: fit the Continue option's second line to it again."""
        if self._course is not None:
            self.call_after_refresh(self._refresh_status)

    def on_screen_resume(self) -> None:
        """Catch up with changes made while another screen was showing."""
        self._refresh_status()

    @property
    def _seen(self) -> bool:
        """Whether the player can see this screen: on top, or under a see-through one (a modal).

        Textual's ``is_current`` is also true under an opaque screen such as a scene; updating
        the title there would repaint the whole scene after every choice.
        """
        top = self.app.screen
        return top is self or (self.is_current and top.styles.background.a < 1)

    def _refresh_status(self) -> None:
        if not self._seen or self.query_one_optional("#menu", OptionList) is None:
            return  # done on resume (or the app is closing)
        from netquest.tui.run_status import continue_target

        profile, library = self._profile, self._library
        menu = self.query_one("#menu", OptionList)
        if self._course is not None:
            self._refresh_course(menu)
            self.query_one("#player-line", Static).update(self._status_line(profile, library))
            return
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
            _offer_continue(menu)
        self.query_one("#player-line", Static).update(self._status_line(profile, library))

    def _course_progress(self) -> CourseProgress | None:
        progress: CourseProgress | None = getattr(self.app, "course_progress", lambda: None)()
        return progress

    def _titles(self) -> dict[str, str]:
        titles: dict[str, str] = getattr(self.app, "scenario_titles", dict)()
        return titles

    def _refresh_course(self, menu: OptionList) -> None:
        """Continue leads to the course's next step; the checklist shows every step."""
        from netquest.play.course_notes import next_message

        progress, titles = self._course_progress(), self._titles()
        self.query_one(CourseChecklist).show(progress, titles)
        if progress is None or self._library is None:
            menu.replace_option_prompt("continue", _menu_prompt("Continue", "c"))
            menu.disable_option("continue")
            return
        following = progress.next_step
        if following is not None:
            step = following.step
            detail = f"{step.mode.capitalize()}: {titles.get(step.scenario, step.scenario)}"
        else:
            detail = next_message(progress, titles)
            detail = detail[:1].upper() + detail[1:]
        width = menu.size.width - MENU_FRAME if menu.size.width else DETAIL_WIDTH
        prompt = _menu_prompt("Continue", "c", detail, max(8, width))
        menu.replace_option_prompt("continue", prompt)
        _offer_continue(menu)

    @on(CourseChecklist.StepChosen)
    def _step_chosen(self, event: CourseChecklist.StepChosen) -> None:
        """Start an open step; say what a locked one waits for, or why a failed one cannot."""
        from netquest.play.course_notes import locked_message, step_name

        item, progress = event.step, event.checklist.progress
        titles = self._titles()
        if progress is None:
            return
        if item.state == "locked":
            self.notify(locked_message(progress, item, titles), title="Locked", markup=False)
            return
        if item.state == "failed":
            self.notify(
                f"{step_name(item.step, titles)}: all {item.step.attempts} counted attempts are "
                "used without a pass. Ask your trainer.",
                title="No attempts left",
                severity="warning",
                markup=False,
            )
            return
        if item.complete:
            self.notify(
                f"{step_name(item.step, titles)} is already {item.label}: this run is extra.",
                title="Playing again",
                markup=False,
            )
        play_step = getattr(self.app, "play_course_step", None)
        if play_step is not None:
            play_step(item.step)

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
