"""Helpers for the core app tests: waiting on the app, reading widgets, seeding saves."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from netquest.engine import Game, Library, PlayMode, analyse, debrief
from netquest.saves import Profile, RunRecord, SaveStore, Settings
from netquest.tui.app import NetquestApp

CREATED = "2025-03-01T09:00:00.000Z"
"""A fixed timestamp for seeded profiles and runs."""

IDEAL = ("introduce", "chat", "email_host")
"""The mixer's best path."""


async def wait_until(
    pilot: Pilot[Any], predicate: Callable[[], object], what: str = "", timeout: float = 5.0
) -> None:
    """Pause the pilot until ``predicate()`` is true (or fail after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await pilot.pause(0.02)


async def on_screen(pilot: Pilot[Any], screen_type: type[Any], timeout: float = 5.0) -> Any:
    """Wait until the active screen is a ``screen_type`` and return it."""
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, screen_type), screen_type.__name__, timeout
    )
    await pilot.pause()
    return pilot.app.screen


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish and the screen redraw."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def ready(pilot: Pilot[Any]) -> NetquestApp:
    """Wait until the app has its library and profile."""
    app = pilot.app
    assert isinstance(app, NetquestApp)
    await wait_until(pilot, lambda: app.ready, "library and profile")
    await settle(pilot)
    return app


def plain(widget: Widget) -> str:
    """The text a Static shows, without styles."""
    assert isinstance(widget, Static)
    visual = widget.visual
    return visual.plain if isinstance(visual, Content) else str(visual)


def seed_profile(
    saves_dir: Path,
    name: str = "Ada",
    runs: Sequence[RunRecord] = (),
    *,
    last: bool = True,
    settings: Settings | None = None,
) -> Profile:
    """Save a profile with fixed timestamps (and make it the last one used)."""
    profile = Profile(
        name=name,
        created=CREATED,
        updated=CREATED,
        settings=settings or Settings(),
        runs=tuple(runs),
        machine="test-machine",
    )
    store = SaveStore(saves_dir)
    store.save(profile)
    if last:
        store.set_last_profile(name)
    return profile


def engine_score(library: Library, scenario_id: str, choices: Sequence[str], mode: PlayMode) -> int:
    """The score the engine gives a path, computed without the app."""
    entry = library.get(scenario_id)
    assert entry is not None
    state = Game(entry.scenario).replay(list(choices), mode)
    return debrief(entry.scenario, entry.catalogue, state, analyse(entry.scenario)).score


def saved_profile(saves_dir: Path, name: str = "Ada") -> Profile:
    """The profile as saved on disk."""
    result = SaveStore(saves_dir).load(name)
    assert result.notice is None
    return result.profile


@asynccontextmanager
async def seeded_app(
    make_app: Callable[..., NetquestApp], saves_dir: Path
) -> AsyncIterator[tuple[NetquestApp, Pilot[Any]]]:
    """Ada's saved profile, then the app at 80×24, ready (library and profile loaded)."""
    seed_profile(saves_dir)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        yield app, pilot
