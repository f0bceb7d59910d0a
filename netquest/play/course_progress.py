"""Where a learner stands in a course, worked out from the runs their profile holds.

Nothing here is stored: the checklist is derived from the saved runs every time, so a course
file can be edited (a pass mark raised, a step added) and every learner's standing follows.

The rules, documented in ``docs/courses.md``:

- A **practice** step is done by a finished practice run (at or above its pass mark, when the
  step has one). Its counting score is the best such run.
- An **assessment** step counts the first ``attempts`` finished assessment runs of its scenario.
  It is passed when one of them reaches the pass mark; its counting score is the best counted
  run. When every counted attempt is used without a pass, the step is failed.
- A step is **locked** until every step in its ``unlocks_after`` is complete (done or passed).
- The **next** step is the first one, in course order, that is open and not yet complete.
- A step is **overdue** when its due date (or the course's) has passed and it is not complete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from netquest.engine.course import Course, CourseStep
from netquest.saves import Profile, RunRecord, parse_timestamp

StepState = Literal["locked", "next", "open", "in_progress", "done", "passed", "failed"]

#: What each state is called on a checklist.
STATE_LABELS: dict[str, str] = {
    "locked": "locked",
    "next": "next",
    "open": "to do",
    "in_progress": "in progress",
    "done": "done",
    "passed": "passed",
    "failed": "failed",
}


@dataclass(frozen=True, slots=True)
class StepProgress:
    """One step of a course, for one learner."""

    step: CourseStep
    state: StepState
    score: int | None
    """The counting score (best counted run), if any run counted."""
    attempts_used: int
    """Finished runs that count for this step (assessment attempts, or practice runs)."""
    overdue: bool
    run_id: str | None = None
    """The run that gave the counting score."""
    completed_at: str | None = None
    """When the step became complete (the finishing time of the run that completed it)."""

    @property
    def complete(self) -> bool:
        """Done (practice) or passed (assessment)."""
        return self.state in ("done", "passed")

    @property
    def attempts_left(self) -> int | None:
        """Assessment attempts still to count (``None`` for practice steps)."""
        if self.step.mode != "assessment":
            return None
        return max(0, self.step.attempts - self.attempts_used)

    @property
    def label(self) -> str:
        """The state as the checklist says it."""
        return STATE_LABELS[self.state]


@dataclass(frozen=True, slots=True)
class CourseProgress:
    """A learner's standing in a whole course."""

    course: Course
    steps: tuple[StepProgress, ...]

    @property
    def complete(self) -> bool:
        """Every step is done or passed."""
        return all(step.complete for step in self.steps)

    @property
    def failed(self) -> bool:
        """Some assessment step has used every attempt without a pass."""
        return any(step.state == "failed" for step in self.steps)

    @property
    def done_count(self) -> int:
        """How many steps are complete."""
        return sum(1 for step in self.steps if step.complete)

    @property
    def next_step(self) -> StepProgress | None:
        """The step Continue should lead to, if any."""
        return next((step for step in self.steps if step.state in ("next",)), None)

    @property
    def overdue(self) -> bool:
        """Some incomplete step is past its due date."""
        return any(step.overdue for step in self.steps)

    @property
    def completed_at(self) -> str | None:
        """When the last step was completed, once the course is complete."""
        if not self.complete or not self.steps:
            return None
        times = [step.completed_at for step in self.steps if step.completed_at]
        return max(times, key=parse_timestamp) if times else None


def _score(run: RunRecord) -> int | None:
    if run.result is None:
        return None
    value = run.result.get("score")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _finished(runs: Iterable[RunRecord], scenario: str, mode: str) -> list[RunRecord]:
    chosen = [
        run
        for run in runs
        if run.scenario_id == scenario and run.mode == mode and run.finished is not None
    ]
    return sorted(chosen, key=lambda run: parse_timestamp(run.finished or run.updated))


def _unfinished(runs: Iterable[RunRecord], scenario: str, mode: str) -> bool:
    return any(
        run.scenario_id == scenario and run.mode == mode and run.finished is None for run in runs
    )


def counted_runs(step: CourseStep, runs: Iterable[RunRecord]) -> list[RunRecord]:
    """The finished runs that count for ``step``, in the order they were finished."""
    finished = _finished(runs, step.scenario, step.mode)
    return finished[: step.attempts] if step.mode == "assessment" else finished


def _evaluate(
    step: CourseStep, runs: Sequence[RunRecord]
) -> tuple[StepState | None, int | None, int, str | None, str | None]:
    """(state when settled or None, counting score, attempts used, run id, completed at)."""
    counted = counted_runs(step, runs)
    best: RunRecord | None = None
    completed: RunRecord | None = None
    for run in counted:
        score = _score(run)
        if score is None:
            continue
        best_score = _score(best) if best is not None else None
        if best_score is None or score > best_score:
            best = run
        if completed is None and (step.pass_mark is None or score >= step.pass_mark):
            completed = run
    score = _score(best) if best is not None else None
    if completed is not None:
        state: StepState = "passed" if step.mode == "assessment" else "done"
        return state, score, len(counted), best.id if best else None, completed.finished
    if step.mode == "assessment" and len(counted) >= step.attempts:
        return "failed", score, len(counted), best.id if best else None, None
    return None, score, len(counted), best.id if best else None, None


def course_progress(
    course: Course, runs: Sequence[RunRecord] | Profile | None, today: dt.date
) -> CourseProgress:
    """The checklist for a learner's runs (or their profile; ``None``: no runs yet)."""
    if runs is None:
        runs = ()
    elif isinstance(runs, Profile):
        runs = runs.runs
    settled: dict[str, StepState | None] = {}
    results = []
    for step in course.steps:
        state, score, used, run_id, completed_at = _evaluate(step, runs)
        settled[step.id] = state
        results.append((step, state, score, used, run_id, completed_at))
    steps: list[StepProgress] = []
    next_given = False
    for step, state, score, used, run_id, completed_at in results:
        if state is None:
            blocked = any(
                settled.get(before) not in ("done", "passed") for before in step.unlocks_after
            )
            if blocked:
                state = "locked"
            elif not next_given:
                state, next_given = "next", True
            elif _unfinished(runs, step.scenario, step.mode):
                state = "in_progress"
            else:
                state = "open"
        due = course.due_for(step)
        overdue = due is not None and today > due and state not in ("done", "passed")
        steps.append(StepProgress(step, state, score, used, overdue, run_id, completed_at))
    return CourseProgress(course, tuple(steps))
