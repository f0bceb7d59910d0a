"""A play session: one run of one scenario for one profile, with autosave.

This joins the pure engine to the saves. Both front ends (the Textual app and the
plain line mode) drive a :class:`PlaySession`; neither scores anything itself.
Saving is a separate call (:meth:`PlaySession.save`) so the TUI can run it in a
worker thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
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
    Reading,
    RunState,
    Scenario,
    Scene,
    Tally,
    analyse,
    debrief,
    read_moment,
    tally,
)
from netquest.saves import Profile, RunRecord, SaveError, SaveStore

log = logging.getLogger(__name__)

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
    reading: Reading | None
    """How the choice read the moment (``None`` when the scene calls for nothing)."""
    finished: bool

    @property
    def read_right(self) -> bool | None:
        """Whether the moment was read right: the called-for kind, losing no points."""
        return None if self.reading is None else self.reading is Reading.RIGHT


def deltas_of(choice: Choice, catalogue: Catalogue) -> tuple[Delta, ...]:
    """A choice's effects as labelled deltas, largest first."""
    items = sorted(choice.effects.items(), key=lambda item: (-abs(item[1]), item[0]))
    return tuple(
        Delta(p, catalogue.principles[p].title if p in catalogue.principles else p, v)
        for p, v in items
    )


class SessionListener:
    """Hears what happens in a session, e.g. to record learning statements (xAPI).

    Every method does nothing here: subclass and override what you need. A listener that
    raises never stops play: the session logs the error and carries on. Pass
    ``listener=SessionListener()`` to a session to record nothing.
    """

    def run_started(self, session: PlaySession) -> None:
        """A new run began (called once, from :meth:`PlaySession.new`)."""

    def run_resumed(self, session: PlaySession) -> None:
        """A saved run was continued (called from :meth:`PlaySession.resume`)."""

    def choice_made(self, session: PlaySession, scene: Scene, outcome: ChoiceOutcome) -> None:
        """A choice was taken in ``scene``; ``session.step_number`` counts it."""

    def stepped_back(self, session: PlaySession) -> None:
        """The last choice was undone (practice mode)."""

    def run_finished(self, session: PlaySession) -> None:
        """The run reached an ending; ``session.run.result`` holds its result."""


class PlaySession:
    """One run in progress (or finished) and the profile it belongs to.

    ``listener`` hears the run start, each choice and the ending. The session attaches none of
    its own: whoever starts it passes one (the front ends pass the xAPI recorder, see
    :func:`netquest.xapi.recorder.default_listener`).
    """

    def __init__(
        self,
        entry: Entry,
        profile: Profile,
        run: RunRecord,
        state: RunState,
        store: SaveStore | None = None,
        clock: Callable[[], float] = time.monotonic,
        *,
        listener: SessionListener | None = None,
    ) -> None:
        self.listener = listener
        self.entry = entry
        self.game = Game(entry.scenario)
        self.profile = profile
        self.run = run
        self.state = state
        self.store = store
        self._clock = clock
        self._since = clock()
        self._seconds = run.seconds
        self._tally: tuple[RunState, Tally] | None = None
        self._debrief: tuple[RunState, Debrief] | None = None
        self.notices: list[str] = []
        """Lines for the player from saving (e.g. this run was forked), see :meth:`take_notices`."""

    # -- creation --------------------------------------------------------------------------
    @classmethod
    def new(
        cls,
        entry: Entry,
        profile: Profile,
        mode: PlayMode,
        store: SaveStore | None = None,
        *,
        listener: SessionListener | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> PlaySession:
        """Start a fresh run."""
        game = Game(entry.scenario)
        state = game.start(mode)
        run = RunRecord.new(entry.scenario.id, entry.scenario.content_hash, mode, state.to_dict())
        session = cls(entry, profile.with_run(run), run, state, store, clock, listener=listener)
        session._tell(lambda listener: listener.run_started(session))
        return session

    @classmethod
    def resume(
        cls,
        entry: Entry,
        profile: Profile,
        run: RunRecord,
        store: SaveStore | None = None,
        *,
        listener: SessionListener | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> tuple[PlaySession | None, str]:
        """Continue a saved run; returns ``(None, why)`` when it cannot be resumed."""
        outcome = Game(entry.scenario).resume(dict(run.state), run.content_hash)
        if outcome.state is None:
            return None, outcome.notice
        session = cls(entry, profile, run, outcome.state, store, clock, listener=listener)
        session._tell(lambda listener: listener.run_resumed(session))
        return session, outcome.notice

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
        """The running principle totals and moments read (computed once per state)."""
        if self._tally is None or self._tally[0] is not self.state:
            self._tally = (self.state, tally(self.scenario, self.catalogue, self.state))
        return self._tally[1]

    def debrief(self) -> Debrief:
        """The full review, computed once per state (the scenario is explored once per process).

        Finishing a run needs it twice, for the saved result and for the review shown.
        """
        if self._debrief is None or self._debrief[0] is not self.state:
            analysis = analysis_for(self.scenario)
            review = debrief(self.scenario, self.catalogue, self.state, analysis)
            self._debrief = (self.state, review)
        return self._debrief[1]

    # -- acting ----------------------------------------------------------------------------
    def choose(self, choice_id: str) -> ChoiceOutcome:
        """Take a choice (raises :class:`~netquest.engine.ChoiceError` if not on offer)."""
        scene = self.scene
        self.state = self.game.choose(self.state, choice_id)
        choice = scene.choice(choice_id) if scene else None
        assert choice is not None and scene is not None
        self._record()
        outcome = ChoiceOutcome(
            choice=choice,
            consequence=choice.consequence,
            coach=choice.coach,
            deltas=deltas_of(choice, self.catalogue),
            reading=read_moment(scene.calls_for, choice),
            finished=self.is_over,
        )
        self._tell(lambda listener: listener.choice_made(self, scene, outcome))
        if outcome.finished:
            self._tell(lambda listener: listener.run_finished(self))
        return outcome

    def step_back(self) -> None:
        """Undo the last choice (practice mode only)."""
        self.state = self.game.step_back(self.state)
        self._record()
        self._tell(lambda listener: listener.stepped_back(self))

    def _tell(self, event: Callable[[SessionListener], None]) -> None:
        """Pass an event to the listener; its failures are logged, never raised."""
        if self.listener is None:
            return
        try:
            event(self.listener)
        except Exception as error:  # a listener must never stop play
            log.warning("session listener failed: %r", error)
            log.debug("session listener failed", exc_info=True)

    def _record(self) -> None:
        seconds = self.seconds
        if self.is_over:
            result = self.debrief().to_result()
            self.run = self.run.with_state(self.state.to_dict(), seconds).finish(result, seconds)
        else:
            run = self.run
            if run.finished is not None:  # stepped back from an ending: the run is open again
                run = replace(run, finished=None, result=None)
            self.run = run.with_state(self.state.to_dict(), seconds)
        self.profile = self.profile.with_run(self.run)

    def save(self) -> str | None:
        """Write the profile; returns a one-line error instead of raising.

        The save merges with what other netquest processes saved meanwhile. When another one
        changed this very run too, this session's run goes on under a new id (so neither is
        overwritten) and :attr:`notices` gets a line for the player.
        """
        if self.store is None:
            return None
        try:
            outcome = self.store.commit(self.profile)
        except SaveError as error:
            return str(error)
        self.follow_forks(outcome.forked)
        self.notices.extend(outcome.notices)
        return None

    def follow_forks(self, forked: Mapping[str, str]) -> None:
        """Go on under the new id a save gave this run (given id -> new id), if it gave one.

        The other place's version stays under the old id on disk; this session no longer
        holds it, so its later saves never touch it.
        """
        new_id = forked.get(self.run.id)
        if new_id is None:
            return
        old_id = self.run.id
        self.run = replace(self.run, id=new_id)
        runs = tuple(self.run if run.id == old_id else run for run in self.profile.runs)
        self.profile = replace(self.profile, runs=runs)

    def take_notices(self) -> list[str]:
        """The notices gathered by saves since the last call (one line each), then forgets them."""
        notices, self.notices = self.notices, []
        return notices
