"""Game state: where a run is, which choices are on offer, and how it moves.

A :class:`RunState` is an immutable value; :class:`Game` computes new states from
old ones. Everything is deterministic: replaying the same choice ids always gives
the same state, which is how stepping back and resuming a save work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from netquest.engine.model import Choice, Ending, Scenario, Scene

PlayMode = Literal["practice", "assessment"]
PLAY_MODES: tuple[PlayMode, ...] = ("practice", "assessment")
STATE_VERSION = 1


class ChoiceError(ValueError):
    """A choice that is not on offer, or a step back that is not allowed."""


@dataclass(frozen=True, slots=True)
class Step:
    """One decision: the scene it was made in and the choice taken."""

    scene: str
    choice: str


@dataclass(frozen=True, slots=True)
class RunState:
    """Where a run stands: the current scene or ending, the flags and the path so far."""

    scenario_id: str
    mode: PlayMode
    node: str
    flags: frozenset[str] = frozenset()
    history: tuple[Step, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready data."""
        return {
            "version": STATE_VERSION,
            "scenario": self.scenario_id,
            "mode": self.mode,
            "node": self.node,
            "flags": sorted(self.flags),
            "history": [[step.scene, step.choice] for step in self.history],
        }

    @classmethod
    def from_dict(cls, data: Any) -> RunState:
        """Rebuild from :meth:`to_dict` output; raises ``ValueError`` on a bad shape."""
        if not isinstance(data, dict):
            raise ValueError("run state must be an object")
        scenario_id, mode, node = data.get("scenario"), data.get("mode"), data.get("node")
        flags, history = data.get("flags", []), data.get("history", [])
        if not isinstance(scenario_id, str) or not isinstance(node, str):
            raise ValueError("run state needs 'scenario' and 'node' strings")
        if mode not in PLAY_MODES:
            raise ValueError(f"run state has unknown mode {mode!r}")
        if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
            raise ValueError("run state 'flags' must be a list of strings")
        if not isinstance(history, list) or not all(
            isinstance(s, list) and len(s) == 2 and all(isinstance(p, str) for p in s)
            for s in history
        ):
            raise ValueError("run state 'history' must be a list of [scene, choice] pairs")
        return cls(
            scenario_id=scenario_id,
            mode=_mode(mode),
            node=node,
            flags=frozenset(flags),
            history=tuple(Step(scene, choice) for scene, choice in history),
        )


def _mode(value: object) -> PlayMode:
    return "assessment" if value == "assessment" else "practice"


@dataclass(frozen=True, slots=True)
class Resume:
    """The outcome of restoring a saved run against the scenario as it is now."""

    state: RunState | None
    notice: str = ""
    """Empty when the run resumed exactly; otherwise what happened, in one line."""


class Game:
    """The rules of play for one scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    def start(self, mode: PlayMode = "practice") -> RunState:
        """A new run at the start scene."""
        return RunState(self.scenario.id, mode, self.scenario.start)

    def scene(self, state: RunState) -> Scene | None:
        """The current scene, or ``None`` at an ending."""
        return self.scenario.scenes.get(state.node)

    def ending(self, state: RunState) -> Ending | None:
        """The ending reached, if the run is over."""
        return self.scenario.endings.get(state.node)

    def is_over(self, state: RunState) -> bool:
        """Whether the run has reached an ending."""
        return state.node in self.scenario.endings

    def offered(self, state: RunState) -> tuple[Choice, ...]:
        """The choices on offer now, in file order."""
        scene = self.scene(state)
        if scene is None:
            return ()
        return tuple(choice for choice in scene.choices if choice.offered(state.flags))

    def offered_at(self, node: str, flags: frozenset[str]) -> tuple[Choice, ...]:
        """The choices on offer at ``node`` with ``flags`` set."""
        scene = self.scenario.scenes.get(node)
        if scene is None:
            return ()
        return tuple(choice for choice in scene.choices if choice.offered(flags))

    def step(self, node: str, flags: frozenset[str], choice_id: str) -> Choice:
        """The choice taken at ``node`` with ``flags``; raises :class:`ChoiceError` if not offered.

        The primitive under :meth:`choose` and :meth:`replay`: it builds no state, so walking a
        long path costs one lookup per step.
        """
        scene = self.scenario.scenes.get(node)
        if scene is None:
            raise ChoiceError("the run has already ended")
        choice = scene.choice(choice_id)
        if choice is None or not choice.offered(flags):
            raise ChoiceError(f"choice '{choice_id}' is not on offer in scene '{scene.id}'")
        return choice

    def choose(self, state: RunState, choice_id: str) -> RunState:
        """Take a choice; raises :class:`ChoiceError` when it is not on offer."""
        choice = self.step(state.node, state.flags, choice_id)
        return RunState(
            scenario_id=state.scenario_id,
            mode=state.mode,
            node=choice.goto,
            flags=choice.apply(state.flags),
            history=(*state.history, Step(state.node, choice.id)),
        )

    def can_step_back(self, state: RunState) -> bool:
        """Practice mode allows undoing the last choice."""
        return state.mode == "practice" and bool(state.history)

    def step_back(self, state: RunState) -> RunState:
        """Undo the last choice (practice mode only)."""
        if state.mode != "practice":
            raise ChoiceError("stepping back is not allowed in assessment mode")
        if not state.history:
            raise ChoiceError("there is no choice to step back from")
        return self.replay([step.choice for step in state.history[:-1]], state.mode)

    def replay(
        self, choice_ids: list[str] | tuple[str, ...], mode: PlayMode = "practice"
    ) -> RunState:
        """Play ``choice_ids`` from the start; raises :class:`ChoiceError` if one is not offered."""
        node, flags = self.scenario.start, frozenset[str]()
        steps: list[Step] = []
        for choice_id in choice_ids:
            choice = self.step(node, flags, choice_id)
            steps.append(Step(node, choice_id))
            node, flags = choice.goto, choice.apply(flags)
        return RunState(self.scenario.id, mode, node, flags, tuple(steps))

    def resume(self, data: Any, content_hash: str = "") -> Resume:
        """Restore a saved run, replaying its choices against the scenario as it is now."""
        try:
            saved = RunState.from_dict(data)
        except ValueError as error:
            return Resume(None, f"the saved run could not be read ({error})")
        if saved.scenario_id != self.scenario.id:
            return Resume(None, f"the saved run belongs to scenario '{saved.scenario_id}'")
        try:
            state = self.replay([step.choice for step in saved.history], saved.mode)
        except ChoiceError as error:
            return Resume(None, f"the scenario has changed since this run was saved: {error}")
        replayed = [step.scene for step in state.history]
        if replayed != [step.scene for step in saved.history]:
            return Resume(
                None,
                "the scenario has changed since this run was saved: "
                "the same choices now lead to different scenes",
            )
        if content_hash and content_hash != self.scenario.content_hash:
            return Resume(
                state,
                "the scenario was edited since this run was saved; "
                "your choices still fit, so the run continues",
            )
        return Resume(state)
