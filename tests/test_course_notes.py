"""What the game says about a course after a run, and about a locked step (pure, no Textual)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from netquest.engine.course import Course, load_course
from netquest.play.course_notes import locked_message, next_message, run_note, step_name
from netquest.play.course_progress import course_progress
from netquest.saves import RunRecord

COURSE = """\
format = 1

[course]
id = "c"
title = "C"

[[steps]]
scenario = "mixer"
pass_mark = 60

[[steps]]
scenario = "mixer"
mode = "assessment"
pass_mark = 70
attempts = 2
unlocks_after = ["mixer-practice"]

[[steps]]
scenario = "gala"
mode = "assessment"
unlocks_after = ["mixer-assessment"]
"""

TITLES = {"mixer": "The Mixer", "gala": "The Gala"}
TODAY = dt.date(2027, 1, 20)


def _course(tmp_path: Path) -> Course:
    path = tmp_path / "c.toml"
    path.write_text(COURSE, encoding="utf-8")
    course = load_course(path, {"mixer", "gala"}).value
    assert course is not None
    return course


def _run(scenario: str, mode: str, score: int, day: int) -> RunRecord:
    at = f"2027-01-{day:02d}T10:00:00Z"
    return RunRecord.new(scenario, "hash", mode, {}, now=at).finish({"score": score}, 60.0, now=at)


def _note(course: Course, runs: list[RunRecord]) -> tuple[str, str]:
    note = run_note(course, runs, runs[-1], TITLES, TODAY)
    assert note is not None
    return note.text, note.tone


def test_practice_below_its_mark_is_not_done_yet(tmp_path: Path) -> None:
    course = _course(tmp_path)
    runs = [_run("mixer", "practice", 50, 2)]
    assert _note(course, runs) == (
        "Practice not done yet: 50 < 60 — play it again to reach the mark",
        "warning",
    )
    runs.append(_run("mixer", "practice", 90, 3))
    assert _note(course, runs) == (
        "Practice done: 90 ≥ 60 — next: The Mixer (assessment)",
        "success",
    )


def test_assessment_attempts_fail_pass_and_past_the_limit(tmp_path: Path) -> None:
    course = _course(tmp_path)
    runs = [_run("mixer", "practice", 90, 2), _run("mixer", "assessment", 55, 3)]
    assert _note(course, runs) == ("Not passed: 55 < 70, 1 attempt left", "error")
    runs.append(_run("mixer", "assessment", 82, 4))
    assert _note(course, runs) == (
        "Assessment passed: 82 ≥ 70 — next: The Gala (assessment)",
        "success",
    )
    runs.append(_run("mixer", "assessment", 99, 5))
    text, tone = _note(course, runs)
    assert text.startswith("This assessment run does not count for the course: only the first 2")
    assert tone == "warning"


def test_a_lower_attempt_after_a_pass_keeps_the_pass(tmp_path: Path) -> None:
    course = _course(tmp_path)
    runs = [
        _run("mixer", "practice", 90, 2),
        _run("mixer", "assessment", 82, 3),
        _run("mixer", "assessment", 40, 4),
    ]
    assert _note(course, runs) == (
        "This attempt scored 40 < 70; the step stays passed with 82 — next: The Gala (assessment)",
        "warning",
    )


def test_no_attempts_left_and_course_complete(tmp_path: Path) -> None:
    course = _course(tmp_path)
    failed = [
        _run("mixer", "practice", 90, 2),
        _run("mixer", "assessment", 10, 3),
        _run("mixer", "assessment", 20, 4),
    ]
    assert _note(course, failed) == (
        "Not passed: 20 < 70, no attempts left: ask your trainer",
        "error",
    )
    progress = course_progress(course, failed, TODAY)
    assert next_message(progress, TITLES) == "an assessment has no attempts left: ask your trainer"
    gala = progress.steps[2]
    assert locked_message(progress, gala, TITLES) == (
        "The Gala (assessment) opens after The Mixer (assessment)."
    )
    done = [*failed[:1], _run("mixer", "assessment", 75, 3), _run("gala", "assessment", 90, 5)]
    assert _note(course, done) == (
        "Assessment passed: 90 ≥ 70 — course complete (3 of 3 steps)",
        "success",
    )


def test_runs_outside_the_course_say_nothing(tmp_path: Path) -> None:
    course = _course(tmp_path)
    other = _run("cold_email", "practice", 50, 2)
    assert run_note(course, [other], other, TITLES, TODAY) is None
    unfinished = RunRecord.new("mixer", "hash", "practice", {}, now="2027-01-02T10:00:00Z")
    assert run_note(course, [unfinished], unfinished, TITLES, TODAY) is None
    assert step_name(course.steps[0], {}) == "mixer (practice)"
