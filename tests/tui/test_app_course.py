"""A new hire follows a course in the game: a practice step, then an assessment failed once and
passed on the second attempt; the checklist, Continue, the debrief and Progress keep step."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import AppFactory
from core_helpers import on_screen, plain, ready, seed_profile, settle, wait_until
from course_helpers import BEST, WORST, first_week, play_path
from textual.pilot import Pilot
from textual.widgets import OptionList

from netquest.play.course_progress import StepState
from netquest.saves import SaveStore
from netquest.tui.app import NetquestApp
from netquest.tui.screens.debrief import DebriefScreen
from netquest.tui.screens.progress import ProgressScreen
from netquest.tui.screens.scene import SceneScreen
from netquest.tui.screens.title import TitleScreen
from netquest.tui.widgets.course_checklist import CourseChecklist
from netquest.xapi.journal import journal_for


def states(app: NetquestApp) -> list[StepState]:
    """The states the title screen's checklist shows."""
    progress = app.screen.query_one(CourseChecklist).progress
    assert progress is not None
    return [step.state for step in progress.steps]


def rows(app: NetquestApp) -> list[str]:
    """The checklist's rows as text."""
    options = app.screen.query_one("#course-steps", OptionList).options
    return [str(getattr(option.prompt, "plain", option.prompt)) for option in options]


def continue_detail(app: NetquestApp) -> str:
    prompt = app.screen.query_one("#menu", OptionList).get_option("continue").prompt
    return str(getattr(prompt, "plain", prompt))


def messages(app: NetquestApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def back_to_title(pilot: Pilot[Any], app: NetquestApp) -> None:
    await pilot.press("escape")
    await on_screen(pilot, TitleScreen)
    await settle(pilot)


async def test_a_new_hire_practises_fails_once_then_passes(
    make_app: AppFactory, saves_dir: Path, tmp_path: Path
) -> None:
    course = first_week(tmp_path / "courses")
    seed_profile(saves_dir)
    app = make_app(course=course)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        title = app.screen
        assert isinstance(title, TitleScreen)
        checklist = title.query_one(CourseChecklist)
        assert checklist.border_title == "First Week"
        assert states(app) == ["next", "locked"]
        assert "0 of 2 steps complete" in plain(checklist.query_one("#course-summary"))
        assert "Practice: The Mixer" in continue_detail(app)
        first, second = rows(app)
        assert "▶ 1. The Mixer" in first and "practice · next" in first
        assert "assessment · locked" in second and "pass 70" in second and "0/2" in second

        # A locked row says what it waits for, and nothing starts.
        await pilot.click("#course-steps", offset=(6, 3))
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert "The Mixer (assessment) opens after The Mixer (practice)." in messages(app)

        # Continue starts the practice step; it is done once finished.
        await pilot.press("c")
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.mode == "practice"
        debrief = await play_path(pilot, BEST)
        note = plain(debrief.query_one("#course-note"))
        assert "Practice done — next: The Mixer (assessment)" in note
        await back_to_title(pilot, app)
        assert states(app) == ["done", "next"]
        assert "100" in rows(app)[0]
        assert "Assessment: The Mixer" in continue_detail(app)

        # Continue goes to the assessment: quit half way, and Continue resumes that run.
        await pilot.press("c")
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.mode == "assessment"
        unfinished = scene.session.run.id
        await pilot.press("1", "enter")  # introduce, then past its consequence
        await wait_until(pilot, lambda: scene.session.step_number == 1)
        await pilot.press("escape")
        await on_screen(pilot, TitleScreen)
        await settle(pilot)
        assert states(app) == ["done", "next"]
        await pilot.press("c")
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.run.id == unfinished and scene.session.step_number == 1

        # ... and finishes it badly: not passed, one attempt left.
        debrief = await play_path(pilot, ("pitch", "nothing"))
        assert "Not passed: 50 < 70, 1 attempt left" in plain(debrief.query_one("#course-note"))
        # The exported debrief carries the same course note the screen shows.
        assert isinstance(debrief, DebriefScreen)
        assert "**Course:** Not passed: 50 < 70, 1 attempt left" in debrief.markdown
        await back_to_title(pilot, app)
        assert states(app) == ["done", "next"]
        assert "next · best 50" in rows(app)[1] and "1/2 attempts" in rows(app)[1]

        # Enter on the checklist's row starts the step too: the second attempt passes.
        title.query_one("#course-steps", OptionList).focus()
        title.query_one("#course-steps", OptionList).highlighted = 1
        await pilot.press("enter")
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.mode == "assessment"
        debrief = await play_path(pilot, BEST)
        note = plain(debrief.query_one("#course-note"))
        assert "Assessment passed: 100 ≥ 70 — course complete (2 of 2 steps)" in note
        await back_to_title(pilot, app)
        assert states(app) == ["done", "passed"]
        assert "passed 100" in rows(app)[1] and "2/2 attempts" in rows(app)[1]
        assert "Course complete: 2 of 2 steps" in plain(checklist.query_one("#course-summary"))
        assert "Course complete" in continue_detail(app)

        # Continue now says so, and starts nothing.
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert "Course complete (2 of 2 steps)." in messages(app)

        # Progress shows the course too.
        await pilot.press("p")
        progress = await on_screen(pilot, ProgressScreen)
        shown = plain(progress.query_one("#course-progress"))
        assert "Course complete: 2 of 2 steps" in shown
        assert "practice · done 100" in shown and "assessment · passed 100" in shown
        await settle(pilot)

    # Each counted assessment attempt was judged live, for the trainer's LRS.
    journal = journal_for(SaveStore(saves_dir).path_for("Ada"))
    verbs = [json.loads(line)["verb"]["id"].rsplit("/", 1)[-1] for line in journal.open()]
    assert verbs.count("failed") == 1 and verbs.count("passed") == 1
    runs = SaveStore(saves_dir).load("Ada").profile.runs
    assert [(r.mode, r.result["score"] if r.result else None) for r in runs] == [
        ("practice", 100),
        ("assessment", 50),
        ("assessment", 100),
    ]


async def test_a_failed_assessment_says_ask_the_trainer(
    make_app: AppFactory, saves_dir: Path, tmp_path: Path
) -> None:
    course = first_week(tmp_path / "courses", due="2020-01-31")
    seed_profile(saves_dir)
    app = make_app(course=course)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await play_path(pilot, BEST)
        for _attempt in range(2):
            await back_to_title(pilot, app)
            await pilot.press("c")
            debrief = await play_path(pilot, WORST)
        assert isinstance(debrief, DebriefScreen)
        assert "no attempts left: ask your trainer" in plain(debrief.query_one("#course-note"))
        await back_to_title(pilot, app)
        assert states(app) == ["done", "failed"]
        assert "overdue" in rows(app)[1]
        await pilot.press("c")
        await pilot.pause()
        assert "An assessment has no attempts left: ask your trainer." in messages(app)
        title = app.screen
        title.query_one("#course-steps", OptionList).focus()
        title.query_one("#course-steps", OptionList).highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert any("counted attempts are used without a pass" in m for m in messages(app))


async def test_the_menu_cursor_stays_where_the_player_put_it(
    make_app: AppFactory, saves_dir: Path, tmp_path: Path
) -> None:
    """Refreshing the title (a resize, a profile reload) never moves the menu's highlight.

    Textual's ``enable_option`` moves the highlight off an already-enabled, highlighted option;
    the title once called it on every refresh, so Continue's highlight jumped to New game.
    """
    course = first_week(tmp_path / "courses")
    seed_profile(saves_dir)
    app = make_app(course=course)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        menu = app.screen.query_one("#menu", OptionList)
        assert menu.highlighted == menu.get_option_index("continue")
        title = app.screen
        assert isinstance(title, TitleScreen)
        for size in ((60, 20), (80, 24)):
            title._refresh_status()
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert menu.highlighted == menu.get_option_index("continue"), size
        await pilot.press("down", "down")  # the player moves to Scenarios
        title._refresh_status()
        await pilot.resize_terminal(70, 22)
        await settle(pilot)
        assert menu.highlighted == menu.get_option_index("scenarios")


async def test_progress_suggests_the_course_s_next_step_and_plays_it(
    make_app: AppFactory, saves_dir: Path, tmp_path: Path
) -> None:
    """With a course, "Suggested next" is the course's next step, not a weakest-principle pick."""
    course = first_week(tmp_path / "courses")
    seed_profile(saves_dir)
    app = make_app(course=course)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await play_path(pilot, BEST)  # the practice step is done: the assessment is next
        await back_to_title(pilot, app)
        await pilot.press("p")
        progress = await on_screen(pilot, ProgressScreen)
        await settle(pilot)
        assert "(assessment)" in plain(progress.query_one("#suggested-title"))
        assert "next step of your course" in plain(progress.query_one("#suggested-reason"))
        await pilot.press("p")
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.mode == "assessment"
