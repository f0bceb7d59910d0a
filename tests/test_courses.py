"""Courses: the file format and its diagnostics, the learner's checklist, `netquest course`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from netquest.cli import main
from netquest.engine.course import find_course, load_course
from netquest.engine.library import load_library
from netquest.play.course_progress import course_progress
from netquest.saves import Profile, RunRecord, SaveStore

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus_courses"
FILES = sorted(CORPUS.glob("*.toml"))
BUNDLED_IDS = set(load_library().ids)
_EXPECT = re.compile(r"^# expect: (?:(NQ\d{3}) at (\d+):(\d+)|none)\b", re.MULTILINE)

TODAY = dt.date(2027, 1, 20)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_course_corpus_file(path: Path) -> None:
    text = path.read_text("utf-8")
    expected = {(c, int(line), int(col)) for c, line, col in _EXPECT.findall(text) if c}
    found = {(d.code, d.line, d.column) for d in load_course(path, BUNDLED_IDS).diagnostics}
    assert found == expected


def test_check_names_course_problems_with_lines(capsys: pytest.CaptureFixture[str]) -> None:
    for name, code in (("nq060_unknown_scenario", "NQ060"), ("nq063_cycle", "NQ063")):
        assert main(["check", str(CORPUS / f"{name}.toml")]) == 1
        out = capsys.readouterr().out
        assert re.search(rf"{name}\.toml:\d+:\d+: error {code}: ", out), out


def test_bundled_course_is_clean_and_checked_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    path = find_course("onboarding")
    assert path is not None and path.parent.name == "courses"
    loaded = load_course(path, BUNDLED_IDS)
    assert loaded.ok and loaded.diagnostics == ()
    assert main(["check", "--strict"]) == 0
    # The bundled course is one of the files `check` reads.
    files = int(re.search(r"in (\d+) files", capsys.readouterr().out)[1])  # type: ignore[index]
    scenarios = [p for p in (REPO / "scenarios").glob("*.toml") if p.name != "principles.toml"]
    assert files == len(scenarios) + 1


def test_a_folder_of_scenarios_may_hold_a_course(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text((CORPUS / "clean_course.toml").read_text("utf-8"))
    library = load_library(folders=[tmp_path], include_bundled=False)
    assert library.files == 0  # the course is not mistaken for a scenario


# --- the checklist -----------------------------------------------------------------------------

COURSE = CORPUS / "clean_course.toml"


def _run(scenario: str, mode: str, score: int | None, at: str, done: bool = True) -> RunRecord:
    run = RunRecord.new(scenario, "hash", mode, {}, now=at)
    if not done:
        return run
    return run.finish({"score": score}, 60.0, now=at)


def _profile(*runs: RunRecord) -> Profile:
    profile = Profile.new("Ada", now="2027-01-01T09:00:00Z", machine="m")
    for run in runs:
        profile = profile.with_run(run, now=run.updated)
    return profile


def _states(profile: Profile | None, today: dt.date = TODAY) -> list[str]:
    course = load_course(COURSE, BUNDLED_IDS).value
    assert course is not None
    return [step.state for step in course_progress(course, profile, today).steps]


def test_a_new_learner_sees_the_first_step_next_and_the_rest_locked() -> None:
    assert _states(None) == ["next", "locked"]


def test_practice_done_opens_the_assessment() -> None:
    profile = _profile(_run("conference", "practice", 40, "2027-01-02T10:00:00Z"))
    assert _states(profile) == ["done", "next"]


def test_an_unfinished_practice_run_is_not_done() -> None:
    profile = _profile(_run("conference", "practice", None, "2027-01-02T10:00:00Z", done=False))
    assert _states(profile) == ["next", "locked"]


def test_fail_then_pass_within_the_counted_attempts() -> None:
    course = load_course(COURSE, BUNDLED_IDS).value
    assert course is not None
    runs = [
        _run("conference", "practice", 40, "2027-01-02T10:00:00Z"),
        _run("conference", "assessment", 55, "2027-01-03T10:00:00Z"),
    ]
    after_fail = course_progress(course, _profile(*runs), TODAY)
    assessment = after_fail.steps[1]
    assert assessment.state == "next" and assessment.score == 55
    assert assessment.attempts_used == 1 and assessment.attempts_left == 2
    runs.append(_run("conference", "assessment", 80, "2027-01-04T10:00:00Z"))
    passed = course_progress(course, _profile(*runs), TODAY)
    assert [s.state for s in passed.steps] == ["done", "passed"]
    assert passed.steps[1].score == 80 and passed.complete
    assert passed.completed_at == "2027-01-04T10:00:00Z"


def test_attempts_beyond_the_limit_do_not_count() -> None:
    runs = [_run("conference", "practice", 40, "2027-01-02T10:00:00Z")]
    runs += [
        _run("conference", "assessment", score, f"2027-01-0{day}T10:00:00Z")
        for day, score in ((3, 10), (4, 20), (5, 30), (6, 99))
    ]
    course = load_course(COURSE, BUNDLED_IDS).value
    assert course is not None
    progress = course_progress(course, _profile(*runs), TODAY)
    assert progress.steps[1].state == "failed" and progress.steps[1].score == 30
    assert progress.failed and not progress.complete and progress.next_step is None


def test_overdue_only_for_unfinished_steps_past_their_date() -> None:
    course = load_course(COURSE, BUNDLED_IDS).value
    assert course is not None
    done_practice = _profile(_run("conference", "practice", 40, "2027-01-02T10:00:00Z"))
    late = course_progress(course, done_practice, dt.date(2027, 1, 16))
    assert [s.overdue for s in late.steps] == [False, True]  # the step's own date: 15 Jan
    early = course_progress(course, done_practice, dt.date(2027, 1, 15))
    assert not early.overdue


# --- `netquest course ID --plain` ----------------------------------------------------------


def test_plain_checklist_for_a_learner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = SaveStore(tmp_path)
    profile = _profile(
        _run("read_the_room", "practice", 50, "2027-01-02T10:00:00Z"),
        _run("conference", "practice", 70, "2027-01-03T10:00:00Z"),
        _run("conference", "assessment", 40, "2027-01-04T10:00:00Z"),
    )
    store.save(profile)
    assert (
        main(["course", "onboarding", "--plain", "--saves", str(tmp_path), "--profile", "Ada"]) == 0
    )
    out = capsys.readouterr().out
    assert "[x] 1. Read the Room (practice) · done · score 50" in out
    third = "[>] 3. The Cold Chain Summit (assessment) · next · pass mark 70 · score 40"
    assert f"{third} · attempts 1 of 2" in out
    assert "[-] 6. The Cold Email (assessment) · locked" in out
    assert "2 of 6 steps complete." in out
    assert "Next: netquest play conference --mode assessment --plain --profile Ada" in out


def test_unknown_course_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["course", "nope", "--plain"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no course 'nope' (known: onboarding" in err


def test_a_broken_course_is_refused_with_its_first_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["course", str(CORPUS / "nq063_cycle.toml"), "--plain", "--saves", str(tmp_path)]) == 1
    )
    err = capsys.readouterr().err
    assert "NQ063" in err and err.count("\n") == 1


def test_the_diagnostics_doc_quotes_what_check_prints_for_courses(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    doc = (REPO / "docs" / "diagnostics.md").read_text("utf-8")
    quoted = re.findall(r"^tests/corpus_courses/\S+:\d+:\d+: .*$", doc, re.MULTILINE)
    assert len(quoted) >= 4
    for line in quoted:
        main(["check", line.split(":", 1)[0]])
        assert line in capsys.readouterr().out.splitlines()
