"""Collecting saves and building the report: merging, labels, cells, cohort maths, decisions."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from report_fixtures import MINI, Cohort, cohort, copy_cohort

from netquest.engine import load_library
from netquest.reports import build_report, collect
from netquest.reports.build import spread
from netquest.reports.collect import find_saves
from netquest.saves import Profile, RunRecord, SaveStore, read_profile


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory) -> Cohort:
    return cohort(tmp_path_factory)


def run(
    scenario: str,
    *,
    score: int | None,
    started: str,
    mode: str = "practice",
    path: list[list[str]] | None = None,
    principles: dict[str, int] | None = None,
    seconds: float = 60.0,
) -> RunRecord:
    """A hand-made run; ``score=None`` leaves it in progress."""
    record = RunRecord.new(scenario, "hash", mode, {"history": path or []}, now=started)
    record = record.with_state({"history": path or []}, seconds, now=started)
    if score is None:
        return record
    result = {
        "score": score,
        "total": 0,
        "best": 0,
        "worst": 0,
        "ending": "coffee",
        "outcome": "good",
        "principles": principles or {},
        "readings": {"nvs": [1, 2]},
        "path": path or [],
    }
    return record.finish(result, seconds, now=started.replace("T09", "T10"))


def save(folder: Path, profile: Profile, name: str | None = None) -> Path:
    path = SaveStore(folder).save(profile)
    if name is not None:
        path = path.rename(folder / name)
    return path


# --- collecting ------------------------------------------------------------------------------


def test_collect_searches_folders_and_ignores_what_is_not_a_save(group: Cohort) -> None:
    paths, missing = find_saves([group.folder])
    names = {path.name for path in paths}
    assert not missing
    assert group.corrupt.name in names  # a candidate: reading it decides
    assert "netquest-app.json" not in names
    assert not any(".corrupt-" in name or name.endswith((".jsonl", ".lock")) for name in names)
    collection = collect([group.folder])
    assert collection.files == 25 and len(collection.learners) == 25
    assert [s.path for s in collection.skipped] == [str(group.corrupt)]


def test_collect_merges_copies_of_one_profile_and_keeps_machines_apart(tmp_path: Path) -> None:
    a = Profile.new("Ada", machine="a" * 16).with_run(
        run("mixer", score=40, started="2025-01-01T09:00:00.000Z")
    )
    later = a.with_run(run("mixer", score=90, started="2025-01-02T09:00:00.000Z"))
    other = Profile.new("Ada", machine="b" * 16).with_run(
        run("mixer", score=10, started="2025-01-03T09:00:00.000Z")
    )
    save(tmp_path / "laptop1", a)
    save(tmp_path / "backup" / "deep", later)  # the same profile, one run more
    save(tmp_path / "laptop2", other)
    hidden = tmp_path / ".trash"
    save(hidden, Profile.new("Ghost", machine="c" * 16))
    collection = collect([tmp_path, tmp_path / "laptop1"])  # the folder twice: read once
    assert collection.files == 3
    learners = {(s.name, s.machine): s for s in collection.learners}
    assert set(learners) == {("Ada", "a" * 16), ("Ada", "b" * 16)}
    assert len(learners[("Ada", "a" * 16)].runs) == 2
    assert len(learners[("Ada", "a" * 16)].files) == 2
    report = build_report(collection, None)
    assert [learner.label for learner in report.learners] == [
        "Ada (machine aaaa…)",
        "Ada (machine bbbb…)",
    ]


def test_labels_grow_until_machines_differ(tmp_path: Path) -> None:
    for machine in ("abcd1111aaaaaaaa", "abcd2222bbbbbbbb"):
        save(tmp_path / machine, Profile.new("Sam", machine=machine))
    save(tmp_path / "x", Profile.new("sam", machine="ffff000000000000"))
    report = build_report(collect([tmp_path]), None)
    assert sorted(learner.label for learner in report.learners) == [
        "Sam (machine abcd11…)",
        "Sam (machine abcd22…)",
        "sam (machine ffff00…)",
    ]


def test_a_file_that_is_not_a_save_is_skipped_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text(json.dumps({"hello": 1}), "utf-8")
    (tmp_path / "empty.json").write_text("", "utf-8")
    save(tmp_path, Profile.new("Bo"))
    collection = collect([tmp_path, tmp_path / "gone.json"])
    reasons = {Path(item.path).name: item.reason for item in collection.skipped}
    assert reasons == {
        "notes.json": 'not a netquest save file ("format" is not "netquest-save")',
        "empty.json": "the file is empty",
        "gone.json": "no such file or folder",
    }
    assert collection.files == 1


# --- cells and the cohort ----------------------------------------------------------------------


def test_cell_counts_first_latest_best_and_the_first_assessment(tmp_path: Path) -> None:
    profile = Profile.new("Kim", machine="1" * 16)
    for day, (score, mode) in enumerate(
        [(30, "practice"), (70, "assessment"), (50, "assessment"), (None, "practice")], start=1
    ):
        profile = profile.with_run(
            run("mixer", score=score, started=f"2025-02-0{day}T09:00:00.000Z", mode=mode)
        )
    save(tmp_path, profile)
    report = build_report(collect([tmp_path]), None)
    learner = report.learners[0]
    cell = report.cell(learner.key, "mixer")
    assert (cell.status, cell.attempts, cell.completed) == ("completed", 4, 3)
    assert (cell.first, cell.latest, cell.best, cell.gain) == (30, 50, 70, 20)
    assert (cell.assessment, cell.assessment_pending) == (70, False)
    assert cell.seconds == 240.0
    assert cell.first_started == "2025-02-01T09:00:00.000Z"
    assert report.cell(learner.key, "other").status == "not started"
    assert report.summary.in_progress_cells == 0 and report.summary.completed_cells == 1


def test_spread_is_the_population_statistics() -> None:
    values = [10.0, 20.0, 60.0]
    result = spread(values)
    assert result.count == 3 and result.mean == 30.0
    assert result.stdev == round(math.sqrt(((20**2) + (10**2) + (30**2)) / 3), 1)
    assert (result.low, result.high) == (10.0, 60.0)
    assert spread([]).mean is None


def test_cohort_mastery_uses_the_scenarios_principle_ranges(tmp_path: Path) -> None:
    library = load_library(folders=[MINI], include_bundled=False)
    # The mixer allows focus 0..4, give -2..2, rapport -1..3 over complete runs.
    high = {"focus": 4, "give": 2, "rapport": 3}
    low = {"focus": 0, "give": -2, "rapport": -1}
    middle = {"focus": 2, "give": 0, "rapport": 1}
    for index, totals in enumerate([high, low, middle]):
        profile = Profile.new(f"L{index}", machine=f"{index:016d}").with_run(
            run("mixer", score=50, started="2025-03-01T09:00:00.000Z", principles=totals)
        )
        save(tmp_path, profile)
    report = build_report(collect([tmp_path]), library)
    stats = {p.principle: p.mastery for p in report.principles}
    for principle in ("focus", "give", "rapport"):
        assert stats[principle].count == 3
        assert stats[principle].mean == 50.0
        assert (stats[principle].low, stats[principle].high) == (0.0, 100.0)
    axis = {a.axis: a for a in report.axes}
    assert axis["nvs"].reading.mean == 50.0 and axis["nvs"].moments == 6
    assert set(report.weakest) == {"focus", "give", "rapport"}


def test_decision_counts_match_the_first_runs(group: Cohort) -> None:
    report = build_report(collect([group.folder]), group.library, scenario="mixer")
    (view,) = report.decisions
    first_runs = []
    for path in group.folder.glob("*.json"):
        try:
            profile = read_profile(path)
        except ValueError:
            continue
        runs = profile.runs_for("mixer")
        if runs:
            first_runs.append(runs[0])
    assert view.learners == len(first_runs) == 22
    for scene in view.scenes:
        taken = [choice for r in first_runs for s, choice in r.state["history"] if s == scene.scene]
        assert scene.reached == len(taken)
        assert sum(c.learners for c in scene.choices) == len(taken)
        for count in scene.choices:
            assert count.learners == taken.count(count.choice)
            assert count.share == (round(count.learners / len(taken), 3) if taken else 0.0)
    door = next(s for s in view.scenes if s.scene == "door")
    assert door.calls_for == "networking"
    assert [c.choice for c in door.choices] == ["introduce", "ask_job"]
    assert door.choices[0].reads_right is True and door.choices[1].reads_right is False


def test_report_survives_saves_of_scenarios_no_longer_in_the_library(
    group: Cohort, tmp_path: Path
) -> None:
    folder = copy_cohort(group, tmp_path / "saves")
    report = build_report(collect([folder]), None)  # no library at all
    assert {info.id for info in report.scenarios} == set(group.played)
    assert not any(info.available for info in report.scenarios)
    assert all(p.mastery.count == 0 for p in report.principles)
    mixer = next(view for view in report.decisions if view.scenario == "mixer")
    assert mixer.scenes and all(scene.title == scene.scene for scene in mixer.scenes)
    shutil.rmtree(folder)
