"""PlaySession: one run of the mini scenario, autosaved to a SaveStore under tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netquest.engine import ChoiceError, Entry, load_library
from netquest.play.session import PlaySession, analysis_for, deltas_of
from netquest.saves import Profile, SaveStore


@pytest.fixture
def entry(mini_dir: Path) -> Entry:
    found = load_library(folders=[mini_dir], include_bundled=False).get("mixer")
    assert found is not None
    return found


@pytest.fixture
def store(tmp_path: Path) -> SaveStore:
    return SaveStore(tmp_path / "saves")


def test_new_session(entry: Entry, store: SaveStore) -> None:
    session = PlaySession.new(entry, Profile.new("Ada"), "practice", store)
    assert session.scene is not None and session.scene.id == "door"
    assert [c.id for c in session.offered] == ["introduce", "ask_job"]
    assert session.step_number == 0 and not session.is_over and not session.can_step_back
    assert session.profile.runs == (session.run,)
    assert session.run.scenario_id == "mixer"
    assert session.run.content_hash == entry.scenario.content_hash
    assert not session.run.is_finished


def test_choose_reports_what_happened(entry: Entry, store: SaveStore) -> None:
    session = PlaySession.new(entry, Profile.new("Ada"), "practice", store)
    outcome = session.choose("introduce")
    assert outcome.choice.id == "introduce"
    assert outcome.consequence == "The host, Priya, tells you about the panel."
    assert outcome.coach.startswith("Focused conversation")
    assert [(d.principle, d.value, d.label) for d in outcome.deltas] == [
        ("focus", 2, "+2 Focused conversation"),
        ("rapport", 1, "+1 Build rapport"),
    ]
    assert outcome.read_right is True and not outcome.finished
    assert session.run.state["history"] == [["door", "introduce"]]
    wrong = session.choose("pitch")
    assert wrong.read_right is False  # the bar called for socializing
    assert [d.label for d in wrong.deltas] == ["+1 Focused conversation", "\u22121 Build rapport"]
    with pytest.raises(ChoiceError):
        session.choose("chat")  # not in this scene


def test_step_back(entry: Entry, store: SaveStore) -> None:
    session = PlaySession.new(entry, Profile.new("Ada"), "practice", store)
    session.choose("introduce")
    session.choose("chat")
    session.step_back()
    assert session.scene is not None and session.scene.id == "bar"
    assert session.state.flags == {"met_host"}
    assert session.run.state["history"] == [["door", "introduce"]]

    assessed = PlaySession.new(entry, Profile.new("Bo"), "assessment", store)
    assessed.choose("introduce")
    assert not assessed.can_step_back
    with pytest.raises(ChoiceError):
        assessed.step_back()


def test_save_and_resume(entry: Entry, store: SaveStore) -> None:
    session = PlaySession.new(entry, Profile.new("Ada"), "practice", store)
    session.choose("ask_job")
    assert session.save() is None
    saved = json.loads(store.path_for("Ada").read_text(encoding="utf-8"))
    assert saved["runs"][0]["state"]["node"] == "bar"

    profile = store.load("Ada").profile
    run = profile.latest_unfinished("mixer")
    assert run is not None and run.id == session.run.id
    resumed, notice = PlaySession.resume(entry, profile, run, store)
    assert resumed is not None and notice == ""
    assert resumed.state == session.state and resumed.step_number == 1


def test_finishing_records_the_result(entry: Entry, store: SaveStore) -> None:
    session = PlaySession.new(entry, Profile.new("Ada"), "assessment", store)
    for choice in ("introduce", "pitch", "email_host"):
        outcome = session.choose(choice)
    assert outcome.finished and session.is_over
    assert session.ending is not None and session.ending.id == "coffee"
    report = session.debrief()
    # introduce +3, pitch 0, email_host +3 = 6 of -2..8 -> 80
    assert (report.total, report.worst, report.best, report.score) == (6, -2, 8, 80)
    assert session.run.is_finished
    assert session.run.result == report.to_result()
    assert session.save() is None
    stored = store.load("Ada").profile.runs[0]
    assert stored.is_finished and stored.result is not None and stored.result["score"] == 80
    assert store.load("Ada").profile.latest_unfinished("mixer") is None


def test_resume_of_a_changed_scenario_says_why(entry: Entry, store: SaveStore) -> None:
    session = PlaySession.new(entry, Profile.new("Ada"), "practice", store)
    session.choose("introduce")
    broken = session.run.with_state({**session.run.state, "history": [["door", "gone"]]}, 0)
    resumed, notice = PlaySession.resume(entry, session.profile, broken, store)
    assert resumed is None and "has changed" in notice


def test_save_failure_is_one_line_not_an_exception(entry: Entry, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    session = PlaySession.new(entry, Profile.new("Ada"), "practice", SaveStore(blocker / "saves"))
    error = session.save()
    assert error is not None and "\n" not in error
    assert PlaySession.new(entry, Profile.new("Ada"), "practice").save() is None  # no store


def test_analysis_is_computed_once(entry: Entry) -> None:
    assert analysis_for(entry.scenario) is analysis_for(entry.scenario)


def test_deltas_largest_first(entry: Entry) -> None:
    follow = entry.scenario.scenes["follow"].choice("email_host")
    assert follow is not None
    assert [d.principle for d in deltas_of(follow, entry.catalogue)] == ["give", "focus"]


def test_tally_and_debrief_are_computed_once_per_state(entry: Entry) -> None:
    session = PlaySession.new(entry, Profile.new("Ada"), "practice")
    first = session.tally()
    assert session.tally() is first
    session.choose("introduce")
    moved = session.tally()
    assert moved is not first and moved.totals["focus"] == 2
    for choice_id in ("chat", "email_host"):
        session.choose(choice_id)
    review = session.debrief()  # finishing already computed it for the saved result
    assert session.debrief() is review
    assert session.run.result is not None and session.run.result["score"] == review.score
    session.step_back()
    assert session.debrief() is not review
