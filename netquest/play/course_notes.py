"""What the game tells a learner about a course: step names, what a locked step waits for, and
what a just-finished run meant for the course ("Assessment passed: 82 ≥ 70 — next: …").

Pure (no Textual): the title screen, the debrief and the Progress screen all read it, so no two
of them can word the same standing differently. The standing itself comes from
:func:`netquest.play.course_progress.course_progress`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from netquest.engine.course import Course, CourseStep
from netquest.play.course_progress import (
    CourseProgress,
    StepProgress,
    counted_runs,
    course_progress,
)
from netquest.saves import RunRecord

NoteTone = Literal["success", "warning", "error"]


@dataclass(frozen=True, slots=True)
class CourseNote:
    """One line about the course, and whether it is good news."""

    text: str
    tone: NoteTone


def step_name(step: CourseStep, titles: Mapping[str, str]) -> str:
    """A step as a learner reads it: its scenario's title and the mode, e.g. ``The Mixer
    (assessment)``."""
    return f"{titles.get(step.scenario, step.scenario)} ({step.mode})"


def waiting_for(progress: CourseProgress, item: StepProgress) -> list[StepProgress]:
    """The steps ``item`` is locked behind that are not complete yet, in course order."""
    blocking = set(item.step.unlocks_after)
    return [s for s in progress.steps if s.step.id in blocking and not s.complete]


def locked_message(progress: CourseProgress, item: StepProgress, titles: Mapping[str, str]) -> str:
    """Why a step cannot be played yet."""
    names = [step_name(s.step, titles) for s in waiting_for(progress, item)]
    if not names:
        return f"{step_name(item.step, titles)} is locked."
    return f"{step_name(item.step, titles)} opens after {' and '.join(names)}."


def next_message(progress: CourseProgress, titles: Mapping[str, str]) -> str:
    """Where the course goes next, as the end of a sentence: ``next: The Mixer (assessment)``,
    ``course complete`` or why there is nothing to do."""
    if progress.complete:
        total = len(progress.steps)
        return f"course complete ({total} of {total} steps)"
    following = progress.next_step
    if following is not None:
        return f"next: {step_name(following.step, titles)}"
    if progress.failed:
        return "an assessment has no attempts left: ask your trainer"
    return "no step is open yet"


def step_for_run(course: Course, run: RunRecord) -> CourseStep | None:
    """The course step a run of this scenario and mode counts for, if any."""
    return next(
        (s for s in course.steps if s.scenario == run.scenario_id and s.mode == run.mode), None
    )


def run_note(
    course: Course,
    runs: Sequence[RunRecord],
    run: RunRecord,
    titles: Mapping[str, str],
    today: dt.date,
) -> CourseNote | None:
    """What a finished ``run`` (one of ``runs``) meant for the course; ``None`` when it is not
    a course step's run or has no score."""
    step = step_for_run(course, run)
    score = _score(run)
    if step is None or score is None:
        return None
    progress = course_progress(course, runs, today)
    item = next(s for s in progress.steps if s.step.id == step.id)
    onward = next_message(progress, titles)
    counted = {r.id for r in counted_runs(step, runs)}
    mark = step.pass_mark
    if step.mode == "assessment":
        if run.id not in counted:
            plural = "s count" if step.attempts != 1 else " counts"
            return CourseNote(
                f"This assessment run does not count for the course: only the first "
                f"{step.attempts} attempt{plural} — {onward}",
                "warning",
            )
        if mark is None or score >= mark:
            shown = f": {score} ≥ {mark}" if mark is not None else ""
            return CourseNote(f"Assessment passed{shown} — {onward}", "success")
        if item.state == "passed":
            return CourseNote(
                f"This attempt scored {score} < {mark}; the step stays passed with {item.score}"
                f" — {onward}",
                "warning",
            )
        left = item.attempts_left or 0
        if left:
            return CourseNote(
                f"Not passed: {score} < {mark}, {left} attempt{'s' * (left != 1)} left",
                "error",
            )
        return CourseNote(
            f"Not passed: {score} < {mark}, no attempts left: ask your trainer", "error"
        )
    if mark is not None and score < mark:
        return CourseNote(
            f"Practice not done yet: {score} < {mark} — play it again to reach the mark",
            "warning",
        )
    shown = f": {score} ≥ {mark}" if mark is not None else ""
    return CourseNote(f"Practice done{shown} — {onward}", "success")


def _score(run: RunRecord) -> int | None:
    if run.finished is None or run.result is None:
        return None
    value = run.result.get("score")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


__all__ = [
    "CourseNote",
    "locked_message",
    "next_message",
    "run_note",
    "step_for_run",
    "step_name",
    "waiting_for",
]
