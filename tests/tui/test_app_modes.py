"""Practice mode coaches and allows a step back; assessment mode does neither."""

from __future__ import annotations

from pathlib import Path

from conftest import AppFactory
from core_helpers import on_screen, plain, ready, saved_profile, seed_profile, seeded_app, settle

from netquest.saves import Settings
from netquest.tui.screens.debrief import DebriefScreen
from netquest.tui.screens.picker import PickerScreen
from netquest.tui.screens.scene import SceneScreen
from netquest.tui.widgets.choice_list import ChoiceList
from netquest.tui.widgets.coach_panel import CoachPanel
from netquest.tui.widgets.mode_switch import ModeSwitch


async def test_practice_coach_shows_consequence_note_and_deltas(
    make_app: AppFactory, saves_dir: Path
) -> None:
    async with seeded_app(make_app, saves_dir) as (_app, pilot):
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        await pilot.press("2")  # ask_job
        coach = scene.query_one("#coach", CoachPanel)
        assert coach.display
        assert not scene.query_one("#choices-area").display
        assert "Priya smiles politely" in plain(coach.query_one("#coach-consequence"))
        assert "Give and take: a one-sided ask" in plain(coach.query_one("#coach-note"))
        assert plain(coach.query_one("#coach-deltas")) == "\u22122 Give and take"
        assert "called for Networking; your move was Transactional" in plain(
            coach.query_one("#coach-moment")
        )
        await pilot.press("space")
        await pilot.pause()
        assert scene.session.scene.id == "bar"
        await settle(pilot)


async def test_step_back_in_practice_mode(make_app: AppFactory, saves_dir: Path) -> None:
    async with seeded_app(make_app, saves_dir) as (_app, pilot):
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        session = scene.session
        assert scene.check_action("step_back", ()) is None  # shown, but nothing to undo yet

        # Undo from the coach panel: back to the same scene, the choice forgotten.
        await pilot.press("2")
        assert session.step_number == 1
        await pilot.press("b")
        await pilot.pause()
        assert session.step_number == 0 and session.scene.id == "door"
        assert scene.query_one("#choices-area").display
        assert scene.query_one("#choices", ChoiceList).has_focus

        # Undo after moving on: back to the previous scene, flags undone too.
        await pilot.press("1", "enter")
        assert session.scene.id == "bar" and "met_host" in session.state.flags
        assert scene.check_action("step_back", ()) is True
        await pilot.press("backspace")
        await pilot.pause()
        assert session.scene.id == "door" and session.state.flags == frozenset()
        await settle(pilot)
    (run,) = saved_profile(saves_dir).runs
    assert run.state["history"] == []


async def test_step_back_from_the_last_choice_reopens_the_run(
    make_app: AppFactory, saves_dir: Path
) -> None:
    async with seeded_app(make_app, saves_dir) as (_app, pilot):
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        for key in ("1", "enter", "1", "enter", "2"):  # ... then "nothing": the quiet ending
            await pilot.press(key)
        assert scene.session.is_over
        await pilot.press("b")
        await settle(pilot)
        assert scene.session.scene.id == "follow"
        (run,) = saved_profile(saves_dir).runs
        assert not run.is_finished and run.result is None
        await pilot.press("1", "enter")
        await on_screen(pilot, DebriefScreen)
        await settle(pilot)
    (run,) = saved_profile(saves_dir).runs
    assert run.is_finished and run.result is not None and run.result["ending"] == "coffee"


async def test_no_coach_and_no_step_back_in_assessment_mode(
    make_app: AppFactory, saves_dir: Path
) -> None:
    async with seeded_app(make_app, saves_dir) as (_app, pilot):
        await pilot.press("s")
        picker = await on_screen(pilot, PickerScreen)
        await pilot.press("m")
        assert picker.query_one("#mode", ModeSwitch).mode == "assessment"
        await pilot.press("enter")
        scene = await on_screen(pilot, SceneScreen)
        session = scene.session
        assert session.mode == "assessment"
        assert scene.check_action("step_back", ()) is False  # not even shown in the footer
        assert not scene.query("PrincipleMeter")

        # Just the consequence: no coach note, no points, no verdict on the moment.
        await pilot.press("1")
        coach = scene.query_one("#coach", CoachPanel)
        assert coach.display
        assert "Priya, tells you about the panel" in plain(coach.query_one("#coach-consequence"))
        for part in ("#coach-note", "#coach-deltas", "#coach-moment"):
            assert not coach.query_one(part).display
        assert "step" not in plain(coach.query_one("#coach-hint"))
        await pilot.press("b")
        await pilot.pause()
        assert session.step_number == 1
        await pilot.press("enter")
        await pilot.pause()
        assert session.scene.id == "bar"

        # A choice without a consequence goes straight on.
        await pilot.press("1")
        await pilot.pause()
        assert session.scene.id == "follow"
        assert not coach.display
        await pilot.press("backspace")
        await pilot.pause()
        assert session.scene.id == "follow" and session.step_number == 2
        await pilot.press("1")
        debrief = await on_screen(pilot, DebriefScreen)
        assert debrief.debrief.mode == "assessment"
        await settle(pilot)


async def test_the_default_mode_comes_from_settings(make_app: AppFactory, saves_dir: Path) -> None:
    seed_profile(saves_dir, settings=Settings(default_mode="assessment"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        picker = await on_screen(pilot, PickerScreen)
        assert picker.query_one("#mode", ModeSwitch).mode == "assessment"
        await pilot.press("escape")
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.mode == "assessment"
        await settle(pilot)
