"""The bundled curriculum: faithful to its sources, clean, covered, and playable to every ending."""

from __future__ import annotations

import io
import re
from collections import deque
from pathlib import Path

import pytest

from netquest.cli import main
from netquest.engine import Entry, Game, RunState, load_library
from netquest.engine.checker import check_library, coverage
from netquest.engine.library import bundled_dir

SOURCES = Path(__file__).resolve().parent.parent.parent / "shared" / "sources"
LIBRARY = load_library()
ENTRIES = {entry.scenario.id: entry for entry in LIBRARY.entries}
REQUIRED = (
    "conference",
    "office_party",
    "cold_email",
    "facebook_friending",
    "venting_online",
    "brand_accounts",
    "job_hunt",
    "online_community",
    "read_the_room",
)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def _source_texts() -> dict[str, str]:
    if not SOURCES.is_dir():
        pytest.skip("the source documents (../shared/sources) are not beside this checkout")
    return {p.name: p.read_text(encoding="utf-8") for p in SOURCES.glob("*.txt")}


def test_every_required_scenario_loads_and_checks_clean() -> None:
    assert sorted(REQUIRED) == sorted(ENTRIES)
    assert LIBRARY.unavailable == ()
    assert [d.format() for d in check_library(LIBRARY)] == []


def test_coverage_targets_are_met() -> None:
    assert coverage(LIBRARY.entries).shortfalls() == []


def test_catalogue_size_and_quotes_are_exact_and_short() -> None:
    texts = _source_texts()
    catalogue = LIBRARY.entries[0].catalogue
    assert 20 <= len(catalogue.principles) <= 35
    assert {"networking", "socializing", "social_media", "social_networking"} <= set(
        catalogue.modes
    )
    normalised = [" ".join(t.split()) for t in texts.values()]
    for principle in catalogue.principles.values():
        quote = " ".join(principle.quote.split())
        assert len(quote.split()) <= 25, principle.id
        named = [text for text in normalised if principle.source in text]
        assert len(named) == 1, f"{principle.id}: source title matches no single document"
        assert quote in named[0], f"{principle.id}: quote is not in {principle.source!r}"


@pytest.mark.parametrize("scenario_id", REQUIRED)
def test_scenario_shape(scenario_id: str) -> None:
    scenario = ENTRIES[scenario_id].scenario
    minimum = 12 if scenario_id == "read_the_room" else 10
    assert len(scenario.scenes) >= minimum
    assert len(scenario.endings) >= 3
    outcomes = {ending.outcome for ending in scenario.endings.values()}
    assert "great" in outcomes and outcomes & {"mixed", "poor"}
    assert 6 <= scenario.minutes <= 10
    assert scenario.tests[0].name == "ideal path" and len(scenario.tests) >= 3
    assert any(c.requires or c.unless for s in scenario.scenes.values() for c in s.choices)


@pytest.mark.parametrize("scenario_id", REQUIRED)
def test_no_copied_sentences(scenario_id: str) -> None:
    """No run of ten words from a source appears in a scenario (quotes live in principles.toml)."""
    runs: set[tuple[str, ...]] = set()
    for text in _source_texts().values():
        words = _words(text)
        runs.update(tuple(words[i : i + 10]) for i in range(len(words) - 9))
    scenario = ENTRIES[scenario_id].scenario
    pieces = [scenario.summary, scenario.setting]
    for scene in scenario.scenes.values():
        pieces.append(scene.text)
        for choice in scene.choices:
            pieces += [choice.text, choice.consequence, choice.coach]
    pieces += [ending.text for ending in scenario.endings.values()]
    for piece in pieces:
        words = _words(piece)
        copied = [w for i in range(len(words) - 9) if (w := tuple(words[i : i + 10])) in runs]
        assert not copied, f"copied from a source: {' '.join(copied[0])}"


def test_ideal_path_scores_100_and_golden_paths_are_pinned() -> None:
    from netquest.engine import debrief
    from netquest.play.session import analysis_for

    for entry in LIBRARY.entries:
        game = Game(entry.scenario)
        for test in entry.scenario.tests:
            state = game.replay(test.choices)
            assert state.node == test.ending, (entry.scenario.id, test.name)
        ideal = game.replay(entry.scenario.tests[0].choices)
        report = debrief(entry.scenario, entry.catalogue, ideal, analysis_for(entry.scenario))
        assert report.score == 100, entry.scenario.id


def _path_to(entry: Entry, ending: str) -> list[str]:
    """The shortest list of choice ids that reaches ``ending`` (breadth-first over real state)."""
    game = Game(entry.scenario)
    start = game.start()
    queue: deque[tuple[RunState, list[str]]] = deque([(start, [])])
    seen = {(start.node, start.flags)}
    while queue:
        state, path = queue.popleft()
        if state.node == ending:
            return path
        for choice in game.offered(state):
            nxt = game.choose(state, choice.id)
            if (nxt.node, nxt.flags) not in seen:
                seen.add((nxt.node, nxt.flags))
                queue.append((nxt, [*path, choice.id]))
    raise AssertionError(f"no path to {ending}")


def _answers(entry: Entry, path: list[str]) -> str:
    game = Game(entry.scenario)
    state = game.start()
    lines = []
    for choice_id in path:
        ids = [c.id for c in game.offered(state)]
        lines.append(str(ids.index(choice_id) + 1))
        state = game.choose(state, choice_id)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("scenario_id", "ending"),
    [(s, e) for s in REQUIRED for e in sorted(ENTRIES[s].scenario.endings)],
)
def test_every_ending_is_playable_in_plain_mode(
    scenario_id: str,
    ending: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    entry = ENTRIES[scenario_id]
    answers = _answers(entry, _path_to(entry, ending))
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    status = main(["play", scenario_id, "--plain", "--saves", str(tmp_path), "--restart"])
    out = capsys.readouterr().out
    assert status == 0
    title = entry.scenario.endings[ending].title
    assert f"== Ending: {title} (" in out
    assert re.search(r"Score: \d+/100", out)


def test_bundled_dir_is_the_checkout_scenarios() -> None:
    assert (bundled_dir() / "principles.toml").is_file()


@pytest.mark.parametrize("scenario_id", sorted(ENTRIES))
def test_best_choice_is_not_given_away_by_length_or_position(scenario_id: str) -> None:
    """The best choice is the longest text in at most 30% of scenes, and first in at most 40%."""
    scenes = list(ENTRIES[scenario_id].scenario.scenes.values())
    longest = first = 0
    for scene in scenes:
        best = max(scene.choices, key=lambda c: c.total)
        longest += max(scene.choices, key=lambda c: len(c.text)) is best
        first += scene.choices[0] is best
    assert longest * 10 <= 3 * len(scenes), (
        f"best is the longest text in {longest}/{len(scenes)} scenes"
    )
    assert first * 10 <= 4 * len(scenes), (
        f"best is the first option in {first}/{len(scenes)} scenes"
    )
