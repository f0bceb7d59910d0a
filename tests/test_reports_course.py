"""`netquest report --course`: who passed, per learner and per step, in every format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path

import pytest

from netquest.cli import main
from netquest.engine import load_library
from netquest.engine.course import load_course
from netquest.reports import build_report, collect, render
from netquest.saves import Profile, SaveStore
from netquest.xapi.journal import journal_for, read_statements
from netquest.xapi.recorder import default_listener
from netquest.xapi.vocab import (
    ACTIVITY_COURSE,
    EXT_ATTEMPT,
    VERB_COMPLETED,
    VERB_FAILED,
    VERB_PASSED,
)
from tests.report_fixtures import best, no_lrs, play, worst

COURSE = """format = 1

[course]
id = "summit"
title = "Summit <b>ready</b>"
due = 2027-02-01

[[steps]]
scenario = "conference"

[[steps]]
scenario = "conference"
mode = "assessment"
pass_mark = 70
attempts = 2
unlocks_after = ["conference-practice"]
"""


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Four learners: passes on the second attempt, fails twice, unfinished, never started."""
    root = tmp_path_factory.mktemp("course-cohort")
    saves = root / "saves"
    store = SaveStore(saves)
    entry = load_library().get("conference")
    assert entry is not None
    rng = random.Random(3)
    with no_lrs():
        kim = Profile.new("Kim", machine="m1")
        for mode, policy in (("practice", best), ("assessment", worst), ("assessment", best)):
            kim = play(entry, kim, store, mode, policy, rng)
        lou = Profile.new("Lou", machine="m1")
        for mode, policy in (("practice", worst), ("assessment", worst), ("assessment", worst)):
            lou = play(entry, lou, store, mode, policy, rng)
        lou = play(entry, lou, store, "assessment", best, rng)  # a third attempt: does not count
        play(entry, Profile.new("Max", machine="m1"), store, "practice", best, rng, stop_after=2)
        store.save(Profile.new("Noor", machine="m1"))
    course = root / "summit.toml"
    course.write_text(COURSE, "utf-8")
    return saves, course


def _report(cohort: tuple[Path, Path], fmt: str, today: dt.date = dt.date(2027, 2, 2)) -> str:
    saves, course_file = cohort
    library = load_library()
    course = load_course(course_file, set(library.ids)).value
    assert course is not None
    report = build_report(collect([saves]), library, course=course, today=today)
    return render(report, fmt)


def test_json_has_each_learners_standing(cohort: tuple[Path, Path]) -> None:
    data = json.loads(_report(cohort, "json"))["course"]
    rows = {row["label"]: row for row in data["learners"]}
    assert rows["Kim"]["states"] == ["done", "passed"] and rows["Kim"]["status"] == "passed"
    assert rows["Kim"]["scores"][1] == 100 and rows["Kim"]["attempts"] == [1, 2]
    assert rows["Lou"]["states"] == ["done", "failed"] and rows["Lou"]["status"] == "failed"
    assert rows["Lou"]["attempts"][1] == 2  # the third, passing attempt does not count
    assert rows["Max"]["states"] == ["next", "locked"] and rows["Max"]["status"] == "overdue"
    assert rows["Noor"]["done"] == 0 and rows["Noor"]["overdue"] is True
    assert data["passed"] == 1
    steps = data["steps"]
    assert [s["started"] for s in steps] == [2, 2] and [s["completed"] for s in steps] == [2, 1]
    assert steps[1]["failed"] == 1 and steps[1]["pass_rate"] == 0.5
    assert steps[1]["lost"], "those who failed lost or missed some principle"


def test_before_the_due_date_nobody_is_overdue(cohort: tuple[Path, Path]) -> None:
    data = json.loads(_report(cohort, "json", today=dt.date(2027, 1, 15)))["course"]
    assert not any(row["overdue"] for row in data["learners"])


def test_markdown_course_section(cohort: tuple[Path, Path]) -> None:
    text = _report(cohort, "md")
    assert "## Course: Summit <b>ready</b>" not in text  # escaped
    assert "## Course: Summit \\<b\\>ready\\</b\\>" in text
    assert "1 of 4 learners completed the course · due 2027-02-01" in text
    kim = next(line for line in text.splitlines() if line.startswith("| Kim |"))
    assert "| 2/2 | passed | done" in kim and "passed 100" in kim
    lou = next(line for line in text.splitlines() if line.startswith("| Lou |"))
    assert "| 1/2 | failed (overdue) | done" in lou
    assert "| 2. The Cold Chain Summit | assessment | 70 | 2 | 1 | 1 | 50% |" in text


def test_csv_is_one_row_per_learner_and_step(cohort: tuple[Path, Path]) -> None:
    rows = list(csv.DictReader(io.StringIO(_report(cohort, "csv"))))
    assert len(rows) == 8
    kim = [r for r in rows if r["learner"] == "Kim"]
    assert [r["state"] for r in kim] == ["done", "passed"]
    assert kim[1]["counting_score"] == "100" and kim[1]["attempts_used"] == "2"
    assert kim[1]["course_status"] == "passed"
    noor = [r for r in rows if r["learner"] == "Noor"]
    assert noor[0]["step_overdue"] == "yes" and noor[0]["course_status"] == "overdue"


def test_html_course_section_is_escaped_and_coloured(cohort: tuple[Path, Path]) -> None:
    html = _report(cohort, "html")
    assert '<section id="course"><h2>Course: Summit &lt;b&gt;ready&lt;/b&gt;</h2>' in html
    assert '<a href="#course">Course</a>' in html
    assert '<td class="failed">failed</td>' in html
    assert 'class="late">' in html


def test_cli_report_course(cohort: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    saves, course_file = cohort
    assert main(["report", str(saves), "--course", str(course_file), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["course"]["id"] == "summit"
    assert main(["report", str(saves), "--course", "nope"]) == 2
    assert "no course 'nope'" in capsys.readouterr().err


# --- xAPI: passed / failed per counted attempt, completed for the course --------------------


def _validate(statement: dict[str, object]) -> None:
    from ralph.models.xapi.base.statements import BaseXapiStatement
    from ralph.models.xapi.concepts.activity_types.scorm_profile import CourseActivity

    BaseXapiStatement.model_validate(statement)
    verb = statement["verb"]["id"]  # type: ignore[index]
    if statement["object"]["definition"]["type"] == ACTIVITY_COURSE:  # type: ignore[index]
        CourseActivity.model_validate(statement["object"])
    else:
        parent = statement["context"]["contextActivities"]["parent"]  # type: ignore[index]
        assert parent[0]["id"].endswith("/courses/summit")
        assert verb in (VERB_PASSED, VERB_FAILED)


def test_live_recording_judges_counted_attempts_and_completes_the_course(
    tmp_path: Path, cohort: tuple[Path, Path]
) -> None:
    _, course_file = cohort
    course = load_course(course_file, set(load_library().ids)).value
    assert course is not None
    entry = load_library().get("conference")
    assert entry is not None
    store = SaveStore(tmp_path)
    profile = Profile.new("Ria", machine="m2")
    rng = random.Random(5)
    with no_lrs():
        listener = default_listener(store, course)
        for mode, policy in (("practice", best), ("assessment", worst), ("assessment", best)):
            profile = play(entry, profile, store, mode, policy, rng, listener=listener)
    statements, bad = read_statements(journal_for(store.path_for("Ria")))
    assert bad == 0
    judged = [s for s in statements if s["verb"]["id"] in (VERB_PASSED, VERB_FAILED)]
    assert [s["verb"]["id"] for s in judged] == [VERB_FAILED, VERB_PASSED]
    assert [s["result"]["success"] for s in judged] == [False, True]
    assert [s["context"]["extensions"][EXT_ATTEMPT] for s in judged] == [1, 2]
    done = [s for s in statements if s["object"]["definition"].get("type") == ACTIVITY_COURSE]
    assert len(done) == 1 and done[0]["verb"]["id"] == VERB_COMPLETED
    for statement in [*judged, *done]:
        _validate(statement)


def test_export_rebuilds_course_statements_once(
    cohort: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    saves, course_file = cohort
    argv = ["report", str(saves), "--format", "xapi", "--course", str(course_file)]
    with no_lrs():
        assert main(argv) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    judged = [s for s in lines if s["verb"]["id"] in (VERB_PASSED, VERB_FAILED)]
    by_actor: dict[str, list[str]] = {}
    for statement in judged:
        by_actor.setdefault(statement["actor"]["account"]["name"], []).append(
            statement["verb"]["id"]
        )
    # Kim: failed then passed; Lou: failed twice (the third attempt does not count).
    assert sorted(map(sorted, by_actor.values())) == [
        sorted([VERB_FAILED, VERB_FAILED]),
        sorted([VERB_FAILED, VERB_PASSED]),
    ]
    completions = [s for s in lines if s["object"]["definition"].get("type") == ACTIVITY_COURSE]
    assert len(completions) == 1  # Kim only
    assert len({s["id"] for s in lines}) == len(lines)
    for statement in [*judged, *completions]:
        _validate(statement)
