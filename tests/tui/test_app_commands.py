"""The app's own actions: help, settings, high contrast, progress and the command palette."""

from __future__ import annotations

from pathlib import Path

from conftest import AppFactory
from core_helpers import (
    on_screen,
    ready,
    saved_profile,
    seed_profile,
    seeded_app,
    settle,
    wait_until,
)
from textual.command import CommandPalette
from textual.widgets import OptionList

from netquest.engine import load_library
from netquest.saves import Settings
from netquest.tui.app import HIGH_CONTRAST
from netquest.tui.screens.debrief import DebriefScreen
from netquest.tui.screens.help import HelpScreen
from netquest.tui.screens.picker import PickerScreen
from netquest.tui.screens.progress import ProgressScreen
from netquest.tui.screens.scene import SceneScreen
from netquest.tui.screens.settings import SettingsScreen
from netquest.tui.screens.title import TitleScreen


async def test_f1_opens_help_from_any_screen(make_app: AppFactory, saves_dir: Path) -> None:
    async with seeded_app(make_app, saves_dir) as (_app, pilot):
        await pilot.press("n")
        await on_screen(pilot, SceneScreen)
        await pilot.press("f1")
        await on_screen(pilot, HelpScreen)
        await pilot.press("escape")
        await on_screen(pilot, SceneScreen)
        await settle(pilot)


async def test_settings_are_applied_and_saved(make_app: AppFactory, saves_dir: Path) -> None:
    async with seeded_app(make_app, saves_dir) as (app, pilot):
        await pilot.press("t")
        settings_screen = await on_screen(pilot, SettingsScreen)
        chosen = Settings(theme="nord", default_mode="assessment", animations=False)
        settings_screen.dismiss(chosen)
        await on_screen(pilot, TitleScreen)
        await settle(pilot)
        assert app.theme == "nord"
        assert app.default_mode == "assessment"
    assert saved_profile(saves_dir).settings == chosen


async def test_settings_animations_follow_the_profile(saves_dir: Path, mini_dir: Path) -> None:
    from netquest.tui.app import NetquestApp

    seed_profile(saves_dir, settings=Settings(animations=False))
    app = NetquestApp(saves_dir, library=load_library([mini_dir], include_bundled=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.animation_level == "none"


async def test_high_contrast_toggles_and_is_remembered(
    make_app: AppFactory, saves_dir: Path
) -> None:
    seed_profile(saves_dir, settings=Settings(theme="dracula"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.theme == "dracula"
        await app.run_action("toggle_high_contrast")
        await settle(pilot)
        assert app.theme == HIGH_CONTRAST
        assert saved_profile(saves_dir).settings.theme == HIGH_CONTRAST
        await app.run_action("toggle_high_contrast")
        await settle(pilot)
        assert app.theme == "dracula"
    assert saved_profile(saves_dir).settings.theme == "dracula"


async def test_palette_restarts_the_scenario(make_app: AppFactory, saves_dir: Path) -> None:
    async with seeded_app(make_app, saves_dir) as (app, pilot):
        assert app.check_action("restart_scenario", ()) is False  # nothing to restart yet
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        await pilot.press("1", "enter")
        first_run = scene.session.run.id
        await pilot.press("ctrl+p")
        await on_screen(pilot, CommandPalette)
        await pilot.press(*"restart scen")
        await wait_until(pilot, lambda: app.screen.query_one(OptionList).option_count)
        await pilot.press("enter")
        scene = await on_screen(pilot, SceneScreen)
        await wait_until(pilot, lambda: app.session is not None and app.session.run.id != first_run)
        assert scene.session.scene.id == "door"
        await settle(pilot)
    assert len(saved_profile(saves_dir).runs) == 2


async def test_show_debrief_reviews_the_last_finished_run(
    make_app: AppFactory, saves_dir: Path
) -> None:
    seed_profile(saves_dir)
    first = make_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await on_screen(pilot, SceneScreen)
        for _ in range(3):
            await pilot.press("1", "enter")
        shown = await on_screen(pilot, DebriefScreen)
        score = shown.debrief.score
        await settle(pilot)

    second = make_app()
    async with second.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await second.run_action("show_debrief")
        again = await on_screen(pilot, DebriefScreen)
        assert again.debrief.score == score
        await pilot.press("r")  # replay starts the same scenario afresh
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.scene.id == "door"
        await settle(pilot)


async def test_progress_can_send_the_player_to_a_scenario(
    make_app: AppFactory, saves_dir: Path
) -> None:
    async with seeded_app(make_app, saves_dir) as (_app, pilot):
        await pilot.press("p")
        progress = await on_screen(pilot, ProgressScreen)
        progress.dismiss("mixer")
        picker = await on_screen(pilot, PickerScreen)
        assert picker.highlighted_id == "mixer"
        await settle(pilot)
