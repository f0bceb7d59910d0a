"""Reading the moment agrees with the points (issue 11): the rule, its sentences, every signal.

A moment is read right only when the choice is the kind of action the scene calls for and it
loses no points; the called-for kind that loses points is "right kind of moment, wrong move".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netquest.engine import Entry, Reading, load_library, read_moment
from netquest.play.debrief_markdown import moment_line, render_debrief
from netquest.play.session import PlaySession
from netquest.saves import Profile
from netquest.xapi.config import XapiSettings
from netquest.xapi.statements import RunContext, answered

CORPUS = Path(__file__).resolve().parent / "corpus"


def corpus_entry(name: str) -> Entry:
    path = CORPUS / f"{name}.toml"
    library = load_library(files=[path], include_bundled=False)
    (entry,) = library.entries
    return entry


@pytest.fixture(scope="module")
def loses() -> Entry:
    """A networking moment where a networking 'blast' loses 2 points."""
    return corpus_entry("nq040_called_for_mode_loses")


def test_the_three_readings(loses: Entry) -> None:
    hall = loses.scenario.scenes["hall"]
    readings = {c.id: read_moment(hall.calls_for, c) for c in hall.choices}
    assert readings == {
        "greet": Reading.RIGHT,
        "blast": Reading.WRONG_MOVE,
        "chat": Reading.MISSED,  # socializing where networking was called for, 0 points
    }
    assert read_moment(None, hall.choices[0]) is None


def test_a_called_for_move_that_loses_points_is_not_read_right(loses: Entry) -> None:
    session = PlaySession.new(loses, Profile.new("Ada"), "practice")
    outcome = session.choose("blast")
    assert outcome.reading is Reading.WRONG_MOVE and outcome.read_right is False
    (reading,) = session.tally().readings
    assert (reading.right, reading.total) == (0, 1)
    (decision,) = session.debrief().decisions
    assert decision.reading is Reading.WRONG_MOVE and decision.read_right is False
    assert session.run.result is not None
    assert session.run.result["readings"] == {"nvs": [0, 1]}


def test_each_reading_has_its_own_sentence_with_the_reason(loses: Entry) -> None:
    hall, catalogue = loses.scenario.scenes["hall"], loses.catalogue
    lines = {c.id: moment_line(hall.calls_for, c, catalogue) for c in hall.choices}
    assert lines["greet"] == "✓ The moment called for Networking: you read it right."
    assert lines["blast"] == (
        "✗ Right kind of moment, wrong move: the moment called for Networking, "
        "but this move lost points (−2 Build rapport)."
    )
    assert lines["chat"] == "✗ The moment called for Networking; your move was Socializing."


def test_the_markdown_debrief_marks_the_wrong_move(loses: Entry) -> None:
    session = PlaySession.new(loses, Profile.new("Ada"), "practice")
    session.choose("blast")
    text = render_debrief(session.debrief(), loses.scenario, loses.catalogue)
    assert "- **Reading the moment:** ✗ Right kind of moment, wrong move" in text
    assert "you read 0 of 1 moment" in text


def test_xapi_success_is_false_for_the_wrong_move(loses: Entry) -> None:
    ctx = RunContext.for_run("Ada", "m", "run-1", "x", "practice", "hash", XapiSettings())
    hall = loses.scenario.scenes["hall"]
    wrong = answered(ctx, 1, "hall", "blast", hall, timestamp="2025-01-01T00:00:00Z")
    right = answered(ctx, 1, "hall", "greet", hall, timestamp="2025-01-01T00:00:00Z")
    assert wrong["result"]["success"] is False
    assert right["result"]["success"] is True


# --- the bundled curriculum -----------------------------------------------------------------

BUNDLED = load_library()


@pytest.mark.parametrize("entry", BUNDLED.entries, ids=lambda e: e.scenario.id)
def test_no_bundled_choice_shows_a_mark_that_contradicts_its_points(entry: Entry) -> None:
    """✓ never sits beside a loss, ✗ never beside a gain, in any scene of any scenario."""
    contradictions = []
    for scene in entry.scenario.scenes.values():
        for choice in scene.choices:
            line = moment_line(scene.calls_for, choice, entry.catalogue)
            net = choice.total
            if (line.startswith("✓") and net < 0) or (line.startswith("✗") and net > 0):
                contradictions.append(f"{scene.id}/{choice.id}: {line[:1]} with net {net:+d}")
    assert contradictions == []


# --- the authoring guide ---------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def test_every_reason_to_lose_points_names_a_real_principle() -> None:
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = guide.split("## How to score a choice")[1].split("### Hidden history")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) >= 10
    known = set(BUNDLED.entries[0].catalogue.principles)
    for row in rows:
        named = re.findall(r"`([a-z_]+)`", row.split("|")[2])
        assert named and set(named) <= known, row
