"""Shared helpers for the Progress, Help, Settings, themes and commands tests.

Each screen is mounted in :class:`ScreenHost`, a tiny app defined here, so these tests do not
depend on the full game app. Everything on screen is deterministic: fixed timestamps and ids.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from progress_fixtures import MINI, profile
from progress_fixtures import run as shared_run
from progress_fixtures import two_library as shared_two_library
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from netquest.engine import Library, load_library
from netquest.saves import Profile, RunRecord, Settings
from netquest.tui.commands import GAME_COMMANDS, NetquestCommands
from netquest.tui.themes import HIGH_CONTRAST


def mini_library() -> Library:
    """The mini fixture: one scenario ('mixer'), three principles."""
    return load_library([MINI], include_bundled=False)


def two_library(folder: Path) -> Library:
    """The mini fixture plus 'gala' and 'listen', with markup in a title and a statement."""
    return shared_two_library(folder, markup=True)


def run(scenario: str, day: int, **kwargs: Any) -> RunRecord:
    """A synthetic run (five minutes played unless said otherwise)."""
    kwargs.setdefault("seconds", 300.0)
    return shared_run(scenario, day, **kwargs)


def history() -> Profile:
    """Ada's history over both scenarios: mixer played four times (one unfinished), gala once.

    'give' is weak lately, 'listen' never practised, 'focus' and 'rapport' improving.
    """
    return profile(
        run("mixer", 2, score=10, principles={"focus": 0, "give": -2, "rapport": -1}),
        run("mixer", 4, score=40, principles={"focus": 2, "give": 0, "rapport": 1}),
        run("mixer", 6, score=70, principles={"focus": 4, "give": -2, "rapport": 3}),
        run("gala", 7, score=25, principles={"give": -3, "listen": 1}),
        run("mixer", 9, finished=False, seconds=95),
    )


class ScreenHost(App[None]):
    """A bare app that shows one screen and records what it was dismissed with."""

    COMMANDS = App.COMMANDS | {NetquestCommands}

    def __init__(self, make_screen: Callable[[], Screen[Any]] | None = None) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[object] = []
        self.actions: list[str] = []
        self.disabled_actions: set[str] = set()
        self.animation_level = "none"
        self.register_theme(HIGH_CONTRAST)

    def compose(self) -> ComposeResult:
        yield Static("host", id="host")

    def on_mount(self) -> None:
        if self.make_screen is not None:
            self.push_screen(self.make_screen(), callback=self.results.append)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.disabled_actions:
            return False
        return super().check_action(action, parameters)


def _recorder(action: str) -> Callable[[ScreenHost], None]:
    def record(self: ScreenHost) -> None:
        self.actions.append(action)

    record.__doc__ = f"Stub for the game's {action!r} action: records that it ran."
    return record


for _command in GAME_COMMANDS:
    setattr(ScreenHost, f"action_{_command.action}", _recorder(_command.action))


DEFAULT_SETTINGS = Settings(theme="textual-dark", default_mode="practice", animations=True)
