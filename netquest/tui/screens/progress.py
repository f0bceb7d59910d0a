"""The Progress screen: a player's history, principle mastery over time, and what to play next."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Static
from textual.widgets.data_table import ColumnKey

from netquest.engine import Library
from netquest.engine.course import CourseStep
from netquest.play.course_progress import CourseProgress
from netquest.play.progress import (
    RECENT_RUNS,
    PrincipleMastery,
    ProgressSummary,
    format_duration,
    summarise,
)
from netquest.saves import Profile
from netquest.tui.literal import literal, printable
from netquest.tui.widgets.course_checklist import course_summary, step_prompt

log = logging.getLogger(__name__)

BARS = "▁▂▃▄▅▆▇█"
"""Marks for 0–100 mastery, lowest to highest (an absolute scale, unlike a sparkline's)."""

CHART_RUNS = 10
"""How many of the latest runs a principle's chart shows."""

MARK_WIDTH = 2
"""Cells per run in the chart."""

TITLE_WIDTH = 28
"""Width of the principle title column of the mastery chart."""


def mastery_style(value: int) -> str:
    """The theme colour for a mastery value: weak, middling or strong."""
    if value < 40:
        return "$text-error"
    if value < 70:
        return "$text-warning"
    return "$text-success"


def mastery_mark(value: int) -> str:
    """One block character for a 0–100 value."""
    return BARS[min(len(BARS) - 1, max(0, round(value / 100 * (len(BARS) - 1))))]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def mastery_line(mastery: PrincipleMastery) -> Content:
    """One principle's row: title, a mark per run (oldest first), recent mastery and trend."""
    parts: list[str | tuple[str, str]] = [f"{_clip(mastery.title, TITLE_WIDTH):<{TITLE_WIDTH}} "]
    values = mastery.values[-CHART_RUNS:]
    if not values:
        parts.append(("not practised yet", "$text-muted italic"))
        return Content.assemble(*parts)
    parts.extend((mastery_mark(value) * MARK_WIDTH, mastery_style(value)) for value in values)
    parts.append(" " * ((CHART_RUNS - len(values)) * MARK_WIDTH + 1))
    recent = mastery.recent if mastery.recent is not None else 0
    parts.append((f"{recent:>3}", f"bold {mastery_style(recent)}"))
    trend = mastery.trend
    if trend is not None and trend > 0:
        parts.append((" ▲", "$text-success"))
    elif trend is not None and trend < 0:
        parts.append((" ▼", "$text-error"))
    return Content.assemble(*parts)


NUMBER_COLUMNS = ("Runs", "Done", "Best", "Last")
"""The numeric columns of the scenario table (4 cells wide each)."""

TABLE_ROWS = 13
"""Rows the scenario table shows before it scrolls (its CSS max-height, less the header)."""

STATUS_WIDTH = len("in progress")
"""Width of the status column: its longest word."""


def _score(value: int | None) -> Text:
    return Text("–" if value is None else str(value), justify="right")


class ProgressScreen(Screen[str | CourseStep | None]):
    """A player's history across sessions.

    Dismisses with what to play when the player presses "Play it": the course's next step when a
    course is followed and has one open, else the id of the scenario suggested for the weakest
    principle; ``None`` on Escape.
    """

    DEFAULT_CSS = """
    ProgressScreen .screen-title {
        text-style: bold;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    ProgressScreen #progress-body {
        height: 1fr;
        padding: 0 1;
    }
    ProgressScreen #overview {
        color: $text-muted;
        margin: 0 1 0 0;
    }
    ProgressScreen .section-title {
        text-style: bold;
        color: $text-accent;
        margin: 1 1 0 0;
    }
    ProgressScreen .hint {
        color: $text-muted;
        margin: 0 1 0 0;
    }
    ProgressScreen #course-progress {
        height: auto;
        margin: 0 1 0 0;
    }
    ProgressScreen #suggestion {
        height: auto;
        border: round $primary;
        border-title-color: $text-primary;
        border-title-style: bold;
        padding: 0 1;
        margin: 1 1 0 0;
    }
    ProgressScreen #suggestion-text {
        height: auto;
        width: 1fr;
    }
    ProgressScreen #suggested-title {
        text-style: bold;
    }
    ProgressScreen #weakest {
        color: $text-muted;
    }
    ProgressScreen #play-it {
        margin-left: 1;
    }
    ProgressScreen #scenario-table {
        height: auto;
        max-height: 14;  /* TABLE_ROWS + the header */
        margin: 1 1 0 0;
    }
    ProgressScreen .axis-title {
        text-style: bold;
        margin-top: 1;
    }
    ProgressScreen .mastery {
        height: auto;
        margin: 0 1 0 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="progress.back"),
        Binding("p", "play", "Play suggested", id="progress.play"),
    ]

    AUTO_FOCUS = "#play-it, #scenario-table"

    def __init__(
        self,
        profile: Profile,
        library: Library,
        course: CourseProgress | None = None,
        titles: Mapping[str, str] | None = None,
    ) -> None:
        """Show ``profile``'s history against the scenarios in ``library``, and their standing
        in a ``course`` when one is followed (``titles`` name its scenarios)."""
        super().__init__()
        self.profile = profile
        self.library = library
        self.course = course
        self.titles: Mapping[str, str] = titles or {}
        self.summary: ProgressSummary | None = None
        """The summary once computed (in a worker thread: exploring scenarios can be slow)."""

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble("Progress", (f" · {self.profile.name}", "$text-muted")),
            classes="screen-title",
        )
        with VerticalScroll(id="progress-body"):
            yield Static(id="overview")
            if self.course is not None:
                yield Static(
                    Content.assemble("Course: ", printable(self.course.course.title)),
                    classes="section-title",
                    id="course-title",
                )
                yield Static(self._course_lines(self.course), id="course-progress")
            with Horizontal(id="suggestion") as suggestion:
                suggestion.border_title = "Suggested next"
                with Vertical(id="suggestion-text"):
                    yield Static(id="suggested-title")
                    yield Static(id="suggested-reason")
                    yield Static(id="weakest")
                yield Button("Play it", variant="primary", id="play-it")
            yield Static("Scenarios", classes="section-title")
            yield DataTable(
                id="scenario-table", cursor_type="row", zebra_stripes=True, show_cursor=False
            )
            yield Static("Mastery over time", classes="section-title")
            yield Static(
                f"One mark per finished run, oldest first, low ▁ to high █; the number is the "
                f"mean of the last {RECENT_RUNS} runs, out of 100.",
                classes="hint",
                markup=False,
            )
            yield Vertical(id="mastery", classes="mastery")
        yield Footer()

    def _course_lines(self, progress: CourseProgress) -> Content:
        """The course summary, then each step with its state and counting score."""
        rows = [
            step_prompt(number, item, self.titles) for number, item in enumerate(progress.steps, 1)
        ]
        return Content("\n").join([course_summary(progress), *rows])

    def on_mount(self) -> None:
        self.query_one("#progress-body").loading = True
        self._summarise()

    def on_resize(self) -> None:
        if self.summary is not None:
            self.call_after_refresh(self._show_table, self.summary)

    @work(thread=True, exclusive=True, group="progress")
    def _summarise(self) -> None:
        try:
            summary = summarise(self.profile, self.library)
        except Exception as error:  # a bad save or scenario must not take the game down
            log.exception("could not summarise progress")
            self.app.call_from_thread(self._failed, f"{type(error).__name__}: {error}")
            return
        self.app.call_from_thread(self._show, summary)

    def _failed(self, why: str) -> None:
        self.query_one("#progress-body").loading = False
        self.query_one("#overview", Static).update(
            Content.assemble(("Your progress could not be worked out: ", "$text-error"), why)
        )
        self.query_one("#suggestion").display = False

    def _show(self, summary: ProgressSummary) -> None:
        self.summary = summary
        self.query_one("#progress-body").loading = False
        if summary.runs:
            played = format_duration(summary.seconds)
            overview = (
                f"{summary.runs} run{'s' * (summary.runs != 1)}, {summary.finished} finished, "
                f"{played} played."
            )
        else:
            overview = "No runs yet: play a scenario and your history shows up here."
        self.query_one("#overview", Static).update(Content(overview))
        self._show_suggestion(summary)
        self._show_table(summary)
        self.call_after_refresh(self._show_table, summary)
        self._show_mastery(summary)
        if summary.suggestion is not None or self.course_step is not None:
            self.query_one("#play-it", Button).focus()

    @property
    def course_step(self) -> CourseStep | None:
        """The course's next open step, which comes before any other suggestion."""
        following = self.course.next_step if self.course is not None else None
        return following.step if following is not None else None

    def _show_suggestion(self, summary: ProgressSummary) -> None:
        from netquest.play.course_notes import step_name

        suggestion = summary.suggestion
        step = self.course_step
        button = self.query_one("#play-it", Button)
        button.display = suggestion is not None or step is not None
        title = self.query_one("#suggested-title", Static)
        reason = self.query_one("#suggested-reason", Static)
        if step is not None and self.course is not None:
            title.update(literal(step_name(step, self.titles)))
            reason.update(literal(f"The next step of your course, {self.course.course.title}."))
        elif suggestion is None:
            title.update(Content("Nothing to suggest"))
            reason.update(Content("No scenarios are loaded."))
        else:
            title.update(literal(suggestion.title))
            reason.update(literal(suggestion.reason))
        weakest = self.query_one("#weakest", Static)
        weakest.display = any(mastery.practised for mastery in summary.weakest)
        if weakest.display:
            parts: list[str | tuple[str, str]] = ["Weakest: "]
            for index, mastery in enumerate(summary.weakest):
                if index:
                    parts.append(" · ")
                parts.append(mastery.title)
                recent = mastery.recent
                parts.append(
                    (" new", "italic") if recent is None else (f" {recent}", mastery_style(recent))
                )
            weakest.update(Content.assemble(*parts))

    def _show_table(self, summary: ProgressSummary) -> None:
        """Fill the table, fitting the scenario column to the width available."""
        table = self.query_one("#scenario-table", DataTable)
        title_width = self._title_width(summary)
        if table.columns and table.columns[ColumnKey("scenario")].width == title_width:
            return
        table.clear(columns=True)
        table.add_column("Scenario", width=title_width, key="scenario")
        for label in NUMBER_COLUMNS:
            table.add_column(Text(label, justify="right"), width=4, key=label.lower())
        table.add_column("Status", width=STATUS_WIDTH, key="status")
        for line in summary.scenarios:
            table.add_row(
                Text(printable(line.title), no_wrap=True, overflow="ellipsis"),
                Text(str(line.runs), justify="right"),
                Text(str(line.finished), justify="right"),
                _score(line.best),
                _score(line.last),
                Text(line.status, style="italic" if not line.available else ""),
                key=line.id,
            )

    def _title_width(self, summary: ProgressSummary) -> int:
        longest = max((len(line.title) for line in summary.scenarios), default=8)
        table = self.query_one("#scenario-table", DataTable)
        available = table.size.width
        if available <= 0:  # not laid out yet
            available = self.app.size.width - 5
        if len(summary.scenarios) > TABLE_ROWS:  # room for the table's own scrollbar
            available -= 2
        others = (4 + 2) * len(NUMBER_COLUMNS) + STATUS_WIDTH + 2
        return max(12, min(longest, available - others - 2))

    def _show_mastery(self, summary: ProgressSummary) -> None:
        host = self.query_one("#mastery", Vertical)
        host.remove_children()
        if not summary.mastery:
            host.mount(Static("No principles to show yet.", classes="hint"))
            return
        axes: dict[str, str] = {}
        for entry in self.library.entries:
            for axis_id, axis in entry.catalogue.axes.items():
                axes.setdefault(axis_id, axis.title)
        groups: dict[str, list[PrincipleMastery]] = {}
        for mastery in summary.mastery:
            groups.setdefault(mastery.axis, []).append(mastery)
        widgets: list[Static] = []
        for axis_id, items in groups.items():
            widgets.append(Static(Content(axes.get(axis_id, axis_id)), classes="axis-title"))
            widgets.append(
                Static(
                    Content("\n").join(mastery_line(item) for item in items),
                    classes="mastery-lines",
                )
            )
        host.mount_all(widgets)

    @on(Button.Pressed, "#play-it")
    def _play_pressed(self) -> None:
        self.action_play()

    def action_play(self) -> None:
        """Leave with the course's next step or the suggested scenario, for the app to start."""
        step = self.course_step
        if step is not None:
            self.dismiss(step)
        elif self.summary is not None and self.summary.suggestion is not None:
            self.dismiss(self.summary.suggestion.scenario_id)

    def action_back(self) -> None:
        """Leave without choosing anything."""
        self.dismiss(None)
