"""SVG snapshots of a course: the title screen's checklist, the Progress screen's course
section and a debrief's course note, at 80×24 and 60×20.

The learner has done the practice, failed one of two assessment attempts (the course is past
its due date, so that step is overdue) and has a third step locked behind the assessment.
Update the baselines with
``.venv/bin/python -m pytest tests/tui/test_snapshots_course.py --snapshot-update``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import AppFactory
from core_helpers import ready, seed_profile, settle
from course_helpers import first_week, play_path
from extra_fixtures import ScreenHost, two_library
from progress_fixtures import profile, run
from textual.pilot import Pilot

from netquest.engine import Library
from netquest.engine.course import Course, load_course
from netquest.play.course_progress import course_progress
from netquest.saves import RunRecord
from netquest.tui.screens.progress import ProgressScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]

SnapCompare = Callable[..., bool]

COURSE = """\
format = 1

[course]
id = "first-week"
title = "First Week"
due = 2025-03-31

[[steps]]
scenario = "mixer"
mode = "practice"

[[steps]]
scenario = "mixer"
mode = "assessment"
pass_mark = 70
attempts = 2
unlocks_after = ["mixer-practice"]

[[steps]]
scenario = "gala"
mode = "practice"
unlocks_after = ["mixer-assessment"]
"""

TODAY = dt.date(2025, 4, 2)
"""After the course's due date."""


def course_runs() -> tuple[RunRecord, ...]:
    """The practice done with 100, one assessment attempt of two used, with 50."""
    practice = run("mixer", 3, score=100)
    attempt = dataclasses.replace(run("mixer", 4, score=50, run_id="attempt-1"), mode="assessment")
    return practice, attempt


@pytest.fixture
def two(tmp_path: Path) -> Library:
    return two_library(tmp_path / "scenarios")


@pytest.fixture
def course(tmp_path: Path) -> Course:
    path = tmp_path / "first-week.toml"
    path.write_text(COURSE, encoding="utf-8")
    loaded = load_course(path, {"mixer", "gala"})
    assert loaded.value is not None and not loaded.diagnostics
    return loaded.value


@pytest.mark.parametrize("size", SIZES)
def test_title_with_a_course(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    saves_dir: Path,
    two: Library,
    course: Course,
    size: tuple[int, int],
) -> None:
    seed_profile(saves_dir, runs=course_runs())

    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await settle(pilot)

    app = make_app(library=two, course=course)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_progress_with_a_course(
    snap_compare: SnapCompare, two: Library, course: Course, size: tuple[int, int]
) -> None:
    learner = profile(*course_runs())
    standing = course_progress(course, learner, TODAY)
    titles = {entry.scenario.id: entry.scenario.title for entry in two.entries}
    app = ScreenHost(lambda: ProgressScreen(learner, two, standing, titles))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_debrief_with_a_course_note(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    saves_dir: Path,
    tmp_path: Path,
    size: tuple[int, int],
) -> None:
    seed_profile(saves_dir, runs=course_runs()[:1])  # the practice is done

    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("c")  # the assessment, failed with 50
        await play_path(pilot, ("introduce", "pitch", "nothing"))
        await settle(pilot)

    app = make_app(course=first_week(tmp_path / "courses"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)
