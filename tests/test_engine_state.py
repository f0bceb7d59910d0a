"""Game state: start, offered choices, choose, step back, replay, resume and (de)serialising."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from netquest.engine.loader import load_catalogue, load_scenario, scenario_from_bytes
from netquest.engine.model import Scenario
from netquest.engine.state import ChoiceError, Game, RunState, Step

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def _mixer(text: str | None = None) -> Scenario:
    catalogue = load_catalogue(MINI / "principles.toml").value
    assert catalogue is not None
    if text is None:
        loaded = load_scenario(MINI / "mixer.toml", catalogue)
    else:
        loaded = scenario_from_bytes(text.encode(), catalogue)
    assert loaded.value is not None, [d.format() for d in loaded.diagnostics]
    return loaded.value


MIXER_TEXT = (MINI / "mixer.toml").read_text(encoding="utf-8")


@pytest.fixture
def game() -> Game:
    return Game(_mixer())


def ids(choices: tuple[Any, ...]) -> list[str]:
    return [choice.id for choice in choices]


def test_start(game: Game) -> None:
    state = game.start()
    assert state == RunState("mixer", "practice", "door")
    assert game.start("assessment").mode == "assessment"
    assert game.scene(state) is not None and game.scene(state).id == "door"  # type: ignore[union-attr]
    assert game.ending(state) is None and not game.is_over(state)


def test_offered_follows_flags(game: Game) -> None:
    state = game.start()
    assert ids(game.offered(state)) == ["introduce", "ask_job"]
    met = game.replay(["introduce", "chat"])
    assert met.flags == {"met_host"}
    assert ids(game.offered(met)) == ["email_host", "nothing"]
    not_met = game.replay(["ask_job", "chat"])
    assert not_met.flags == frozenset()
    assert ids(game.offered(not_met)) == ["nothing"]


def test_choose_moves_and_records(game: Game) -> None:
    state = game.choose(game.start(), "introduce")
    assert state.node == "bar"
    assert state.history == (Step("door", "introduce"),)
    state = game.choose(game.choose(state, "pitch"), "email_host")
    assert game.is_over(state)
    assert game.ending(state) is not None and game.ending(state).outcome == "great"  # type: ignore[union-attr]
    assert game.offered(state) == ()


@pytest.mark.parametrize(
    ("path", "choice", "message"),
    [
        ([], "nope", "not on offer"),
        (["ask_job", "chat"], "email_host", "not on offer"),  # requires met_host
        (["introduce", "chat", "email_host"], "nothing", "already ended"),
    ],
)
def test_choose_refuses(game: Game, path: list[str], choice: str, message: str) -> None:
    state = game.replay(path)
    with pytest.raises(ChoiceError, match=message):
        game.choose(state, choice)


def test_step_back_in_practice(game: Game) -> None:
    first = game.choose(game.start(), "introduce")
    second = game.choose(first, "chat")
    assert game.can_step_back(second)
    assert game.step_back(second) == first
    assert game.step_back(first) == game.start()  # flags set by 'introduce' are undone
    assert game.step_back(first).flags == frozenset()
    assert not game.can_step_back(game.start())
    with pytest.raises(ChoiceError, match="no choice to step back"):
        game.step_back(game.start())


def test_step_back_refused_in_assessment(game: Game) -> None:
    state = game.replay(["introduce"], "assessment")
    assert state.mode == "assessment"
    assert not game.can_step_back(state)
    with pytest.raises(ChoiceError, match="assessment"):
        game.step_back(state)


def test_replay_is_deterministic(game: Game) -> None:
    path = ["introduce", "pitch", "email_host"]
    by_hand = game.start()
    for choice in path:
        by_hand = game.choose(by_hand, choice)
    assert game.replay(path) == by_hand == game.replay(tuple(path))
    with pytest.raises(ChoiceError):
        game.replay(["introduce", "email_host"])


def test_to_dict_round_trip(game: Game) -> None:
    for path in ([], ["introduce"], ["introduce", "chat", "email_host"]):
        state = game.replay(path, "assessment")
        data = state.to_dict()
        assert data["version"] == 1 and data["mode"] == "assessment"
        assert RunState.from_dict(data) == state
    assert game.replay(["introduce"]).to_dict() == {
        "version": 1,
        "scenario": "mixer",
        "mode": "practice",
        "node": "bar",
        "flags": ["met_host"],
        "history": [["door", "introduce"]],
    }


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "state",
        {},
        {"scenario": "mixer", "mode": "practice"},
        {"scenario": 3, "mode": "practice", "node": "door"},
        {"scenario": "mixer", "mode": "speedrun", "node": "door"},
        {"scenario": "mixer", "mode": "practice", "node": "door", "flags": "met_host"},
        {"scenario": "mixer", "mode": "practice", "node": "door", "flags": [1]},
        {"scenario": "mixer", "mode": "practice", "node": "door", "history": [["door"]]},
        {"scenario": "mixer", "mode": "practice", "node": "door", "history": [["door", 1]]},
        {"scenario": "mixer", "mode": "practice", "node": "door", "history": {"a": "b"}},
    ],
)
def test_from_dict_rejects_bad_shapes(game: Game, data: Any) -> None:
    with pytest.raises(ValueError):
        RunState.from_dict(data)
    outcome = game.resume(data)
    assert outcome.state is None
    assert outcome.notice.startswith("the saved run could not be read (")


def test_resume_exactly(game: Game) -> None:
    state = game.replay(["introduce", "chat"])
    outcome = game.resume(state.to_dict(), game.scenario.content_hash)
    assert outcome.state == state and outcome.notice == ""
    assert game.resume(state.to_dict()).notice == ""  # no hash: nothing to compare


def test_resume_after_an_edit_that_keeps_the_path() -> None:
    old = Game(_mixer())
    saved = old.replay(["introduce", "chat"]).to_dict()
    edited = Game(_mixer(MIXER_TEXT.replace("Chat about the match.", "Chat about the game.")))
    assert edited.scenario.content_hash != old.scenario.content_hash
    outcome = edited.resume(saved, old.scenario.content_hash)
    assert outcome.state == old.replay(["introduce", "chat"])
    assert "edited" in outcome.notice and "continues" in outcome.notice


def test_resume_after_an_edit_that_breaks_the_path() -> None:
    old = Game(_mixer())
    saved = old.replay(["introduce", "chat"]).to_dict()
    edited = Game(
        _mixer(
            MIXER_TEXT.replace('id = "chat"', 'id = "small_talk"').replace(
                '"introduce", "chat"', '"introduce", "small_talk"'
            )
        )
    )
    outcome = edited.resume(saved, old.scenario.content_hash)
    assert outcome.state is None
    assert outcome.notice.startswith("the scenario has changed since this run was saved")
    assert "chat" in outcome.notice


def test_resume_when_the_same_choices_lead_elsewhere(game: Game) -> None:
    saved = game.replay(["introduce"]).to_dict()
    saved["history"] = [["hallway", "introduce"]]  # recorded in a scene that no longer leads here
    outcome = game.resume(saved)
    assert outcome.state is None
    assert "the same choices now lead to different scenes" in outcome.notice


def test_resume_refuses_another_scenario(game: Game) -> None:
    saved = game.start().to_dict()
    saved["scenario"] = "conference"
    outcome = game.resume(saved)
    assert outcome.state is None and "conference" in outcome.notice
