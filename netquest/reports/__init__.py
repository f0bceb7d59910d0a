"""Trainer reports from save files: who played what, how they did, where the cohort is weak.

Pure Python (no Textual or Rich). Typical use::

    collection = collect([saves_dir])
    report = build_report(collection, load_library())
    print(render(report, "md"))

Formats: ``md`` (Markdown), ``csv`` (one row per learner and scenario), ``json`` (everything)
and ``html`` (one self-contained page with charts).
"""

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from netquest._lazy import lazy_exports
from netquest.engine.gc_pause import gc_paused
from netquest.reports.build import DEFAULT_TITLE, build_report
from netquest.reports.collect import Collection, LearnerSaves, collect, find_saves
from netquest.reports.model import Report, Skipped

if TYPE_CHECKING:
    from netquest.reports.csv_report import render_csv
    from netquest.reports.html_report import render_html
    from netquest.reports.json_report import render_json
    from netquest.reports.markdown_report import render_markdown

# Each renderer is imported when first used: a JSON report need not load the HTML page's code.
_LAZY: dict[str, str] = {
    "render_csv": "netquest.reports.csv_report",
    "render_html": "netquest.reports.html_report",
    "render_json": "netquest.reports.json_report",
    "render_markdown": "netquest.reports.markdown_report",
}

__getattr__ = lazy_exports(__name__, _LAZY)


def _lazy_renderer(name: str) -> Callable[[Report], str]:
    def renderer(report: Report) -> str:
        function: Callable[[Report], str] = getattr(importlib.import_module(_LAZY[name]), name)
        return function(report)

    renderer.__name__ = renderer.__qualname__ = name
    return renderer


RENDERERS: dict[str, Callable[[Report], str]] = {
    "md": _lazy_renderer("render_markdown"),
    "csv": _lazy_renderer("render_csv"),
    "json": _lazy_renderer("render_json"),
    "html": _lazy_renderer("render_html"),
}
"""Report renderers by format name (each module is imported on first use)."""


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
