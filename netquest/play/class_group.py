"""Group play: the whole class plays one scenario together, one vote per scene.

:class:`GroupGame` is the teacher's side (the dashboard holds it): the scene on the projector,
the vote (waiting → open → closed), the choice played (the majority, or the teacher's), the
class path, and every round's distribution for the class debrief. Its :meth:`GroupGame.message`
is what the hub passes to every student's voting pad.

:class:`GroupRun` is the student's side: their own run of the same scenario, following the
class path (the choices the class played), with their own votes kept in the run's ``group``
field, so every vote is saved to the student's profile, shown by ``netquest report`` as a
group run, and sent as xAPI (the ``answered`` statement carries the vote).

The engine does all the scoring; nothing here adds up points of its own.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from netquest.engine import Choice, Entry, Game, RunState, Scene
from netquest.play.session import PlaySession, SessionListener, analysis_for
from netquest.saves import Profile, SaveStore

Phase = Literal["waiting", "open", "closed", "played", "debrief"]

GROUP_ENV = "NETQUEST_CLASS_GROUP"
"""Set by ``netquest serve --group SCENARIO`` for its games: the scenario played together."""


@dataclass(frozen=True, slots=True)
class Round:
    """One decision of the class: the votes, the majority and what was played."""

    scene: str
    counts: Mapping[str, int]
    majority: str | None
    played: str


def best_path(entry: Entry) -> list[tuple[str, str]]:
    """The path that earns the most points (what the class path is compared with)."""
    game, analysis = Game(entry.scenario), analysis_for(entry.scenario)
    state = game.start("practice")
    path: list[tuple[str, str]] = []
    while not game.is_over(state) and len(path) < 200:
        offered = game.offered(state)
        if not offered:
            break

        def value(choice: Choice, flags: frozenset[str] = state.flags) -> int:
            rest = analysis.best_from(choice.goto, choice.apply(flags))
            return choice.total + (rest if rest is not None else -(10**6))

        chosen = max(offered, key=value)
        path.append((state.node, chosen.id))
        state = game.choose(state, chosen.id)
    return path


def majority(counts: Mapping[str, int], order: list[str]) -> str | None:
    """The choice most voted for (a tie goes to the one listed first); ``None`` without votes."""
    if not counts or max(counts.values()) == 0:
        return None
    top = max(counts.values())
    return next(choice for choice in order if counts.get(choice, 0) == top)


@dataclass
class GroupGame:
    """The class's shared run, driven by the teacher."""

    entry: Entry
    session: str = field(default_factory=lambda: secrets.token_hex(8))
    phase: Phase = "waiting"
    round: int = 1
    votes: dict[str, str] = field(default_factory=dict)
    """Student name -> their vote this round (the latest counts)."""
    rounds: list[Round] = field(default_factory=list)
    state: RunState | None = None
    seconds_left: int | None = None
    """The vote's countdown, when the teacher started one."""
    game: Game = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.game = Game(self.entry.scenario)
        if self.state is None:
            self.state = self.game.start("practice")

    @property
    def run_state(self) -> RunState:
        """The class's position (always set)."""
        assert self.state is not None
        return self.state

    @property
    def scene(self) -> Scene | None:
        """The scene being decided (``None`` at the ending)."""
        return self.game.scene(self.run_state)

    @property
    def offered(self) -> tuple[Choice, ...]:
        """The choices on offer now."""
        return self.game.offered(self.run_state)

    @property
    def counts(self) -> dict[str, int]:
        """Votes per choice this round."""
        tally = Counter(self.votes.values())
        return {choice.id: tally.get(choice.id, 0) for choice in self.offered}

    @property
    def majority(self) -> str | None:
        """The choice most voted for this round."""
        return majority(self.counts, [choice.id for choice in self.offered])

    @property
    def path(self) -> list[list[str]]:
        """The class path so far."""
        return [[step.scene, step.choice] for step in self.run_state.history]

    def vote(self, name: str, round_number: object, choice: object) -> bool:
        """Count a student's vote if the vote is open and it is for this round's choices."""
        if self.phase != "open" or round_number != self.round:
            return False
        if not isinstance(choice, str) or choice not in {c.id for c in self.offered}:
            return False
        self.votes[name] = choice
        return True

    def open_vote(self) -> None:
        """Let the students vote on the scene shown."""
        if self.phase == "waiting":
            self.phase = "open"

    def close_vote(self) -> None:
        """Stop taking votes; the majority is shown."""
        if self.phase == "open":
            self.phase = "closed"
            self.seconds_left = None

    def play(self, choice_id: str | None = None) -> Choice | None:
        """Play ``choice_id`` (the teacher's override) or the majority; returns the choice."""
        if self.phase not in ("open", "closed"):
            return None
        scene = self.scene
        offered = [choice.id for choice in self.offered]
        chosen = choice_id or self.majority or (offered[0] if offered else None)
        if scene is None or chosen not in offered:
            return None
        self.rounds.append(Round(scene.id, self.counts, self.majority, chosen))
        self.state = self.game.choose(self.run_state, chosen)
        self.phase = "played"
        self.seconds_left = None
        return scene.choice(chosen)

    def next_scene(self) -> None:
        """Move on after the coach's note: the next vote, or the class debrief at the end."""
        if self.phase != "played":
            return
        self.votes = {}
        self.round += 1
        self.phase = "debrief" if self.game.is_over(self.run_state) else "waiting"

    def message(self) -> dict[str, Any]:
        """What every voting pad needs to show this moment (sent through the hub)."""
        scene = self.scene
        last = self.rounds[-1] if self.rounds and self.phase in ("played", "debrief") else None
        return {
            "t": "group",
            "session": self.session,
            "scenario": self.entry.scenario.id,
            "phase": self.phase,
            "round": self.round,
            "scene": scene.id if scene is not None else None,
            "offered": [choice.id for choice in self.offered],
            "path": self.path,
            "counts": self.counts if self.phase != "waiting" else {},
            "played": [last.scene, last.played] if last is not None else None,
            "seconds_left": self.seconds_left,
        }

    def debrief_rows(self) -> list[tuple[Round, str | None]]:
        """Every round with the best move at its scene (for the class debrief)."""
        from netquest.play.class_state import best_moves

        rows = []
        for played in self.rounds:
            best = sorted(best_moves(self.entry.scenario, played.scene))
            rows.append((played, best[0] if best else None))
        return rows


class GroupRun:
    """A student's own run of the group scenario: the class path, with their votes."""

    def __init__(
        self,
        entry: Entry,
        profile: Profile,
        store: SaveStore | None,
        session_id: str,
        listener: SessionListener | None = None,
    ) -> None:
        """Start the student's group run for the group session ``session_id``."""
        self.session_id = session_id
        self.votes: dict[str, str] = {}
        """Scene -> the student's latest vote there (the last one before the vote closed)."""
        earlier = next(
            (
                run
                for run in reversed(profile.runs)
                if (run.group or {}).get("session") == session_id
            ),
            None,
        )
        if earlier is not None:  # the tab was closed and opened again: carry on
            resumed, _ = PlaySession.resume(entry, profile, earlier, store, listener=listener)
            if resumed is not None:
                self.session = resumed
                return
        session = PlaySession.new(entry, profile, "practice", store, listener=listener)
        run = dataclasses.replace(session.run, group={"session": session_id, "votes": []})
        session.run = run
        session.profile = session.profile.with_run(run)
        self.session = session

    def vote(self, scene: str, choice: str) -> None:
        """Remember the student's vote at ``scene`` (saved when the class plays the scene)."""
        self.votes[scene] = choice

    def follow(self, path: list[list[str]]) -> bool:
        """Play the class's choices not yet in this run; returns whether the run changed."""
        session = self.session
        changed = False
        for scene, choice in path[session.step_number :]:
            if session.is_over or session.scene is None or session.scene.id != scene:
                break
            group = dict(session.run.group or {})
            votes = list(group.get("votes", []))
            if scene in self.votes:
                votes.append([scene, self.votes[scene]])
            group["votes"] = votes
            session.run = dataclasses.replace(session.run, group=group)
            session.choose(choice)
            changed = True
        return changed

    def vote_at(self, scene: str) -> str | None:
        """The student's saved vote at ``scene`` (for the xAPI statement)."""
        for voted_scene, choice in (self.session.run.group or {}).get("votes", []):
            if voted_scene == scene:
                return str(choice)
        return None
