"""What the class is doing, built from the class feed's events (the dashboard's model).

Pure: events in (:meth:`ClassState.apply`), plain answers out. Every game event carries the
student's whole position (see :func:`netquest.play.class_feed.position`), so applying the same
event twice, or missing one, never leaves a wrong picture for longer than the next event. A
student who closes the tab is marked gone and their choices still count.

Counts take each student's latest run of a scenario: "how many students chose each option".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from netquest.engine import Entry, Library, Scenario


@dataclass(frozen=True, slots=True)
class Student:
    """One student as the dashboard shows them."""

    name: str
    present: bool = True
    scenario: str | None = None
    mode: str | None = None
    scene: str | None = None
    decisions: int = 0
    finished: bool = False
    ending: str | None = None
    score: int | None = None


@dataclass(frozen=True, slots=True)
class Run:
    """One run as last reported."""

    name: str
    scenario: str
    path: tuple[tuple[str, str], ...]
    finished: bool
    ending: str | None
    score: int | None


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of a scene and how many students took it."""

    id: str
    text: str
    count: int
    best: bool


@dataclass(frozen=True, slots=True)
class SceneBars:
    """The choice counts of one scene."""

    scene: str
    title: str
    options: tuple[Option, ...]

    @property
    def total(self) -> int:
        """Students who decided here."""
        return sum(option.count for option in self.options)


@dataclass(frozen=True, slots=True)
class Loss:
    """Points the class lost on one principle."""

    principle: str
    title: str
    points: int
    students: int


@dataclass(frozen=True, slots=True)
class Ending:
    """How many finished runs reached one ending."""

    id: str
    title: str
    outcome: str
    count: int


def _steps(value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        (step[0], step[1])
        for step in value
        if isinstance(step, list)
        and len(step) == 2
        and isinstance(step[0], str)
        and isinstance(step[1], str)
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def best_moves(scenario: Scenario, scene_id: str) -> frozenset[str]:
    """The choices of a scene that earn the most points there (the move the coach prefers)."""
    scene = scenario.scenes.get(scene_id)
    if scene is None or not scene.choices:
        return frozenset()
    top = max(choice.total for choice in scene.choices)
    return frozenset(choice.id for choice in scene.choices if choice.total == top)


@dataclass
class ClassState:
    """The class's positions and choices so far."""

    students: dict[str, Student] = field(default_factory=dict)
    runs: dict[str, Run] = field(default_factory=dict)
    latest: dict[tuple[str, str], str] = field(default_factory=dict)
    """(student, scenario) -> that student's latest run id."""
    group: dict[str, Any] | None = None
    """The latest group-play message."""
    live: bool = False
    """Whether the replay of past events is over."""

    def apply(self, event: Mapping[str, Any]) -> bool:
        """Take one event; returns whether anything shown may have changed."""
        kind = event.get("t")
        if kind == "live":
            self.live = True
            return True
        if kind == "group":
            self.group = dict(event)
            return True
        name = _text(event.get("name"))
        if name is None:
            return False
        student = self.students.get(name) or Student(name)
        if kind == "left":
            self.students[name] = replace(student, present=False)
            return True
        if kind == "joined":
            self.students[name] = replace(student, present=True)
            return True
        if kind not in ("run", "choice"):
            return False
        run_id, scenario = _text(event.get("run")), _text(event.get("scenario"))
        if run_id is None or scenario is None:
            return False
        path = _steps(event.get("path"))
        score = event.get("score")
        score = score if isinstance(score, int) and not isinstance(score, bool) else None
        finished = event.get("finished") is True
        ending = _text(event.get("ending"))
        self.runs[run_id] = Run(name, scenario, path, finished, ending, score)
        self.latest[(name, scenario)] = run_id
        self.students[name] = Student(
            name=name,
            present=True,
            scenario=scenario,
            mode=_text(event.get("mode")),
            scene=_text(event.get("scene")),
            decisions=len(path),
            finished=finished,
            ending=ending,
            score=score,
        )
        return True

    # -- questions -------------------------------------------------------------------------

    def roster(self) -> list[Student]:
        """Every student, those still here first, then by name."""
        return sorted(self.students.values(), key=lambda s: (not s.present, s.name.casefold()))

    def latest_runs(self, scenario: str | None = None) -> list[Run]:
        """Each student's latest run (of one scenario, if given)."""
        return [
            self.runs[run_id]
            for (_, played), run_id in self.latest.items()
            if scenario is None or played == scenario
        ]

    def scenarios(self) -> list[str]:
        """Scenarios played, the most played first."""
        counts = Counter(run.scenario for run in self.latest_runs())
        return [scenario for scenario, _ in counts.most_common()]

    def bars(self, scenario: Scenario) -> list[SceneBars]:
        """For each scene of ``scenario`` someone decided in: how many took each choice."""
        counts: Counter[tuple[str, str]] = Counter()
        for run in self.latest_runs(scenario.id):
            counts.update(set(run.path))
        decided = {scene for scene, _ in counts}
        found = []
        for scene in scenario.scenes.values():
            if scene.id not in decided:
                continue
            best = best_moves(scenario, scene.id)
            options = tuple(
                Option(choice.id, choice.text, counts[(scene.id, choice.id)], choice.id in best)
                for choice in scene.choices
            )
            found.append(SceneBars(scene.id, scene.title or scene.id, options))
        return found

    def losses(self, library: Library) -> list[Loss]:
        """The principles the class lost most points on so far, the most first."""
        points: Counter[str] = Counter()
        who: dict[str, set[str]] = {}
        entries: dict[str, Entry | None] = {}
        titles: dict[str, str] = {}
        for run in self.latest_runs():
            if run.scenario not in entries:
                entries[run.scenario] = library.get(run.scenario)
            entry = entries[run.scenario]
            if entry is None:
                continue
            for scene_id, choice_id in run.path:
                scene = entry.scenario.scenes.get(scene_id)
                choice = scene.choice(choice_id) if scene is not None else None
                if choice is None:
                    continue
                for principle, value in choice.effects.items():
                    if value < 0:
                        points[principle] += -value
                        who.setdefault(principle, set()).add(run.name)
                        known = entry.catalogue.principles.get(principle)
                        titles[principle] = known.title if known is not None else principle
        ranked = sorted(points.items(), key=lambda item: (-item[1], item[0]))
        return [Loss(p, titles[p], -n, len(who[p])) for p, n in ranked]

    def endings(self, scenario: Scenario) -> tuple[list[Ending], list[int]]:
        """The endings the class reached in ``scenario`` (with counts) and the scores."""
        runs = [run for run in self.latest_runs(scenario.id) if run.finished]
        reached = Counter(run.ending for run in runs if run.ending is not None)
        endings = [
            Ending(ending.id, ending.title, ending.outcome, reached[ending.id])
            for ending in scenario.endings.values()
        ]
        return endings, sorted(run.score for run in runs if run.score is not None)
