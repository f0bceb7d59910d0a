"""Tests for netquest.play.progress: history per scenario, mastery over time, what to play next."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from progress_fixtures import CREATED, MINI, profile, run, stamp, two_library

from netquest.engine import Library, load_library
from netquest.play.progress import (
    MASTERY_TARGET,
    format_duration,
    mastery_value,
    principle_ranges,
    summarise,
    teaching_weight,
)
from netquest.play.session import PlaySession
from netquest.saves import Profile


@pytest.fixture(scope="module")
def mini() -> Library:
    return load_library([MINI], include_bundled=False)


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The mini fixture plus a second scenario, 'gala', and a fourth principle, 'listen'."""
    return two_library(tmp_path_factory.mktemp("two"))


# --- scenario lines -----------------------------------------------------------------------------


def test_a_new_player_sees_every_scenario_as_new(mini: Library) -> None:
    summary = summarise(profile(), mini)
    (line,) = summary.scenarios
    assert (line.id, line.title, line.runs, line.finished) == ("mixer", "The Mixer", 0, 0)
    assert line.best is None and line.last is None
    assert not line.in_progress
    assert line.status == "new"
    assert (summary.runs, summary.finished, summary.seconds) == (0, 0, 0)


def test_runs_best_and_last_score_per_scenario(mini: Library) -> None:
    # Stored out of time order: "last" must follow the finish time, not the storage order.
    summary = summarise(
        profile(
            run("mixer", 5, score=40),
            run("mixer", 3, score=90),
            run("mixer", 6, finished=False),
        ),
        mini,
    )
    (line,) = summary.scenarios
    assert (line.runs, line.finished, line.best, line.last) == (3, 2, 90, 40)
    assert line.in_progress
    assert line.status == "in progress"
    assert (summary.runs, summary.finished, summary.seconds) == (3, 2, 180)


def test_runs_of_a_scenario_no_longer_loaded_are_listed_as_unavailable(mini: Library) -> None:
    summary = summarise(profile(run("gone", 2, score=70, principles={"focus": 4})), mini)
    assert [line.id for line in summary.scenarios] == ["mixer", "gone"]
    gone = summary.scenarios[1]
    assert (gone.title, gone.available, gone.best) == ("gone", False, 70)
    assert gone.status == "unavailable"
    # No scenario, no range: the run gives no mastery evidence.
    assert all(not mastery.points for mastery in summary.mastery)


def test_a_result_with_junk_values_is_read_defensively(mini: Library) -> None:
    broken = run("mixer", 2, principles={"focus": 2})
    broken = dataclasses.replace(broken, result={"score": True, "principles": [1, 2]})
    summary = summarise(profile(broken), mini)
    assert summary.scenarios[0].best is None
    assert all(not mastery.points for mastery in summary.mastery)


# --- mastery over time --------------------------------------------------------------------------


def test_mastery_is_normalised_within_each_principles_range(mini: Library) -> None:
    mixer = mini.get("mixer")
    assert mixer is not None
    ranges = principle_ranges(mixer.scenario)
    assert ranges == {"focus": (0, 4), "give": (-2, 2), "rapport": (-1, 3)}
    summary = summarise(
        profile(
            run("mixer", 4, principles={"focus": 4, "give": 2, "rapport": 3}),
            run("mixer", 2, principles={"focus": 0, "give": -2, "rapport": -1}),
            run("mixer", 3, principles={"focus": 2, "give": 0, "rapport": 1}),
        ),
        mini,
    )
    by_id = {mastery.principle: mastery for mastery in summary.mastery}
    assert list(by_id) == ["focus", "give", "rapport"]
    give = by_id["give"]
    assert give.values == (0, 50, 100)  # in time order, not storage order
    assert [point.finished for point in give.points] == [stamp(2), stamp(3), stamp(4)]
    assert (give.points[0].low, give.points[0].high, give.points[0].total) == (-2, 2, -2)
    assert (give.latest, give.recent, give.trend) == (100, 50, 50)
    assert give.title == "Give and take" and give.axis == "notnet"
    assert give.taught_by == ("mixer",)


def test_mastery_of_a_real_run_matches_the_engine(mini: Library) -> None:
    entry = mini.get("mixer")
    assert entry is not None
    session = PlaySession.new(entry, Profile.new("Ada", now=CREATED, machine="m"), "practice")
    for choice in ("introduce", "chat", "email_host"):
        session.choose(choice)
    summary = summarise(session.profile, mini)
    assert summary.scenarios[0].best == 100
    assert {m.principle: m.latest for m in summary.mastery} == {
        "focus": 75,  # 3 of 0..4
        "give": 100,
        "rapport": 100,  # 3 of -1..3
    }


def test_recent_mastery_averages_the_last_three_runs(mini: Library) -> None:
    totals = [-2, 2, 2, -2]  # give: 0, 100, 100, 0
    summary = summarise(
        profile(*(run("mixer", day + 1, principles={"give": t}) for day, t in enumerate(totals))),
        mini,
    )
    give = next(m for m in summary.mastery if m.principle == "give")
    assert give.values == (0, 100, 100, 0)
    assert give.recent == 67
    assert give.trend == -100


def test_mastery_value_clamps_and_handles_an_empty_range() -> None:
    assert mastery_value(5, -2, 2) == 100
    assert mastery_value(-9, -2, 2) == 0
    assert mastery_value(1, 0, 4) == 25
    assert mastery_value(0, 0, 0) == 100


# --- weakest principles and the suggestion ----------------------------------------------------


def test_without_history_every_principle_is_unpractised_and_a_scenario_is_suggested(
    two: Library,
) -> None:
    summary = summarise(profile(), two)
    assert [m.principle for m in summary.weakest] == ["focus", "give", "rapport"]
    assert all(not m.practised for m in summary.mastery)
    suggestion = summary.suggestion
    assert suggestion is not None
    assert (suggestion.scenario_id, suggestion.principle) == ("mixer", "focus")
    assert suggestion.reason == (
        "You have not practised Focused conversation yet: The Mixer works on it most."
    )


def test_weak_principles_come_before_unpractised_ones_before_strong_ones(two: Library) -> None:
    summary = summarise(
        profile(run("mixer", 2, principles={"focus": 4, "give": -2, "rapport": 3})), two
    )
    ranked = [(m.principle, m.recent) for m in summary.weakest]
    assert ranked == [("give", 0), ("listen", None), ("focus", 100)]
    assert MASTERY_TARGET > 0


def test_the_suggestion_works_on_the_weakest_principle_most(two: Library) -> None:
    gala, mixer = two.get("gala"), two.get("mixer")
    assert gala is not None and mixer is not None
    assert teaching_weight(gala.scenario, "give") == 6
    assert teaching_weight(mixer.scenario, "give") == 4
    summary = summarise(
        profile(run("mixer", 2, principles={"focus": 4, "give": -2, "rapport": 3})), two
    )
    suggestion = summary.suggestion
    assert suggestion is not None
    assert (suggestion.scenario_id, suggestion.title) == ("gala", "The Gala")
    assert (suggestion.principle, suggestion.principle_title) == ("give", "Give and take")
    assert suggestion.reason == (
        "Give and take is your weakest principle (0/100 lately): The Gala works on it most."
    )


def test_the_suggestion_prefers_a_scenario_not_yet_completed(two: Library) -> None:
    # Gala teaches "give" most, but it is done; the mixer has not been finished yet.
    summary = summarise(
        profile(
            run("gala", 2, principles={"give": -3, "listen": 1}),
            run("mixer", 3, finished=False),
        ),
        two,
    )
    assert summary.weakest[0].principle == "give"
    suggestion = summary.suggestion
    assert suggestion is not None
    assert suggestion.scenario_id == "mixer"


def test_when_every_scenario_is_done_the_best_teacher_is_suggested_again(two: Library) -> None:
    summary = summarise(
        profile(
            run("gala", 2, principles={"give": -3, "listen": 1}),
            run("mixer", 3, principles={"focus": 4, "give": 0, "rapport": 3}),
        ),
        two,
    )
    suggestion = summary.suggestion
    assert suggestion is not None
    assert suggestion.scenario_id == "gala"
    assert suggestion.reason.endswith("The Gala works on it most; replay it and try new moves.")


def test_nothing_loaded_means_no_suggestion() -> None:
    empty = Library(entries=(), unavailable=(), diagnostics=(), files=0)
    summary = summarise(profile(run("mixer", 2)), empty)
    assert summary.suggestion is None
    assert summary.mastery == () and summary.weakest == ()
    assert [line.status for line in summary.scenarios] == ["unavailable"]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (59.9, "59s"), (60, "1 min"), (3599, "59 min"), (3900, "1 h 05 min")],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_progress_imports_no_textual_or_rich() -> None:
    import subprocess
    import sys

    code = (
        "import sys, netquest.play.progress; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- the weakest principle comes from points lost or missed (issue 11) ----------------------

TRADE_OFF = """\
format = 1

[scenario]
id = "trade"
title = "The Trade-off"
summary = "Two equally good moves, then a loss."
setting = "A meetup."
teaches = ["nvs", "notnet"]
minutes = 2
start = "first"

[scenes.first]
text = "Someone new joins your table."

[[scenes.first.choices]]
id = "ask_work"
text = "Ask about their work."
mode = "networking"
effects = { focus = 2 }
coach = "Focused conversation."
goto = "second"

[[scenes.first.choices]]
id = "ask_weekend"
text = "Ask about their weekend."
mode = "socializing"
effects = { rapport = 2 }
coach = "Rapport."
goto = "second"

[scenes.second]
text = "They mention they are hiring."

[[scenes.second.choices]]
id = "ask_job"
text = "Ask for a job on the spot."
mode = "transactional"
effects = { give = -1 }
coach = "Give and take: all take."
goto = "end"

[[scenes.second.choices]]
id = "listen"
text = "Listen and ask what the role needs."
mode = "networking"
effects = {}
coach = "Fine."
goto = "end"

[endings.end]
title = "The end"
text = "The evening ends."
outcome = "good"
"""


def test_the_weakest_principle_is_one_actually_lost_not_an_equal_alternative(
    tmp_path: Path,
) -> None:
    (tmp_path / "principles.toml").write_bytes((MINI / "principles.toml").read_bytes())
    (tmp_path / "trade.toml").write_text(TRADE_OFF, encoding="utf-8")
    library = load_library([tmp_path], include_bundled=False)
    entry = library.get("trade")
    assert entry is not None, library.unavailable
    session = PlaySession.new(entry, Profile.new("Ada", now=CREATED, machine="m"), "practice")
    session.choose("ask_work")  # as good as ask_weekend: rapport stays at its lowest, 0 of 0..2
    session.choose("ask_job")  # a real loss: give -1
    summary = summarise(session.profile, library)
    by_id = {m.principle: m for m in summary.mastery}
    assert by_id["rapport"].latest == 0 and by_id["give"].latest == 0
    assert by_id["rapport"].points[-1].shortfall == 0
    assert by_id["give"].points[-1].shortfall == 1
    assert [m.principle for m in summary.weakest] == ["give"]
    assert summary.suggestion is not None and summary.suggestion.principle == "give"


def test_after_a_perfect_run_no_principle_is_called_weak(tmp_path: Path) -> None:
    (tmp_path / "principles.toml").write_bytes((MINI / "principles.toml").read_bytes())
    (tmp_path / "trade.toml").write_text(TRADE_OFF, encoding="utf-8")
    library = load_library([tmp_path], include_bundled=False)
    entry = library.get("trade")
    assert entry is not None
    session = PlaySession.new(entry, Profile.new("Ada", now=CREATED, machine="m"), "practice")
    session.choose("ask_weekend")
    session.choose("listen")
    summary = summarise(session.profile, library)
    assert summary.scenarios[0].best == 100
    assert summary.weakest == ()
    suggestion = summary.suggestion
    assert suggestion is not None
    assert "weakest" not in suggestion.reason
    assert suggestion.reason.startswith("You lost no points on ")
