"""Exact exploration of a scenario's state space.

A state is a (scene, flags) pair. The explorer visits every state reachable from
the start by breadth-first search (no sampling, no shortcuts), then works on the
strongly connected components of that graph to find:

* what is reachable under real state: scenes, choices actually offered, endings;
* states where nothing is offered, and states from which no ending can be reached;
* cycles through which points could be earned again (an error: scores must be bounded);
* the best and worst total a complete run can reach, from the start and from any state.

Flags are bit masks and nodes small integers, so large scenarios stay cheap. A flag only
splits states where it can still matter: each scene keeps just its *live* flags, those that
some ``requires``/``unless`` on a path onwards may read before a choice overwrites them
(classic liveness analysis over the scene graph). Two runs that differ only in dead flags
have exactly the same future, so merging them loses nothing.

The search is capped (:func:`state_budget`). A search that reaches the cap is *incomplete*:
it never yields a best or worst total, a "better move", principle ranges or a claim that
something cannot be reached; :attr:`Analysis.crowded_flags` names the flags that multiplied
the states.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from netquest.engine.model import Choice, Scenario

DEFAULT_MAX_STATES = 100_000
"""The state cap for small scenarios; larger ones get :data:`STATES_PER_NODE` per node."""
STATES_PER_NODE = 8


def state_budget(scenario: Scenario) -> int:
    """How many states the explorer may visit: bounded time and memory for any file."""
    return max(DEFAULT_MAX_STATES, STATES_PER_NODE * (len(scenario.scenes) + len(scenario.endings)))


class _Edge(NamedTuple):
    """A move between states (a tuple: cheaper to build than a frozen dataclass)."""

    target: int
    choice: Choice
    scene: str


class StateGraph:
    """The reachable state graph of one scenario."""

    def __init__(self, scenario: Scenario, max_states: int | None = None) -> None:
        self.scenario = scenario
        if max_states is None:
            max_states = state_budget(scenario)
        names = sorted(
            {
                flag
                for scene in scenario.scenes.values()
                for choice in scene.choices
                for flag in (*choice.requires, *choice.unless, *choice.sets, *choice.clears)
            }
        )
        self.flag_bits = {name: 1 << index for index, name in enumerate(names)}
        self.nodes: list[str] = [*scenario.scenes, *scenario.endings]
        node_index = {node: index for index, node in enumerate(self.nodes)}
        width = len(self.nodes)

        compiled: list[list[tuple[int, int, int, int, int, Choice]]] = []
        for scene in scenario.scenes.values():
            compiled.append(
                [
                    (
                        self.mask(c.requires),
                        self.mask(c.unless),
                        self.mask(c.sets),
                        self.mask(c.clears),
                        node_index.get(c.goto, -1),
                        c,
                    )
                    for c in scene.choices
                ]
            )
        scene_count = len(scenario.scenes)
        scene_ids = list(scenario.scenes)
        self._compiled = compiled
        self.live: list[int] = _liveness(compiled, width)
        """Per node, the mask of flags that may still be read on some path onwards."""
        live = self.live

        self.state_node: list[int] = []
        self.state_mask: list[int] = []
        self.edges: list[list[_Edge]] = []
        self.index: dict[int, int] = {}
        self.complete = True
        self.scene_count = scene_count
        self._components: list[list[int]] | None = None
        self._component_of: list[int] = []
        start = node_index.get(scenario.start)
        if start is None:
            return
        self._add(start, 0, width)
        cursor = 0
        while cursor < len(self.state_node):
            node, mask = self.state_node[cursor], self.state_mask[cursor]
            out: list[_Edge] = []
            if node < scene_count:
                for requires, unless, sets, clears, target, choice in compiled[node]:
                    if requires & ~mask or unless & mask or target < 0:
                        continue
                    next_mask = ((mask & ~clears) | sets) & live[target]
                    key = next_mask * width + target
                    found = self.index.get(key)
                    if found is None:
                        if len(self.state_node) >= max_states:
                            self.complete = False
                            break
                        found = self._add(target, next_mask, width)
                    out.append(_Edge(found, choice, scene_ids[node]))
            self.edges.append(out)
            cursor += 1
            if not self.complete:  # stop at once: time and memory stay bounded
                break
        self.edges.extend([] for _ in range(len(self.edges), len(self.state_node)))

    def offers_any(self, state: int) -> bool:
        """Whether any choice is on offer in ``state`` (never at an ending)."""
        node, mask = self.state_node[state], self.state_mask[state]
        if node >= self.scene_count:
            return False
        return any(
            not (requires & ~mask or unless & mask) for requires, unless, *_ in self._compiled[node]
        )

    def _add(self, node: int, mask: int, width: int) -> int:
        position = len(self.state_node)
        self.index[mask * width + node] = position
        self.state_node.append(node)
        self.state_mask.append(mask)
        return position

    def mask(self, flags: Iterable[str]) -> int:
        """The bit mask for a set of flag names (unknown names are ignored)."""
        value = 0
        for flag in flags:
            value |= self.flag_bits.get(flag, 0)
        return value

    def names(self, mask: int) -> list[str]:
        """The flag names in ``mask``, in natural order (f2 before f10)."""
        return sorted((n for n, bit in self.flag_bits.items() if mask & bit), key=_natural)

    def flags_of(self, state: int) -> frozenset[str]:
        """The *live* flag names set in ``state`` (flags no later condition reads are dropped)."""
        mask = self.state_mask[state]
        return frozenset(name for name, bit in self.flag_bits.items() if mask & bit)

    def state_of(self, node: str, flags: Iterable[str]) -> int | None:
        """The index of a (node, flags) state, if it is reachable (dead flags are ignored)."""
        try:
            node_index = self.nodes.index(node)
        except ValueError:
            return None
        mask = self.mask(flags) & self.live[node_index]
        return self.index.get(mask * len(self.nodes) + node_index)

    def crowded_flags(self, scenes: int = 3) -> list[str]:
        """The flags live at the most crowded scenes that some choice can set.

        When the search stops at its cap, these are the flags whose combinations multiplied
        the states: each is still to be read there, and may or may not be set.
        """
        counts: dict[int, int] = {}
        for node in self.state_node:
            counts[node] = counts.get(node, 0) + 1
        settable = 0
        for choices in self._compiled:
            for _requires, _unless, sets, *_ in choices:
                settable |= sets
        crowded = sorted(counts, key=lambda node: -counts[node])[:scenes]
        varying = 0
        for node in crowded:
            varying |= self.live[node] & settable
        return self.names(varying)

    def is_ending(self, state: int) -> bool:
        """Whether ``state`` is at an ending."""
        return self.state_node[state] >= self.scene_count

    # -- strongly connected components ------------------------------------------------------
    def components(self) -> tuple[list[list[int]], list[int]]:
        """Tarjan's SCCs, sinks first (reverse topological order), and each state's SCC."""
        if self._components is not None:
            return self._components, self._component_of
        count = len(self.state_node)
        index_of = [-1] * count
        low = [0] * count
        on_stack = [False] * count
        component_of = [-1] * count
        stack: list[int] = []
        components: list[list[int]] = []
        counter = 0
        for root in range(count):
            if index_of[root] != -1:
                continue
            work: list[tuple[int, int]] = [(root, 0)]
            index_of[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack[root] = True
            while work:
                state, position = work[-1]
                edges = self.edges[state]
                if position < len(edges):
                    work[-1] = (state, position + 1)
                    target = edges[position].target
                    if index_of[target] == -1:
                        index_of[target] = low[target] = counter
                        counter += 1
                        stack.append(target)
                        on_stack[target] = True
                        work.append((target, 0))
                    elif on_stack[target]:
                        low[state] = min(low[state], index_of[target])
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[state])
                if low[state] == index_of[state]:
                    members: list[int] = []
                    while True:
                        member = stack.pop()
                        on_stack[member] = False
                        component_of[member] = len(components)
                        members.append(member)
                        if member == state:
                            break
                    components.append(members)
        self._components, self._component_of = components, component_of
        return components, component_of

    def extremes(
        self, weight: Callable[[Choice], int]
    ) -> tuple[list[int | None], list[int | None]]:
        """Best and worst total to an ending from each SCC, under ``weight``.

        Edges inside an SCC are counted as zero: :func:`analyse` reports any cycle
        whose edges carry points, so on a clean scenario this is exact.
        """
        components, component_of = self.components()
        best: list[int | None] = [None] * len(components)
        worst: list[int | None] = [None] * len(components)
        for number, members in enumerate(components):
            high: int | None = None
            lowest: int | None = None
            for state in members:
                if self.is_ending(state):
                    high = 0 if high is None else max(high, 0)
                    lowest = 0 if lowest is None else min(lowest, 0)
                for edge in self.edges[state]:
                    target = component_of[edge.target]
                    if target == number:
                        continue
                    target_best, target_worst = best[target], worst[target]
                    if target_best is None or target_worst is None:
                        continue
                    gain = weight(edge.choice)
                    value = gain + target_best
                    high = value if high is None or value > high else high
                    value = gain + target_worst
                    lowest = value if lowest is None or value < lowest else lowest
            best[number], worst[number] = high, lowest
        return best, worst

    def extremes_by_key(
        self, keys: Sequence[str]
    ) -> tuple[list[list[int] | None], list[list[int] | None]]:
        """:meth:`extremes` for every key at once, the weight of a choice being its effect on
        the key: per SCC, the best and worst totals of each key (in the order of ``keys``).

        One pass over the graph instead of one per key (whether an SCC reaches an ending does
        not depend on the key, so neither does where ``None`` is).
        """
        components, component_of = self.components()
        index = {key: number for number, key in enumerate(keys)}
        zeros = [0] * len(keys)
        best: list[list[int] | None] = [None] * len(components)
        worst: list[list[int] | None] = [None] * len(components)
        for number, members in enumerate(components):
            high: list[int] | None = None
            lowest: list[int] | None = None
            for state in members:
                if self.is_ending(state):
                    if high is None or lowest is None:
                        high, lowest = list(zeros), list(zeros)
                    else:
                        high = [value if value > 0 else 0 for value in high]
                        lowest = [value if value < 0 else 0 for value in lowest]
                for edge in self.edges[state]:
                    target = component_of[edge.target]
                    if target == number:
                        continue
                    target_best, target_worst = best[target], worst[target]
                    if target_best is None or target_worst is None:
                        continue
                    up, down = list(target_best), list(target_worst)
                    for key, gain in edge.choice.effects.items():
                        at = index.get(key)
                        if at is not None:
                            up[at] += gain
                            down[at] += gain
                    if high is None or lowest is None:
                        high, lowest = up, down
                    else:
                        high = [a if a > b else b for a, b in zip(high, up, strict=True)]
                        lowest = [a if a < b else b for a, b in zip(lowest, down, strict=True)]
            best[number], worst[number] = high, lowest
        return best, worst


def _natural(name: str) -> list[tuple[int, int | str]]:
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", name)]


def _liveness(
    compiled: list[list[tuple[int, int, int, int, int, Choice]]], width: int
) -> list[int]:
    """Per node, the flags some condition may read on a path onwards before they are overwritten.

    ``live(scene) = reads(scene) | OR over its choices of (live(goto) & ~(sets | clears))``,
    endings read nothing. Solved by a worklist to the least fixed point; masks only grow.
    """
    live = [0] * width
    predecessors: list[set[int]] = [set() for _ in range(width)]
    for scene, choices in enumerate(compiled):
        for requires, unless, _sets, _clears, target, _choice in choices:
            live[scene] |= requires | unless
            if target >= 0:
                predecessors[target].add(scene)
    pending = list(range(len(compiled)))
    queued = [True] * width
    while pending:
        scene = pending.pop()
        queued[scene] = False
        value = live[scene]
        for _requires, _unless, sets, clears, target, _choice in compiled[scene]:
            if target >= 0:
                value |= live[target] & ~(sets | clears)
        if value != live[scene]:
            live[scene] = value
            for before in predecessors[scene]:
                if not queued[before]:
                    queued[before] = True
                    pending.append(before)
    return live


@dataclass(frozen=True)
class Analysis:
    """What the explorer found."""

    graph: StateGraph = field(repr=False)
    states: int
    complete: bool
    reachable_scenes: frozenset[str]
    offered_choices: frozenset[tuple[str, str]]
    reachable_endings: frozenset[str]
    stuck: tuple[tuple[str, frozenset[str]], ...]
    """Reachable (scene, flags) states where no choice is offered."""
    trapped: tuple[tuple[str, frozenset[str]], ...]
    """Reachable (scene, flags) states from which no ending can be reached."""
    farming: tuple[tuple[str, str], ...]
    """(scene, choice) pairs on a cycle whose effects could be collected again."""
    best: int | None
    """The best total of a complete run; ``None`` when unknown (the search was incomplete)."""
    worst: int | None
    crowded_flags: tuple[str, ...] = ()
    """When the search was incomplete: the flags that multiplied the states."""
    _best_to_go: list[int | None] = field(repr=False, default_factory=list)
    _worst_to_go: list[int | None] = field(repr=False, default_factory=list)

    def _component(self, node: str, flags: Iterable[str]) -> int | None:
        """The strongly connected component of a state, when the search was complete."""
        if not self.complete:
            return None
        state = self.graph.state_of(node, flags)
        if state is None:
            return None
        _, component_of = self.graph.components()
        return component_of[state]

    def best_from(self, node: str, flags: Iterable[str]) -> int | None:
        """The best total still reachable from a state (``None`` if unknown or trapped)."""
        component = self._component(node, flags)
        return None if component is None else self._best_to_go[component]

    def to_go(self, node: str, flags: Iterable[str]) -> tuple[int, int] | None:
        """The (worst, best) totals still reachable from a state (``None`` if unknown or
        trapped)."""
        component = self._component(node, flags)
        if component is None:
            return None
        best, worst = self._best_to_go[component], self._worst_to_go[component]
        return None if best is None or worst is None else (worst, best)

    def principle_ranges(self, principles: Iterable[str]) -> dict[str, tuple[int, int]]:
        """The lowest and highest total each principle can reach over complete runs.

        Empty when the search was incomplete: no range is better than a wrong one.
        """
        ranges: dict[str, tuple[int, int]] = {}
        if not self.complete:
            return ranges
        keys = list(dict.fromkeys(principles))
        if not self.states:
            return dict.fromkeys(keys, (0, 0))
        best, worst = self.graph.extremes_by_key(keys)
        start = self.graph.components()[1][0]
        high, low = best[start], worst[start]
        for at, principle in enumerate(keys):
            ranges[principle] = (
                low[at] if low is not None else 0,
                high[at] if high is not None else 0,
            )
        return ranges


def analyse(scenario: Scenario, max_states: int | None = None) -> Analysis:
    """Explore ``scenario`` exactly and summarise what is reachable and scorable.

    ``max_states`` defaults to :func:`state_budget`. When the search stops there, the result
    says so (``complete`` is false): best, worst, trapped states and ranges are left unknown.
    """
    graph = StateGraph(scenario, max_states)
    count = len(graph.state_node)
    scenes: set[str] = set()
    endings: set[str] = set()
    offered: set[tuple[str, str]] = set()
    stuck: list[tuple[str, frozenset[str]]] = []
    for state in range(count):
        node = graph.nodes[graph.state_node[state]]
        if graph.is_ending(state):
            endings.add(node)
            continue
        scenes.add(node)
        for edge in graph.edges[state]:
            offered.add((node, edge.choice.id))
        if not graph.edges[state] and not graph.offers_any(state):
            stuck.append((node, graph.flags_of(state)))

    if not graph.complete:
        # Nothing that needs every state is claimed, and no time is spent on partial cycles.
        return Analysis(
            graph=graph,
            states=count,
            complete=False,
            reachable_scenes=frozenset(scenes),
            offered_choices=frozenset(offered),
            reachable_endings=frozenset(endings),
            stuck=tuple(stuck),
            trapped=(),
            farming=(),
            best=None,
            worst=None,
            crowded_flags=tuple(graph.crowded_flags()),
        )
    _components, component_of = graph.components() if count else ([], [])
    farming: set[tuple[str, str]] = set()
    for state in range(count):
        for edge in graph.edges[state]:
            if component_of[edge.target] == component_of[state] and edge.choice.effects:
                farming.add((edge.scene, edge.choice.id))

    best, worst = graph.extremes(lambda choice: choice.total) if count else ([], [])
    stuck_states = {(n, f) for n, f in stuck}
    trapped = []
    for state in range(count):
        if graph.is_ending(state) or best[component_of[state]] is not None:
            continue
        key = (graph.nodes[graph.state_node[state]], graph.flags_of(state))
        if key not in stuck_states:
            trapped.append(key)
    start_component = component_of[0] if count else None
    return Analysis(
        graph=graph,
        states=count,
        complete=graph.complete,
        reachable_scenes=frozenset(scenes),
        offered_choices=frozenset(offered),
        reachable_endings=frozenset(endings),
        stuck=tuple(stuck),
        trapped=tuple(trapped),
        farming=tuple(sorted(farming)),
        best=None if start_component is None else best[start_component],
        worst=None if start_component is None else worst[start_component],
        _best_to_go=best,
        _worst_to_go=worst,
    )
