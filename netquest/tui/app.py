"""The netquest Textual application: screens, loading, sessions and autosave.

The app owns the state every screen reads: the scenario :attr:`NetquestApp.library`,
the player's :attr:`NetquestApp.profile` and the :class:`~netquest.play.session.PlaySession`
in progress. Screens display it and report back (by dismissing with a result, or by
posting a message); the app starts runs, switches screens and saves. Loading and
saving happen in thread workers so the interface never waits on the disk.

Heavy modules (the engine, the saves, every screen but the title) are imported
on demand to keep start-up quick.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.reactive import var
from textual.screen import Screen

from netquest.tui.screens.title import TitleScreen
from netquest.tui.themes import HIGH_CONTRAST_NAME as HIGH_CONTRAST

if TYPE_CHECKING:
    from netquest.engine import Catalogue, Library, PlayMode
    from netquest.engine.course import Course, CourseStep
    from netquest.play.course_notes import CourseNote
    from netquest.play.course_progress import CourseProgress
    from netquest.play.session import PlaySession
    from netquest.saves import Profile, RunRecord, SaveStore, Settings
    from netquest.tui.screens.debrief import DebriefAction
    from netquest.tui.screens.picker import Pick
    from netquest.tui.screens.scene import SceneResult, SceneScreen
    from netquest.tui.screens.sign_in import SignIn
    from netquest.tui.screens.vote_pad import VotePadScreen

log = logging.getLogger(__name__)

JOURNAL_WAIT = 10.0
"""Seconds the app waits, when it stops, for learning records still being written."""


DEFAULT_THEME = "textual-dark"


def _netquest_commands() -> type[Provider]:
    """The game's command palette provider, imported when the palette first opens."""
    from netquest.tui.commands import NetquestCommands

    return NetquestCommands


def _play_mode(value: str | None) -> PlayMode:
    return "assessment" if value == "assessment" else "practice"


class NetquestApp(App[None]):
    """The game: a player, a library of scenarios, and one run at a time."""

    CSS_PATH = "netquest.tcss"
    TITLE = "netquest"
    SUB_TITLE = "networking, one conversation at a time"
    # One provider for the game's commands and Textual's, so the game's come first.
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {_netquest_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help", tooltip="Keys, scoring and the principles"),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="quit",
            priority=True,
            tooltip="Quit (your run is saved after every choice)",
        ),
    ]

    library: var[Library | None] = var(None, init=False)
    """Every scenario found (``None`` while loading)."""

    profile: var[Profile | None] = var(None, init=False)
    """The player's profile, as last changed (``None`` until one is loaded or chosen)."""

    def __init__(
        self,
        saves_dir: Path,
        scenario_dirs: Sequence[Path] = (),
        profile: str | None = None,
        start_scenario: str | None = None,
        mode: PlayMode | None = None,
        *,
        library: Library | None = None,
        include_bundled: bool = True,
        downloads_dir: Path | None = None,
        animations: bool | None = None,
        choose_profile: bool = False,
        restart: bool = False,
        course: Course | None = None,
        private_profiles: bool = False,
        group_scenario: str | None = None,
    ) -> None:
        """Create the app.

        Args:
            saves_dir: Where profiles are saved.
            scenario_dirs: Extra scenario folders to load besides the bundled curriculum.
            profile: Play as this profile instead of the one used last.
            start_scenario: Start (or continue) this scenario once everything has loaded.
            mode: Mode for ``start_scenario`` (default: the player's setting).
            library: Use this library instead of loading one (tests, tools).
            include_bundled: Load the bundled curriculum as well as ``scenario_dirs``.
            downloads_dir: Where exported debriefs are saved unless the player chose a folder
                in Settings (default: the downloads folder, else ``exports`` in ``saves_dir``).
            animations: Force animations on or off, whatever the player's setting.
            choose_profile: Always start at the profile screen instead of resuming the player
                used last (for shared machines and browser sessions).
            restart: Start ``start_scenario`` afresh instead of continuing an unfinished run.
            course: The course the player follows: its checklist is on the title screen and
                Continue goes to its next step.
            private_profiles: Never list the saved players; students sign in with their name
                and the code they were given when they first joined (served classes).
            group_scenario: Group play (``serve --group``): once signed in, the student gets
                a voting pad for this scenario instead of the menu.
        """
        super().__init__()
        self.saves_dir = Path(saves_dir)
        self.scenario_dirs = tuple(Path(folder) for folder in scenario_dirs)
        self.include_bundled = include_bundled
        self.downloads_dir = downloads_dir
        self.session: PlaySession | None = None
        """The run being played, or the one played last."""
        self.course = course
        """The course followed (``--course``), or ``None``."""
        self._profile_name = profile
        self._start_scenario = start_scenario
        self._start_mode = mode
        self._restart = restart
        self._given_library = library
        self._forced_animations = animations
        self._choose_profile = choose_profile and profile is None
        self._private = private_profiles
        self._group_scenario = group_scenario
        self._store: SaveStore | None = None
        self._pending: list[Callable[[], None]] = []
        self._save_lock = threading.Lock()
        self._dirty = False
        self._saving_disabled = False
        self._last_save_error: str | None = None
        self._theme_before_contrast = DEFAULT_THEME
        if animations is not None:
            self.animation_level = "full" if animations else "none"

    # -- set-up ------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        """The title screen is the bottom of the screen stack."""
        return TitleScreen()

    def on_mount(self) -> None:
        """Register our theme and start loading the scenarios and the profile."""
        self._register_themes()
        # Load after the first frame: the loading threads would otherwise compete with it for
        # the GIL, and the title screen shows "Loading scenarios…" meanwhile anyway.
        self.call_after_refresh(self._load_library)
        self.call_after_refresh(self._load_first_profile)
        if self._start_scenario is not None:
            scenario_id, mode, resume = self._start_scenario, self._start_mode, not self._restart
            self.when_ready(lambda: self.play(scenario_id, mode, resume=resume, strict_mode=True))

    def _register_themes(self) -> None:
        from netquest.tui.themes import NETQUEST_THEMES

        for theme in NETQUEST_THEMES:
            self.register_theme(theme)

    @property
    def store(self) -> SaveStore:
        """The save store for :attr:`saves_dir` (created on first use)."""
        if self._store is None:
            from netquest.saves import SaveStore

            self._store = SaveStore(self.saves_dir)
        return self._store

    @property
    def catalogue(self) -> Catalogue | None:
        """The principles catalogue of the run in play, else of the first loaded scenario."""
        if self.session is not None:
            return self.session.catalogue
        if self.library is not None:
            if self.library.entries:
                return self.library.entries[0].catalogue
            if self.library.catalogues:
                return self.library.catalogues[0]
        return None

    @property
    def export_folder(self) -> Path:
        """Where Export saves a debrief: the player's folder, else :attr:`downloads_dir`, else
        the downloads folder when it exists, else ``exports`` in the saves folder."""
        from netquest.tui.export_folder import export_folder

        chosen = self.profile.settings.export_dir if self.profile is not None else ""
        if chosen.strip():
            return export_folder(chosen, self.saves_dir)
        return self._default_export_folder()

    def _default_export_folder(self) -> Path:
        from netquest.tui.export_folder import export_folder

        if self.downloads_dir is not None:
            return Path(self.downloads_dir).absolute()
        return export_folder("", self.saves_dir)

    @property
    def default_mode(self) -> PlayMode:
        """The mode the player's settings offer first."""
        return _play_mode(self.profile.settings.default_mode if self.profile else None)

    @property
    def ready(self) -> bool:
        """Whether both the library and the profile are loaded."""
        return self.library is not None and self.profile is not None

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` now if the library and profile are loaded, else once they are."""
        if self.ready:
            callback()
        else:
            self._pending.append(callback)

    def _run_pending(self) -> None:
        if not self.ready:
            return
        pending, self._pending = self._pending, []
        for callback in pending:
            callback()

    # -- loading -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def _load_library(self) -> None:
        from netquest.engine import Library, load_library

        library, failed = self._given_library, False
        if library is None:
            try:
                library = load_library(self.scenario_dirs, include_bundled=self.include_bundled)
            except Exception as error:  # a bug, not a bad file: those are listed as unavailable
                log.exception("loading the scenarios failed")
                library, failed = Library(entries=(), unavailable=(), diagnostics=(), files=0), True
                self.call_from_thread(
                    self.notify,
                    f"The scenarios could not be loaded: {error}",
                    title="No scenarios",
                    severity="error",
                    timeout=15,
                    markup=False,
                )
        self.call_from_thread(self._library_loaded, library, failed)

    def _library_loaded(self, library: Library, failed: bool = False) -> None:
        self.library = library
        if not failed and not library.entries and not library.unavailable:
            self.notify(
                "No scenarios were found. Check the scenario folders you gave.",
                title="No scenarios",
                severity="error",
                timeout=10,
            )

    def watch_library(self) -> None:
        """Run whatever was waiting for the scenarios."""
        self._run_pending()

    @work(thread=True, exclusive=True, group="profile", exit_on_error=False)
    def _load_first_profile(self) -> None:
        name = self._profile_name
        if name is None and not self._choose_profile:
            name = self.store.last_profile()
        if not name:
            self.call_from_thread(self._ask_for_profile, True)
            return
        self._load_profile_blocking(name)

    @work(thread=True, exclusive=True, group="profile", exit_on_error=False)
    def _load_profile(self, name: str) -> None:
        self._load_profile_blocking(name)

    def _load_profile_blocking(self, name: str) -> None:
        """Load (or create) a profile; runs in a worker thread."""
        from netquest.saves import Profile, SaveError

        store = self.store
        notices: list[tuple[str, str]] = []
        disabled = False
        try:
            exists = store.path_for(name).exists()
            result = store.load(name)
            profile = result.profile
            if result.notice:
                notices.append(("Save file problem", result.notice))
        except SaveError as error:
            profile, exists, disabled = Profile.new(name), True, True
            notices.append(("Progress will not be saved", str(error)))
        if not disabled:
            try:
                store.set_last_profile(name)
            except SaveError as error:
                notices.append(("Cannot remember this player", str(error)))
        self.call_from_thread(self._profile_loaded, profile, notices, not exists, disabled)

    def _profile_loaded(
        self,
        profile: Profile,
        notices: list[tuple[str, str]],
        is_new: bool,
        saving_disabled: bool,
    ) -> None:
        self._saving_disabled = saving_disabled
        self._last_save_error = None
        self.set_profile(profile)
        from netquest.play.class_feed import joined

        joined(profile.name)
        if self._group_scenario is not None:
            self.when_ready(self._open_vote_pad)
        for title, notice in notices:
            self.notify(notice, title=title, severity="warning", timeout=12, markup=False)
        if is_new and not saving_disabled:
            self.request_save()

    def watch_profile(self, old: Profile | None, new: Profile | None) -> None:
        """Apply the player's settings and run whatever was waiting for a profile."""
        if new is not None and (old is None or old.settings != new.settings):
            self.apply_settings(new.settings)
        self._run_pending()

    def watch_theme(self, theme: str) -> None:
        """Remember a theme picked anywhere (e.g. Textual's own "Change theme" command)."""
        profile = self.profile
        if profile is None or profile.settings.theme == theme:
            return
        from netquest.tui.screens.settings import SettingsScreen

        if isinstance(self.screen, SettingsScreen):
            return  # a preview: the settings screen saves or puts the old theme back
        from dataclasses import replace

        self.set_profile(profile.with_settings(replace(profile.settings, theme=theme)))
        self.request_save()

    def set_profile(self, profile: Profile) -> None:
        """Make ``profile`` the current one, keeping the session in play in step."""
        if self.session is not None and self.session.profile.name == profile.name:
            self.session.profile = profile
        self.profile = profile

    def apply_settings(self, settings: Settings) -> None:
        """Use a player's theme and animation settings."""
        if self._forced_animations is None:
            self.animation_level = "full" if settings.animations else "none"
        if settings.theme in self.available_themes and settings.theme != self.theme:
            self.theme = settings.theme

    # -- saving ------------------------------------------------------------------------------

    def request_save(self) -> None:
        """Save the current profile soon, in a worker thread started once the screen has
        been updated (so a choice key's frame does not share the interpreter with the save).

        Quitting meanwhile still saves: :meth:`save_now` runs on quit and on unmount, and the
        profile is marked unsaved at once.
        """
        if self._saving_disabled or self.profile is None:
            return
        self._dirty = True
        self.call_after_refresh(self._save_in_background)

    @work(thread=True, group="save", exit_on_error=False)
    def _save_in_background(self) -> None:
        error = self.save_now()
        if error is not None:
            try:
                self.call_from_thread(self._report_save_error, error)
            except RuntimeError:  # the app has already stopped
                log.error("could not save: %s", error)

    def save_now(self) -> str | None:
        """Write the latest profile if it changed since the last save (blocking).

        Saves are serialised, and each one writes the profile as it is when the write
        starts, so the file always ends up holding the newest state.

        Returns:
            A one-line error, or ``None`` when saved (or nothing needed saving).
        """
        from netquest.saves import SaveError, SaveFormatError

        with self._save_lock:
            profile = self.profile
            if not self._dirty or profile is None or self._saving_disabled:
                return None
            self._dirty = False
            try:
                outcome = self.store.commit(profile)
            except (SaveError, SaveFormatError) as error:
                return str(error)
        self._last_save_error = None
        if outcome.forked:  # this run was also played elsewhere: go on under its new id
            if threading.current_thread() is threading.main_thread():
                self._follow_forks(outcome.forked)
            else:
                with contextlib.suppress(RuntimeError):  # the app has already stopped
                    self.call_from_thread(self._follow_forks, outcome.forked)
        for notice in outcome.notices:
            self.notify(notice, title="Saved", severity="warning", timeout=12, markup=False)
        return None

    def _follow_forks(self, forked: Mapping[str, str]) -> None:
        session = self.session
        if session is not None:
            session.follow_forks(forked)
            self.set_profile(session.profile)

    def _report_save_error(self, error: str) -> None:
        if error == self._last_save_error:
            return
        self._last_save_error = error
        self.notify(error, title="Could not save", severity="error", timeout=10, markup=False)

    async def action_quit(self) -> None:
        """Save anything outstanding, then quit."""
        self.save_now()
        self.exit()

    def on_unmount(self) -> None:
        """Last chance to save (e.g. the terminal was closed), and to write learning records."""
        self.save_now()
        writer = sys.modules.get("netquest.xapi.journal_writer")
        if writer is not None:  # only if a run was played: no xAPI import just to quit
            writer.flush_journals(JOURNAL_WAIT)

    # -- profiles ----------------------------------------------------------------------------

    def _ask_for_profile(self, first_run: bool = False) -> None:
        from netquest.tui.screens.profile import ProfileScreen

        if self._private:
            self._ask_to_sign_in()
            return
        current = None if self.profile is None else self.profile.name
        self.push_screen(ProfileScreen(self.store, current, first_run), self._profile_chosen)

    def _profile_chosen(self, name: str | None) -> None:
        if name is None:
            return
        if self.profile is not None and self.profile.name == name:
            return
        self.save_now()
        self.session = None
        self.unwind()
        self._load_profile(name)

    def action_switch_profile(self) -> None:
        """Pick another player profile (or create one)."""
        from netquest.tui.screens.profile import ProfileScreen
        from netquest.tui.screens.sign_in import SignInScreen

        if isinstance(self.screen, ProfileScreen | SignInScreen):
            return
        self._ask_for_profile()

    # -- signing in (served classes) ---------------------------------------------------------

    def _ask_to_sign_in(self, error: str | None = None, name: str = "") -> None:
        from netquest.tui.screens.sign_in import SignInScreen

        screen = SignInScreen(error=error, name=name, can_cancel=self.profile is not None)
        self.push_screen(screen, self._signed_in)

    def _signed_in(self, sign_in: SignIn | None) -> None:
        if sign_in is None:
            return
        if self.profile is not None and self.profile.name == sign_in.name:
            return
        self.save_now()
        self.session = None
        self.unwind()
        self.sign_in(sign_in.name, sign_in.code)

    @work(thread=True, exclusive=True, group="profile", exit_on_error=False)
    def sign_in(self, name: str, code: str) -> None:
        """Open the student's profile if ``code`` is theirs, or create it with a new code."""
        from netquest.play.class_sign_in import SignInRefused, open_or_create

        try:
            profile, new_code = open_or_create(self.store, name, code)
        except SignInRefused as refused:
            self.call_from_thread(self._ask_to_sign_in, str(refused), name)
            return
        self.call_from_thread(self._profile_loaded, profile, [], False, False)
        if new_code is not None:
            self.call_from_thread(self._show_code, name, new_code)

    def _show_code(self, name: str, code: str) -> None:
        from netquest.tui.screens.code_notice import CodeNotice

        self.push_screen(CodeNotice(name, code))

    def _open_vote_pad(self) -> None:
        from netquest.play.class_feed import class_feed, with_class_feed
        from netquest.tui.screens.vote_pad import VotePadScreen
        from netquest.xapi.recorder import default_listener

        feed, library, profile = class_feed(), self.library, self.profile
        entry = library.get(self._group_scenario or "") if library is not None else None
        if feed is None or entry is None or profile is None:
            self.notify("Group play is not available here.", severity="error", markup=False)
            return
        if isinstance(self.screen, VotePadScreen):
            return
        self.unwind()
        store = self.store
        self.push_screen(
            VotePadScreen(
                entry,
                profile,
                store,
                feed,
                listener_factory=lambda: with_class_feed(default_listener(store)),
            )
        )

    def on_vote_pad_screen_run_changed(self, message: VotePadScreen.RunChanged) -> None:
        """The student's group run moved on: keep the profile in step and autosave."""
        self.set_profile(message.profile)
        self.request_save()

    # -- navigation --------------------------------------------------------------------------

    def unwind(self) -> None:
        """Close every screen above the title screen."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_scenarios(self) -> None:
        """Open the scenario picker."""
        self.when_ready(self.open_picker)

    def open_picker(self, focus: str | None = None) -> None:
        """Show the scenario picker over the title screen, highlighting ``focus``."""
        from netquest.tui.screens.picker import PickerScreen

        if self.library is None or self.profile is None:
            return
        self.unwind()
        screen = PickerScreen(self.library, self.profile, self.default_mode, focus=focus)
        self.push_screen(screen, self._picked)

    def _picked(self, pick: Pick | None) -> None:
        if pick is not None:
            self.play(pick.scenario_id, pick.mode, resume=not pick.fresh)

    def action_new_game(self) -> None:
        """Start the recommended first scenario, or for a returning player the suggested next."""
        self.when_ready(self._new_game)

    def _new_game(self) -> None:
        from netquest.tui.run_status import new_game_scenario

        if self.profile is not None and self.profile.runs:
            self._suggest_new_game()  # the suggestion explores scenarios: off the UI thread
            return
        entry = new_game_scenario(self.profile, self.library)
        self._start_new_game(None if entry is None else entry.scenario.id)

    @work(thread=True, exclusive=True, group="new-game", exit_on_error=False)
    def _suggest_new_game(self) -> None:
        from netquest.tui.run_status import new_game_scenario

        entry = new_game_scenario(self.profile, self.library)
        self.call_from_thread(self._start_new_game, None if entry is None else entry.scenario.id)

    def _start_new_game(self, scenario_id: str | None) -> None:
        if scenario_id is None:
            self.notify("There are no playable scenarios.", severity="error")
            return
        self.play(scenario_id, self.default_mode, resume=False)

    def action_continue_run(self) -> None:
        """Resume the most recent unfinished run, at the exact scene it was left; with a
        course, go to the course's next step instead."""
        self.when_ready(self._continue_course if self.course is not None else self._continue_run)

    def course_progress(self) -> CourseProgress | None:
        """Where the player stands in the course followed, worked out from their runs now."""
        import datetime as dt

        from netquest.play.course_progress import course_progress

        if self.course is None or self.profile is None:
            return None
        return course_progress(self.course, self.profile, dt.date.today())

    def scenario_titles(self) -> dict[str, str]:
        """Scenario titles by id, for naming course steps (empty while loading)."""
        if self.library is None:
            return {}
        return {entry.scenario.id: entry.scenario.title for entry in self.library.entries}

    def _continue_course(self) -> None:
        from netquest.play.course_notes import next_message

        progress = self.course_progress()
        if progress is None:
            return
        following = progress.next_step
        if following is None:
            message = next_message(progress, self.scenario_titles())
            self.notify(message[:1].upper() + message[1:] + ".", title="Continue", markup=False)
            return
        self.play_course_step(following.step)

    def play_course_step(self, step: CourseStep) -> None:
        """Play a course step: resume its unfinished run in the step's mode, else start one."""
        self.play(step.scenario, step.mode, resume=True, strict_mode=True)

    def _continue_run(self) -> None:
        from netquest.tui.run_status import continue_target

        target = continue_target(self.profile, self.library)
        if target is None:
            self.notify("There is no unfinished run to continue.", title="Continue")
            return
        run, entry = target
        self.play(entry.scenario.id, _play_mode(run.mode), resume=True, strict_mode=True)

    def action_progress(self) -> None:
        """Show this player's history and a suggested next scenario."""
        self.when_ready(self._open_progress)

    def _open_progress(self) -> None:
        from netquest.tui.screens.progress import ProgressScreen

        if self.profile is None or self.library is None or isinstance(self.screen, ProgressScreen):
            return
        screen = ProgressScreen(
            self.profile, self.library, self.course_progress(), self.scenario_titles()
        )
        self.push_screen(screen, self._progress_closed)

    def _progress_closed(self, chosen: str | CourseStep | None) -> None:
        if isinstance(chosen, str):
            self.open_picker(focus=chosen)
        elif chosen is not None:
            self.play_course_step(chosen)

    def action_help(self) -> None:
        """Show the keys, how scoring works and the principles."""
        from netquest.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.catalogue))

    def action_settings(self) -> None:
        """Change the theme, default mode and animations."""
        self.when_ready(self._open_settings)

    def _open_settings(self) -> None:
        from netquest.tui.screens.settings import SettingsScreen

        if self.profile is None or isinstance(self.screen, SettingsScreen):
            return
        from netquest.tui.themes import theme_label

        themes = sorted(self.available_themes, key=theme_label)
        default_export = str(self._default_export_folder())
        screen = SettingsScreen(self.profile.settings, themes, default_export)
        self.push_screen(screen, self._settings_closed)

    def _settings_closed(self, settings: Settings | None) -> None:
        if settings is None or self.profile is None:
            return
        self.set_profile(self.profile.with_settings(settings))
        self.request_save()

    def action_toggle_high_contrast(self) -> None:
        """Switch between the high-contrast theme and the one used before it (and save it)."""
        if HIGH_CONTRAST not in self.available_themes:
            self.notify("The high-contrast theme is not available.", severity="warning")
            return
        if self.theme == HIGH_CONTRAST:
            self.theme = self._theme_before_contrast
        else:
            self._theme_before_contrast = self.theme
            self.theme = HIGH_CONTRAST

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the game commands that make no sense yet (also from the palette)."""
        if action == "restart_scenario":
            return self.session is not None
        return True

    @on(events.DeliveryComplete)
    def _delivered(self, event: events.DeliveryComplete) -> None:
        if event.name == "debrief":
            where = f" to {event.path}" if event.path is not None else ""
            self.notify(f"Debrief saved{where}.", title="Export", markup=False)

    @on(events.DeliveryFailed)
    def _delivery_failed(self, event: events.DeliveryFailed) -> None:
        if event.name == "debrief":
            self.notify(
                f"The debrief could not be saved: {event.exception}",
                title="Export",
                severity="error",
                markup=False,
            )

    # -- playing -----------------------------------------------------------------------------

    def play(
        self,
        scenario_id: str,
        mode: PlayMode | None = None,
        *,
        resume: bool = True,
        strict_mode: bool = False,
    ) -> None:
        """Start a run of a scenario, or continue the unfinished one.

        Args:
            scenario_id: The scenario to play.
            mode: Practice or assessment (default: the player's setting).
            resume: Continue this scenario's latest unfinished run if there is one.
            strict_mode: Only continue a run played in ``mode``.
        """
        from netquest.play.class_feed import with_class_feed
        from netquest.play.session import PlaySession
        from netquest.xapi.recorder import default_listener

        library, profile = self.library, self.profile
        if library is None or profile is None:
            return
        entry = library.get(scenario_id)
        if entry is None:
            self._not_playable(scenario_id)
            return
        # Journal appends leave the UI thread: a choice key never waits for the disk.
        listener = default_listener(self.store, self.course, background=True)
        if resume:
            run = profile.latest_unfinished(scenario_id)
            if strict_mode and mode is not None and run is not None and run.mode != mode:
                run = _latest_unfinished_in(profile, scenario_id, mode)
            if run is not None and (not strict_mode or mode is None or run.mode == mode):
                session, notice = PlaySession.resume(
                    entry, profile, run, self.store, listener=with_class_feed(listener)
                )
                if session is not None:
                    if notice:
                        self.notify(
                            notice, title="Scenario changed", severity="warning", markup=False
                        )
                    self._begin(session)
                    return
                self.notify(
                    f"Your saved run of {entry.scenario.title} cannot continue: {notice}. "
                    "Starting it again.",
                    title="Starting again",
                    severity="warning",
                    timeout=10,
                    markup=False,
                )
        session = PlaySession.new(
            entry,
            profile,
            mode or self.default_mode,
            self.store,
            listener=with_class_feed(listener),
        )
        self._begin(session)

    def _not_playable(self, scenario_id: str) -> None:
        library = self.library
        broken = None
        if library is not None:
            broken = next((u for u in library.unavailable if u.name == scenario_id), None)
        if broken is not None:
            message = f"{scenario_id} cannot be played: {broken.error.format()}"
        else:
            message = f"There is no scenario called {scenario_id!r}."
        self.notify(
            message, title="Scenario unavailable", severity="error", timeout=10, markup=False
        )

    def _begin(self, session: PlaySession) -> None:
        from netquest.tui.screens.scene import SceneScreen

        self.session = session
        self.set_profile(session.profile)
        self.request_save()
        self.unwind()
        if session.is_over:
            self.show_debrief(session)
            return
        self.push_screen(SceneScreen(session), self._scene_closed)

    def on_scene_screen_run_changed(self, message: SceneScreen.RunChanged) -> None:
        """A choice was made (or undone): keep the profile in step and autosave."""
        if message.session is self.session:
            self.set_profile(message.session.profile)
            self.request_save()

    def _scene_closed(self, result: SceneResult | None) -> None:
        session = self.session
        if session is None:
            return
        if result == "finished":
            self.show_debrief(session)

    def show_debrief(self, session: PlaySession) -> None:
        """Show the review of a finished run."""
        from netquest.tui.screens.debrief import DebriefScreen

        debrief = session.debrief()
        screen = DebriefScreen(
            debrief,
            session.scenario,
            session.catalogue,
            player=session.profile.name,
            save_directory=None if self.is_web else self.export_folder,
            played=self._played_on(session),
            course_note=self._course_note(session),
        )
        self.unwind()
        self.push_screen(screen, self._debrief_closed)

    def _course_note(self, session: PlaySession) -> CourseNote | None:
        """What the run just reviewed meant for the course followed, if it is a step's run."""
        import datetime as dt

        from netquest.play.course_notes import run_note

        if self.course is None:
            return None
        runs = session.profile.runs
        run = next((r for r in runs if r.id == session.run.id), session.run)
        return run_note(self.course, runs, run, self.scenario_titles(), dt.date.today())

    @staticmethod
    def _played_on(session: PlaySession) -> str:
        from netquest.saves import parse_timestamp

        try:
            moment = parse_timestamp(session.run.finished or session.run.updated)
        except ValueError:
            moment = datetime.now(UTC)
        return moment.astimezone().strftime("%Y-%m-%d %H:%M")

    def _debrief_closed(self, action: DebriefAction | None) -> None:
        session = self.session
        if action == "replay" and session is not None:
            self.play(session.scenario.id, session.mode, resume=False)
        elif action == "another":
            from netquest.tui.run_status import next_new_scenario

            suggestion = next_new_scenario(self.profile, self.library)
            self.open_picker(focus=suggestion.scenario.id if suggestion else None)

    def action_restart_scenario(self) -> None:
        """Start the scenario in play again from its first scene."""
        session = self.session
        if session is None:
            self.notify("Start a scenario first.", title="Restart")
            return
        self.play(session.scenario.id, session.mode, resume=False)

    def action_show_debrief(self) -> None:
        """Show the debrief of the run just finished, else of the latest finished run."""
        self.when_ready(self._show_latest_debrief)

    def _show_latest_debrief(self) -> None:
        from netquest.play.session import PlaySession
        from netquest.tui.run_status import latest_finished

        if self.session is not None and self.session.is_over:
            self.show_debrief(self.session)
            return
        found = latest_finished(self.profile, self.library)
        if found is None or self.profile is None:
            self.notify("Finish a scenario to see its debrief.", title="Debrief")
            return
        run, entry = found
        session, notice = PlaySession.resume(entry, self.profile, run, self.store)
        if session is None:
            self.notify(f"That run cannot be reviewed: {notice}", severity="warning", markup=False)
            return
        self.session = session
        self.show_debrief(session)


def _latest_unfinished_in(profile: Profile, scenario_id: str, mode: PlayMode) -> RunRecord | None:
    """The most recently updated unfinished run of a scenario played in ``mode``."""
    from netquest.saves import parse_timestamp

    def updated(run: RunRecord) -> datetime:
        try:
            return parse_timestamp(run.updated)
        except ValueError:
            return datetime.min.replace(tzinfo=UTC)

    runs = [
        (updated(run), index, run)
        for index, run in enumerate(profile.runs)
        if run.scenario_id == scenario_id and run.mode == mode and not run.is_finished
    ]
    return max(runs, key=lambda item: (item[0], item[1]))[2] if runs else None


def run_app(
    *,
    saves_dir: Path,
    scenario_dirs: Sequence[Path] = (),
    profile: str | None = None,
    start_scenario: str | None = None,
    mode: PlayMode | None = None,
    restart: bool = False,
    course: Course | None = None,
) -> int:
    """Run the game full-screen until the player quits; returns the exit code."""
    app = NetquestApp(
        saves_dir=saves_dir,
        scenario_dirs=scenario_dirs,
        profile=profile,
        start_scenario=start_scenario,
        mode=mode,
        restart=restart,
        course=course,
    )
    app.run()
    return app.return_code or 0
