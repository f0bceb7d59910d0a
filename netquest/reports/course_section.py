"""The course part of a trainer report (``netquest report --course ID``).

Per learner: steps complete, passed or not, each step's counting score, overdue. Per step: how
many started, passed and failed, the pass rate, and the principles most often lost or missed by
those who fell short of the pass mark. The standing is worked out by
:func:`netquest.play.course_progress.course_progress`, the same function the learner's checklist
uses, so the trainer and the learner always see the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from netquest.engine.course import Course
from netquest.play.course_progress import (
    STATE_LABELS,
    CourseProgress,
    counted_runs,
    course_progress,
)
from netquest.saves import RunRecord

#: How many principles a step names as most often lost by those who fell short.
MOST_LOST = 3


@dataclass(frozen=True, slots=True)
class CourseStepStat:
    """One step of the course, across the cohort.

    Attributes:
        id: The step id.
        scenario: Its scenario id.
        title: The scenario's title (the id when the library lacks it).
        mode: ``practice`` or ``assessment``.
        pass_mark: 0–100, or None for a practice step that only needs finishing.
        attempts: Assessment attempts that count.
        due: The step's due date (or the course's), ISO.
        started: Learners with at least one counted finished run.
        completed: Learners who completed it (done or passed).
        failed: Learners who used every counted attempt without a pass.
        pass_rate: ``completed / started``, or None when nobody started.
        lost: Principle ids most often lost or missed by learners whose counted runs fell
            short, most often first.
    """

    id: str
    scenario: str
    title: str
    mode: str
    pass_mark: int | None
    attempts: int
    due: str | None
    started: int
    completed: int
    failed: int
    pass_rate: float | None
    lost: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CourseLearnerRow:
    """One learner's standing in the course.

    Attributes:
        learner: Learner key (as in :class:`~netquest.reports.model.Learner`).
        label: How the report names them.
        done: Steps complete.
        total: Steps in the course.
        complete: Every step complete (the course is passed).
        failed: Some assessment used every attempt without a pass.
        overdue: Some incomplete step is past its due date.
        states: Each step's state (``done``, ``passed``, ``failed``, ``next``, ``in_progress``,
            ``open`` or ``locked``), in course order.
        scores: Each step's counting score, in course order.
        attempts: Each step's counted finished runs, in course order.
        late: Whether each step is overdue, in course order.
        completed_at: When the course was completed, once it is.
    """

    learner: str
    label: str
    done: int
    total: int
    complete: bool
    failed: bool
    overdue: bool
    states: tuple[str, ...]
    scores: tuple[int | None, ...]
    attempts: tuple[int, ...]
    late: tuple[bool, ...]
    completed_at: str | None = None

    @property
    def status(self) -> str:
        """One word for the learner: passed, failed, overdue or in progress."""
        if self.complete:
            return "passed"
        if self.failed:
            return "failed"
        return "overdue" if self.overdue else "in progress"


@dataclass(frozen=True, slots=True)
class CourseSection:
    """The course view of a report."""

    id: str
    title: str
    due: str | None
    as_of: str
    """The day overdue was judged on (ISO date)."""
    steps: tuple[CourseStepStat, ...]
    learners: tuple[CourseLearnerRow, ...]

    @property
    def passed(self) -> int:
        """Learners who completed the course."""
        return sum(1 for row in self.learners if row.complete)


def state_label(state: str) -> str:
    """How a checklist state is written in reports."""
    return STATE_LABELS.get(state, state)


def _lost(
    progress: Sequence[tuple[CourseProgress, Sequence[RunRecord]]],
    index: int,
    ranges: Callable[[str], Mapping[str, tuple[int, int]]],
) -> tuple[str, ...]:
    """Principles most often below their best in the counted runs that fell short."""
    learners: Counter[str] = Counter()
    shortfall: Counter[str] = Counter()
    for standing, runs in progress:
        item = standing.steps[index]
        step = item.step
        if item.complete or item.attempts_used == 0:
            continue
        best = ranges(step.scenario)
        missed: dict[str, int] = {}
        for run in counted_runs(step, runs):
            totals = run.result.get("principles") if run.result is not None else None
            if not isinstance(totals, dict):
                continue
            for principle, (low, span) in best.items():
                total = totals.get(principle, 0)
                gap = low + span - total if isinstance(total, int) else 0
                if gap > 0:
                    missed[principle] = max(missed.get(principle, 0), gap)
        learners.update(missed.keys())
        shortfall.update(missed)
    ranked = sorted(learners, key=lambda p: (-learners[p], -shortfall[p], p))
    return tuple(ranked[:MOST_LOST])


def build_course_section(
    course: Course,
    learners: Sequence[tuple[str, str, Sequence[RunRecord]]],
    titles: Mapping[str, str],
    ranges: Callable[[str], Mapping[str, tuple[int, int]]],
    today: dt.date,
) -> CourseSection:
    """The course view for ``learners`` as (key, label, runs), in report order.

    Args:
        course: The course.
        learners: Each learner's key, label and saved runs.
        titles: Scenario id -> title.
        ranges: Scenario id -> principle -> (lowest total, highest - lowest), from the report.
        today: The day "overdue" is judged on.
    """
    standings: list[tuple[CourseProgress, Sequence[RunRecord]]] = []
    rows: list[CourseLearnerRow] = []
    for key, label, runs in learners:
        standing = course_progress(course, runs, today)
        standings.append((standing, runs))
        rows.append(
            CourseLearnerRow(
                learner=key,
                label=label,
                done=standing.done_count,
                total=len(standing.steps),
                complete=standing.complete,
                failed=standing.failed,
                overdue=standing.overdue,
                states=tuple(item.state for item in standing.steps),
                scores=tuple(item.score for item in standing.steps),
                attempts=tuple(item.attempts_used for item in standing.steps),
                late=tuple(item.overdue for item in standing.steps),
                completed_at=standing.completed_at,
            )
        )
    steps: list[CourseStepStat] = []
    for index, step in enumerate(course.steps):
        items = [standing.steps[index] for standing, _ in standings]
        started = sum(1 for item in items if item.attempts_used > 0)
        completed = sum(1 for item in items if item.complete)
        due = course.due_for(step)
        steps.append(
            CourseStepStat(
                id=step.id,
                scenario=step.scenario,
                title=titles.get(step.scenario, step.scenario),
                mode=step.mode,
                pass_mark=step.pass_mark,
                attempts=step.attempts,
                due=due.isoformat() if due else None,
                started=started,
                completed=completed,
                failed=sum(1 for item in items if item.state == "failed"),
                pass_rate=completed / started if started else None,
                lost=_lost(standings, index, ranges),
            )
        )
    return CourseSection(
        id=course.id,
        title=course.title,
        due=course.due.isoformat() if course.due else None,
        as_of=today.isoformat(),
        steps=tuple(steps),
        learners=tuple(rows),
    )
