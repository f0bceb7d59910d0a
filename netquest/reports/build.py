"""Turn collected saves into a :class:`~netquest.reports.model.Report`.

Reads only what the engine stored in each run (score, result, path): nothing is replayed per
file, and each scenario is explored once (for the principle ranges mastery needs) however many
files played it. Every learner's runs are grouped by scenario in one pass; the grid, the cohort
view and the decision counts all read those groups.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from netquest.engine import Library, Reading, Scenario, analyse, read_moment
from netquest.engine.gc_pause import gc_paused
from netquest.reports.collect import Collection, LearnerSaves
from netquest.reports.model import (
    Attempt,
    AxisStat,
    Cell,
    ChoiceCount,
    DecisionView,
    Gain,
    Learner,
    PrincipleStat,
    Report,
    ScenarioInfo,
    SceneCount,
    Spread,
    Summary,
)
from netquest.saves import RunRecord, utc_timestamp
from netquest.xapi.learner import learner_id

if TYPE_CHECKING:
    from netquest.engine.course import Course
    from netquest.reports.course_section import CourseSection

WEAKEST = 3
"""How many principles the report names as the cohort's weakest."""

DEFAULT_TITLE = "netquest trainer report"

_EMPTY: dict[str, Any] = {}


# --- reading runs ----------------------------------------------------------------------------


def _int(value: object) -> int | None:
    return value if type(value) is int else None


def _mode(run: RunRecord) -> str:
    """``group`` for a run the class played together (``serve --group``), else its mode."""
    return "group" if run.group is not None else run.mode


def attempt_of(run: RunRecord) -> Attempt:
    """A run as the report sees it (the engine's path and result are kept as stored)."""
    result = run.result
    if result is None:
        history = run.state.get("history")
        return Attempt(
            run.id,
            run.scenario_id,
            _mode(run),
            run.started,
            run.updated,
            None,
            run.seconds,
            None,
            None,
            None,
            history if type(history) is list else (),
        )
    score = _int(result.get("score"))
    path = result.get("path")
    if type(path) is not list:
        history = run.state.get("history")
        path = history if type(history) is list else ()
    principles = result.get("principles")
    readings = result.get("readings")
    outcome, ending = result.get("outcome"), result.get("ending")
    return Attempt(
        run.id,
        run.scenario_id,
        _mode(run),
        run.started,
        run.updated,
        run.finished,
        run.seconds,
        score if score is not None and 0 <= score <= 100 else None,
        outcome if type(outcome) is str else None,
        ending if type(ending) is str else None,
        path,
        principles if type(principles) is dict else _EMPTY,
        readings if type(readings) is dict else _EMPTY,
    )


def steps(path: Iterable[object]) -> list[tuple[str, str]]:
    """The (scene, choice) pairs of a stored path, skipping entries of any other shape."""
    return [
        (step[0], step[1])
        for step in path
        if type(step) is list and len(step) == 2 and type(step[0]) is str and type(step[1]) is str
    ]


# --- scenario facts, explored once each ----------------------------------------------------


@dataclass(slots=True)
class _Facts:
    """What the library knows: scenarios, titles, and principle ranges (explored lazily)."""

    library: Library | None
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    principle_meta: dict[str, tuple[str, str]] = field(default_factory=dict)
    principle_order: list[str] = field(default_factory=list)
    axis_titles: dict[str, str] = field(default_factory=dict)
    mode_titles: dict[str, str] = field(default_factory=dict)
    _ranges: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.library is None:
            return
        catalogues = [*self.library.catalogues, *(e.catalogue for e in self.library.entries)]
        for catalogue in catalogues:
            for principle in catalogue.principles.values():
                if principle.id not in self.principle_meta:
                    self.principle_meta[principle.id] = (principle.title, principle.axis)
                    self.principle_order.append(principle.id)
            for axis in catalogue.axes.values():
                self.axis_titles.setdefault(axis.id, axis.title)
            for mode in catalogue.modes.values():
                self.mode_titles.setdefault(mode.id, mode.title)
        for entry in self.library.entries:
            self.scenarios[entry.scenario.id] = entry.scenario

    def ranges(self, scenario_id: str) -> dict[str, tuple[int, int]]:
        """Principle -> (lowest total, highest - lowest) over complete runs, for the
        principles the scenario can move (explored once per scenario)."""
        found = self._ranges.get(scenario_id)
        if found is None:
            scenario = self.scenarios.get(scenario_id)
            found = {}
            if scenario is not None:
                ranges = analyse(scenario).principle_ranges(scenario.principles_used)
                found = {p: (low, high - low) for p, (low, high) in ranges.items() if high > low}
            self._ranges[scenario_id] = found
        return found

    def info(self, scenario_id: str) -> ScenarioInfo:
        scenario = self.scenarios.get(scenario_id)
        if scenario is None:
            return ScenarioInfo(scenario_id, scenario_id, False)
        return ScenarioInfo(scenario_id, scenario.title, True, scenario.teaches)

    def axis_of(self, principle: str) -> str:
        meta = self.principle_meta.get(principle)
        return meta[1] if meta is not None else ""

    def axes(self) -> dict[str, str]:
        """Principle -> axis id."""
        return {p: axis for p, (_, axis) in self.principle_meta.items()}


# --- statistics ------------------------------------------------------------------------------


def spread(values: Sequence[float]) -> Spread:
    """Count, mean, population standard deviation and range, rounded to 0.1."""
    if not values:
        return Spread()
    count = len(values)
    mean = math.fsum(values) / count
    variance = math.fsum((value - mean) ** 2 for value in values) / count
    return Spread(
        count=count,
        mean=round(mean, 1),
        stdev=round(math.sqrt(variance), 1),
        low=round(min(values), 1),
        high=round(max(values), 1),
    )


# --- learners --------------------------------------------------------------------------------


def _labels(learners: Sequence[LearnerSaves]) -> dict[tuple[str, str], str]:
    """Names, with a machine id prefix where two learners share a name (ignoring case)."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for learner in learners:
        by_name[learner.name.casefold()].add(learner.machine)
    labels: dict[tuple[str, str], str] = {}
    for learner in learners:
        machines = by_name[learner.name.casefold()]
        if len(machines) == 1:
            labels[(learner.name, learner.machine)] = learner.name
            continue
        width = 4
        while width < 16 and len({m[:width] for m in machines}) < len(machines):
            width += 2
        short = learner.machine[:width]
        more = "…" if len(learner.machine) > width else ""
        labels[(learner.name, learner.machine)] = f"{learner.name} (machine {short}{more})"
    return labels


@dataclass(slots=True)
class _Group:
    """One learner's runs of one scenario, in the order they started."""

    runs: list[Attempt] = field(default_factory=list)

    def finished(self) -> list[Attempt]:
        """Finished runs with a score, in the order they finished."""
        done = [a for a in self.runs if a.finished is not None and a.score is not None]
        if len(done) > 1:
            done.sort(key=_finish_order)
        return done

    def last_finished(self) -> Attempt | None:
        """The run that finished last (with a score), if any."""
        last: Attempt | None = None
        for attempt in self.runs:
            if (
                attempt.finished is not None
                and attempt.score is not None
                and (last is None or _finish_order(attempt) >= _finish_order(last))
            ):
                last = attempt
        return last


def _finish_order(attempt: Attempt) -> tuple[str, str]:
    return (attempt.finished or "", attempt.started)


def _group(attempts: Iterable[Attempt]) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for attempt in attempts:
        group = groups.get(attempt.scenario)
        if group is None:
            group = groups[attempt.scenario] = _Group()
        group.runs.append(attempt)
    return groups


# --- the report ------------------------------------------------------------------------------


def build_report(
    collection: Collection,
    library: Library | None,
    *,
    scenario: str | None = None,
    title: str = DEFAULT_TITLE,
    now: str | None = None,
    course: Course | None = None,
    today: dt.date | None = None,
) -> Report:
    """Build the report from what was collected.

    Args:
        collection: The saves read.
        library: The scenarios loaded now (titles, texts, principle ranges), or None.
        scenario: Limit the report to this scenario id.
        title: The report's heading.
        now: The generation time (default: now).
        course: Add the course view for this course.
        today: The day a course step counts as overdue after (default: today).
    """
    with gc_paused():
        report = _build(collection, library, scenario, title, now)
        if course is None:
            return report
        return replace(report, course=_course(collection, library, course, report, today))


def _course(
    collection: Collection,
    library: Library | None,
    course: Course,
    report: Report,
    today: dt.date | None,
) -> CourseSection:
    from netquest.reports.course_section import build_course_section  # only for --course

    facts = _Facts(library)
    by_key = {learner_id(s.name, s.machine): s for s in collection.learners}
    learners = [(r.key, r.label, by_key[r.key].runs) for r in report.learners if r.key in by_key]
    titles = {info.id: info.title for info in report.scenarios}
    titles.update({sid: sc.title for sid, sc in facts.scenarios.items()})
    return build_course_section(course, learners, titles, facts.ranges, today or dt.date.today())


def _build(
    collection: Collection,
    library: Library | None,
    scenario: str | None,
    title: str,
    now: str | None,
) -> Report:
    facts = _Facts(library)
    labels = _labels(collection.learners)
    learners: list[Learner] = []
    for saves in collection.learners:
        runs = saves.runs
        if scenario is not None:
            runs = tuple(run for run in runs if run.scenario_id == scenario)
        learners.append(
            Learner(
                key=learner_id(saves.name, saves.machine),
                name=saves.name,
                machine=saves.machine,
                label=labels[(saves.name, saves.machine)],
                files=tuple(str(path) for path in saves.files),
                attempts=tuple(map(attempt_of, runs)),
            )
        )
    learners.sort(key=lambda item: (item.label.casefold(), item.machine))
    groups = [_group(learner.attempts) for learner in learners]
    played = {sid for learner_groups in groups for sid in learner_groups}
    if scenario is not None:
        played.add(scenario)
    known = [sid for sid in facts.scenarios if sid in played]
    ids = known + sorted(played - set(known))
    grid = tuple(
        _cell(learner.key, sid, group)
        for learner, learner_groups in zip(learners, groups, strict=True)
        for sid in ids
        if (group := learner_groups.get(sid)) is not None
    )
    principles, axes = _cohort(groups, ids, facts)
    ranked = sorted(
        (p for p in principles if p.mastery.mean is not None and p.mastery.mean < 100),
        key=lambda p: (p.mastery.mean, p.title.casefold()),
    )
    infos = tuple(facts.info(sid) for sid in ids)
    return Report(
        title=title,
        generated=now or utc_timestamp(),
        files=collection.files,
        skipped=tuple(sorted(collection.skipped, key=lambda item: item.path)),
        scenario_filter=scenario,
        learners=tuple(learners),
        scenarios=infos,
        grid=grid,
        summary=_summary(learners, grid, len(learners) * len(ids)),
        principles=principles,
        weakest=tuple(p.principle for p in ranked[:WEAKEST]),
        axes=axes,
        gains=_gains(learners, grid),
        decisions=tuple(_decisions(groups, info, facts) for info in infos),
    )


def _cell(learner: str, scenario_id: str, group: _Group) -> Cell:
    runs = group.runs
    completed = 0
    seconds = 0.0
    pending = False
    first_started = runs[0].started
    last_activity = runs[0].updated
    for attempt in runs:
        seconds += attempt.seconds
        if attempt.finished is not None:
            completed += 1
        elif attempt.mode == "assessment":
            pending = True
        if attempt.started < first_started:
            first_started = attempt.started
        if attempt.updated > last_activity:
            last_activity = attempt.updated
    finished = group.finished() if completed else []
    best = first = latest = assessment = None
    latest_outcome = assessment_outcome = None
    if finished:
        best = max(a.score or 0 for a in finished)
        first, latest = finished[0].score, finished[-1].score
        latest_outcome = finished[-1].outcome
        assessed = next((a for a in finished if a.mode == "assessment"), None)
        if assessed is not None:
            assessment, assessment_outcome, pending = assessed.score, assessed.outcome, False
    return Cell(
        learner,
        scenario_id,
        "completed" if completed else "in progress",
        len(runs),
        completed,
        best,
        first,
        latest,
        latest_outcome,
        seconds,
        assessment,
        assessment_outcome,
        pending,
        first_started,
        last_activity,
    )


@dataclass(slots=True)
class _Cohort:
    """Per-learner values collected for the cohort view."""

    facts: _Facts
    principles: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    reading: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    mastery: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    moments: Counter[str] = field(default_factory=Counter)
    axis_of: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.axis_of = self.facts.axes()

    def add(self, latest: Iterable[Attempt]) -> None:
        """One learner's latest finished run of each scenario (the hot loop: kept flat)."""
        sums: dict[str, float] = {}
        counts: dict[str, int] = {}
        right: dict[str, int] = {}
        moments: dict[str, int] = {}
        for attempt in latest:
            ranges = self.facts.ranges(attempt.scenario)
            for principle, total in attempt.principles.items():
                bounds = ranges.get(principle)
                if bounds is None or type(total) is not int:
                    continue
                low, span = bounds
                offset = total - low
                value = 0.0 if offset <= 0 else 100.0 if offset >= span else 100 * offset / span
                if principle in sums:
                    sums[principle] += value
                    counts[principle] += 1
                else:
                    sums[principle] = value
                    counts[principle] = 1
            for axis, pair in attempt.readings.items():
                if type(pair) is list and len(pair) == 2:
                    got, out_of = pair
                    if type(got) is int and type(out_of) is int and out_of > 0:
                        right[axis] = right.get(axis, 0) + got
                        moments[axis] = moments.get(axis, 0) + out_of
        by_axis: dict[str, list[float]] = {}
        axis_of = self.axis_of
        for principle, total_value in sums.items():
            mean = total_value / counts[principle]
            self.principles[principle].append(mean)
            axis = axis_of.get(principle, "")
            if axis in by_axis:
                by_axis[axis].append(mean)
            else:
                by_axis[axis] = [mean]
        for axis, items in by_axis.items():
            self.mastery[axis].append(sum(items) / len(items))
        for axis, out_of in moments.items():
            self.reading[axis].append(100 * right[axis] / out_of)
            self.moments[axis] += out_of


def _cohort(
    groups: Sequence[Mapping[str, _Group]], ids: Sequence[str], facts: _Facts
) -> tuple[tuple[PrincipleStat, ...], tuple[AxisStat, ...]]:
    teaching: dict[str, list[str]] = defaultdict(list)
    for sid in ids:
        for principle in facts.ranges(sid):
            teaching[principle].append(sid)
    cohort = _Cohort(facts)
    for learner_groups in groups:
        latest = []
        for group in learner_groups.values():
            last = group.last_finished()
            if last is not None:
                latest.append(last)
        cohort.add(latest)
    seen = set(cohort.principles) | set(teaching)
    order = [p for p in facts.principle_order if p in seen]
    order += sorted(seen - set(order))
    principles = tuple(
        PrincipleStat(
            principle=p,
            title=facts.principle_meta.get(p, (p, ""))[0],
            axis=facts.axis_of(p),
            mastery=spread(cohort.principles.get(p, [])),
            scenarios=tuple(teaching.get(p, ())),
        )
        for p in order
    )
    measured = (set(cohort.reading) | set(cohort.mastery)) - {""}
    axis_ids = [a for a in facts.axis_titles if a in measured]
    axis_ids += sorted(measured - set(axis_ids))
    axes = tuple(
        AxisStat(
            axis=a,
            title=facts.axis_titles.get(a, a),
            reading=spread(cohort.reading.get(a, [])),
            mastery=spread(cohort.mastery.get(a, [])),
            moments=cohort.moments[a],
        )
        for a in axis_ids
    )
    return principles, axes


def _gains(learners: Sequence[Learner], grid: Sequence[Cell]) -> tuple[Gain, ...]:
    per_learner: dict[str, list[Cell]] = defaultdict(list)
    for cell in grid:
        if cell.gain is not None:
            per_learner[cell.learner].append(cell)
    gains = []
    for learner in learners:
        cells = per_learner.get(learner.key)
        if not cells:
            continue
        first = sum(c.first or 0 for c in cells) / len(cells)
        latest = sum(c.latest or 0 for c in cells) / len(cells)
        gain = round(latest - first, 1)
        gains.append(Gain(learner.key, len(cells), round(first, 1), round(latest, 1), gain))
    return tuple(gains)


def _summary(learners: Sequence[Learner], grid: Sequence[Cell], pairs: int) -> Summary:
    runs = finished = 0
    seconds = 0.0
    for learner in learners:
        for attempt in learner.attempts:
            runs += 1
            finished += attempt.finished is not None
            seconds += attempt.seconds
    best = [c.best for c in grid if c.best is not None]
    return Summary(
        learners=len(learners),
        runs=runs,
        finished=finished,
        completed_cells=sum(1 for c in grid if c.status == "completed"),
        in_progress_cells=sum(1 for c in grid if c.status == "in progress"),
        cells=pairs,
        mean_best=round(sum(best) / len(best), 1) if best else None,
        seconds=seconds,
    )


# --- decisions -------------------------------------------------------------------------------


@dataclass(slots=True)
class _ChoiceTally:
    """Choices counted for one scenario: each learner's first run, and all runs."""

    first: Counter[tuple[str, str]] = field(default_factory=Counter)
    every: Counter[tuple[str, str]] = field(default_factory=Counter)
    reached: Counter[str] = field(default_factory=Counter)
    learners: int = 0

    def add(self, runs: Sequence[Attempt]) -> None:
        self.learners += 1
        every = self.every
        for number, attempt in enumerate(runs):
            pairs = steps(attempt.path)
            every.update(pairs)
            if number == 0:
                counted: set[str] = set()
                for pair in pairs:
                    if pair[0] not in counted:
                        counted.add(pair[0])
                        self.reached[pair[0]] += 1
                        self.first[pair] += 1

    def order(self) -> dict[str, list[str]]:
        """Scene -> the choices taken there, in the order first met (scenes likewise).

        Read from :attr:`every`, whose keys keep the order they were first counted in."""
        order: dict[str, list[str]] = {}
        for scene, choice in self.every:
            taken = order.get(scene)
            if taken is None:
                order[scene] = [choice]
            else:
                taken.append(choice)
        return order

    def count(
        self,
        scene: str,
        choice: str,
        text: str | None = None,
        mode: str | None = None,
        points: int | None = None,
        reading: Reading | None = None,
    ) -> ChoiceCount:
        learners, base = self.first[(scene, choice)], self.reached[scene]
        return ChoiceCount(
            choice=choice,
            text=text or choice,
            mode=mode,
            points=points,
            reads_right=None if reading is None else reading is Reading.RIGHT,
            reading=None if reading is None else reading.value,
            learners=learners,
            share=round(learners / base, 3) if base else 0.0,
            runs=self.every[(scene, choice)],
        )


def _decisions(
    groups: Sequence[Mapping[str, _Group]], info: ScenarioInfo, facts: _Facts
) -> DecisionView:
    tally = _ChoiceTally()
    for learner_groups in groups:
        group = learner_groups.get(info.id)
        if group is not None:
            tally.add(group.runs)
    scenes: list[SceneCount] = []
    order = tally.order()
    scenario = facts.scenarios.get(info.id)
    for scene in scenario.scenes.values() if scenario is not None else ():
        rows = [
            tally.count(
                scene.id,
                c.id,
                c.text,
                c.mode,
                c.total,
                read_moment(scene.calls_for, c),
            )
            for c in scene.choices
        ]
        rows += [
            tally.count(scene.id, c) for c in order.get(scene.id, ()) if scene.choice(c) is None
        ]
        title = scene.title or scene.id
        calls_title = facts.mode_titles.get(scene.calls_for or "", scene.calls_for or "")
        scenes.append(
            SceneCount(
                scene.id,
                title,
                scene.calls_for,
                tally.reached[scene.id],
                tuple(rows),
                calls_for_title=calls_title,
            )
        )
    known = {s.scene for s in scenes}
    for scene_id, taken in order.items():
        if scene_id not in known:
            extra = tuple(tally.count(scene_id, c) for c in taken)
            scenes.append(SceneCount(scene_id, scene_id, None, tally.reached[scene_id], extra))
    return DecisionView(info.id, info.title, tally.learners, tuple(scenes))
