"""Scenarios that cannot load are listed as unavailable; the rest play; the CLI start option."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import MINI, AppFactory
from core_helpers import on_screen, ready, seed_profile, settle
from textual.widgets import OptionList

from netquest.engine import Library, load_library
from netquest.tui.screens.picker import PickerScreen
from netquest.tui.screens.scene import SceneScreen


def broken_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    shutil.copytree(MINI, folder)
    (folder / "broken.toml").write_text(
        'format = 1\n\n[scenario]\nid = "broken"\ntitle = "Broken"\nstart = "nowhere"\n',
        encoding="utf-8",
    )
    return folder


async def test_an_unloadable_scenario_is_listed_as_unavailable(
    make_app: AppFactory, saves_dir: Path, tmp_path: Path
) -> None:
    folder = broken_folder(tmp_path)
    seed_profile(saves_dir)
    app = make_app(library=None, scenario_dirs=[folder])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.library is not None
        (broken,) = app.library.unavailable
        await pilot.press("s")
        picker = await on_screen(pilot, PickerScreen)
        listing = picker.query_one("#scenarios", OptionList)
        option = listing.get_option("unavailable-0")
        assert option.disabled
        shown = str(option.prompt)
        assert "broken.toml (unavailable)" in shown
        assert broken.error.format() in shown
        # The rest still play.
        listing.highlighted = listing.get_option_index("mixer")
        await pilot.press("enter")
        await on_screen(pilot, SceneScreen)
        await settle(pilot)


async def test_start_scenario_option_opens_it_directly(
    make_app: AppFactory, saves_dir: Path
) -> None:
    seed_profile(saves_dir)
    app = make_app(start_scenario="mixer", mode="assessment")
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.mode == "assessment"
        await settle(pilot)


async def test_start_scenario_that_does_not_load_says_why(
    make_app: AppFactory, saves_dir: Path, tmp_path: Path
) -> None:
    folder = broken_folder(tmp_path)
    seed_profile(saves_dir)
    app = make_app(library=load_library([folder], include_bundled=False), start_scenario="broken")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("broken cannot be played:") for m in messages), messages
        await settle(pilot)


async def test_start_scenario_continues_unless_told_to_restart(
    make_app: AppFactory, saves_dir: Path, mini_library: Library
) -> None:
    from netquest.engine import Game
    from netquest.saves import RunRecord

    entry = mini_library.get("mixer")
    assert entry is not None
    state = Game(entry.scenario).replay(["introduce"])
    unfinished = RunRecord.new("mixer", entry.scenario.content_hash, "practice", state.to_dict())
    seed_profile(saves_dir, runs=[unfinished])

    for restart, expected_scene in ((False, "bar"), (True, "door")):
        app = make_app(start_scenario="mixer", restart=restart)
        async with app.run_test(size=(80, 24)) as pilot:
            scene = await on_screen(pilot, SceneScreen)
            assert scene.session.scene is not None
            assert scene.session.scene.id == expected_scene
            assert (scene.session.run.id == unfinished.id) is not restart
            await settle(pilot)
