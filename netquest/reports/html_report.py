"""The report as one self-contained HTML file: inline CSS and SVG, nothing fetched.

No scripts, fonts, images or links to other sites: a Content-Security-Policy of
``default-src 'none'`` makes the browser refuse any request the page might try. All text is
escaped. The page reads well printed, on a projector and in dark mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

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
from netquest.reports.model import Cell, DecisionView, Report
from netquest.reports.svg import Bar, Segment, bar_chart, dumbbell_chart, stacked_chart

CSS = """
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5b6475; --bg: #ffffff;
  --panel: #f4f6fa; --line: #d9dee8; --accent: #2f6fdb; --good: #2e8b57; --warn: #c77d00;
  --bad: #c0392b; --none: #c9ced8; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ef; --muted: #a3abbb;
  --bg: #14171d; --panel: #1d222b; --line: #333a47; --accent: #6ea1ff; --good: #4cc38a;
  --warn: #f0b34a; --bad: #ff7b6b; --none: #4a5160; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 1.5rem; font: 15px/1.5 system-ui,
  -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.meta, .note { color: var(--muted); font-size: .9rem; }
nav { margin: .8rem 0 0; font-size: .9rem; }
nav a { color: var(--accent); margin-right: 1rem; text-decoration: none; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
  gap: .7rem; margin: 1rem 0; }
.tile { background: var(--panel); border-radius: 8px; padding: .7rem .9rem; }
.tile b { display: block; font-size: 1.5rem; }
.tile span { color: var(--muted); font-size: .85rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
caption { text-align: left; color: var(--muted); padding: .2rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.completed { background: color-mix(in srgb, var(--good) 18%, transparent); }
td.in-progress { background: color-mix(in srgb, var(--warn) 18%, transparent); }
td.not-started { color: var(--muted); }
td.passed, td.done { background: color-mix(in srgb, var(--good) 18%, transparent); }
td.failed, td.late { background: color-mix(in srgb, var(--bad) 14%, transparent); }
td.locked { color: var(--muted); }
.callout { background: color-mix(in srgb, var(--bad) 10%, var(--panel));
  border-left: 4px solid var(--bad); padding: .6rem 1rem; border-radius: 4px; }
.misstep { color: var(--bad); font-weight: 600; }
details { background: var(--panel); border-radius: 8px; padding: .4rem 1rem; margin: .6rem 0; }
summary { cursor: pointer; font-weight: 600; }
svg.chart { max-width: 100%; height: auto; display: block; margin: .4rem 0 1rem; }
svg text { font: 12px system-ui, sans-serif; fill: var(--fg); }
svg .c-tick { fill: var(--muted); font-size: 11px; }
svg .c-value { fill: var(--muted); }
svg .c-inbar { fill: #fff; font-size: 11px; }
svg .c-inbar-dark { fill: var(--fg); font-size: 11px; }
svg .c-grid { stroke: var(--line); stroke-width: 1; }
svg .c-bar { fill: var(--accent); }
svg .c-weak { fill: var(--bad); }
svg .c-whisker { stroke: var(--fg); stroke-width: 1.5; fill: none; }
svg .c-completed { fill: var(--good); } svg .c-progress { fill: var(--warn); }
svg .c-none { fill: var(--none); }
svg .c-right { fill: var(--good); } svg .c-wrong { fill: var(--bad); }
svg .c-neutral { fill: var(--accent); } svg .c-other { fill: var(--none); }
svg .c-up { stroke: var(--good); stroke-width: 3; } svg .c-down { stroke: var(--bad);
  stroke-width: 3; }
svg .c-up-dot { fill: var(--good); } svg .c-down-dot { fill: var(--bad); }
svg .c-first { fill: var(--bg); stroke: var(--muted); stroke-width: 2; }
.legend span { display: inline-block; margin-right: 1rem; font-size: .85rem; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem;
  border-radius: 2px; vertical-align: -1px; }
@media print { nav { display: none; } details { break-inside: avoid; }
  body { max-width: none; } }
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


Html = str | tuple[str, str]
"""A table cell: HTML, or (HTML, CSS class)."""


def _table(
    header: Sequence[tuple[str, bool]],
    rows: Iterable[Sequence[Html]],
    caption: str = "",
) -> str:
    """A table; ``header`` is (escaped text, numeric?); cells are HTML (or HTML and a class)."""
    out = ['<div class="scroll"><table>']
    if caption:
        out.append(f"<caption>{_e(caption)}</caption>")
    heads = (
        f'<th scope="col" class="num">{text}</th>' if numeric else f'<th scope="col">{text}</th>'
        for text, numeric in header
    )
    out.append("<thead><tr>" + "".join(heads) + "</tr></thead><tbody>")
    for row in rows:
        cells = []
        for (_, numeric), value in zip(header, row, strict=True):
            html, klass = value if isinstance(value, tuple) else (value, "")
            klass = " ".join(k for k in (klass, "num" if numeric else "") if k)
            cells.append(f'<td class="{klass}">{html}</td>' if klass else f"<td>{html}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def render_html(report: Report) -> str:
    """The whole report as one HTML document."""
    body = [
        _header(report),
        _summary(report),
        _course(report),
        _grid(report),
        _cohort(report),
        _gains(report),
        _decisions(report),
        _skipped(report),
        f'<footer class="note"><p>Made by netquest on {_e(iso(report.generated))}.</p></footer>',
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_e(report.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def _header(report: Report) -> str:
    scope = f" · scenario {_e(report.scenario_filter)} only" if report.scenario_filter else ""
    skipped = f" · {plural(len(report.skipped), 'file')} skipped" if report.skipped else ""
    links = [("summary", "Summary"), ("grid", "Who played what"), ("cohort", "Cohort")]
    if report.course is not None:
        links.insert(1, ("course", "Course"))
    if report.gains:
        links.append(("gains", "Progress"))
    if report.decisions:
        links.append(("decisions", "Decisions"))
    if report.skipped:
        links.append(("skipped", "Skipped files"))
    nav = "".join(f'<a href="#{anchor}">{_e(text)}</a>' for anchor, text in links)
    return (
        f"<header><h1>{_e(report.title)}</h1>"
        f'<p class="meta">Generated {_e(iso(report.generated))} from '
        f"{plural(report.files, 'save file')}{skipped}{scope}.</p><nav>{nav}</nav></header>"
    )


def _summary(report: Report) -> str:
    s = report.summary
    tiles = [
        (str(s.learners), "learners"),
        (f"{s.completed_cells}/{s.cells}", "learner × scenario completed"),
        (str(s.in_progress_cells), "in progress"),
        (str(s.runs), f"runs ({s.finished} finished)"),
        (number(s.mean_best, 1), "mean best score"),
        (duration(s.seconds), "played in all"),
    ]
    html = "".join(f'<div class="tile"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for v, k in tiles)
    return f'<section id="summary"><h2>Summary</h2><div class="tiles">{html}</div></section>'


def _cell_title(cell: Cell) -> str:
    if cell.status == "not started":
        return "not started"
    bits = [
        cell.status,
        f"{plural(cell.attempts, 'run')}, {cell.completed} finished",
        f"time {duration(cell.seconds)}",
    ]
    if cell.first is not None:
        bits.append(f"first {cell.first}, latest {cell.latest}, best {cell.best}")
    if cell.assessment is not None:
        bits.append(f"assessment {cell.assessment} ({cell.assessment_outcome or DASH})")
    if cell.last_activity:
        bits.append(f"last played {iso(cell.last_activity)}")
    return "; ".join(bits)


_COURSE_CELL = {"done": "done", "passed": "passed", "failed": "failed", "locked": "locked"}


def _course(report: Report) -> str:
    course = report.course
    if course is None:
        return ""
    due = f" · due {_e(course.due)}" if course.due else ""
    out = [
        f'<section id="course"><h2>Course: {_e(course.title)}</h2>',
        f'<p class="meta">{course.passed} of {plural(len(course.learners), "learner")} '
        f"completed the course{due} · overdue judged on {_e(course.as_of)}.</p>",
    ]
    header = [("Learner", False), ("Steps done", True), ("Course", False)] + [
        (f"{n}. {_e(step.title)} ({_e(step.mode)})", False)
        for n, step in enumerate(course.steps, 1)
    ]
    rows: list[list[Html]] = []
    for row in course.learners:
        cells: list[Html] = [
            _e(row.label),
            f"{row.done}/{row.total}",
            (
                _e(row.status),
                {"passed": "passed", "failed": "failed", "overdue": "late"}.get(row.status, ""),
            ),
        ]
        for state, score, late in zip(row.states, row.scores, row.late, strict=True):
            text = state_label(state) + (f" {score}" if score is not None else "")
            text += " · overdue" if late else ""
            cells.append((_e(text), "late" if late else _COURSE_CELL.get(state, "")))
        rows.append(cells)
    out.append(_table(header, rows, "Each step: its state and counting score (best counted run)."))
    titles = {p.principle: p.title for p in report.principles}
    step_rows: list[list[Html]] = [
        [
            f"{n}. {_e(step.title)}",
            _e(step.mode),
            DASH if step.pass_mark is None else str(step.pass_mark),
            str(step.started),
            str(step.completed),
            str(step.failed),
            DASH if step.pass_rate is None else percent(step.pass_rate),
            _e(", ".join(titles.get(p, p) for p in step.lost)) or DASH,
        ]
        for n, step in enumerate(course.steps, 1)
    ]
    step_header = [
        ("Step", False),
        ("Mode", False),
        ("Pass mark", True),
        ("Started", True),
        ("Passed", True),
        ("Failed", True),
        ("Pass rate", True),
        ("Most lost by those who fell short", False),
    ]
    out.append(_table(step_header, step_rows, "Per step, across the cohort."))
    out.append("</section>")
    return "".join(out)


def _grid(report: Report) -> str:
    out = ['<section id="grid"><h2>Who played what</h2>']
    if not report.learners or not report.scenarios:
        return out[0] + "<p>No runs found.</p></section>"
    rows = []
    for info in report.scenarios:
        cells = [report.started(learner.key, info.id) for learner in report.learners]
        counts = {
            status: sum(1 for c in cells if (c.status if c else "not started") == status)
            for status in _STATUS
        }
        rows.append(
            (
                info.title,
                [
                    Segment(counts["completed"], "c-completed", "completed"),
                    Segment(counts["in progress"], "c-progress", "in progress"),
                    Segment(counts["not started"], "c-none", "not started"),
                ],
            )
        )
    out.append(
        _legend(
            [("c-completed", "completed"), ("c-progress", "in progress"), ("c-none", "not started")]
        )
    )
    out.append(stacked_chart(rows, "Completion by scenario"))
    header = [("Learner", False)] + [(_e(info.title), False) for info in report.scenarios]
    table_rows: list[list[Html]] = []
    for learner in report.learners:
        row: list[Html] = [_e(learner.label)]
        for info in report.scenarios:
            cell = report.started(learner.key, info.id)
            if cell is None:
                row.append((DASH, "not-started"))
                continue
            html = f'<span title="{_e(_cell_title(cell))}">{_e(cell_text(cell))}</span>'
            row.append((html, cell.status.replace(" ", "-")))
        table_rows.append(row)
    caption = (
        "Best score 0–100; ×N runs started; A = first finished assessment score "
        "(A … = in progress); – = not started. Hover a cell for details."
    )
    out.append(_table(header, table_rows, caption))
    out.append("</section>")
    return "".join(out)


_STATUS = ("completed", "in progress", "not started")


def _legend(items: Sequence[tuple[str, str]]) -> str:
    colours = {
        "c-completed": "var(--good)",
        "c-progress": "var(--warn)",
        "c-none": "var(--none)",
        "c-right": "var(--good)",
        "c-wrong": "var(--bad)",
        "c-neutral": "var(--accent)",
    }
    return (
        '<p class="legend">'
        + "".join(
            f'<span><i style="background:{colours.get(tone, "var(--accent)")}"></i>'
            f"{_e(text)}</span>"
            for tone, text in items
        )
        + "</p>"
    )


def _cohort(report: Report) -> str:
    out = ['<section id="cohort"><h2>Where the cohort stands</h2>']
    measured = [p for p in report.principles if p.mastery.count]
    if not measured:
        return out[0] + "<p>No finished runs of scenarios in the library yet.</p></section>"
    titles = scenario_titles(report)
    if report.weakest:
        items = []
        for pid in report.weakest:
            stat = report.principle(pid)
            if stat is None:
                continue
            where = ", ".join(titles.get(s, s) for s in stat.scenarios)
            items.append(
                f"<li><b>{_e(stat.title)}</b>: mean mastery {number(stat.mastery.mean)} "
                f"(± {number(stat.mastery.stdev)}, {plural(stat.mastery.count, 'learner')})"
                + (f" — practised in {_e(where)}" if where else "")
                + "</li>"
            )
        out.append(
            '<div class="callout"><b>Weakest principles</b><ol>' + "".join(items) + "</ol></div>"
        )
    weak = set(report.weakest)
    ordered = sorted(measured, key=lambda p: (p.mastery.mean or 0, p.title.casefold()))
    bars = [
        Bar(
            p.title,
            p.mastery.mean,
            p.mastery.stdev,
            note=f"(n={p.mastery.count})",
            tone="c-weak" if p.principle in weak else "c-bar",
        )
        for p in ordered
    ]
    out.append("<h3>Mastery by principle (mean ± standard deviation)</h3>")
    out.append(bar_chart(bars, "Mean mastery by principle, weakest first"))
    axis_titles = {a.axis: a.title for a in report.axes}
    rows = [
        [
            _e(p.title),
            _e(axis_titles.get(p.axis, p.axis)),
            str(p.mastery.count),
            number(p.mastery.mean),
            number(p.mastery.stdev),
            f"{number(p.mastery.low)}–{number(p.mastery.high)}",
        ]
        for p in measured
    ]
    out.append(
        _table(
            [
                ("Principle", False),
                ("Axis", False),
                ("Learners", True),
                ("Mean", True),
                ("Spread (sd)", True),
                ("Range", True),
            ],
            rows,
            "Mastery: where a learner's total for a principle lies between the lowest and the "
            "highest its scenario allows (0–100), in their latest finished run of each scenario.",
        )
    )
    if report.axes:
        out.append("<h3>Reading the moment, by axis</h3>")
        out.append(
            bar_chart(
                [
                    Bar(a.title, a.reading.mean, a.reading.stdev, f"(n={a.reading.count})")
                    for a in report.axes
                ],
                "Share of moments read right, by axis",
                suffix="%",
            )
        )
        rows = [
            [
                _e(a.title),
                f"{number(a.reading.mean)}%" if a.reading.mean is not None else DASH,
                number(a.reading.stdev),
                number(a.mastery.mean),
                str(a.moments),
            ]
            for a in report.axes
        ]
        out.append(
            _table(
                [
                    ("Axis", False),
                    ("Moments read right", True),
                    ("Spread (sd)", True),
                    ("Mean mastery", True),
                    ("Moments", True),
                ],
                rows,
            )
        )
    out.append("</section>")
    return "".join(out)


def _gains(report: Report) -> str:
    if not report.gains:
        return ""
    names = labels(report)
    ordered = sorted(report.gains, key=lambda g: (-g.gain, names.get(g.learner, "")))
    chart = dumbbell_chart(
        [(names.get(g.learner, g.learner), g.first, g.latest) for g in ordered],
        "First versus latest score per learner",
    )
    rows = [
        [
            _e(names.get(g.learner, g.learner)),
            str(g.repeated),
            number(g.first, 1),
            number(g.latest, 1),
            _e(signed(g.gain, 1)),
        ]
        for g in ordered
    ]
    mean = sum(g.gain for g in report.gains) / len(report.gains)
    return (
        '<section id="gains"><h2>First attempt vs latest</h2>'
        f"<p>Mean gain {_e(signed(mean, 1))} points over "
        f"{plural(len(report.gains), 'learner')} who finished a scenario more than once "
        "(hollow dot: first score; filled: latest).</p>"
        + chart
        + _table(
            [
                ("Learner", False),
                ("Scenarios repeated", True),
                ("First", True),
                ("Latest", True),
                ("Gain", True),
            ],
            rows,
        )
        + "</section>"
    )


def _decisions(report: Report) -> str:
    if not report.decisions:
        return ""
    out = [
        '<section id="decisions"><h2>Decisions</h2>',
        "<p>Where the group's choices went, scene by scene, in each learner's first run "
        "(their first instincts). <span class=misstep>⚠</span> marks a choice that loses points "
        "or misreads the moment and that a third or more of the group took: a shared "
        "misconception to discuss.</p>",
        _legend(
            [
                ("c-right", "reads the moment right (the kind it calls for, losing no points)"),
                ("c-wrong", "misreads it, or the right kind of move that loses points"),
                ("c-neutral", "no particular call"),
            ]
        ),
    ]
    single = len(report.decisions) == 1
    for view in report.decisions:
        out.append(_decision_view(view, open_=single))
    out.append("</section>")
    return "".join(out)


def _tone(reads_right: bool | None) -> str:
    if reads_right is None:
        return "c-neutral"
    return "c-right" if reads_right else "c-wrong"


def _decision_view(view: DecisionView, open_: bool) -> str:
    out = [
        f"<details{' open' if open_ else ''}><summary>{_e(view.title)} "
        f"— {plural(view.learners, 'learner')}</summary>"
    ]
    for scene in view.scenes:
        wanted = scene.calls_for_title or scene.calls_for
        calls = f" — calls for <i>{_e(wanted)}</i>" if wanted else ""
        out.append(f"<h3>{_e(scene.title)}{calls}</h3>")
        if not scene.reached:
            out.append('<p class="note">No learner reached this scene in a first run.</p>')
        else:
            segments = [Segment(c.learners, _tone(c.reads_right), c.text) for c in scene.choices]
            out.append(
                stacked_chart(
                    [(f"reached by {scene.reached}", segments)], f"Choices at {scene.title}"
                )
            )
        rows = []
        for c in scene.choices:
            flag = misstep(c.points, c.reads_right, c.share)
            text = ('<span class="misstep">⚠ </span>' if flag else "") + _e(c.text)
            rows.append(
                [
                    text,
                    _e(c.mode or DASH),
                    _e(signed(c.points)),
                    str(c.learners),
                    percent(c.share) if scene.reached else DASH,
                    str(c.runs),
                ]
            )
        out.append(
            _table(
                [
                    ("Choice", False),
                    ("Mode", False),
                    ("Points", True),
                    ("Learners", True),
                    ("Share", True),
                    ("All runs", True),
                ],
                rows,
            )
        )
    out.append("</details>")
    return "".join(out)


def _skipped(report: Report) -> str:
    if not report.skipped:
        return ""
    items = "".join(
        f"<li><code>{_e(item.path)}</code>: {_e(item.reason)}</li>" for item in report.skipped
    )
    return (
        '<section id="skipped"><h2>Files skipped</h2>'
        f"<p>These files could not be read; everything else is reported.</p><ul>{items}</ul>"
        "</section>"
    )
