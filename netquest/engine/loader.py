"""Build the model from TOML: the principles catalogue and scenario files.

Every function here returns what it could build plus *every* diagnostic it found;
none of them raises on bad input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from netquest.engine.diagnostics import Diagnostic, did_you_mean
from netquest.engine.model import (
    OUTCOMES,
    Axis,
    Catalogue,
    Choice,
    Ending,
    GoldenTest,
    Mode,
    Outcome,
    Principle,
    Scenario,
    Scene,
)
from netquest.engine.positions import join
from netquest.engine.schema import Reader
from netquest.engine.toml_source import Source, parse, read_bytes

FORMAT_VERSION = 1
EFFECT_RANGE = (-3, 3)
MINUTES_RANGE = (1, 240)

SCENARIO_KEYS = frozenset(
    (
        "id",
        "title",
        "summary",
        "setting",
        "attire",
        "stakes",
        "teaches",
        "minutes",
        "start",
    )
)
SCENE_KEYS = frozenset(("title", "text", "calls_for", "axis", "choices"))
CHOICE_KEYS = frozenset(
    (
        "id",
        "text",
        "mode",
        "effects",
        "consequence",
        "coach",
        "goto",
        "requires",
        "unless",
        "sets",
        "clears",
    )
)
ENDING_KEYS = frozenset(("title", "text", "outcome"))
TEST_KEYS = frozenset(("name", "choices", "ending"))
TOP_KEYS = frozenset(("format", "scenario", "scenes", "endings", "tests"))
CATALOGUE_TOP_KEYS = frozenset(("format", "axes", "modes", "principles"))
AXIS_KEYS = frozenset(("title", "summary"))
MODE_KEYS = frozenset(("title", "description", "axis", "misstep"))
PRINCIPLE_KEYS = frozenset(("axis", "title", "statement", "source", "quote"))


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Loaded(Generic[T]):
    """The result of loading: the value when it could be built, and the diagnostics."""

    value: T | None
    diagnostics: tuple[Diagnostic, ...]
    source: Source | None = None
    """The parsed document, kept so later checks can place their diagnostics."""

    @property
    def ok(self) -> bool:
        """Whether a value was built with no errors."""
        return self.value is not None and not any(d.is_error for d in self.diagnostics)


def _format(reader: Reader) -> None:
    data = reader.source.data
    version = data.get("format")
    if version is None:
        reader.report(
            "NQ003", "", "missing 'format' key", f"add format = {FORMAT_VERSION} at the top"
        )
    elif isinstance(version, bool) or version != FORMAT_VERSION:
        reader.report(
            "NQ003",
            "format",
            f"format {version!r} is not supported",
            f"this version of netquest reads format = {FORMAT_VERSION}",
        )


def _open(path: Path) -> tuple[Source | None, list[Diagnostic]]:
    raw, problem = read_bytes(path)
    if raw is None:
        return None, [problem] if problem else []
    source, problem = parse(raw, path)
    return source, [problem] if problem else []


# -- catalogue -------------------------------------------------------------------------------


def load_catalogue(path: Path) -> Loaded[Catalogue]:
    """Load ``principles.toml``."""
    source, problems = _open(path)
    if source is None:
        return Loaded(None, tuple(problems))
    return catalogue_from_source(source, path)


def catalogue_from_source(source: Source, path: Path | None = None) -> Loaded[Catalogue]:
    """Build a catalogue from a parsed document."""
    reader = Reader(source)
    data = source.data
    _format(reader)
    reader.keys(data, "", CATALOGUE_TOP_KEYS)

    axes: dict[str, Axis] = {}
    for axis_id, table in _tables(reader, data, "axes"):
        reader.keys(table, f"axes.{axis_id}", AXIS_KEYS)
        title = reader.string(table, "title", f"axes.{axis_id}")
        summary = reader.string(table, "summary", f"axes.{axis_id}")
        if title and summary:
            axes[axis_id] = Axis(axis_id, title, summary)

    modes: dict[str, Mode] = {}
    for mode_id, table in _tables(reader, data, "modes"):
        where = f"modes.{mode_id}"
        reader.keys(table, where, MODE_KEYS)
        title = reader.string(table, "title", where)
        description = reader.string(table, "description", where)
        axis = _known(reader, table, "axis", where, axes, "NQ012", "axis")
        misstep = table.get("misstep", False)
        if not isinstance(misstep, bool):
            reader.report(
                "NQ006",
                join(where, "misstep"),
                "'misstep' must be true or false",
                "write misstep = true",
            )
            misstep = False
        if title and description and axis:
            modes[mode_id] = Mode(mode_id, title, description, axis, misstep)

    principles: dict[str, Principle] = {}
    for principle_id, table in _tables(reader, data, "principles"):
        where = f"principles.{principle_id}"
        reader.keys(table, where, PRINCIPLE_KEYS)
        axis = _known(reader, table, "axis", where, axes, "NQ012", "axis")
        values = [
            reader.string(table, key, where) for key in ("title", "statement", "source", "quote")
        ]
        if axis and all(values):
            title, statement, origin, quote = (v or "" for v in values)
            principles[principle_id] = Principle(
                principle_id, axis, title, statement, origin, quote
            )

    if reader.failed:
        return Loaded(None, tuple(reader.finish()))
    catalogue = Catalogue(
        MappingProxyType(axes), MappingProxyType(modes), MappingProxyType(principles), path
    )
    return Loaded(catalogue, tuple(reader.finish()))


def _tables(reader: Reader, data: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    """The ``[key.<id>]`` tables of a document, ids checked."""
    container = reader.table(data, key, "")
    if container is None:
        return []
    found = []
    for item_id, table in container.items():
        where = f"{key}.{item_id}"
        if not reader.identifier(item_id, where, key.rstrip("s")):
            continue
        if not isinstance(table, dict):
            reader.report("NQ006", where, f"'{where}' must be a table", f"write it as [{where}]")
            continue
        found.append((item_id, table))
    return found


def _known(
    reader: Reader,
    table: dict[str, Any],
    key: str,
    where: str,
    known: MappingProxyType[str, Any] | dict[str, Any],
    code: str,
    what: str,
    required: bool = True,
) -> str | None:
    value = reader.string(table, key, where, required=required)
    if value is None:
        return None
    if value not in known:
        plural = "axes" if what == "axis" else f"{what}s"
        hint = did_you_mean(value, known) or f"known {plural}: {', '.join(sorted(known)) or 'none'}"
        reader.report(code, join(where, key), f"unknown {what} '{value}'", hint)
        return None
    return value


# -- scenario --------------------------------------------------------------------------------


def load_scenario(path: Path, catalogue: Catalogue) -> Loaded[Scenario]:
    """Load one scenario file and check it statically against ``catalogue``."""
    source, problems = _open(path)
    if source is None:
        return Loaded(None, tuple(problems))
    return scenario_from_source(source, catalogue, path)


def scenario_from_bytes(
    raw: bytes, catalogue: Catalogue, file: str = "<memory>"
) -> Loaded[Scenario]:
    """Load a scenario from bytes (used by tests and tools)."""
    source, problem = parse(raw, file)
    if source is None:
        return Loaded(None, (problem,) if problem else ())
    return scenario_from_source(source, catalogue, None)


def scenario_from_source(
    source: Source, catalogue: Catalogue, path: Path | None
) -> Loaded[Scenario]:
    """Build a scenario from a parsed document."""
    builder = _ScenarioBuilder(Reader(source), catalogue, path)
    scenario = builder.build()
    diagnostics = tuple(builder.reader.finish())
    if builder.reader.failed:
        return Loaded(None, diagnostics, source)
    return Loaded(scenario, diagnostics, source)


class _ScenarioBuilder:
    def __init__(self, reader: Reader, catalogue: Catalogue, path: Path | None) -> None:
        self.reader = reader
        self.catalogue = catalogue
        self.path = path

    def build(self) -> Scenario | None:
        reader = self.reader
        data = reader.source.data
        _format(reader)
        reader.keys(data, "", TOP_KEYS)
        found = reader.table(data, "scenario", "")
        # Without a [scenario] table, that one diagnostic says it all: no "missing key" per key.
        present = found is not None
        header = found or {}
        reader.keys(header, "scenario", SCENARIO_KEYS)
        scenario_id = reader.string(header, "id", "scenario", required=present)
        if scenario_id is not None and not reader.identifier(
            scenario_id, "scenario.id", "scenario"
        ):
            scenario_id = None
        title = reader.string(header, "title", "scenario", required=present)
        summary = reader.string(header, "summary", "scenario", required=present)
        setting = reader.string(header, "setting", "scenario", required=present)
        attire = reader.string(header, "attire", "scenario", required=False) or ""
        stakes = reader.string(header, "stakes", "scenario", required=False) or ""
        minutes = reader.integer(
            header,
            "minutes",
            "scenario",
            required=present,
            minimum=MINUTES_RANGE[0],
            maximum=MINUTES_RANGE[1],
        )
        start = reader.string(header, "start", "scenario", required=present)
        teaches = reader.string_list(header, "teaches", "scenario", required=present) or []
        for position, axis in enumerate(teaches):
            if axis not in self.catalogue.axes:
                hint = did_you_mean(axis, self.catalogue.axes) or (
                    f"known axes: {', '.join(self.catalogue.axes)}"
                )
                reader.report(
                    "NQ012", f"scenario.teaches[{position}]", f"unknown axis '{axis}'", hint
                )

        endings = self.endings(data)
        scenes = self.scenes(data, endings)
        declared = _declared(data, "scenes")
        if start is not None and start not in scenes and start not in declared:
            hint = did_you_mean(start, declared) or "name the first scene's id"
            reader.report("NQ015", "scenario.start", f"start scene '{start}' does not exist", hint)
        self.check_targets(scenes, endings)
        self.check_flags(scenes)
        tests = self.tests(data)
        if not tests and "tests" not in data:
            reader.report(
                "NQ019",
                "scenario",
                "scenario has no [[tests]] golden paths",
                "add a [[tests]] entry with the ideal path",
            )

        if reader.failed or None in (scenario_id, title, summary, setting, minutes, start):
            return None
        used = sorted({p for scene in scenes.values() for c in scene.choices for p in c.effects})
        return Scenario(
            id=scenario_id or "",
            title=title or "",
            summary=summary or "",
            setting=setting or "",
            teaches=tuple(teaches),
            minutes=minutes or 0,
            start=start or "",
            scenes=MappingProxyType(scenes),
            endings=MappingProxyType(endings),
            tests=tuple(tests),
            attire=attire,
            stakes=stakes,
            path=self.path,
            content_hash=hashlib.sha256(reader.source.raw).hexdigest(),
            principles_used=tuple(used),
        )

    def endings(self, data: dict[str, Any]) -> dict[str, Ending]:
        reader = self.reader
        endings: dict[str, Ending] = {}
        for ending_id, table in _tables(reader, data, "endings"):
            where = f"endings.{ending_id}"
            reader.keys(table, where, ENDING_KEYS)
            title = reader.string(table, "title", where)
            text = reader.string(table, "text", where)
            outcome = reader.string(table, "outcome", where)
            if outcome is not None and outcome not in OUTCOMES:
                reader.report(
                    "NQ006",
                    join(where, "outcome"),
                    f"outcome '{outcome}' is not valid",
                    "use great, good, mixed or poor",
                )
                outcome = None
            if title and text and outcome:
                endings[ending_id] = Ending(ending_id, title, text, _outcome(outcome))
        if not endings and "endings" in data:
            reader.report(
                "NQ005",
                "endings",
                "scenario has no valid endings",
                "add at least one [endings.<id>] table",
            )
        return endings

    def scenes(self, data: dict[str, Any], endings: dict[str, Ending]) -> dict[str, Scene]:
        reader = self.reader
        scenes: dict[str, Scene] = {}
        for scene_id, table in _tables(reader, data, "scenes"):
            where = f"scenes.{scene_id}"
            if scene_id in endings:
                reader.report(
                    "NQ008",
                    where,
                    f"'{scene_id}' is both a scene and an ending",
                    "rename one of them",
                )
            reader.keys(table, where, SCENE_KEYS)
            title = reader.string(table, "title", where, required=False) or ""
            text = reader.string(table, "text", where)
            calls_for = _known(
                reader,
                table,
                "calls_for",
                where,
                self.catalogue.modes,
                "NQ011",
                "mode",
                required=False,
            )
            axis = _known(
                reader, table, "axis", where, self.catalogue.axes, "NQ012", "axis", required=False
            )
            choices = self.choices(table, where)
            if calls_for and choices and not any(c.mode == calls_for for c in choices):
                reader.report(
                    "NQ018",
                    join(where, "calls_for"),
                    f"scene '{scene_id}' calls for {calls_for} but no choice is that mode",
                    f"add a {calls_for} choice or change calls_for",
                )
            if text is not None:
                scenes[scene_id] = Scene(scene_id, text, tuple(choices), title, calls_for, axis)
        return scenes

    def choices(self, table: dict[str, Any], where: str) -> list[Choice]:
        reader = self.reader
        raw = table.get("choices")
        path = join(where, "choices")
        if raw is None or raw == []:
            reader.report(
                "NQ014",
                where,
                f"scene '{where.split('.', 1)[1]}' has no choices",
                "add [[" + path + "]] entries, or make it an [endings.<id>] table",
            )
            return []
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            reader.report(
                "NQ006",
                path,
                "'choices' must be an array of tables",
                f"write each choice as [[{path}]]",
            )
            return []
        choices: list[Choice] = []
        seen: set[str] = set()
        for position, item in enumerate(raw):
            choice = self.choice(item, f"{path}[{position}]", seen)
            if choice is not None:
                choices.append(choice)
        return choices

    def choice(self, item: dict[str, Any], where: str, seen: set[str]) -> Choice | None:
        reader = self.reader
        reader.keys(item, where, CHOICE_KEYS)
        choice_id = reader.string(item, "id", where)
        if choice_id is not None:
            if not reader.identifier(choice_id, join(where, "id"), "choice"):
                choice_id = None
            elif choice_id in seen:
                reader.report(
                    "NQ008",
                    join(where, "id"),
                    f"duplicate choice id '{choice_id}'",
                    "give every choice in a scene its own id",
                )
                choice_id = None
            else:
                seen.add(choice_id)
        text = reader.string(item, "text", where)
        mode = _known(reader, item, "mode", where, self.catalogue.modes, "NQ011", "mode")
        coach = reader.string(item, "coach", where, code="NQ016")
        goto = reader.string(item, "goto", where)
        consequence = reader.string(item, "consequence", where, required=False) or ""
        effects = self.effects(item, where)
        flags = {
            key: reader.flags(item, key, where) for key in ("requires", "unless", "sets", "clears")
        }
        if None in (choice_id, text, mode, coach, goto) or effects is None:
            return None
        return Choice(
            id=choice_id or "",
            text=text or "",
            mode=mode or "",
            coach=coach or "",
            goto=goto or "",
            effects=MappingProxyType(effects),
            consequence=consequence,
            requires=flags["requires"],
            unless=flags["unless"],
            sets=flags["sets"],
            clears=flags["clears"],
        )

    def effects(self, item: dict[str, Any], where: str) -> dict[str, int] | None:
        reader = self.reader
        path = join(where, "effects")
        raw = item.get("effects")
        if raw is None:
            reader.report(
                "NQ005",
                where,
                "missing 'effects'",
                "add effects = { principle_id = n }, or effects = {} for none",
            )
            return None
        if not isinstance(raw, dict):
            reader.report(
                "NQ006",
                path,
                "'effects' must be a table of principle = number",
                "write effects = { principle_id = 1 }",
            )
            return None
        effects: dict[str, int] = {}
        low, high = EFFECT_RANGE
        for principle, value in raw.items():
            key_path = join(path, principle)
            if principle not in self.catalogue.principles:
                hint = did_you_mean(principle, self.catalogue.principles) or (
                    "see scenarios/principles.toml for the ids"
                )
                reader.report("NQ010", key_path, f"unknown principle '{principle}'", hint)
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                reader.report(
                    "NQ006",
                    key_path,
                    f"effect on '{principle}' must be an integer",
                    f"write {principle} = 1",
                )
                continue
            if not low <= value <= high:
                reader.report(
                    "NQ013",
                    key_path,
                    f"effect {value:+d} on '{principle}' is outside -3..+3",
                    "use a whole number from -3 to 3",
                )
                continue
            if value:
                effects[principle] = value
        return effects

    def check_targets(self, scenes: dict[str, Scene], endings: dict[str, Ending]) -> None:
        # A scene or ending that is declared but broken has its own diagnostic already:
        # a goto to it is not "unknown" (no cascade of NQ004s).
        data = self.reader.source.data
        targets = {*scenes, *endings, *_declared(data, "scenes"), *_declared(data, "endings")}
        for scene in scenes.values():
            if all(c.goto in targets for c in scene.choices):
                continue
            for position, choice in _raw_positions(self.reader, scene):
                if choice.goto in targets:
                    continue
                hint = did_you_mean(choice.goto, targets) or "use a scene or ending id"
                self.reader.report(
                    "NQ004",
                    f"scenes.{scene.id}.choices[{position}].goto",
                    f"choice '{choice.id}' goes to unknown scene '{choice.goto}'",
                    hint,
                )

    def check_flags(self, scenes: dict[str, Scene]) -> None:
        set_anywhere = {flag for scene in scenes.values() for c in scene.choices for flag in c.sets}
        for scene in scenes.values():
            if all(c.requires <= set_anywhere and c.unless <= set_anywhere for c in scene.choices):
                continue
            for position, choice in _raw_positions(self.reader, scene):
                for key in ("requires", "unless"):
                    for flag in sorted(getattr(choice, key) - set_anywhere):
                        hint = did_you_mean(flag, set_anywhere) or (
                            "set it with sets = [...] on an earlier choice"
                        )
                        where = f"scenes.{scene.id}.choices[{position}].{key}"
                        self.reader.report(
                            "NQ017",
                            _item_path(self.reader, where, flag),
                            f"flag '{flag}' in {key} of choice '{choice.id}' is never set",
                            hint,
                        )

    def tests(self, data: dict[str, Any]) -> list[GoldenTest]:
        reader = self.reader
        raw = data.get("tests")
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            reader.report(
                "NQ006",
                "tests",
                "'tests' must be an array of tables",
                "write each test as [[tests]]",
            )
            return []
        tests = []
        for position, item in enumerate(raw):
            where = f"tests[{position}]"
            reader.keys(item, where, TEST_KEYS)
            name = reader.string(item, "name", where)
            choices = reader.string_list(item, "choices", where, required=True)
            ending = reader.string(item, "ending", where)
            if name and choices is not None and ending:
                tests.append(GoldenTest(name, tuple(choices), ending))
        return tests


def _raw_positions(reader: Reader, scene: Scene) -> list[tuple[int, Choice]]:
    """The scene's valid choices with their index in the file (invalid ones were dropped)."""
    raw = reader.source.data.get("scenes", {}).get(scene.id, {}).get("choices", [])
    by_id = {choice.id: choice for choice in scene.choices}
    found: list[tuple[int, Choice]] = []
    for position, item in enumerate(raw):
        choice = by_id.get(str(item.get("id"))) if isinstance(item, dict) else None
        if choice is not None:
            found.append((position, choice))
    return found


def _declared(data: dict[str, Any], key: str) -> list[str]:
    """The ids of the ``[key.<id>]`` tables as written, valid or not."""
    table = data.get(key)
    return list(table) if isinstance(table, dict) else []


def _item_path(reader: Reader, where: str, value: str) -> str:
    """``where[i]`` for the first item equal to ``value`` in that array, else ``where``."""
    node: Any = reader.source.data
    for part in where.replace("[", ".[").split("."):
        if part.startswith("["):
            index = int(part[1:-1])
            node = node[index] if isinstance(node, list) and index < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, list) and value in node:
        return f"{where}[{node.index(value)}]"
    return where


def _outcome(value: str) -> Outcome:
    for outcome in OUTCOMES:
        if outcome == value:
            return outcome
    raise ValueError(value)  # pragma: no cover - checked by the caller
