"""The choice key's path (made lighter for speed): what it must still do, whatever the timing.

A choice is saved even when the app quits the moment after the key; a list that grows back
(more choices than the scene before) shows its items spaced as always, with no stale "more
choices" marker; a choice key repaints nothing that did not change.
"""

from __future__ import annotations

from pathlib import Path

from conftest import AppFactory
from core_helpers import on_screen, ready, saved_profile, seed_profile, settle, wait_until
from textual.widget import Widget

from netquest.saves import Settings
from netquest.tui.screens.scene import MORE_CHOICES, SceneScreen
from netquest.tui.widgets.choice_item import ChoiceItem


async def test_a_choice_is_saved_when_the_app_quits_at_once(
    make_app: AppFactory, saves_dir: Path
) -> None:
    seed_profile(saves_dir, settings=Settings(default_mode="assessment"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await on_screen(pilot, SceneScreen)
        await pilot.press("1", "ctrl+q")  # no pause: the save worker may not have run yet
    (run,) = saved_profile(saves_dir).runs
    assert run.state["history"] == [["door", "introduce"]]


async def test_a_list_that_grows_back_keeps_its_spacing_and_no_stale_marker(
    make_app: AppFactory, saves_dir: Path
) -> None:
    seed_profile(saves_dir)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:  # tall: items are spaced (not -short)
        await ready(pilot)
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        await pilot.press("2", "enter", "1", "enter")  # ask_job, chat: no met_host flag
        await settle(pilot)
        assert scene.session.scene is not None and scene.session.scene.id == "follow"
        assert len(scene.session.offered) == 1  # one choice: the second item is hidden
        await pilot.press("b")  # back to the bar's two choices
        await settle(pilot)
        first, second = (item for item in scene.query(ChoiceItem) if item.display)
        assert second.region.y - first.region.bottom == 1  # one blank line between them
        area = scene.query_one("#choices-area", Widget)
        assert area.max_scroll_y == 0
        assert MORE_CHOICES not in str(area.border_title)  # only "stepped back" is said


async def test_a_choice_key_does_not_repaint_the_unchanged_rule(
    make_app: AppFactory, saves_dir: Path
) -> None:
    seed_profile(saves_dir, settings=Settings(default_mode="assessment"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        await settle(pilot)
        area = scene.query_one("#choices-area", Widget)
        refreshed: list[bool] = []
        original = area.refresh

        def spy(*args: object, **kwargs: object) -> Widget:
            refreshed.append(True)
            return original(*args, **kwargs)  # type: ignore[arg-type]

        area.refresh = spy  # type: ignore[method-assign]
        scene._mark_story()  # nothing changed: the rule keeps its title without a repaint
        assert refreshed == []


async def test_a_choice_is_saved_while_play_goes_on(make_app: AppFactory, saves_dir: Path) -> None:
    """The save after a choice waits only for the frame, not for a quit."""
    seed_profile(saves_dir, settings=Settings(default_mode="assessment"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await on_screen(pilot, SceneScreen)
        await pilot.press("1")

        def saved_history() -> object:
            runs = saved_profile(saves_dir).runs
            return runs[0].state["history"] if runs else None

        await wait_until(pilot, lambda: saved_history() == [["door", "introduce"]], "autosave")
        assert app.is_running
