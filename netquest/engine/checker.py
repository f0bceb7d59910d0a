"""Dynamic checks and coverage: what only exploring a scenario can tell.

Static problems (syntax, schema, unknown names) come from the loader; this module
adds what the explorer finds under real state, the golden-path tests, and the
curriculum-wide coverage figures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from netquest.engine.diagnostics import Diagnostic, cap_per_file, make
from netquest.engine.explorer import Analysis, analyse
from netquest.engine.fidelity import fidelity_diagnostics
from netquest.engine.gc_pause import gc_paused
from netquest.engine.library import Entry, Library
from netquest.engine.model import Catalogue, Scenario
from netquest.engine.positions import PositionIndex
from netquest.engine.state import ChoiceError, Game
from netquest.engine.toml_source import resolved

#: Coverage targets for a curriculum (issue: every principle taught by 3+ choices in 2+
#: scenarios; every mode that moments can call for is called for 3+ times).
MIN_CHOICES_PER_PRINCIPLE = 3
MIN_SCENARIOS_PER_PRINCIPLE = 2
MIN_CALLS_PER_MODE = 3


def _flags(flags: Iterable[str]) -> str:
    names = sorted(flags)
    return "{" + ", ".join(names) + "}" if names else "no flags"


class _Placer:
    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.file = str(entry.scenario.path or "<memory>")

    def __call__(self, code: str, path: str, message: str, hint: str = "") -> Diagnostic:
        position = self.entry.source.index.find(path) if self.entry.source else (1, 1)
        return make(code, self.file, position, message, hint)


def _too_many_states(analysis: Analysis, at: _Placer) -> Diagnostic:
    flags = list(analysis.crowded_flags)
    named = ", ".join(f"'{flag}'" for flag in flags[:8])
    if len(flags) > 8:
        named += f" and {len(flags) - 8} more"
    return at(
        "NQ032",
        "scenario",
        f"too many flag combinations to score: more than {analysis.states:,} states, multiplied by "
        f"{len(flags)} flag{'s' if len(flags) != 1 else ''} live at once ({named or 'none'}); "
        "score range unknown",
        "clear each flag once it has done its job, read it sooner, or use fewer flags",
    )


def check_entry(entry: Entry, max_states: int | None = None) -> tuple[Analysis, list[Diagnostic]]:
    """Explore one scenario and report what is wrong under real state.

    When the search is incomplete (NQ032), nothing that needs every state is claimed:
    no unreachable scene, choice or ending, and no trap.
    """
    scenario = entry.scenario
    at = _Placer(entry)
    analysis = analyse(scenario, max_states)
    found: list[Diagnostic] = []
    complete = analysis.complete
    if not complete:
        found.append(_too_many_states(analysis, at))
    scene_order = list(scenario.scenes) if complete else []
    for scene_id in scene_order:
        scene = scenario.scenes[scene_id]
        if scene_id not in analysis.reachable_scenes:
            found.append(
                at(
                    "NQ020",
                    f"scenes.{scene_id}",
                    f"scene '{scene_id}' can never be reached",
                    "link to it with a goto, or remove it",
                )
            )
            continue
        for position, choice in enumerate(scene.choices):
            if (scene_id, choice.id) not in analysis.offered_choices:
                found.append(
                    at(
                        "NQ021",
                        f"scenes.{scene_id}.choices[{position}]",
                        f"choice '{choice.id}' in scene '{scene_id}' is never offered",
                        "its requires/unless flags never hold when the scene is reached",
                    )
                )
    for ending_id in scenario.endings if complete else ():
        if ending_id not in analysis.reachable_endings:
            found.append(
                at(
                    "NQ022",
                    f"endings.{ending_id}",
                    f"ending '{ending_id}' can never be reached",
                    _way_in(scenario, analysis, ending_id),
                )
            )
    reported: set[str] = set()
    for scene_id, flags in analysis.stuck:
        if scene_id not in reported:
            reported.add(scene_id)
            found.append(
                at(
                    "NQ023",
                    f"scenes.{scene_id}",
                    f"scene '{scene_id}' offers no choice when reached with {_flags(flags)}",
                    "add a choice without requires/unless, or fix the flags",
                )
            )
    trapped_scenes: set[str] = set()
    for scene_id, flags in analysis.trapped:
        if scene_id not in trapped_scenes:
            trapped_scenes.add(scene_id)
            found.append(
                at(
                    "NQ024",
                    f"scenes.{scene_id}",
                    f"from scene '{scene_id}' with {_flags(flags)} no ending can be reached",
                    "give the loop a choice that leads towards an ending",
                )
            )
    for scene_id, choice_id in analysis.farming:
        position = next(
            i for i, c in enumerate(scenario.scenes[scene_id].choices) if c.id == choice_id
        )
        found.append(
            at(
                "NQ025",
                f"scenes.{scene_id}.choices[{position}].effects",
                f"choice '{choice_id}' in scene '{scene_id}' lies on a cycle, so its "
                "points could be earned again",
                "set effects = {} on choices inside loops, or break the loop",
            )
        )
    found.extend(_golden(entry, at))
    found.extend(fidelity_diagnostics(scenario, at))
    found.extend(_placeholders(scenario, at))
    used_axes = _exercised_axes(scenario, entry.catalogue)
    for position, axis in enumerate(scenario.teaches):
        if axis not in used_axes:
            found.append(
                at(
                    "NQ031",
                    f"scenario.teaches[{position}]",
                    f"scenario teaches '{axis}' but no choice or moment touches it",
                    "add effects on that axis's principles or remove it from teaches",
                )
            )
    return analysis, found


def _way_in(scenario: Scenario, analysis: Analysis, ending_id: str) -> str:
    """Why nothing leads to an unreachable ending: the flag that blocks the way, if one does."""
    blocked_by_scene = ""
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if choice.goto != ending_id:
                continue
            if scene.id not in analysis.reachable_scenes:
                blocked_by_scene = blocked_by_scene or (
                    f"the way in is from scene '{scene.id}', which can never be reached"
                )
                continue
            conditions = [f"requires flag '{flag}'" for flag in sorted(choice.requires)]
            conditions += [f"unless flag '{flag}'" for flag in sorted(choice.unless)]
            if conditions:
                return (
                    f"choice '{choice.id}' in scene '{scene.id}' leads here but is never "
                    f"offered: it {' and '.join(conditions)}, which never holds there; "
                    "set or clear that flag on the way, or change the condition"
                )
    return blocked_by_scene or "add a goto to it"


#: How a coach note written by ``netquest import twee`` starts (see netquest/engine/twee.py).
PLACEHOLDER_PREFIX = "TODO:"


def _placeholders(scenario: Scenario, at: _Placer) -> list[Diagnostic]:
    """NQ050: choices whose coach note is still the importer's placeholder."""
    found = []
    for scene in scenario.scenes.values():
        for position, choice in enumerate(scene.choices):
            if choice.coach.startswith(PLACEHOLDER_PREFIX):
                found.append(
                    at(
                        "NQ050",
                        f"scenes.{scene.id}.choices[{position}].coach",
                        f"choice '{choice.id}' in scene '{scene.id}' is not scored yet: its "
                        "coach note is a TODO placeholder",
                        "set its mode and effects, and write the coach note",
                    )
                )
    return found


def _exercised_axes(scenario: Scenario, catalogue: Catalogue) -> set[str]:
    axes: set[str] = set()
    for scene in scenario.scenes.values():
        if scene.axis:
            axes.add(scene.axis)
        if scene.calls_for and scene.calls_for in catalogue.modes:
            axes.add(catalogue.modes[scene.calls_for].axis)
        for choice in scene.choices:
            axes.update(
                catalogue.principles[p].axis for p in choice.effects if p in catalogue.principles
            )
    return axes


def _golden(entry: Entry, at: _Placer) -> list[Diagnostic]:
    scenario = entry.scenario
    game = Game(scenario)
    found = []
    for number, test in enumerate(scenario.tests):
        where = f"tests[{number}]"
        node, flags = scenario.start, frozenset[str]()
        failed = False
        for position, choice_id in enumerate(test.choices):
            if node in scenario.endings:
                found.append(
                    at(
                        "NQ026",
                        f"{where}.choices[{position}]",
                        f"test '{test.name}': the story already ended at "
                        f"'{node}' before choice '{choice_id}'",
                        "remove the extra choices",
                    )
                )
                failed = True
                break
            try:
                choice = game.step(node, flags, choice_id)
            except ChoiceError:
                offered = ", ".join(c.id for c in game.offered_at(node, flags)) or "nothing"
                found.append(
                    at(
                        "NQ026",
                        f"{where}.choices[{position}]",
                        f"test '{test.name}': choice '{choice_id}' is not offered in "
                        f"scene '{node}'",
                        f"offered there: {offered}",
                    )
                )
                failed = True
                break
            node, flags = choice.goto, choice.apply(flags)
        if not failed and node != test.ending:
            found.append(
                at(
                    "NQ026",
                    f"{where}.ending",
                    f"test '{test.name}' ends at '{node}', not '{test.ending}'",
                    "fix the expected ending or the choices",
                )
            )
    return found


# -- coverage ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """How well a set of scenarios covers its catalogue."""

    principle_choices: dict[str, int]
    principle_scenarios: dict[str, set[str]] = field(default_factory=dict)
    mode_calls: dict[str, int] = field(default_factory=dict)
    mode_uses: dict[str, int] = field(default_factory=dict)
    catalogue: Catalogue | None = None

    def shortfalls(self) -> list[str]:
        """One line per coverage target missed."""
        lines = []
        for principle, count in self.principle_choices.items():
            spread = len(self.principle_scenarios.get(principle, ()))
            if count < MIN_CHOICES_PER_PRINCIPLE or spread < MIN_SCENARIOS_PER_PRINCIPLE:
                lines.append(
                    f"principle '{principle}' is taught by {count} choices in {spread} "
                    f"scenarios (target: {MIN_CHOICES_PER_PRINCIPLE} in "
                    f"{MIN_SCENARIOS_PER_PRINCIPLE})"
                )
        for mode, count in self.mode_calls.items():
            if count < MIN_CALLS_PER_MODE:
                lines.append(
                    f"mode '{mode}' is called for {count} times (target: {MIN_CALLS_PER_MODE})"
                )
        return lines


def coverage(entries: Iterable[Entry]) -> Coverage:
    """Count how often each principle is taught and each mode called for."""
    entries = list(entries)
    choices: Counter[str] = Counter()
    scenarios: defaultdict[str, set[str]] = defaultdict(set)
    calls: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    catalogue = entries[0].catalogue if entries else None
    if catalogue is not None:
        for principle in catalogue.principles:
            choices[principle] += 0
        for mode_id, mode in catalogue.modes.items():
            if not mode.misstep:
                calls[mode_id] += 0
    for entry in entries:
        for scene in entry.scenario.scenes.values():
            if scene.calls_for:
                calls[scene.calls_for] += 1
            for choice in scene.choices:
                uses[choice.mode] += 1
                for principle in choice.effects:
                    choices[principle] += 1
                    scenarios[principle].add(entry.scenario.id)
    return Coverage(dict(choices), dict(scenarios), dict(calls), dict(uses), catalogue)


def check_library(
    library: Library, max_states: int | None = None, whole_curriculum: bool = True
) -> list[Diagnostic]:
    """Every diagnostic for a library: static, dynamic, and (optionally) coverage."""
    with gc_paused():
        return cap_per_file(_check_library(library, max_states, whole_curriculum))


def _check_library(
    library: Library, max_states: int | None, whole_curriculum: bool
) -> list[Diagnostic]:
    found = list(library.diagnostics)
    for entry in library.entries:
        found.extend(check_entry(entry, max_states)[1])
    if whole_curriculum and library.entries:
        report = coverage(library.entries)
        # Only a catalogue beside the scenarios checked is being checked: a folder without
        # its own principles.toml borrows the bundled one, which is not the author's to fix.
        folders = {resolved(e.scenario.path.parent) for e in library.entries if e.scenario.path}
        for catalogue in library.catalogues:
            if catalogue.path is not None and catalogue.path.parent not in folders:
                continue
            index = _catalogue_index(catalogue)
            for principle in catalogue.principles:
                if report.principle_choices.get(principle, 0) == 0:
                    path = catalogue.path or "principles.toml"
                    position = index.find(f"principles.{principle}") if index else (1, 1)
                    found.append(
                        make(
                            "NQ027",
                            path,
                            position,
                            f"principle '{principle}' is never taught by any choice",
                            "add effects on it, or remove it from the catalogue",
                        )
                    )
    return found


def _catalogue_index(catalogue: Catalogue) -> PositionIndex | None:
    if catalogue.path is None:
        return None
    try:
        return PositionIndex(catalogue.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
