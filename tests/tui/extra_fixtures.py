"""Shared helpers for the Progress, Help, Settings, themes and commands tests.

Each screen is mounted in :class:`ScreenHost`, a tiny app defined here, so these tests do not
depend on the full game app. Everything on screen is deterministic: fixed timestamps and ids.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from netquest.engine import Library, load_library
from netquest.saves import Profile, RunRecord, Settings
from netquest.tui.commands import GAME_COMMANDS, NetquestCommands
from netquest.tui.themes import HIGH_CONTRAST

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini"
CREATED = "2025-03-01T09:00:00.000Z"

GALA = """\
format = 1

[scenario]
id = "gala"
title = "The Gala [bold]night[/bold]"
summary = "A charity gala."
setting = "A museum hall."
teaches = ["notnet"]
minutes = 2
start = "hall"

[scenes.hall]
text = "A guest mentions she is short of volunteers."
calls_for = "networking"

[[scenes.hall.choices]]
id = "offer"
text = "Offer to help at her next event."
mode = "networking"
effects = { give = 3, listen = 1 }
coach = "Give first."
goto = "thanks"

[[scenes.hall.choices]]
id = "take"
text = "Ask her to introduce you to her boss."
mode = "transactional"
effects = { give = -3 }
coach = "All take."
goto = "thanks"

[endings.thanks]
title = "The end"
text = "The evening ends."
outcome = "good"
"""
"""A second scenario; its title holds markup that must show literally."""

LISTEN = """
[principles.listen]
axis = "nvs"
title = "Listen first"
statement = "Let the other person talk [i]first[/i]."
source = "Test source"
quote = "Listening builds trust."
"""
"""A fourth principle, never practised in :func:`history`; its statement holds markup."""


def mini_library() -> Library:
    """The mini fixture: one scenario ('mixer'), three principles."""
    return load_library([MINI], include_bundled=False)


def two_library(folder: Path) -> Library:
    """The mini fixture copied into ``folder`` plus 'gala' and the 'listen' principle."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in MINI.glob("*.toml"):
        shutil.copy(path, folder / path.name)
    with (folder / "principles.toml").open("a", encoding="utf-8") as handle:
        handle.write(LISTEN)
    (folder / "gala.toml").write_text(GALA, encoding="utf-8")
    library = load_library([folder], include_bundled=False)
    assert library.ids == ["gala", "mixer"], library.unavailable
    return library


def stamp(day: int, hour: int = 12) -> str:
    """A fixed timestamp in March 2025."""
    return f"2025-03-{day:02d}T{hour:02d}:00:00.000Z"


def run(
    scenario: str,
    day: int,
    *,
    principles: Mapping[str, int] | None = None,
    score: int = 50,
    finished: bool = True,
    seconds: float = 300.0,
) -> RunRecord:
    """A synthetic run with fixed id and timestamps; ``principles`` are the stored totals."""
    result: dict[str, Any] | None = None
    if finished:
        result = {
            "score": score,
            "total": 0,
            "best": 8,
            "worst": -2,
            "ending": "quiet",
            "outcome": "mixed",
            "principles": dict(principles or {}),
            "readings": {},
            "path": [],
        }
    return RunRecord(
        id=f"{scenario}-{day}",
        scenario_id=scenario,
        content_hash="hash",
        mode="practice",
        started=stamp(day, 10),
        updated=stamp(day, 11),
        finished=stamp(day) if finished else None,
        seconds=seconds,
        state={},
        result=result,
    )


def profile(*runs: RunRecord, name: str = "Ada") -> Profile:
    """A profile with fixed timestamps and machine id holding ``runs``."""
    return dataclasses.replace(Profile.new(name, now=CREATED, machine="m"), runs=runs)


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
