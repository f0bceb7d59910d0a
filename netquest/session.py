"""A play session: one run of one scenario for one profile, with autosave.

This joins the pure engine to the saves. Both front ends (the Textual app and the
plain line mode) drive a :class:`PlaySession`; neither scores anything itself.
Saving is a separate call (:meth:`PlaySession.save`) so the TUI can run it in a
worker thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from netquest.engine import (
    Analysis,
    Catalogue,
    Choice,
    Debrief,
    Ending,
    Entry,
    Game,
    PlayMode,
    RunState,
    Scenario,
    Scene,
    Tally,
    analyse,
    debrief,
    tally,
)
from netquest.saves import Profile, RunRecord, SaveError, SaveStore

_analyses: dict[tuple[str, str], Analysis] = {}
_analyses_lock = Lock()


def analysis_for(scenario: Scenario) -> Analysis:
    """The explorer's analysis of a scenario, computed once per process."""
    key = (scenario.id, scenario.content_hash)
    with _analyses_lock:
        found = _analyses.get(key)
        if found is None:
            found = _analyses[key] = analyse(scenario)
        return found


@dataclass(frozen=True, slots=True)
class Delta:
    """A change to one principle caused by one choice."""

    principle: str
    title: str
    value: int

    @property
    def label(self) -> str:
        """E.g. ``+2 Give and take``."""
        return f"{self.value:+d} {self.title}".replace("-", "\u2212", 1)


@dataclass(frozen=True, slots=True)
class ChoiceOutcome:
    """What a choice did: the story's reaction, the coach's note and the points."""

    choice: Choice
    consequence: str
    coach: str
    deltas: tuple[Delta, ...]
    read_right: bool | None
    finished: bool


def deltas_of(choice: Choice, catalogue: Catalogue) -> tuple[Delta, ...]:
    """A choice's effects as labelled deltas, largest first."""
    items = sorted(choice.effects.items(), key=lambda item: (-abs(item[1]), item[0]))
    return tuple(
        Delta(p, catalogue.principles[p].title if p in catalogue.principles else p, v)
        for p, v in items
    )


class PlaySession:
    """One run in progress (or finished) and the profile it belongs to."""

    def __init__(
        self,
        entry: Entry,
        profile: Profile,
        run: RunRecord,
        state: RunState,
        store: SaveStore | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.entry = entry
        self.game = Game(entry.scenario)
        self.profile = profile
        self.run = run
        self.state = state
        self.store = store
        self._clock = clock
        self._since = clock()
        self._seconds = run.seconds

    # -- creation --------------------------------------------------------------------------
    @classmethod
    def new(
        cls, entry: Entry, profile: Profile, mode: PlayMode, store: SaveStore | None = None
    ) -> PlaySession:
        """Start a fresh run."""
        game = Game(entry.scenario)
        state = game.start(mode)
        run = RunRecord.new(entry.scenario.id, entry.scenario.content_hash, mode, state.to_dict())
        session = cls(entry, profile.with_run(run), run, state, store)
        return session

    @classmethod
    def resume(
        cls, entry: Entry, profile: Profile, run: RunRecord, store: SaveStore | None = None
    ) -> tuple[PlaySession | None, str]:
        """Continue a saved run; returns ``(None, why)`` when it cannot be resumed."""
        outcome = Game(entry.scenario).resume(dict(run.state), run.content_hash)
        if outcome.state is None:
            return None, outcome.notice
        return cls(entry, profile, run, outcome.state, store), outcome.notice

    # -- reading ---------------------------------------------------------------------------
    @property
    def scenario(self) -> Scenario:
        """The scenario being played."""
        return self.entry.scenario

    @property
    def catalogue(self) -> Catalogue:
        """The principles catalogue the scenario is scored against."""
        return self.entry.catalogue

    @property
    def mode(self) -> PlayMode:
        """Practice or assessment."""
        return self.state.mode

    @property
    def scene(self) -> Scene | None:
        """The current scene (``None`` once the run has ended)."""
        return self.game.scene(self.state)

    @property
    def ending(self) -> Ending | None:
        """The ending reached, if any."""
        return self.game.ending(self.state)

    @property
    def is_over(self) -> bool:
        """Whether the run has reached an ending."""
        return self.game.is_over(self.state)

    @property
    def offered(self) -> tuple[Choice, ...]:
        """The choices on offer now."""
        return self.game.offered(self.state)

    @property
    def can_step_back(self) -> bool:
        """Practice mode allows undoing the last choice."""
        return self.game.can_step_back(self.state)

    @property
    def step_number(self) -> int:
        """How many decisions have been made."""
        return len(self.state.history)

    @property
    def seconds(self) -> float:
        """Time played in this run, across sessions."""
        return self._seconds + (self._clock() - self._since)

    def tally(self) -> Tally:
        """The running principle totals and moments read."""
        return tally(self.scenario, self.catalogue, self.state)

    def debrief(self) -> Debrief:
        """The full review (explores the scenario once per process)."""
        return debrief(self.scenario, self.catalogue, self.state, analysis_for(self.scenario))

    # -- acting ----------------------------------------------------------------------------
    def choose(self, choice_id: str) -> ChoiceOutcome:
        """Take a choice (raises :class:`~netquest.engine.ChoiceError` if not on offer)."""
        scene = self.scene
        self.state = self.game.choose(self.state, choice_id)
        choice = scene.choice(choice_id) if scene else None
        assert choice is not None and scene is not None
        self._record()
        read_right = None if scene.calls_for is None else choice.mode == scene.calls_for
        return ChoiceOutcome(
            choice=choice,
            consequence=choice.consequence,
            coach=choice.coach,
            deltas=deltas_of(choice, self.catalogue),
            read_right=read_right,
            finished=self.is_over,
        )

    def step_back(self) -> None:
        """Undo the last choice (practice mode only)."""
        self.state = self.game.step_back(self.state)
        self._record()

    def _record(self) -> None:
        seconds = self.seconds
        if self.is_over:
            result = self.debrief().to_result()
            self.run = self.run.with_state(self.state.to_dict(), seconds).finish(result, seconds)
        else:
            self.run = self.run.with_state(self.state.to_dict(), seconds)
        self.profile = self.profile.with_run(self.run)

    def save(self) -> str | None:
        """Write the profile; returns a one-line error instead of raising."""
        if self.store is None:
            return None
        try:
            self.store.save(self.profile)
        except SaveError as error:
            return str(error)
        return None
