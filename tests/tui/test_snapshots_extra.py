"""SVG snapshots of the Progress, Help and Settings screens at 80×24 and 60×20.

Each screen runs in the tiny :class:`ScreenHost` app with animations off and fixed data (no
clock times or random ids on screen). Update the baselines with
``.venv/bin/python -m pytest tests/tui/test_snapshots_extra.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from extra_fixtures import DEFAULT_SETTINGS, ScreenHost, history, profile, two_library
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from netquest.engine import Library
from netquest.tui.screens.help import HelpScreen
from netquest.tui.screens.progress import ProgressScreen
from netquest.tui.screens.settings import SettingsScreen
from netquest.tui.themes import HIGH_CONTRAST_NAME

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]

SnapCompare = Callable[..., bool]


@pytest.fixture
def two(tmp_path: Path) -> Library:
    return two_library(tmp_path / "scenarios")


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and the screen redraw."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_progress(snap_compare: SnapCompare, two: Library, size: tuple[int, int]) -> None:
    app = ScreenHost(lambda: ProgressScreen(history(), two))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_progress_scrolled_to_mastery(
    snap_compare: SnapCompare, two: Library, size: tuple[int, int]
) -> None:
    async def scroll_down(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#progress-body").scroll_end(animate=False)
        await pilot.pause()

    app = ScreenHost(lambda: ProgressScreen(history(), two))
    assert snap_compare(app, terminal_size=size, run_before=scroll_down)


def test_progress_new_player(snap_compare: SnapCompare, two: Library) -> None:
    app = ScreenHost(lambda: ProgressScreen(profile(), two))
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_help_keys(snap_compare: SnapCompare, two: Library, size: tuple[int, int]) -> None:
    catalogue = two.entries[0].catalogue
    app = ScreenHost(lambda: HelpScreen(catalogue))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_help_glossary(snap_compare: SnapCompare, two: Library, size: tuple[int, int]) -> None:
    async def glossary(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one(TabbedContent).active = "help-principles"
        await settle(pilot)

    catalogue = two.entries[0].catalogue
    app = ScreenHost(lambda: HelpScreen(catalogue))
    assert snap_compare(app, terminal_size=size, run_before=glossary)


@pytest.mark.parametrize("size", SIZES)
def test_help_scoring(snap_compare: SnapCompare, two: Library, size: tuple[int, int]) -> None:
    async def scoring(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one(TabbedContent).active = "help-scoring"
        await settle(pilot)

    catalogue = two.entries[0].catalogue
    app = ScreenHost(lambda: HelpScreen(catalogue))
    assert snap_compare(app, terminal_size=size, run_before=scoring)


@pytest.mark.parametrize("size", SIZES)
def test_settings(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    def make() -> SettingsScreen:
        return SettingsScreen(DEFAULT_SETTINGS, sorted(app.available_themes))

    app = ScreenHost(make)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_progress_high_contrast(
    snap_compare: SnapCompare, two: Library, size: tuple[int, int]
) -> None:
    app = ScreenHost(lambda: ProgressScreen(history(), two))
    app.theme = HIGH_CONTRAST_NAME
    assert snap_compare(app, terminal_size=size, run_before=settle)
