"""Trainer reports from save files: who played what, how they did, where the cohort is weak.

Pure Python (no Textual or Rich). Typical use::

    collection = collect([saves_dir])
    report = build_report(collection, load_library())
    print(render(report, "md"))

Formats: ``md`` (Markdown), ``csv`` (one row per learner and scenario), ``json`` (everything)
and ``html`` (one self-contained page with charts).
"""

from collections.abc import Callable

from netquest.engine.gc_pause import gc_paused
from netquest.reports.build import DEFAULT_TITLE, build_report
from netquest.reports.collect import Collection, LearnerSaves, collect, find_saves
from netquest.reports.csv_report import render_csv
from netquest.reports.html_report import render_html
from netquest.reports.json_report import render_json
from netquest.reports.markdown_report import render_markdown
from netquest.reports.model import Report, Skipped

RENDERERS: dict[str, Callable[[Report], str]] = {
    "md": render_markdown,
    "csv": render_csv,
    "json": render_json,
    "html": render_html,
}
"""Report renderers by format name."""


def render(report: Report, fmt: str) -> str:
    """The report in one of :data:`RENDERERS`' formats.

    Raises:
        KeyError: for an unknown format.
    """
    renderer = RENDERERS[fmt]
    with gc_paused():
        return renderer(report)


__all__ = [
    "DEFAULT_TITLE",
    "RENDERERS",
    "Collection",
    "LearnerSaves",
    "Report",
    "Skipped",
    "build_report",
    "collect",
    "find_saves",
    "gc_paused",
    "render",
    "render_csv",
    "render_html",
    "render_json",
    "render_markdown",
]
