"""SVG snapshots of the core screens (title, profile, picker, scene, debrief) at two sizes.

Every app runs on the mini library with animations off, the saves in a temp folder and fixed
profile data, so nothing on screen depends on the clock. Update the baselines with
``.venv/bin/python -m pytest tests/tui/test_snapshots_core.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import AppFactory
from core_helpers import on_screen, ready, seed_profile, settle, wait_until
from textual.pilot import Pilot
from textual.widgets import OptionList

from netquest.tui.screens.debrief import DebriefScreen
from netquest.tui.screens.picker import PickerScreen
from netquest.tui.screens.profile import ProfileScreen
from netquest.tui.screens.scene import SceneScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


def keys_then(*keys: str, until: type[Any] | None = None) -> RunBefore:
    """Wait for the app to load, press ``keys`` and wait for a screen (then for the workers)."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        for key in keys:
            await pilot.press(key)
        if until is not None:
            await on_screen(pilot, until)
        await settle(pilot)

    return run_before


@pytest.fixture(autouse=True)
def _players(saves_dir: Path) -> None:
    seed_profile(saves_dir, "Bob", last=False)
    seed_profile(saves_dir, "Ada")


def snap(
    snap_compare: SnapCompare, app_factory: AppFactory, size: tuple[int, int], run: RunBefore
) -> bool:
    return snap_compare(app_factory(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_title(snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap(snap_compare, make_app, size, keys_then())


@pytest.mark.parametrize("size", SIZES)
def test_profile(snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("w")
        screen = await on_screen(pilot, ProfileScreen)
        listing = screen.query_one("#profiles", OptionList)
        await wait_until(pilot, lambda: listing.option_count == 2)
        await settle(pilot)

    assert snap(snap_compare, make_app, size, run_before)


@pytest.mark.parametrize("size", SIZES)
def test_picker(snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap(snap_compare, make_app, size, keys_then("s", until=PickerScreen))


@pytest.mark.parametrize("size", SIZES)
def test_scene(snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap(snap_compare, make_app, size, keys_then("n", until=SceneScreen))


@pytest.mark.parametrize("size", SIZES)
def test_scene_with_coach(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    assert snap(snap_compare, make_app, size, keys_then("n", "2", until=SceneScreen))


@pytest.mark.parametrize("size", [pytest.param((100, 30), id="100x30")])
def test_scene_wide_with_side_panel(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    keys: Sequence[str] = ("n", "1", "enter")
    assert snap(snap_compare, make_app, size, keys_then(*keys, until=SceneScreen))


@pytest.mark.parametrize("size", SIZES)
def test_debrief(snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]) -> None:
    keys = ("n", "2", "enter", "2", "enter", "1", "enter")
    assert snap(snap_compare, make_app, size, keys_then(*keys, until=DebriefScreen))
