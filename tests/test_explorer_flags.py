"""Flags and the explorer's limits (issue 10, item 6): exact where it can be, honest where not.

Liveness analysis merges states that differ only in flags no later condition reads; it must give
exactly what a search over every flag would. A scenario whose live flags still explode gets
NQ032, and no score, range or "no way out" is ever computed from the partial search.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netquest.engine.checker import check_entry
from netquest.engine.explorer import Analysis, analyse
from netquest.engine.library import Entry, load_library
from netquest.engine.loader import load_catalogue, scenario_from_bytes
from netquest.engine.model import Catalogue, Scenario
from netquest.engine.scoring import debrief
from netquest.engine.state import Game
from netquest.play.debrief_markdown import render_debrief

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINI = TESTS / "fixtures" / "mini"
sys.path.insert(0, str(REPO / "bench"))

import flag_gen  # noqa: E402


@functools.cache
def mini() -> Catalogue:
    loaded = load_catalogue(MINI / "principles.toml").value
    assert loaded is not None
    return loaded


def generated(tmp_path: Path, kind: str, scenes: int, flags: int) -> Entry:
    """A flag_gen story, loaded from a file beside the bundled catalogue's ids."""
    path = tmp_path / f"{kind}.toml"
    path.write_text(flag_gen.flag_story(kind, scenes, flags), encoding="utf-8")
    (entry,) = load_library(files=[path], include_bundled=False).entries
    return entry


# -- liveness is exact: the same answers as a search over every flag ---------------------------

FLAGS = ("a", "b", "c")


@st.composite
def flag_stories(draw: st.DrawFn, loops: bool = False) -> str:
    """Small scenarios (acyclic unless ``loops``) with random conditions, flag updates, effects."""
    count = draw(st.integers(2, 6))
    flag_sets = st.lists(st.sampled_from(FLAGS), max_size=2, unique=True)
    body = ""
    for scene in range(count):
        body += f'\n[scenes.s{scene}]\ntext = "S"\n'
        first = 0 if loops else scene + 1
        targets = [f"s{n}" for n in range(first, count)] + ["win", "lose"]
        for number in range(draw(st.integers(1, 3))):
            body += f'\n[[scenes.s{scene}.choices]]\nid = "c{number}"\ntext = "C"\n'
            body += f'mode = "networking"\ncoach = "N"\ngoto = "{draw(st.sampled_from(targets))}"\n'
            body += f"effects = {{ focus = {draw(st.integers(-3, 3))} }}\n"
            for key in ("requires", "unless", "sets", "clears"):
                names = draw(flag_sets)
                if names:
                    body += (
                        f"{key} = [{', '.join(repr(n).replace(chr(39), chr(34)) for n in names)}]\n"
                    )
    for ending in ("win", "lose"):
        body += f'\n[endings.{ending}]\ntitle = "E"\ntext = "E"\noutcome = "good"\n'
    return body


def build(body: str) -> Scenario:
    text = (
        'format = 1\n[scenario]\nid = "p"\ntitle = "P"\nsummary = "S"\nsetting = "H"\n'
        f'teaches = ["nvs"]\nminutes = 1\nstart = "s0"\n{body}'
    )
    loaded = scenario_from_bytes(text.encode(), mini())
    assert loaded.value is not None, [d.format() for d in loaded.diagnostics]
    return loaded.value


class Naive:
    """The definition: every (scene, all flags) state, best and worst by plain recursion."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario, self.game = scenario, Game(scenario)
        self.states: set[tuple[str, frozenset[str]]] = set()
        self.offered: set[tuple[str, str]] = set()
        pending = [(scenario.start, frozenset[str]())]
        while pending:
            node, flags = pending.pop()
            if (node, flags) in self.states:
                continue
            self.states.add((node, flags))
            for choice in self.game.offered_at(node, flags):
                self.offered.add((node, choice.id))
                pending.append((choice.goto, choice.apply(flags)))

    @functools.cache  # noqa: B019 - one short-lived instance per example
    def extremes(self, node: str, flags: frozenset[str]) -> tuple[int, int] | None:
        if node in self.scenario.endings:
            return 0, 0
        found = []
        for choice in self.game.offered_at(node, flags):
            rest = self.extremes(choice.goto, choice.apply(flags))
            if rest is not None:
                found.append((choice.total + rest[0], choice.total + rest[1]))
        if not found:
            return None
        return max(high for high, _ in found), min(low for _, low in found)


@settings(max_examples=150, deadline=None)
@given(flag_stories())
def test_liveness_gives_what_a_search_over_every_flag_gives(body: str) -> None:
    scenario = build(body)
    naive, analysis = Naive(scenario), analyse(scenario)
    assert analysis.complete
    assert analysis.reachable_scenes == {n for n, _ in naive.states if n in scenario.scenes}
    assert analysis.reachable_endings == {n for n, _ in naive.states if n in scenario.endings}
    assert analysis.offered_choices == naive.offered
    start = naive.extremes(scenario.start, frozenset())
    assert (analysis.best, analysis.worst) == (start if start else (None, None))
    stuck = {n for n, f in naive.states if n in scenario.scenes and not naive.extremes(n, f)}
    assert {n for n, _ in analysis.stuck} <= stuck
    assert analysis.states <= len(naive.states)
    for node, flags in naive.states:
        best = naive.extremes(node, flags)
        assert analysis.best_from(node, flags) == (best[0] if best else None)


def naive_reach(naive: Naive, start: tuple[str, frozenset[str]]) -> set[tuple[str, frozenset[str]]]:
    seen, pending = set(), [start]
    while pending:
        node, flags = pending.pop()
        if (node, flags) in seen:
            continue
        seen.add((node, flags))
        pending += [(c.goto, c.apply(flags)) for c in naive.game.offered_at(node, flags)]
    return seen


@settings(max_examples=100, deadline=None)
@given(flag_stories(loops=True))
def test_liveness_keeps_loops_traps_and_farming_exact(body: str) -> None:
    scenario = build(body)
    naive, analysis = Naive(scenario), analyse(scenario)
    assert analysis.complete
    assert analysis.reachable_scenes == {n for n, _ in naive.states if n in scenario.scenes}
    assert analysis.offered_choices == naive.offered
    reach = {state: naive_reach(naive, state) for state in naive.states}
    no_way_out = {
        node
        for (node, flags), onwards in reach.items()
        if node in scenario.scenes and not any(n in scenario.endings for n, _ in onwards)
    }
    reported = {n for n, _ in analysis.trapped} | {n for n, _ in analysis.stuck}
    assert reported == no_way_out
    farming = {
        (node, choice.id)
        for (node, flags) in naive.states
        for choice in naive.game.offered_at(node, flags)
        if choice.effects and (node, flags) in reach[(choice.goto, choice.apply(flags))]
    }
    assert set(analysis.farming) == farming


# -- the 22-flag story is scored exactly ---------------------------------------------------


def test_22_independent_flags_score_exactly(tmp_path: Path) -> None:
    """Without liveness its 22 flags make 2^22 states and the search gave up (a 100/100 for the
    worst path); each flag is read three scenes after it is set, so few states are live."""
    entry = generated(tmp_path, "local", 25, 22)
    analysis, found = check_entry(entry)
    assert found == []
    assert analysis.complete and analysis.states < 8 * 25  # at most 3 flags live at once
    assert analysis.worst == -2 * 25  # 'pitch' every time
    game = Game(entry.scenario)
    worst_run = game.replay(["pitch"] * 25)
    review = debrief(entry.scenario, entry.catalogue, worst_run, analysis)
    assert (review.worst, review.total, review.score) == (-50, -50, 0)
    best_run = game.replay(["ask"] * 25)
    assert debrief(entry.scenario, entry.catalogue, best_run, analysis).score < 100
    assert review.best is not None and review.best > 50  # notes and recalls beat asking


def test_1000_scenes_30_flags_is_exact(tmp_path: Path) -> None:
    entry = generated(tmp_path, "local", 1000, 30)
    analysis = analyse(entry.scenario)
    assert analysis.complete and analysis.states < 3 * 1000
    assert analysis.worst == -2 * 1000


# -- a story that really explodes: NQ032, and no number anywhere ----------------------------


@pytest.fixture(scope="module")
def exploding(tmp_path_factory: pytest.TempPathFactory) -> tuple[Entry, Analysis]:
    entry = generated(tmp_path_factory.mktemp("exploding"), "exploding", 20, 18)
    return entry, analyse(entry.scenario)


def test_exploding_flags_are_named_and_nothing_false_is_claimed(
    exploding: tuple[Entry, Analysis],
) -> None:
    entry, _ = exploding
    analysis, found = check_entry(entry)
    assert not analysis.complete
    assert [d.code for d in found] == ["NQ032"]  # no false NQ020-NQ022, NQ024 or NQ025
    message = found[0].message
    assert "18 flags live at once" in message and "'f0', 'f1'" in message
    assert "score range unknown" in message
    assert (analysis.best, analysis.worst, analysis.trapped) == (None, None, ())
    assert analysis.principle_ranges(["follow_up"]) == {}


def test_exploding_debrief_has_no_score(exploding: tuple[Entry, Analysis]) -> None:
    entry, analysis = exploding
    worst = Game(entry.scenario).replay(["pitch"] * 20)
    review = debrief(entry.scenario, entry.catalogue, worst, analysis)
    assert review.score is None and review.best is None and review.worst is None
    assert review.total == -40
    assert all(p.low is None and p.high is None for p in review.principles)
    assert all(d.better is None for d in review.decisions)
    assert review.to_result()["score"] is None
    text = render_debrief(review, entry.scenario, entry.catalogue)
    assert "## Score: score range unknown" in text and "100" not in text


def test_plain_mode_says_score_unknown(tmp_path: Path) -> None:
    path = tmp_path / "exploding.toml"
    path.write_text(flag_gen.flag_story("exploding", 20, 18), encoding="utf-8")
    command = [sys.executable, "-m", "netquest", "play", str(path), "--plain"]
    command += ["--saves", str(tmp_path / "saves"), "--mode", "assessment"]
    result = subprocess.run(
        command, input="2\n" * 20, capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    debrief_text = result.stdout.split("== Debrief ==")[1]
    assert "Score: unknown (total -40; score range unknown" in debrief_text
    assert "/100" not in debrief_text
    assert "range unknown" in debrief_text.split("Principles:")[1]


def test_a_report_cell_for_an_unscored_finished_run_says_so() -> None:
    from netquest.reports.fmt import cell_text
    from netquest.reports.model import Cell

    unscored = Cell("ada", "flags", "completed", attempts=1, completed=1, best=None)
    assert cell_text(unscored) == "score unknown"
    assert cell_text(Cell("ada", "flags", "completed", 1, 1, best=80)) == "80"
