"""Scoring: principle totals, the 0–100 run score, and reading the moment.

Every point is traceable: a principle's total is the sum of its contributions,
each naming the step, scene and choice that produced it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from netquest.engine.explorer import Analysis
from netquest.engine.model import Catalogue, Choice, Ending, Scenario, Scene
from netquest.engine.state import Game, PlayMode, RunState


class Reading(StrEnum):
    """How a choice read a moment that calls for a mode.

    The rule: a moment is read right only when the choice is the kind of action the moment
    calls for (its ``mode`` is the scene's ``calls_for``) *and* it does not lose points (its
    net, the sum of its effects, is 0 or more). So the ✓, the points and the coach never
    contradict each other.
    """

    RIGHT = "right"
    """The called-for kind of action, and it loses no points."""
    WRONG_MOVE = "wrong_move"
    """The called-for kind of action, but it loses points: right kind of moment, wrong move."""
    MISSED = "missed"
    """Another kind of action than the moment called for."""


def read_moment(calls_for: str | None, choice: Choice) -> Reading | None:
    """How ``choice`` reads a moment calling for ``calls_for`` (``None``: it calls for nothing)."""
    if calls_for is None:
        return None
    if choice.mode != calls_for:
        return Reading.MISSED
    return Reading.RIGHT if choice.total >= 0 else Reading.WRONG_MOVE


@dataclass(frozen=True, slots=True)
class Contribution:
    """Points one decision gave one principle."""

    step: int
    scene: str
    choice: str
    delta: int


@dataclass(frozen=True, slots=True)
class PrincipleScore:
    """A principle's total over a run, with the range the scenario allows."""

    principle: str
    total: int
    low: int | None
    """The lowest total the scenario allows (``None``: unknown, the state space is too large)."""
    high: int | None
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True, slots=True)
class AxisReading:
    """How many moments on an axis were read right."""

    axis: str
    right: int
    total: int


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision of a run, for the review."""

    step: int
    scene: Scene
    choice: Choice
    offered: tuple[Choice, ...]
    better: Choice | None
    """The move that could have led to a higher total, where one existed."""
    calls_for: str | None
    axis: str | None

    @property
    def reading(self) -> Reading | None:
        """How the choice read the moment (``None`` when the scene calls for nothing)."""
        return read_moment(self.calls_for, self.choice)

    @property
    def read_right(self) -> bool | None:
        """Whether the moment was read right: the called-for kind, losing no points."""
        reading = self.reading
        return None if reading is None else reading is Reading.RIGHT


@dataclass(frozen=True, slots=True)
class Tally:
    """The running score shown while playing."""

    totals: Mapping[str, int]
    readings: tuple[AxisReading, ...]
    decisions: int


@dataclass(frozen=True, slots=True)
class Debrief:
    """Everything the end-of-run review shows."""

    scenario_id: str
    mode: PlayMode
    ending: Ending | None
    total: int
    best: int | None
    worst: int | None
    score: int | None
    """0–100, or ``None`` when the scenario's score range is unknown (never a guess)."""
    principles: tuple[PrincipleScore, ...]
    readings: tuple[AxisReading, ...]
    decisions: tuple[Decision, ...]

    def to_result(self) -> dict[str, Any]:
        """A compact, JSON-ready summary for saves and reports."""
        return {
            "score": self.score,
            "total": self.total,
            "best": self.best,
            "worst": self.worst,
            "ending": self.ending.id if self.ending else None,
            "outcome": self.ending.outcome if self.ending else None,
            "principles": {p.principle: p.total for p in self.principles},
            "readings": {r.axis: [r.right, r.total] for r in self.readings},
            "path": [[d.scene.id, d.choice.id] for d in self.decisions],
        }


def scaled_score(total: int, worst: int, best: int) -> int:
    """Where ``total`` lies between ``worst`` and ``best``, as 0–100."""
    if best <= worst:
        return 100
    clamped = min(max(total, worst), best)
    return round(100 * (clamped - worst) / (best - worst))


def moment_axis(scene: Scene, catalogue: Catalogue) -> str | None:
    """The axis a moment is read on: the scene's own, else that of the mode it calls for."""
    if scene.calls_for is None:
        return None
    if scene.axis:
        return scene.axis
    mode = catalogue.modes.get(scene.calls_for)
    return mode.axis if mode else None


def _walk(scenario: Scenario, state: RunState) -> list[tuple[Scene, Choice, frozenset[str]]]:
    """The (scene, choice, flags before) of each step of a run."""
    game = Game(scenario)
    replay = game.start(state.mode)
    walked = []
    for step in state.history:
        scene = scenario.scenes[step.scene]
        choice = scene.choice(step.choice)
        if choice is None:  # pragma: no cover - states come from Game, which checks
            raise ValueError(f"unknown choice {step.choice!r}")
        walked.append((scene, choice, replay.flags))
        replay = game.choose(replay, step.choice)
    return walked


def _readings(
    scenario: Scenario, catalogue: Catalogue, walked: list[tuple[Scene, Choice, frozenset[str]]]
) -> tuple[AxisReading, ...]:
    counts: dict[str, list[int]] = {axis: [0, 0] for axis in scenario.teaches}
    for scene, choice, _ in walked:
        axis = moment_axis(scene, catalogue)
        if axis is None:
            continue
        right_total = counts.setdefault(axis, [0, 0])
        right_total[1] += 1
        right_total[0] += int(read_moment(scene.calls_for, choice) is Reading.RIGHT)
    return tuple(AxisReading(axis, right, total) for axis, (right, total) in counts.items())


def tally(scenario: Scenario, catalogue: Catalogue, state: RunState) -> Tally:
    """Principle totals and moments read so far (cheap: no exploration)."""
    walked = _walk(scenario, state)
    totals = dict.fromkeys(scenario.principles_used, 0)
    for _, choice, _ in walked:
        for principle, delta in choice.effects.items():
            totals[principle] = totals.get(principle, 0) + delta
    return Tally(totals, _readings(scenario, catalogue, walked), len(walked))


def decisions(
    scenario: Scenario, catalogue: Catalogue, state: RunState, analysis: Analysis
) -> tuple[Decision, ...]:
    """Each decision of a run with the better move where one existed (cheap: no ranges)."""
    return tuple(_decisions(_walk(scenario, state), catalogue, analysis))


def _decisions(
    walked: list[tuple[Scene, Choice, frozenset[str]]], catalogue: Catalogue, analysis: Analysis
) -> list[Decision]:
    found: list[Decision] = []
    for step, (scene, choice, flags) in enumerate(walked):
        offered = tuple(c for c in scene.choices if c.offered(flags))
        found.append(
            Decision(
                step=step,
                scene=scene,
                choice=choice,
                offered=offered,
                better=_better(analysis, choice, offered, flags),
                calls_for=scene.calls_for,
                axis=moment_axis(scene, catalogue),
            )
        )
    return found


def debrief(
    scenario: Scenario, catalogue: Catalogue, state: RunState, analysis: Analysis
) -> Debrief:
    """The full review of a run (usually a finished one)."""
    walked = _walk(scenario, state)
    contributions: dict[str, list[Contribution]] = {p: [] for p in scenario.principles_used}
    total = 0
    for step, (scene, choice, _) in enumerate(walked):
        for principle, delta in choice.effects.items():
            contributions.setdefault(principle, []).append(
                Contribution(step, scene.id, choice.id, delta)
            )
        total += choice.total
    ranges = analysis.principle_ranges(contributions)
    principles = tuple(
        PrincipleScore(
            principle,
            sum(c.delta for c in items),
            ranges[principle][0] if principle in ranges else None,
            ranges[principle][1] if principle in ranges else None,
            tuple(items),
        )
        for principle, items in contributions.items()
    )
    # An incomplete search knows no range: the score is unknown, never a guess.
    best: int | None = None
    worst: int | None = None
    if analysis.complete:
        best = analysis.best if analysis.best is not None else total
        worst = analysis.worst if analysis.worst is not None else total
    return Debrief(
        scenario_id=scenario.id,
        mode=state.mode,
        ending=scenario.endings.get(state.node),
        total=total,
        best=best,
        worst=worst,
        score=None if best is None or worst is None else scaled_score(total, worst, best),
        principles=principles,
        readings=_readings(scenario, catalogue, walked),
        decisions=tuple(_decisions(walked, catalogue, analysis)),
    )


def _better(
    analysis: Analysis, chosen: Choice, offered: tuple[Choice, ...], flags: frozenset[str]
) -> Choice | None:
    """The offered choice with the highest reachable total, if it beats the one taken."""

    def value(choice: Choice) -> int | None:
        to_go = analysis.best_from(choice.goto, choice.apply(flags))
        return None if to_go is None else choice.total + to_go

    chosen_value = value(chosen)
    best_choice: Choice | None = None
    best_value = chosen_value
    for choice in offered:
        candidate = value(choice)
        if candidate is not None and (best_value is None or candidate > best_value):
            best_choice, best_value = choice, candidate
    return best_choice if best_choice is not chosen else None
