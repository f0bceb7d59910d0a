"""The whole first-day journey the issue asks for, in one app session after another.

A new player creates a profile, plays one scenario to its debrief, quits half way through a
second, comes back and continues it, and finds both runs on the Progress screen.
"""

from __future__ import annotations

from pathlib import Path

from core_helpers import on_screen, ready, saved_profile, settle, wait_until
from extra_fixtures import two_library
from textual.widgets import DataTable

from netquest.engine import Library
from netquest.tui.app import NetquestApp
from netquest.tui.screens.debrief import DebriefScreen
from netquest.tui.screens.picker import PickerScreen
from netquest.tui.screens.profile import ProfileScreen
from netquest.tui.screens.progress import ProgressScreen
from netquest.tui.screens.scene import SceneScreen
from netquest.tui.screens.title import TitleScreen


def _app(saves: Path, library: Library, downloads: Path) -> NetquestApp:
    return NetquestApp(
        saves, library=library, include_bundled=False, downloads_dir=downloads, animations=False
    )


async def test_new_player_plays_quits_continues_and_sees_progress(
    saves_dir: Path, downloads_dir: Path, tmp_path: Path
) -> None:
    library = two_library(tmp_path / "curriculum")  # 'gala' (one scene) and 'mixer' (three)

    first = _app(saves_dir, library, downloads_dir)
    async with first.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, ProfileScreen)
        await pilot.press(*"Ada", "enter")
        await on_screen(pilot, TitleScreen)
        await ready(pilot)

        # Gala, to its debrief, by keys.
        await pilot.press("s")
        picker = await on_screen(pilot, PickerScreen)
        assert picker is first.screen
        await pilot.press("enter")  # the first scenario in the list: gala
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.scenario.id == "gala"
        await pilot.press("1", "enter")
        await on_screen(pilot, DebriefScreen)

        # Mixer, one choice in, then quit.
        await pilot.press("a")  # try another scenario
        picker = await on_screen(pilot, PickerScreen)
        # The picker offers the next scenario not yet played.
        assert picker.highlighted_id == "mixer"
        await pilot.press("enter")
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.scenario.id == "mixer"
        await pilot.press("1", "enter")
        await wait_until(
            pilot, lambda: scene.session.scene is not None and scene.session.scene.id == "bar"
        )
        await settle(pilot)
        await pilot.press("ctrl+q")

    runs = {run.scenario_id: run for run in saved_profile(saves_dir).runs}
    assert runs["gala"].is_finished and not runs["mixer"].is_finished

    second = _app(saves_dir, library, downloads_dir)
    async with second.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("c")  # Continue: the mixer, at the bar
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.scene is not None and scene.session.scene.id == "bar"
        await pilot.press("1", "enter", "1", "enter")
        await on_screen(pilot, DebriefScreen)
        await pilot.press("escape")
        await on_screen(pilot, TitleScreen)
        await pilot.press("p")
        progress = await on_screen(pilot, ProgressScreen)
        table = progress.query_one("#scenario-table", DataTable)
        await wait_until(pilot, lambda: table.row_count == 2)
        rows = {str(key.value): [str(cell) for cell in table.get_row(key)] for key in table.rows}
        assert rows["gala"][1:3] == ["1", "1"]  # one run, finished
        assert rows["mixer"][1:3] == ["1", "1"]  # the continued run, now finished
        await settle(pilot)

    saved = saved_profile(saves_dir)
    assert len(saved.runs) == 2 and all(run.is_finished for run in saved.runs)
    mixer = next(run for run in saved.runs if run.scenario_id == "mixer")
    assert [step[1] for step in mixer.state["history"]] == ["introduce", "chat", "email_host"]
