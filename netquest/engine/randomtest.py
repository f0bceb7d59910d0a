"""Random and fixed-strategy playthroughs of a scenario, as ChoiceScript's ``randomtest`` does.

Everything runs on the explorer's state graph: each reachable (scene, flags) state already has
its offered choices and their target states, so a playthrough is a walk over small integers and
never builds a :class:`~netquest.engine.state.RunState`. Runs are deterministic for a seed.

Reported: coverage of scenes, choices and endings by the random runs (with what was never hit),
the distribution of scores (0–100, scaled between the worst and best complete runs, as the
debrief does), how often each ending is reached, how fixed strategies score, and *give-away
tells*: surface features that point at the best choice without reading the moment.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from netquest.engine.explorer import StateGraph, analyse
from netquest.engine.model import Choice, Scenario, Scene
from netquest.engine.scoring import scaled_score

#: Words that, in a choice's text, tend to mark it as the "nice" answer whatever the moment
#: (the qualifiers test-writing guides tell item writers to avoid). A scene counts for the
#: word tell when its best choice uses one of these and no other choice there does.
TELL_WORDS: tuple[str, ...] = (
    "politely",
    "respectfully",
    "thoughtfully",
    "genuinely",
    "sincerely",
    "carefully",
    "kindly",
    "warmly",
    "honestly",
    "professionally",
    "appropriately",
    "graciously",
    "listen",
    "listens",
    "listening",
    "thank",
    "thanks",
)
_WORD = re.compile(r"[a-z]+")

STRATEGIES: tuple[str, ...] = (
    "greedy-best",
    "always-first",
    "always-longest",
    "always-last",
)
#: A run that has not ended after this many choices is counted as "no ending" (a loop).
MAX_STEPS = 1_000
HISTOGRAM_BUCKETS = 10

Locate = Callable[[str], tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Missed:
    """Something no random run reached, and where it is written."""

    kind: str
    """``scene``, ``choice`` or ``ending``."""
    id: str
    """The scene or ending id, or ``scene.choice`` for a choice."""
    line: int


@dataclass(frozen=True, slots=True)
class Tell:
    """One give-away: in how many decision scenes the best choice has a surface feature."""

    name: str
    scenes: int
    """Scenes where the best choice has the feature."""
    of: int
    """Decision scenes: two or more choices and one best (highest net) choice."""
    examples: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        """``scenes / of`` (0 when there is no decision scene)."""
        return self.scenes / self.of if self.of else 0.0


@dataclass(frozen=True, slots=True)
class StrategyRun:
    """How one fixed strategy fares."""

    name: str
    ending: str | None
    """The ending reached, or ``None`` when the strategy got stuck or looped."""
    total: int
    score: int


@dataclass(frozen=True)
class Report:
    """What a randomtest found."""

    scenario: str
    runs: int
    seed: int
    best: int
    worst: int
    scenes_hit: dict[str, int]
    choices_hit: dict[tuple[str, str], int]
    endings_hit: dict[str, int]
    no_ending: int
    """Random runs that got stuck or hit :data:`MAX_STEPS` without an ending."""
    scores: list[int]
    """The 0–100 score of every random run that reached an ending."""
    strategies: tuple[StrategyRun, ...]
    tells: tuple[Tell, ...]
    missed: tuple[Missed, ...] = field(default=())

    def histogram(self, buckets: int = HISTOGRAM_BUCKETS) -> list[tuple[int, int, int]]:
        """(low, high, count) per score band; the last band includes 100."""
        width = 100 // buckets
        counts = [0] * buckets
        for score in self.scores:
            counts[min(score // width, buckets - 1)] += 1
        return [
            (n * width, 100 if n == buckets - 1 else (n + 1) * width - 1, counts[n])
            for n in range(buckets)
        ]

    @property
    def gameable(self) -> tuple[StrategyRun, ...]:
        """Fixed strategies that ignore the moment yet score above 50."""
        return tuple(s for s in self.strategies if s.name != "greedy-best" and s.score > 50)

    def coverage(self, kind: str) -> tuple[int, int]:
        """(hit, total) for ``scene``, ``choice`` or ``ending``."""
        counts = list(
            self.choices_hit.values()
            if kind == "choice"
            else (self.scenes_hit if kind == "scene" else self.endings_hit).values()
        )
        return sum(1 for count in counts if count), len(counts)


class _Table:
    """Per-state offered-choice tables, flattened once: target, gain, choice number."""

    def __init__(self, scenario: Scenario, graph: StateGraph) -> None:
        self.choices: list[tuple[Scene, Choice]] = [
            (scene, choice) for scene in scenario.scenes.values() for choice in scene.choices
        ]
        number = {(scene.id, choice.id): n for n, (scene, choice) in enumerate(self.choices)}
        self.targets: list[list[int]] = []
        self.gains: list[list[int]] = []
        self.numbers: list[list[int]] = []
        for edges in graph.edges:
            self.targets.append([edge.target for edge in edges])
            self.gains.append([edge.choice.total for edge in edges])
            self.numbers.append([number[(edge.scene, edge.choice.id)] for edge in edges])
        self.node_of = graph.state_node
        self.ending_of = [
            graph.state_node[state] - graph.scene_count if graph.is_ending(state) else -1
            for state in range(len(graph.state_node))
        ]


def _walk(
    table: _Table,
    pick: Callable[[int, list[int]], int],
    hits: list[int] | None = None,
    visits: list[int] | None = None,
) -> tuple[int, int]:
    """Play from state 0 with ``pick(state, numbers) -> position``; (ending number or -1, total).

    ``hits`` counts each choice taken and ``visits`` each scene entered, by number.
    """
    state, total = 0, 0
    targets, gains, numbers, ending_of = table.targets, table.gains, table.numbers, table.ending_of
    node_of = table.node_of
    for _ in range(MAX_STEPS):
        ending = ending_of[state]
        if ending >= 0:
            return ending, total
        offered = numbers[state]
        if visits is not None:
            visits[node_of[state]] += 1
        if not offered:
            return -1, total
        position = pick(state, offered)
        if hits is not None:
            hits[offered[position]] += 1
        total += gains[state][position]
        state = targets[state][position]
    return (ending_of[state], total) if ending_of[state] >= 0 else (-1, total)


def _strategy_pickers(table: _Table) -> dict[str, Callable[[int, list[int]], int]]:
    def greedy(state: int, offered: list[int]) -> int:
        gains = table.gains[state]
        return gains.index(max(gains))

    def first(state: int, offered: list[int]) -> int:
        return 0

    def last(state: int, offered: list[int]) -> int:
        return len(offered) - 1

    def longest(state: int, offered: list[int]) -> int:
        lengths = [len(table.choices[n][1].text) for n in offered]
        return lengths.index(max(lengths))

    return {
        "greedy-best": greedy,
        "always-first": first,
        "always-longest": longest,
        "always-last": last,
    }


def tells(scenario: Scenario, words: tuple[str, ...] = TELL_WORDS) -> tuple[Tell, ...]:
    """The give-away tells over the scenario's decision scenes (all choices, file order)."""
    vocabulary = frozenset(words)
    counts = {"longest": 0, "first": 0, "last": 0, "tell-tale word": 0}
    examples: dict[str, list[str]] = {name: [] for name in counts}
    decisions = 0
    for scene in scenario.scenes.values():
        choices = scene.choices
        if len(choices) < 2:
            continue
        nets = [choice.total for choice in choices]
        top = max(nets)
        if nets.count(top) != 1:
            continue
        decisions += 1
        best = nets.index(top)
        lengths = [len(choice.text) for choice in choices]
        has_word = [bool(vocabulary & set(_WORD.findall(c.text.lower()))) for c in choices]
        found = {
            "longest": lengths[best] == max(lengths) and lengths.count(max(lengths)) == 1,
            "first": best == 0,
            "last": best == len(choices) - 1,
            "tell-tale word": has_word[best] and sum(has_word) == 1,
        }
        for name, hit in found.items():
            if hit:
                counts[name] += 1
                examples[name].append(scene.id)
    return tuple(Tell(name, counts[name], decisions, tuple(examples[name][:5])) for name in counts)


def randomtest(
    scenario: Scenario, runs: int = 1_000, seed: int = 0, locate: Locate | None = None
) -> Report:
    """Play ``runs`` uniform-random runs and each fixed strategy; report coverage and tells.

    ``locate`` maps a key path (``scenes.lobby.choices[1]``) to its (line, column), so what was
    never hit can be shown with its line.
    """
    analysis = analyse(scenario)
    graph = analysis.graph
    best = analysis.best if analysis.best is not None else 0
    worst = analysis.worst if analysis.worst is not None else 0
    endings = list(scenario.endings)
    hits = [0] * sum(len(scene.choices) for scene in scenario.scenes.values())
    ending_hits = [0] * len(endings)
    visits = [0] * len(scenario.scenes)
    scores: list[int] = []
    no_ending = 0
    if graph.state_node:
        table = _Table(scenario, graph)
        rng = random.Random(seed)
        below = rng.randrange

        def uniform(state: int, offered: list[int]) -> int:
            return below(len(offered)) if len(offered) > 1 else 0

        for _ in range(runs):
            ending, total = _walk(table, uniform, hits, visits)
            if ending < 0:
                no_ending += 1
                continue
            ending_hits[ending] += 1
            scores.append(scaled_score(total, worst, best))
        fixed = []
        for name, pick in _strategy_pickers(table).items():
            ending, total = _walk(table, pick)
            fixed.append(
                StrategyRun(
                    name,
                    endings[ending] if ending >= 0 else None,
                    total,
                    scaled_score(total, worst, best) if ending >= 0 else 0,
                )
            )
        strategies = tuple(fixed)
    else:
        strategies = ()
        no_ending = runs

    scenes_hit = dict(zip(scenario.scenes, visits, strict=True))
    choices_hit: dict[tuple[str, str], int] = {}
    position = 0
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            count = hits[position]
            choices_hit[(scene.id, choice.id)] = count
            position += 1
    endings_hit = dict(zip(endings, ending_hits, strict=True))
    return Report(
        scenario=scenario.id,
        runs=runs,
        seed=seed,
        best=best,
        worst=worst,
        scenes_hit=scenes_hit,
        choices_hit=choices_hit,
        endings_hit=endings_hit,
        no_ending=no_ending,
        scores=scores,
        strategies=strategies,
        tells=tells(scenario),
        missed=_missed(scenario, scenes_hit, choices_hit, endings_hit, locate),
    )


def _missed(
    scenario: Scenario,
    scenes_hit: dict[str, int],
    choices_hit: dict[tuple[str, str], int],
    endings_hit: dict[str, int],
    locate: Locate | None,
) -> tuple[Missed, ...]:
    def line(path: str) -> int:
        return locate(path)[0] if locate else 0

    missed = [
        Missed("scene", scene_id, line(f"scenes.{scene_id}"))
        for scene_id, count in scenes_hit.items()
        if not count
    ]
    for scene in scenario.scenes.values():
        for position, choice in enumerate(scene.choices):
            if not choices_hit[(scene.id, choice.id)]:
                missed.append(
                    Missed(
                        "choice",
                        f"{scene.id}.{choice.id}",
                        line(f"scenes.{scene.id}.choices[{position}]"),
                    )
                )
    missed.extend(
        Missed("ending", ending_id, line(f"endings.{ending_id}"))
        for ending_id, count in endings_hit.items()
        if not count
    )
    return tuple(missed)
