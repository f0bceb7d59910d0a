"""The report as Markdown, for pasting into a wiki, a ticket or an email."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from netquest.engine.text import printable
from netquest.reports.course_section import state_label
from netquest.reports.fmt import (
    DASH,
    cell_text,
    duration,
    iso,
    labels,
    misstep,
    number,
    percent,
    plural,
    scenario_titles,
    signed,
)
from netquest.reports.model import DecisionView, Report

_ESCAPES = str.maketrans({char: "\\" + char for char in "\\`*_[]<>|~"})


@functools.lru_cache(maxsize=4096)
def escape(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, markup characters escaped."""
    return " ".join(text.split()).translate(_ESCAPES)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> list[str]:
    rule = [("---:" if align[i : i + 1] == "r" else "---") for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_markdown(report: Report) -> str:
    """The whole report as Markdown."""
    out: list[str] = [f"# {escape(report.title)}", ""]
    out += _overview(report)
    out += _course(report)
    out += _grid(report)
    out += _cohort(report)
    out += _gains(report)
    if len(report.decisions) == 1:
        out += _decisions(report.decisions[0])
    elif report.decisions:
        out += [
            "Per-decision views: run `netquest report --scenario ID` for one scenario "
            "(the HTML and JSON reports include all).",
            "",
        ]
    out += _skipped(report)
    # The exit: whatever a save or a scenario file holds, no control reaches the reader's terminal.
    return printable("\n".join(out).rstrip() + "\n")


def _overview(report: Report) -> list[str]:
    s = report.summary
    scope = f" · scenario `{escape(report.scenario_filter)}` only" if report.scenario_filter else ""
    skipped = f" · {len(report.skipped)} skipped" if report.skipped else ""
    return [
        f"Generated {iso(report.generated)} from {plural(report.files, 'save file')}"
        f"{skipped}{scope}.",
        "",
        f"- **Learners:** {s.learners}",
        f"- **Runs:** {s.runs} ({s.finished} finished), {duration(s.seconds)} played",
        f"- **Completed:** {s.completed_cells} of {s.cells} learner × scenario pairs "
        f"({s.in_progress_cells} in progress)",
        f"- **Mean best score:** {number(s.mean_best, 1)}",
        "",
    ]


def _course(report: Report) -> list[str]:
    course = report.course
    if course is None:
        return []
    due = f" · due {course.due}" if course.due else ""
    out = [
        f"## Course: {escape(course.title)}",
        "",
        f"{course.passed} of {plural(len(course.learners), 'learner')} completed the course"
        f"{due} · overdue judged on {course.as_of}.",
        "",
    ]
    step_names = [
        f"{n}. {escape(step.title)} ({step.mode})" for n, step in enumerate(course.steps, 1)
    ]
    rows = [
        [
            escape(row.label),
            f"{row.done}/{row.total}",
            row.status + (" (overdue)" if row.overdue and row.status != "overdue" else ""),
            *(
                state_label(state) + (f" {score}" if score is not None else "")
                for state, score in zip(row.states, row.scores, strict=True)
            ),
        ]
        for row in course.learners
    ]
    out += _table(["Learner", "Steps done", "Course", *step_names], rows, "lrl")
    out += [
        "",
        "Each step: its state and the counting score (best counted run; assessments count "
        "their first attempts only).",
        "",
    ]
    titles = {p.principle: p.title for p in report.principles}
    rows = [
        [
            f"{n}. {escape(step.title)}",
            step.mode,
            DASH if step.pass_mark is None else str(step.pass_mark),
            str(step.started),
            str(step.completed),
            str(step.failed),
            DASH if step.pass_rate is None else percent(step.pass_rate),
            escape(", ".join(titles.get(p, p) for p in step.lost)) or DASH,
        ]
        for n, step in enumerate(course.steps, 1)
    ]
    out += _table(
        ["Step", "Mode", "Pass mark", "Started", "Passed", "Failed", "Pass rate", "Most lost"],
        rows,
        "llrrrrr",
    )
    out += [
        "",
        "Most lost: the principles most often below their best in the counted runs of "
        "learners who have not (yet) passed the step.",
        "",
    ]
    return out


def _grid(report: Report) -> list[str]:
    if not report.learners or not report.scenarios:
        return ["## Who played what", "", "No runs found.", ""]
    header = ["Learner", *(escape(info.title) for info in report.scenarios)]
    rows = [
        [escape(learner.label)]
        + [escape(cell_text(report.started(learner.key, info.id))) for info in report.scenarios]
        for learner in report.learners
    ]
    return [
        "## Who played what",
        "",
        *_table(header, rows),
        "",
        f"Best score 0–100; ×N runs started; A = score of the first finished assessment run "
        f"(A … = assessment in progress); {DASH} = not started.",
        "",
    ]


def _cohort(report: Report) -> list[str]:
    out = ["## Where the cohort stands", ""]
    measured = [p for p in report.principles if p.mastery.count]
    if not measured:
        return [*out, "No finished runs of scenarios in the library yet.", ""]
    if report.weakest:
        out.append("Weakest principles (lowest mean mastery):")
        out.append("")
        for rank, pid in enumerate(report.weakest, start=1):
            stat = report.principle(pid)
            if stat is None:
                continue
            where = ", ".join(scenario_titles(report).get(s, s) for s in stat.scenarios)
            out.append(
                f"{rank}. **{escape(stat.title)}**: mean {number(stat.mastery.mean)} "
                f"(± {number(stat.mastery.stdev)}, {plural(stat.mastery.count, 'learner')})"
                + (f"; practised in {escape(where)}" if where else "")
            )
        out.append("")
    axis_titles = {a.axis: a.title for a in report.axes}
    rows = [
        [
            escape(p.title),
            escape(axis_titles.get(p.axis, p.axis)),
            str(p.mastery.count),
            number(p.mastery.mean),
            number(p.mastery.stdev),
            f"{number(p.mastery.low)}–{number(p.mastery.high)}",
        ]
        for p in measured
    ]
    out += _table(
        ["Principle", "Axis", "Learners", "Mean mastery", "Spread (sd)", "Range"], rows, "llrrrr"
    )
    out += [
        "",
        "Mastery: where a learner's total for the principle lies between the lowest and "
        "highest the scenario allows (0–100), in their latest finished run of each scenario.",
        "",
    ]
    if report.axes:
        rows = [
            [
                escape(a.title),
                f"{number(a.reading.mean)}%" if a.reading.mean is not None else DASH,
                number(a.reading.stdev),
                number(a.mastery.mean),
                str(a.reading.count),
            ]
            for a in report.axes
        ]
        out += _table(
            ["Axis", "Moments read right", "Spread (sd)", "Mean mastery", "Learners"],
            rows,
            "lrrrr",
        )
        out.append("")
    return out


def _gains(report: Report) -> list[str]:
    if not report.gains:
        return []
    names = labels(report)
    rows = [
        [
            escape(names.get(g.learner, g.learner)),
            str(g.repeated),
            number(g.first, 1),
            number(g.latest, 1),
            signed(g.gain, 1),
        ]
        for g in sorted(report.gains, key=lambda g: (-g.gain, names.get(g.learner, "")))
    ]
    mean = sum(g.gain for g in report.gains) / len(report.gains)
    return [
        "## First attempt vs latest",
        "",
        *_table(["Learner", "Scenarios repeated", "First", "Latest", "Gain"], rows, "lrrrr"),
        "",
        f"Mean gain over {plural(len(report.gains), 'learner')} who finished a scenario more "
        f"than once: {signed(mean, 1)} points.",
        "",
    ]


def _decisions(view: DecisionView) -> list[str]:
    out = [
        f"## Decisions in {escape(view.title)}",
        "",
        f"{plural(view.learners, 'learner')} started it. Counts are of each learner's first run "
        "(their first instincts); “all runs” counts every run. ⚠ marks a shared misconception: "
        "a choice that loses points or misreads the moment, taken by a third of the group "
        "or more.",
        "",
    ]
    for scene in view.scenes:
        wanted = scene.calls_for_title or scene.calls_for
        calls = f" — calls for {escape(wanted)}" if wanted else ""
        out += [f"### {escape(scene.title)}{calls}", "", f"Reached by {scene.reached}.", ""]
        rows = [
            [
                ("⚠ " if misstep(c.points, c.reads_right, c.share) else "") + escape(c.text),
                escape(c.mode or DASH),
                signed(c.points),
                str(c.learners),
                percent(c.share) if scene.reached else DASH,
                str(c.runs),
            ]
            for c in scene.choices
        ]
        out += _table(["Choice", "Mode", "Points", "Learners", "Share", "All runs"], rows, "llrrrr")
        out.append("")
    return out


def _skipped(report: Report) -> list[str]:
    if not report.skipped:
        return []
    out = ["## Files skipped", ""]
    out += [f"- {escape(item.path)}: {escape(item.reason)}" for item in report.skipped]
    out.append("")
    return out
