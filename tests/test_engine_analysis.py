"""Explorer and scoring on scenarios small enough to work out by hand.

The "fork" scenario (all paths, with each choice's total)::

    a: x (+2, sets f) -> b        y (-1) -> b
    b: p (+3, requires f) -> good q (-1) -> c
    c: r (0) -> bad               s (+1) -> good
    ending 'never' has no way in

    x p = 5   x q r = 1   x q s = 2   y q r = -2   y q s = -1     best 5, worst -2
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netquest.engine.explorer import analyse
from netquest.engine.loader import load_catalogue, scenario_from_bytes
from netquest.engine.model import Catalogue, Scenario
from netquest.engine.scoring import AxisReading, debrief, scaled_score, tally
from netquest.engine.state import Game

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def catalogue() -> Catalogue:
    loaded = load_catalogue(MINI / "principles.toml").value
    assert loaded is not None
    return loaded


def build(body: str, teaches: str = '["nvs", "notnet"]', start: str = "a") -> Scenario:
    text = f"""format = 1
[scenario]
id = "t"
title = "T"
summary = "S"
setting = "Here."
teaches = {teaches}
minutes = 1
start = "{start}"
{body}
"""
    loaded = scenario_from_bytes(text.encode(), catalogue())
    assert loaded.value is not None, [d.format() for d in loaded.diagnostics]
    return loaded.value


def choice(
    scene: str, id: str, goto: str, effects: str = "", mode: str = "networking", extra: str = ""
) -> str:
    return f"""
[[scenes.{scene}.choices]]
id = "{id}"
text = "{id}"
mode = "{mode}"
effects = {{ {effects} }}
coach = "note on {id}"
goto = "{goto}"
{extra}"""


def ending(id: str, outcome: str = "good") -> str:
    return f'\n[endings.{id}]\ntitle = "{id}"\ntext = "{id}"\noutcome = "{outcome}"\n'


FORK = build(
    '[scenes.a]\ntext = "A"\ncalls_for = "networking"\n'
    + choice("a", "x", "b", "focus = 2", extra='sets = ["f"]')
    + choice("a", "y", "b", "give = -1", mode="transactional")
    + '\n[scenes.b]\ntext = "B"\ncalls_for = "socializing"\n'
    + choice("b", "p", "good", "rapport = 3", mode="socializing", extra='requires = ["f"]')
    + choice("b", "q", "c", "rapport = -2, focus = 1")
    + '\n[scenes.c]\ntext = "C"\n'
    + choice("c", "r", "bad", mode="socializing")
    + choice("c", "s", "good", "give = 1")
    + ending("good", "great")
    + ending("bad", "poor")
    + ending("never", "mixed")
)


# -- explorer --------------------------------------------------------------------------------


def test_reachable_sets() -> None:
    analysis = analyse(FORK)
    assert analysis.complete
    # a; b with and without f; then f is never read again, so c, good and bad once each
    assert analysis.states == 6
    assert analysis.reachable_scenes == {"a", "b", "c"}
    assert analysis.reachable_endings == {"good", "bad"}
    assert analysis.offered_choices == {
        ("a", "x"),
        ("a", "y"),
        ("b", "p"),
        ("b", "q"),
        ("c", "r"),
        ("c", "s"),
    }
    assert analysis.stuck == () and analysis.trapped == () and analysis.farming == ()


def test_best_and_worst() -> None:
    analysis = analyse(FORK)
    assert (analysis.best, analysis.worst) == (5, -2)


def test_best_from() -> None:
    analysis = analyse(FORK)
    assert analysis.best_from("a", []) == 5
    assert analysis.best_from("b", ["f"]) == 3
    assert analysis.best_from("b", []) == 0  # q then s
    assert analysis.best_from("c", ["f"]) == 1
    assert analysis.best_from("good", ["f"]) == 0
    assert analysis.best_from("a", ["f"]) is None  # never reached with f set
    assert analysis.best_from("nowhere", []) is None


def test_principle_ranges() -> None:
    ranges = analyse(FORK).principle_ranges(["focus", "give", "rapport"])
    assert ranges == {"focus": (1, 3), "give": (-1, 1), "rapport": (-2, 3)}


def test_stuck_when_every_choice_is_hidden() -> None:
    scenario = build(
        '[scenes.a]\ntext = "A"\n'
        + choice("a", "x", "b", extra='sets = ["f"]')
        + choice("a", "y", "b")
        + '\n[scenes.b]\ntext = "B"\n'
        + choice("b", "z", "end", extra='requires = ["f"]')
        + ending("end")
    )
    analysis = analyse(scenario)
    assert analysis.stuck == (("b", frozenset()),)
    assert analysis.trapped == ()  # stuck states are reported as stuck only
    assert (analysis.best, analysis.worst) == (0, 0)


def test_trapped_in_a_loop() -> None:
    scenario = build(
        '[scenes.a]\ntext = "A"\n'
        + choice("a", "out", "end", "focus = 1")
        + choice("a", "in", "b")
        + '\n[scenes.b]\ntext = "B"\n'
        + choice("b", "round", "c")
        + '\n[scenes.c]\ntext = "C"\n'
        + choice("c", "again", "b")
        + ending("end")
    )
    analysis = analyse(scenario)
    assert set(analysis.trapped) == {("b", frozenset()), ("c", frozenset())}
    assert analysis.farming == ()
    assert (analysis.best, analysis.worst) == (1, 1)  # only runs that end count


def test_farming_in_a_cycle() -> None:
    scenario = build(
        '[scenes.a]\ntext = "A"\n'
        + choice("a", "chat", "b", "rapport = 1")
        + choice("a", "leave", "end")
        + '\n[scenes.b]\ntext = "B"\n'
        + choice("b", "back", "a")
        + choice("b", "done", "end")
        + ending("end")
    )
    analysis = analyse(scenario)
    assert analysis.farming == (("a", "chat"),)  # 'back' is on the cycle but carries no points


def test_a_flag_cleared_in_a_loop_is_a_different_state() -> None:
    scenario = build(
        '[scenes.a]\ntext = "A"\n'
        + choice("a", "arm", "a", extra='sets = ["armed"]\nunless = ["armed"]')
        + choice("a", "fire", "end", "focus = 2", extra='requires = ["armed"]\nclears = ["armed"]')
        + ending("end")
    )
    analysis = analyse(scenario)
    assert analysis.states == 3  # (a, {}), (a, {armed}), (end, {})
    assert analysis.farming == () and analysis.trapped == ()
    assert (analysis.best, analysis.worst) == (2, 2)


def test_state_limit() -> None:
    body = ""
    for number in range(8):
        following = f"s{number + 1}"
        body += f'\n[scenes.s{number}]\ntext = "S"\n'
        body += choice(f"s{number}", "take", following, extra=f'sets = ["f{number}"]')
        body += choice(f"s{number}", "skip", following)
    # the last scene reads every flag, so all of them stay live until then
    body += '\n[scenes.s8]\ntext = "S"\n'
    for number in range(8):
        body += choice("s8", f"use{number}", "end", "focus = 1", extra=f'requires = ["f{number}"]')
    body += choice("s8", "leave", "end")
    scenario = build(body + ending("end"), start="s0")
    full = analyse(scenario)
    assert full.complete and full.states == (2**9 - 1) + 1  # scenes s0..s8, then the ending
    assert (full.best, full.worst) == (1, 0)
    partial = analyse(scenario, max_states=50)
    assert not partial.complete
    assert partial.states == 50
    assert (partial.best, partial.worst) == (None, None)
    assert partial.trapped == () and partial.principle_ranges(["focus"]) == {}
    assert partial.best_from("s0", []) is None
    assert set(partial.crowded_flags) <= {f"f{n}" for n in range(8)} and partial.crowded_flags


def test_flags_no_later_condition_reads_do_not_split_states() -> None:
    """Liveness: 8 flags set and never read would be 2^8 states at the end; they are 1."""
    body = ""
    for number in range(8):
        following = f"s{number + 1}" if number < 7 else "end"
        body += f'\n[scenes.s{number}]\ntext = "S"\n'
        body += choice(f"s{number}", "take", following, "focus = 1", extra=f'sets = ["f{number}"]')
        body += choice(f"s{number}", "skip", following, "focus = -1")
    analysis = analyse(build(body + ending("end"), start="s0"))
    assert analysis.complete and analysis.states == 9
    assert (analysis.best, analysis.worst) == (8, -8)
    # a state asked about with flags nobody reads any more is the same state
    assert analysis.best_from("s3", ["f0", "f1"]) == analysis.best_from("s3", []) == 5


def test_a_flag_read_later_keeps_splitting_until_it_is_read() -> None:
    body = (
        '[scenes.a]\ntext = "A"\n'
        + choice("a", "x", "b", extra='sets = ["f"]')
        + choice("a", "y", "b")
        + '\n[scenes.b]\ntext = "B"\n'
        + choice("b", "on", "c", extra='sets = ["g"]')
        + '\n[scenes.c]\ntext = "C"\n'
        + choice("c", "use", "d", "focus = 2", extra='requires = ["f"]')
        + choice("c", "pass", "d")
        + '\n[scenes.d]\ntext = "D"\n'
        + choice("d", "end", "end", extra='clears = ["g"]')
        + ending("end")
    )
    analysis = analyse(build(body))
    # a; b and c with and without f (g is never read); d and end once
    assert analysis.states == 1 + 2 + 2 + 1 + 1
    assert analysis.graph.flags_of(analysis.graph.state_of("c", ["f", "g"]) or 0) == {"f"}
    assert (analysis.best, analysis.worst) == (2, 0)


# -- scoring ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "worst", "best", "score"),
    [
        (5, -2, 5, 100),
        (-2, -2, 5, 0),
        (2, -2, 5, 57),  # 400 / 7 = 57.14
        (1, 0, 3, 33),
        (2, 0, 3, 67),
        (9, 0, 3, 100),  # clamped
        (-9, 0, 3, 0),
        (4, 4, 4, 100),  # nothing to choose between
        (0, 3, 1, 100),
    ],
)
def test_scaled_score(total: int, worst: int, best: int, score: int) -> None:
    assert scaled_score(total, worst, best) == score


@given(st.integers(-50, 50), st.integers(-50, 50), st.integers(-50, 50))
def test_scaled_score_is_bounded_and_monotonic(total: int, worst: int, best: int) -> None:
    score = scaled_score(total, worst, best)
    assert 0 <= score <= 100
    if worst < best:  # rounded to the nearest whole point
        exact = 100 * (min(max(total, worst), best) - worst) / (best - worst)
        assert abs(score - exact) <= 0.5
    assert scaled_score(total + 1, worst, best) >= score
    if worst < best:
        assert scaled_score(best, worst, best) == 100 and scaled_score(worst, worst, best) == 0


def test_debrief_of_a_middling_run() -> None:
    state = Game(FORK).replay(["x", "q", "s"])
    report = debrief(FORK, catalogue(), state, analyse(FORK))
    assert report.ending is not None and report.ending.id == "good"
    assert (report.total, report.worst, report.best, report.score) == (2, -2, 5, 57)
    by_principle = {p.principle: p for p in report.principles}
    assert {p: s.total for p, s in by_principle.items()} == {"focus": 3, "give": 1, "rapport": -2}
    for score in report.principles:
        assert score.total == sum(c.delta for c in score.contributions)
    assert sum(p.total for p in report.principles) == report.total
    assert [(c.step, c.scene, c.choice, c.delta) for c in by_principle["focus"].contributions] == [
        (0, "a", "x", 2),
        (1, "b", "q", 1),
    ]
    assert (by_principle["focus"].low, by_principle["focus"].high) == (1, 3)
    assert [d.better.id if d.better else None for d in report.decisions] == [None, "p", None]
    assert [d.read_right for d in report.decisions] == [True, False, None]
    assert report.readings == (AxisReading("nvs", 1, 2), AxisReading("notnet", 0, 0))
    assert report.to_result() == {
        "score": 57,
        "total": 2,
        "best": 5,
        "worst": -2,
        "ending": "good",
        "outcome": "great",
        "principles": {"focus": 3, "give": 1, "rapport": -2},
        "readings": {"nvs": [1, 2], "notnet": [0, 0]},
        "path": [["a", "x"], ["b", "q"], ["c", "s"]],
    }


def test_debrief_of_the_worst_and_best_runs() -> None:
    worst = debrief(FORK, catalogue(), Game(FORK).replay(["y", "q", "r"]), analyse(FORK))
    assert (worst.total, worst.score) == (-2, 0)
    assert worst.ending is not None and worst.ending.outcome == "poor"
    # At a, x led further; at b only q was offered (p needs f); at c, s was worth more.
    assert [d.better.id if d.better else None for d in worst.decisions] == ["x", None, "s"]
    assert [len(d.offered) for d in worst.decisions] == [2, 1, 2]
    assert worst.readings[0] == AxisReading("nvs", 0, 2)

    best = debrief(FORK, catalogue(), Game(FORK).replay(["x", "p"], "assessment"), analyse(FORK))
    assert (best.total, best.score, best.mode) == (5, 100, "assessment")
    assert all(d.better is None for d in best.decisions)
    assert best.readings[0] == AxisReading("nvs", 2, 2)


def test_tally_mid_run() -> None:
    state = Game(FORK).replay(["x"])
    running = tally(FORK, catalogue(), state)
    assert dict(running.totals) == {"focus": 2, "give": 0, "rapport": 0}
    assert running.readings == (AxisReading("nvs", 1, 1), AxisReading("notnet", 0, 0))
    assert running.decisions == 1
    start = tally(FORK, catalogue(), Game(FORK).start())
    assert dict(start.totals) == {"focus": 0, "give": 0, "rapport": 0} and start.decisions == 0


def test_scene_axis_overrides_the_mode_axis() -> None:
    scenario = build(
        '[scenes.a]\ntext = "A"\ncalls_for = "networking"\naxis = "notnet"\n'
        + choice("a", "x", "end", "focus = 1")
        + ending("end")
    )
    report = debrief(scenario, catalogue(), Game(scenario).replay(["x"]), analyse(scenario))
    assert report.readings == (AxisReading("nvs", 0, 0), AxisReading("notnet", 1, 1))
    assert report.decisions[0].axis == "notnet"


def test_principle_ranges_in_one_pass_match_one_pass_per_principle() -> None:
    """All principles' ranges are found in one pass over the graph; each must be what a pass
    weighing that principle alone finds (every bundled scenario, every catalogue principle,
    including ones a scenario never moves)."""
    from netquest.engine import load_library

    library = load_library()
    assert library.entries
    for entry in library.entries:
        analysis = analyse(entry.scenario)
        principles = [*entry.scenario.principles_used, *entry.catalogue.principles]
        start = analysis.graph.components()[1][0]
        expected = {}
        for principle in principles:
            best, worst = analysis.graph.extremes(
                lambda choice, key=principle: choice.effects.get(key, 0)
            )
            expected[principle] = (worst[start] or 0, best[start] or 0)
        found = analysis.principle_ranges(principles)
        assert found == expected, entry.scenario.id
        assert list(found) == list(expected)
