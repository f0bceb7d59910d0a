"""Courses: what a trainer assigns (ordered scenario steps, pass marks, due dates).

A course file is TOML, like a scenario, and is loaded the same way: the loader returns what it
could build plus every diagnostic, and never raises. What a learner has *done* in a course is
worked out elsewhere (:mod:`netquest.play.course_progress`), from the learner's saved runs.

.. code-block:: toml

    format = 1

    [course]
    id = "onboarding"
    title = "New-hire networking"
    due = 2027-01-31            # optional: a TOML date

    [[steps]]
    scenario = "conference"
    mode = "practice"

    [[steps]]
    scenario = "conference"
    mode = "assessment"
    pass_mark = 70
    attempts = 2
    unlocks_after = ["conference-practice"]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from netquest.engine.diagnostics import did_you_mean
from netquest.engine.loader import FORMAT_VERSION, Loaded, _format, _open
from netquest.engine.positions import join
from netquest.engine.schema import Reader, type_name

StepMode = Literal["practice", "assessment"]

COURSE_KEYS = frozenset(("id", "title", "summary", "due"))
STEP_KEYS = frozenset(("id", "scenario", "mode", "pass_mark", "attempts", "unlocks_after", "due"))
COURSE_TOP_KEYS = frozenset(("format", "course", "steps"))

#: A step's pass mark when none is given: assessments need 70, practice only needs finishing.
DEFAULT_PASS_MARK = 70
#: How many assessment attempts count when the course does not say.
DEFAULT_ATTEMPTS = 1
MAX_ATTEMPTS = 20


@dataclass(frozen=True, slots=True)
class CourseStep:
    """One thing a learner must do: play a scenario in a mode, and (maybe) reach a mark."""

    id: str
    scenario: str
    mode: StepMode
    pass_mark: int | None
    """0–100; ``None`` for a practice step that only has to be finished."""
    attempts: int
    """How many finished assessment runs count (the best of them is the counting score)."""
    unlocks_after: tuple[str, ...] = ()
    due: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Course:
    """A course: a title and its ordered steps."""

    id: str
    title: str
    steps: tuple[CourseStep, ...]
    summary: str = ""
    due: dt.date | None = None
    path: Path | None = None

    def step(self, step_id: str) -> CourseStep | None:
        """The step with this id."""
        return next((step for step in self.steps if step.id == step_id), None)

    @property
    def scenarios(self) -> tuple[str, ...]:
        """The scenario ids the course uses, in order, each once."""
        return tuple(dict.fromkeys(step.scenario for step in self.steps))

    def due_for(self, step: CourseStep) -> dt.date | None:
        """The step's own due date, else the course's."""
        return step.due or self.due


def is_course_file(path: Path) -> bool:
    """Whether ``path`` looks like a course file, by a cheap look at its text.

    Only regular files are opened: a FIFO or a device must reach the loader, which refuses it
    in one line, instead of blocking (or reading for ever) here.
    """
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    return b"[course]" in head and b"[scenario]" not in head


def bundled_courses_dir() -> Path:
    """Where the bundled courses live: inside the wheel, or in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "courses"
    if installed.is_dir():
        return installed
    return package.parent / "courses"


def course_files(folder: Path) -> list[Path]:
    """The course files of a folder, sorted."""
    try:
        return sorted(p for p in folder.glob("*.toml") if p.is_file() and is_course_file(p))
    except OSError:
        return []


def find_course(name: str, folders: Sequence[Path] = ()) -> Path | None:
    """The file of course ``name`` (an id or a path), looking in the bundled courses and
    ``folders`` (and their ``courses/`` subfolders); ``None`` when there is none."""
    as_path = Path(name)
    if name.endswith(".toml") or as_path.parent != Path("."):
        return as_path if as_path.is_file() else None
    for folder in (bundled_courses_dir(), *folders, *(f / "courses" for f in folders)):
        candidate = folder / f"{name}.toml"
        if candidate.is_file() and is_course_file(candidate):
            return candidate
        for path in course_files(folder) if folder.is_dir() else []:
            if _course_id(path) == name:
                return path
    return None


def known_courses(folders: Sequence[Path] = ()) -> list[Path]:
    """Every course file in the bundled folder and ``folders``."""
    found: dict[Path, None] = {}
    for folder in (bundled_courses_dir(), *folders, *(f / "courses" for f in folders)):
        if folder.is_dir():
            found.update(dict.fromkeys(p.resolve() for p in course_files(folder)))
    return list(found)


def _course_id(path: Path) -> str | None:
    loaded = load_course(path)
    return loaded.value.id if loaded.value is not None else None


def load_course(path: Path, known_scenarios: Collection[str] | None = None) -> Loaded[Course]:
    """Load a course file; ``known_scenarios`` (when given) checks the scenario ids."""
    source, problems = _open(path)
    if source is None:
        return Loaded(None, tuple(problems))
    reader = Reader(source)
    _format(reader)
    data = source.data
    reader.keys(data, "", COURSE_TOP_KEYS)
    head = reader.table(data, "course", "")
    course_id = title = None
    summary = ""
    due = None
    if head is not None:
        reader.keys(head, "course", COURSE_KEYS)
        course_id = reader.string(head, "id", "course")
        if course_id is not None and not reader.identifier(course_id, "course.id", "course"):
            course_id = None
        title = reader.string(head, "title", "course")
        summary = reader.string(head, "summary", "course", required=False) or ""
        due = _date(reader, head, "due", "course")
    steps = _steps(reader, data, known_scenarios)
    if reader.failed or course_id is None or title is None:
        return Loaded(None, tuple(reader.diagnostics), source)
    course = Course(course_id, title, steps, summary, due, path)
    return Loaded(course, tuple(reader.diagnostics), source)


def _date(reader: Reader, table: Mapping[str, Any], key: str, path: str) -> dt.date | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    reader.report(
        "NQ006",
        join(path, key),
        f"'{key}' must be a date, not {type_name(value)}",
        f"write {key} = 2027-01-31 (a TOML date, no quotes)",
    )
    return None


def _steps(
    reader: Reader, data: Mapping[str, Any], known: Collection[str] | None
) -> tuple[CourseStep, ...]:
    raw = data.get("steps")
    if raw is None:
        reader.report(
            "NQ005", "", "the course has no [[steps]]", "add at least one [[steps]] table"
        )
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        reader.report(
            "NQ006", "steps", "'steps' must be an array of tables", "write each step as [[steps]]"
        )
        return ()
    if not raw:
        reader.report("NQ005", "steps", "the course has no steps", "add a [[steps]] table")
        return ()
    steps: list[CourseStep] = []
    paths: dict[str, str] = {}
    for index, table in enumerate(raw):
        step = _step(reader, table, f"steps[{index}]", known)
        if step is None:
            continue
        if step.id in paths:
            reader.report(
                "NQ008",
                f"steps[{index}]",
                f"step id '{step.id}' is used twice",
                'give the step its own id = "…"',
            )
            continue
        paths[step.id] = f"steps[{index}]"
        steps.append(step)
    _check_order(reader, steps, paths)
    return tuple(steps)


def _step(
    reader: Reader, table: Mapping[str, Any], path: str, known: Collection[str] | None
) -> CourseStep | None:
    reader.keys(table, path, STEP_KEYS)
    scenario = reader.string(table, "scenario", path)
    mode = reader.string(table, "mode", path, required=False) or "practice"
    if mode not in ("practice", "assessment"):
        reader.report(
            "NQ006",
            join(path, "mode"),
            f"mode '{mode}' is not a mode of play",
            'use mode = "practice" or mode = "assessment"',
        )
        return None
    if scenario is None:
        return None
    if known is not None and scenario not in known:
        hint = did_you_mean(scenario, sorted(known)) or "see `netquest list` for the ids"
        reader.report("NQ060", join(path, "scenario"), f"unknown scenario '{scenario}'", hint)
    step_id = reader.string(table, "id", path, required=False) or f"{scenario}-{mode}"
    if not reader.identifier(step_id, join(path, "id"), "step"):
        return None
    pass_mark = _pass_mark(reader, table, path, mode)
    attempts = reader.integer(table, "attempts", path, required=False, minimum=1)
    if attempts is not None and attempts > MAX_ATTEMPTS:
        reader.report(
            "NQ006",
            join(path, "attempts"),
            f"'attempts' is {attempts}, over {MAX_ATTEMPTS}",
            f"use 1..{MAX_ATTEMPTS}",
        )
        attempts = MAX_ATTEMPTS
    after = reader.string_list(table, "unlocks_after", path) or []
    return CourseStep(
        step_id,
        scenario,
        "assessment" if mode == "assessment" else "practice",
        pass_mark,
        attempts or DEFAULT_ATTEMPTS,
        tuple(after),
        _date(reader, table, "due", path),
    )


def _pass_mark(reader: Reader, table: Mapping[str, Any], path: str, mode: str) -> int | None:
    value = table.get("pass_mark")
    if value is None:
        return DEFAULT_PASS_MARK if mode == "assessment" else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        reader.report(
            "NQ006",
            join(path, "pass_mark"),
            f"'pass_mark' must be a number, not {type_name(value)}",
            "write pass_mark = 70",
        )
        return None
    if not 0 <= value <= 100:
        reader.report(
            "NQ061",
            join(path, "pass_mark"),
            f"pass mark {value} is outside 0–100",
            "a pass mark is a score out of 100: use 0..100",
        )
        return None
    return round(value)


def _check_order(reader: Reader, steps: list[CourseStep], paths: dict[str, str]) -> None:
    """Unknown steps in ``unlocks_after`` (NQ062) and ordering cycles (NQ063)."""
    ids = set(paths)
    for step in steps:
        for position, before in enumerate(step.unlocks_after):
            if before not in ids:
                others = sorted(ids - {step.id})
                hint = did_you_mean(before, others) or f"step ids: {', '.join(others) or 'none'}"
                reader.report(
                    "NQ062",
                    f"{join(paths[step.id], 'unlocks_after')}[{position}]",
                    f"step '{step.id}' unlocks after unknown step '{before}'",
                    hint,
                )
    graph = {step.id: [b for b in step.unlocks_after if b in ids] for step in steps}
    reported: set[frozenset[str]] = set()
    for cycle in _cycles(graph):
        key = frozenset(cycle)
        if key in reported:
            continue
        reported.add(key)
        first = min(cycle, key=lambda step_id: list(paths).index(step_id))
        loop = " → ".join([*cycle[cycle.index(first) :], *cycle[: cycle.index(first)], first])
        reader.report(
            "NQ063",
            join(paths[first], "unlocks_after"),
            f"steps unlock each other in a circle: {loop}",
            "remove one of the unlocks_after entries so the order has a start",
        )


def _cycles(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Each cycle of a small graph, found by depth-first search (one per strongly tied set)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    for root in graph:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            node, edge = stack.pop()
            if edge == 0:
                state[node] = 1
                path.append(node)
            targets = graph.get(node, [])
            if edge < len(targets):
                stack.append((node, edge + 1))
                target = targets[edge]
                if state.get(target) == 1:
                    found.append(path[path.index(target) :])
                elif not state.get(target):
                    stack.append((target, 0))
                continue
            state[node] = 2
            path.pop()
    return found


__all__ = [
    "DEFAULT_ATTEMPTS",
    "DEFAULT_PASS_MARK",
    "FORMAT_VERSION",
    "Course",
    "CourseStep",
    "StepMode",
    "bundled_courses_dir",
    "course_files",
    "find_course",
    "is_course_file",
    "known_courses",
    "load_course",
]
