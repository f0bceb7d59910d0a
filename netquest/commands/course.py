"""``netquest course ID --plain``: a course's checklist for one learner, as lines.

Without ``--plain`` the command line starts the game with the course on its title screen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
from pathlib import Path

from netquest.commands.common import CommandError, saves_dir
from netquest.engine.course import Course, find_course, known_courses, load_course
from netquest.engine.library import load_library
from netquest.engine.text import printable
from netquest.play.course_progress import CourseProgress, StepProgress, course_progress
from netquest.saves import Profile, SaveError, SaveStore


def resolve_course(name: str, scenario_dirs: list[Path]) -> Course:
    """Load course ``name`` (an id or a file) checked against the playable scenarios, or raise
    a one-line :class:`CommandError`."""
    path = find_course(name, scenario_dirs)
    if path is None:
        names = sorted(p.stem for p in known_courses(scenario_dirs))
        known = ", ".join(names) if names else "none"
        raise CommandError(f"no course '{printable(name)}' (known: {known}; see docs/courses.md)")
    library = load_library(folders=scenario_dirs)
    loaded = load_course(path, set(library.ids))
    errors = [d for d in loaded.diagnostics if d.is_error]
    if loaded.value is None or errors:
        first = errors[0].format() if errors else f"{path}: not a course file"
        raise CommandError(f"the course cannot be used: {first}", 1)
    return loaded.value


def run_course(args: argparse.Namespace) -> int:
    """List the checklist of ``args.course_id`` for the learner (``--plain``)."""
    course = resolve_course(args.course_id, list(args.scenarios))
    store = SaveStore(saves_dir(args))
    name = getattr(args, "profile", None)
    try:
        name = name or store.last_profile()
    except SaveError:
        name = None
    profile: Profile | None = None
    if name:
        try:
            profile = store.load(name).profile
        except SaveError as error:
            raise CommandError(str(error), 1) from error
    progress = course_progress(course, profile, dt.date.today())
    sys.stdout.write(format_checklist(progress, name))
    return 0


_MARKS = {
    "done": "[x]",
    "passed": "[x]",
    "failed": "[!]",
    "next": "[>]",
    "in_progress": "[~]",
    "open": "[ ]",
    "locked": "[-]",
}


def _step_line(number: int, item: StepProgress, titles: dict[str, str]) -> str:
    step = item.step
    title = printable(titles.get(step.scenario, step.scenario))
    parts = [f"{_MARKS[item.state]} {number}. {title} ({step.mode})", item.label]
    if step.pass_mark is not None:
        parts.append(f"pass mark {step.pass_mark}")
    if item.score is not None:
        parts.append(f"score {item.score}")
    if step.mode == "assessment":
        parts.append(f"attempts {item.attempts_used} of {step.attempts}")
    if step.unlocks_after and item.state == "locked":
        parts.append("after " + ", ".join(step.unlocks_after))
    if item.overdue:
        parts.append("OVERDUE")
    return " · ".join(parts)


def format_checklist(progress: CourseProgress, learner: str | None) -> str:
    """The checklist as plain lines (screen readers, pipes)."""
    course = progress.course
    titles = {e.scenario.id: e.scenario.title for e in load_library().entries}
    who = printable(learner) if learner else "a new learner"
    lines = [f"{printable(course.title)} — {who}"]
    if course.summary:
        lines.append(printable(course.summary))
    if course.due:
        lines.append(f"Due {course.due.isoformat()}")
    lines.append("")
    lines.extend(_step_line(n, item, titles) for n, item in enumerate(progress.steps, 1))
    lines.append("")
    total = len(progress.steps)
    if progress.complete:
        lines.append(f"Course complete: {total} of {total} steps.")
    else:
        lines.append(f"{progress.done_count} of {total} steps complete.")
        nxt = progress.next_step
        if nxt is not None:
            step = nxt.step
            lines.append(
                f"Next: netquest play {step.scenario} --mode {step.mode} --plain"
                + (f" --profile {shlex.quote(printable(learner))}" if learner else "")
            )
        elif progress.failed:
            lines.append("An assessment has used all its attempts: ask your trainer.")
    return "\n".join(lines) + "\n"
