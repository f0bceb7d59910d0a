"""xAPI statements for courses: ``passed``/``failed`` per counted assessment attempt, and
``completed`` for the course, each with the course as a context activity.

An attempt is judged only when it counts (the first ``attempts`` finished assessment runs of a
step, see :mod:`netquest.play.course_progress`); later runs are recorded as usual
(``completed``) but neither pass nor fail the step. Statement ids are derived from the run's
registration (attempts) and from the learner and course (course completion), so recording live
and exporting later give the same ids and an LRS stores each once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from netquest.engine import Scenario
from netquest.engine.course import Course, CourseStep
from netquest.play.course_progress import counted_runs, course_progress
from netquest.saves import RunRecord
from netquest.xapi.config import XapiSettings
from netquest.xapi.statements import (
    NAMESPACE,
    PLATFORM,
    RunContext,
    Statement,
    _segment,
    actor,
    derived_id,
    scaled_score_of,
    scenario_activity,
)
from netquest.xapi.vocab import (
    ACTIVITY_COURSE,
    EXT_ATTEMPT,
    EXT_COURSE_STEP,
    EXT_PASS_MARK,
    EXT_SCORE,
    VERB_COMPLETED,
    VERB_DISPLAY,
    VERB_FAILED,
    VERB_PASSED,
)


def course_iri(settings: XapiSettings, course_id: str) -> str:
    """The course's activity id: beside the scenarios' (``…/courses/<id>``)."""
    base = settings.activity_base.rstrip("/")
    if base.endswith("/scenarios"):
        base = base[: -len("/scenarios")]
    return f"{base}/courses/{_segment(course_id)}"


def course_activity(settings: XapiSettings, course: Course) -> Statement:
    """The course as an activity of the ADL type ``course``."""
    definition: Statement = {"type": ACTIVITY_COURSE}
    if course.title.strip():
        definition["name"] = {settings.language: course.title.strip()}
    if course.summary.strip():
        definition["description"] = {settings.language: course.summary.strip()}
    return {
        "objectType": "Activity",
        "id": course_iri(settings, course.id),
        "definition": definition,
    }


def _course_context(settings: XapiSettings, course: Course) -> Statement:
    return {"objectType": "Activity", "id": course_iri(settings, course.id)}


def attempt_judged(
    ctx: RunContext,
    scenario: Scenario | None,
    course: Course,
    step: CourseStep,
    result: Mapping[str, Any],
    attempt: int,
    *,
    timestamp: str,
) -> Statement | None:
    """``passed`` or ``failed`` for one counted assessment attempt (None without a score)."""
    score = result.get("score")
    if not isinstance(score, int) or isinstance(score, bool) or step.pass_mark is None:
        return None
    success = score >= step.pass_mark
    verb = VERB_PASSED if success else VERB_FAILED
    body: Statement = {
        "success": success,
        "completion": True,
        "extensions": {EXT_SCORE: score, EXT_PASS_MARK: step.pass_mark},
    }
    scaled = scaled_score_of(result)
    if scaled:
        body["score"] = scaled
    context = ctx.context()
    context["contextActivities"] = {"parent": [_course_context(ctx.settings, course)]}
    context["extensions"][EXT_COURSE_STEP] = step.id
    context["extensions"][EXT_ATTEMPT] = attempt
    statement = ctx.statement(
        verb,
        scenario_activity(ctx, scenario),
        timestamp=timestamp,
        statement_id=derived_id(ctx.registration, "course", course.id, step.id, verb),
    )
    statement["result"] = body
    statement["context"] = context
    return statement


def course_completed(
    name: str,
    machine: str,
    course: Course,
    settings: XapiSettings,
    *,
    timestamp: str,
) -> Statement:
    """``completed`` (with success) for the whole course."""
    registration = derived_id(str(NAMESPACE), "course", course.id, name, machine)
    return {
        "id": derived_id(registration, "completed"),
        "actor": actor(name, machine, settings),
        "verb": {"id": VERB_COMPLETED, "display": {"en-US": VERB_DISPLAY[VERB_COMPLETED]}},
        "object": course_activity(settings, course),
        "timestamp": timestamp,
        "result": {"completion": True, "success": True},
        "context": {
            "registration": registration,
            "platform": PLATFORM,
            "language": settings.language,
            "contextActivities": {"grouping": [_course_context(settings, course)]},
        },
    }


def is_course_statement(statement: Mapping[str, Any]) -> bool:
    """Whether a statement is one of a course's: passed/failed, or the course's completion."""
    verb = statement.get("verb")
    if isinstance(verb, dict) and verb.get("id") in (VERB_PASSED, VERB_FAILED):
        return True
    obj = statement.get("object")
    definition = obj.get("definition") if isinstance(obj, dict) else None
    return isinstance(definition, dict) and definition.get("type") == ACTIVITY_COURSE


def judged_runs(
    course: Course, runs: Sequence[RunRecord]
) -> list[tuple[CourseStep, RunRecord, int]]:
    """Every (assessment step, counted run, attempt number) of a learner's runs."""
    found = []
    for step in course.steps:
        if step.mode != "assessment":
            continue
        for attempt, run in enumerate(counted_runs(step, runs), start=1):
            found.append((step, run, attempt))
    return found


def course_statements(
    name: str,
    machine: str,
    runs: Sequence[RunRecord],
    course: Course,
    scenarios: Mapping[str, Scenario],
    settings: XapiSettings,
    today: dt.date,
) -> list[Statement]:
    """The course statements of one learner, rebuilt from their saved runs (for export)."""
    out: list[Statement] = []
    for step, run, attempt in judged_runs(course, runs):
        if run.result is None or run.finished is None:
            continue
        ctx = RunContext.for_run(
            name, machine, run.id, run.scenario_id, run.mode, run.content_hash, settings, True
        )
        statement = attempt_judged(
            ctx,
            scenarios.get(step.scenario),
            course,
            step,
            run.result,
            attempt,
            timestamp=run.finished,
        )
        if statement is not None:
            out.append(statement)
    progress = course_progress(course, runs, today)
    if progress.complete and progress.completed_at:
        out.append(
            course_completed(name, machine, course, settings, timestamp=progress.completed_at)
        )
    return out


def live_statements(
    ctx: RunContext,
    scenario: Scenario | None,
    course: Course,
    runs: Sequence[RunRecord],
    run: RunRecord,
    name: str,
    machine: str,
    timestamp: str,
) -> list[Statement]:
    """What a just-finished ``run`` adds: its judgement, if it counts, and the course's
    completion, if this run completed it."""
    out: list[Statement] = []
    if run.result is None:
        return out
    for step, counted, attempt in judged_runs(course, runs):
        if counted.id != run.id:
            continue
        statement = attempt_judged(
            ctx, scenario, course, step, run.result, attempt, timestamp=timestamp
        )
        if statement is not None:
            out.append(statement)
    today = dt.date.today()
    before = course_progress(course, [r for r in runs if r.id != run.id], today)
    after = course_progress(course, runs, today)
    if after.complete and not before.complete:
        out.append(course_completed(name, machine, course, ctx.settings, timestamp=timestamp))
    return out
