"""What the authoring studio knows about the file being written, computed off the UI thread.

:func:`load_draft` reads, loads, checks and explores one scenario file; :func:`replay` puts a
play position back on a (possibly edited) scenario; :func:`changes` says in one line what an
edit changed; :func:`choice_range` is the score consequence of a choice ("caps the run at
72/100"). Nothing here touches player saves.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from netquest.engine.checker import check_entry
from netquest.engine.diagnostics import Diagnostic, sort_key
from netquest.engine.explorer import Analysis
from netquest.engine.library import CATALOGUE_FILE, Entry, bundled_dir
from netquest.engine.loader import load_catalogue, load_scenario
from netquest.engine.model import Choice, Scenario
from netquest.engine.scoring import scaled_score
from netquest.engine.state import ChoiceError, Game


@dataclass(frozen=True)
class Draft:
    """One load of the file: the scenario when it loads, and everything ``check`` says."""

    path: Path
    diagnostics: tuple[Diagnostic, ...]
    entry: Entry | None = None
    analysis: Analysis | None = None
    flag_sets: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict, repr=False)
    """Per scene, the flag sets it can be reached with (fewest flags first)."""
    seconds: float = 0.0

    @property
    def scenario(self) -> Scenario | None:
        """The scenario, when the file loads without errors."""
        return self.entry.scenario if self.entry is not None else None

    @property
    def errors(self) -> int:
        """How many errors ``check`` found."""
        return sum(1 for d in self.diagnostics if d.is_error)

    def trapped_scenes(self) -> frozenset[str]:
        """Scenes from which, with some reachable flags, no ending can be reached."""
        if self.analysis is None:
            return frozenset()
        return frozenset(scene for scene, _ in (*self.analysis.trapped, *self.analysis.stuck))


def catalogue_path(path: Path) -> Path:
    """The catalogue a scenario file is checked against: beside it, else the bundled one."""
    beside = path.parent / CATALOGUE_FILE
    return beside if beside.is_file() else bundled_dir() / CATALOGUE_FILE


def load_draft(path: Path) -> Draft:
    """Read, load, check and explore ``path`` (slow on big files: call it from a worker)."""
    began = time.perf_counter()
    catalogue = load_catalogue(catalogue_path(path))
    if catalogue.value is None:
        return Draft(path, tuple(catalogue.diagnostics), seconds=time.perf_counter() - began)
    loaded = load_scenario(path, catalogue.value)
    diagnostics = list(loaded.diagnostics)
    if loaded.value is None or not loaded.ok:
        return Draft(
            path, tuple(sorted(diagnostics, key=sort_key)), seconds=time.perf_counter() - began
        )
    entry = Entry(loaded.value, catalogue.value, loaded.source)
    analysis, found = check_entry(entry)
    diagnostics.extend(found)
    graph = analysis.graph
    sets: dict[str, set[frozenset[str]]] = {}
    for state in range(analysis.states):
        if not graph.is_ending(state):
            node = graph.nodes[graph.state_node[state]]
            sets.setdefault(node, set()).add(graph.flags_of(state))
    flag_sets = {
        node: tuple(sorted(found_sets, key=lambda f: (len(f), sorted(f))))
        for node, found_sets in sets.items()
    }
    return Draft(
        path=path,
        diagnostics=tuple(sorted(diagnostics, key=sort_key)),
        entry=entry,
        analysis=analysis,
        flag_sets=flag_sets,
        seconds=time.perf_counter() - began,
    )


@dataclass(frozen=True, slots=True)
class Position:
    """Where the play pane is: an optional jump (scene and flags) and the choices since."""

    base: tuple[str, frozenset[str]] | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Placed:
    """A position put back on a scenario."""

    node: str
    flags: frozenset[str]
    total: int
    """Points earned since the start (or since the jump)."""
    position: Position
    notice: str = ""


def replay(scenario: Scenario, position: Position) -> Placed:
    """Replay ``position`` on ``scenario``, keeping as much of it as still fits."""
    game = Game(scenario)
    base = position.base
    if base is not None and base[0] not in scenario.scenes and base[0] not in scenario.endings:
        return Placed(
            scenario.start,
            frozenset(),
            0,
            Position(),
            f"scene '{base[0]}' is gone, so play restarts at '{scenario.start}'",
        )
    node, flags = base if base is not None else (scenario.start, frozenset[str]())
    total = 0
    kept: list[str] = []
    for choice_id in position.choices:
        try:
            choice = game.step(node, flags, choice_id)
        except ChoiceError:
            dropped = len(position.choices) - len(kept)
            return Placed(
                node,
                flags,
                total,
                Position(base, tuple(kept)),
                f"choice '{choice_id}' is no longer offered in '{node}': back to there "
                f"({dropped} choice{'s' if dropped != 1 else ''} undone)",
            )
        kept.append(choice_id)
        node, flags, total = choice.goto, choice.apply(flags), total + choice.total
    return Placed(node, flags, total, position)


def changes(old: Scenario | None, new: Scenario) -> str:
    """What changed between two versions, in one line ("" when nothing did)."""
    if old is None:
        return ""
    parts: list[str] = []
    for kind, before, after in (
        ("scene", old.scenes, new.scenes),
        ("ending", old.endings, new.endings),
    ):
        added = [k for k in after if k not in before]
        removed = [k for k in before if k not in after]
        edited = [k for k in after if k in before and after[k] != before[k]]
        for verb, names in (("added", added), ("removed", removed), ("changed", edited)):
            if names:
                shown = ", ".join(f"'{name}'" for name in names[:3])
                more = f" and {len(names) - 3} more" if len(names) > 3 else ""
                plural = "s" if len(names) > 1 else ""
                parts.append(f"{verb} {kind}{plural} {shown}{more}")
    header = [
        key
        for key in ("title", "summary", "setting", "start", "teaches", "minutes", "tests")
        if getattr(old, key) != getattr(new, key)
    ]
    if header:
        parts.append("changed " + ", ".join(header))
    return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Range:
    """The score consequence of taking a choice from a given state."""

    best: int
    """The best 0–100 score a run can still reach after this choice."""
    worst: int
    points: tuple[int, int]
    """(worst, best) raw points earned from here on, this choice included."""


def choice_range(draft: Draft, choice: Choice, flags: frozenset[str], total: int) -> Range | None:
    """What taking ``choice`` with ``flags`` (``total`` points so far) still allows."""
    analysis = draft.analysis
    if analysis is None or analysis.best is None or analysis.worst is None:
        return None
    after = analysis.to_go(choice.goto, choice.apply(flags))
    if after is None:
        return None
    low, high = choice.total + after[0], choice.total + after[1]
    return Range(
        best=scaled_score(total + high, analysis.worst, analysis.best),
        worst=scaled_score(total + low, analysis.worst, analysis.best),
        points=(low, high),
    )
