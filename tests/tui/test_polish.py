"""Export without a downloads folder, and the small things a new player trips over."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import AppFactory
from core_helpers import (
    IDEAL,
    on_screen,
    ready,
    saved_profile,
    seed_profile,
    settle,
    wait_until,
)
from longest import bundled
from textual.command import CommandPalette
from textual.widgets import Button, Input, OptionList, Select

from netquest.engine import Game, analyse, debrief
from netquest.play.progress import summarise
from netquest.saves import RunRecord, Settings
from netquest.tui.commands import GAME_COMMANDS
from netquest.tui.run_status import FIRST_SCENARIO
from netquest.tui.screens.debrief import DebriefScreen
from netquest.tui.screens.picker import PickerScreen
from netquest.tui.screens.scene import SceneScreen
from netquest.tui.screens.settings import SettingsScreen
from netquest.tui.screens.title import TitleScreen
from netquest.tui.widgets.scenario_details import ScenarioDetails


def messages(app: Any) -> list[str]:
    """Every notification shown so far."""
    return [notification.message for notification in app._notifications]


@pytest.fixture
def no_downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder with no Downloads in it (as on servers and fresh accounts)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    return home


async def export_ideal_run(app: Any, pilot: Any) -> None:
    """Play the mixer's ideal path and press Export on the debrief."""
    await ready(pilot)
    await pilot.press("n")
    await on_screen(pilot, SceneScreen)
    for _ in IDEAL:
        await pilot.press("1", "enter")
    await on_screen(pilot, DebriefScreen)
    await pilot.press("e")


# -- export ---------------------------------------------------------------------------------


async def test_export_without_a_downloads_folder_goes_to_exports_beside_the_saves(
    make_app: AppFactory, saves_dir: Path, no_downloads: Path
) -> None:
    seed_profile(saves_dir)
    app = make_app(downloads_dir=None)
    folder = (saves_dir / "exports").absolute()
    async with app.run_test(size=(80, 24)) as pilot:
        await export_ideal_run(app, pilot)
        await wait_until(pilot, lambda: list(folder.glob("*.md")), "the exported file")
        await wait_until(pilot, lambda: any("Debrief saved" in m for m in messages(app)))
        (exported,) = folder.glob("*.md")
        assert any(str(exported) in message for message in messages(app))  # the full path
    assert not (no_downloads / "Downloads").exists()
    assert exported.read_text(encoding="utf-8").startswith("# Debrief: The Mixer")


async def test_export_goes_to_the_folder_chosen_in_settings_creating_it(
    make_app: AppFactory, saves_dir: Path, tmp_path: Path, no_downloads: Path
) -> None:
    chosen = tmp_path / "reports" / "debriefs"
    seed_profile(saves_dir, settings=Settings(export_dir=str(chosen), animations=False))
    app = make_app()  # the chosen folder wins over the app's default folder
    async with app.run_test(size=(80, 24)) as pilot:
        await export_ideal_run(app, pilot)
        await wait_until(pilot, lambda: list(chosen.glob("*.md")), "the exported file")
        (exported,) = chosen.glob("*.md")
        await wait_until(pilot, lambda: any(str(exported) in m for m in messages(app)))


async def test_export_to_a_folder_that_cannot_be_made_says_so(
    make_app: AppFactory, saves_dir: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    seed_profile(saves_dir, settings=Settings(export_dir=str(blocker / "sub")))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await export_ideal_run(app, pilot)
        await wait_until(pilot, lambda: any("export folder" in m for m in messages(app)))
        assert any("choose another in Settings" in m for m in messages(app))
        assert isinstance(app.screen, DebriefScreen)


async def test_settings_choose_the_export_folder_and_show_theme_names(
    make_app: AppFactory, saves_dir: Path, tmp_path: Path
) -> None:
    seed_profile(saves_dir)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        screen = await on_screen(pilot, SettingsScreen)
        select = screen.query_one("#theme", Select)
        labels = [str(prompt) for prompt, _ in select._options]
        assert "textual-dark" not in labels and "netquest-high-contrast" not in labels
        assert "High contrast" in labels and "Nord" in labels
        export = screen.query_one("#export-dir", Input)
        assert export.value == ""
        assert str(tmp_path / "downloads") in export.placeholder  # the default shown
        export.value = str(tmp_path / "mine")
        await pilot.press("ctrl+s")
        await on_screen(pilot, TitleScreen)
        await settle(pilot)
    assert saved_profile(saves_dir).settings.export_dir == str(tmp_path / "mine")


# -- the coach's button ---------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 120])
async def test_the_last_choice_offers_to_see_your_debrief_in_full(
    make_app: AppFactory, saves_dir: Path, width: int
) -> None:
    seed_profile(saves_dir)
    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        for key in IDEAL[:-1]:
            del key
            await pilot.press("1", "enter")
        await pilot.press("1")
        await settle(pilot)
        button = scene.query_one("#continue", Button)
        assert str(button.label) == "See your debrief"
        region = button.region
        strips = app.screen._compositor.render_strips()
        assert "See your debrief" in strips[region.y].crop(region.x, region.right).text


# -- the command palette --------------------------------------------------------------------


async def test_palette_lists_the_game_commands_before_textuals(
    make_app: AppFactory, saves_dir: Path
) -> None:
    seed_profile(saves_dir)
    app = make_app()
    async with app.run_test(size=(80, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        palette = await on_screen(pilot, CommandPalette)
        commands = palette.query_one(OptionList)
        await wait_until(pilot, lambda: commands.option_count > len(GAME_COMMANDS) - 1)
        await settle(pilot)
        shown = [
            str(commands.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(commands.option_count)
        ]
        game = [c.name for c in GAME_COMMANDS if app.check_action(c.action, ()) is not False]
        assert [name for name in shown[: len(game)]] == game
        assert any("Theme" in name for name in shown[len(game) :])  # Textual's, after ours


# -- New game -------------------------------------------------------------------------------


async def test_new_game_for_a_first_time_player_starts_the_recommended_scenario(
    make_app: AppFactory, saves_dir: Path
) -> None:
    seed_profile(saves_dir)
    app = make_app(library=bundled())
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.scenario.id == FIRST_SCENARIO
        await settle(pilot)


async def test_new_game_for_a_returning_player_starts_the_suggested_next(
    make_app: AppFactory, saves_dir: Path
) -> None:
    entry = bundled().get(FIRST_SCENARIO)
    assert entry is not None
    scenario = entry.scenario
    path = list(scenario.tests[0].choices)
    state = Game(scenario).replay(path, "practice")
    result = debrief(scenario, entry.catalogue, state, analyse(scenario))
    run = RunRecord.new(scenario.id, scenario.content_hash, "practice", state.to_dict())
    run = run.finish({"score": result.score, "totals": {}}, 60.0)
    profile = seed_profile(saves_dir, runs=[run])
    suggestion = summarise(profile, bundled()).suggestion
    assert suggestion is not None
    app = make_app(library=bundled())
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.scenario.id == suggestion.scenario_id
        assert scene.session.step_number == 0
        await settle(pilot)


# -- Continue and the picker ----------------------------------------------------------------


async def test_greyed_continue_says_why(make_app: AppFactory, saves_dir: Path) -> None:
    seed_profile(saves_dir)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        menu = app.screen.query_one("#menu", OptionList)
        assert menu.get_option("continue").disabled
        await pilot.press("c")
        await settle(pilot)
        assert any("Nothing to continue yet" in m for m in messages(app))
        app.clear_notifications()
        assert await pilot.click("#menu", offset=(4, 1))  # Continue's row
        await settle(pilot)
        assert any("Nothing to continue yet" in m for m in messages(app))
        assert isinstance(app.screen, TitleScreen)


async def test_picker_details_show_the_scenario_id(make_app: AppFactory, saves_dir: Path) -> None:
    seed_profile(saves_dir)
    app = make_app(library=bundled())
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        picker = await on_screen(pilot, PickerScreen)
        await settle(pilot)
        details = picker.query_one("#details", ScenarioDetails)
        body = details.query_one("#details-body")
        text = body.visual.plain  # type: ignore[attr-defined]
        first = bundled().entries[0].scenario
        assert f"Id       {first.id}" in text
        assert f"netquest play {first.id}" in text


def test_settings_default_has_no_export_folder() -> None:
    assert replace(Settings(), export_dir="").to_dict() == Settings().to_dict()


def test_export_folder_prefers_the_setting_then_downloads_then_exports(
    tmp_path: Path, no_downloads: Path
) -> None:
    from netquest.tui.export_folder import export_folder

    saves = tmp_path / "saves"
    assert export_folder("", saves) == (saves / "exports").absolute()
    (no_downloads / "Downloads").mkdir()
    assert export_folder("", saves) == (no_downloads / "Downloads").absolute()
    assert export_folder("~/out", saves) == no_downloads / "out"
    assert export_folder("  ", saves) == (no_downloads / "Downloads").absolute()
