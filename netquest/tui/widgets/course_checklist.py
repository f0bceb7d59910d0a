"""A course as a checklist: each step's state, the score that counted and the attempts used.

The rows are options: Enter or a click on one posts :class:`CourseChecklist.StepChosen`, and the
screen decides what that means (start the step, or say what a locked step waits for).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from netquest.tui.literal import printable

if TYPE_CHECKING:  # the title screen imports this widget: keep the engine out of its start-up
    from netquest.play.course_progress import CourseProgress, StepProgress

MARKS: dict[str, tuple[str, str]] = {
    "done": ("✓", "bold $text-success"),
    "passed": ("✓", "bold $text-success"),
    "failed": ("✗", "bold $text-error"),
    "next": ("▶", "bold $text-accent"),
    "in_progress": ("◐", "bold $text-warning"),
    "open": ("○", "$text-muted"),
    "locked": ("◌", "$text-muted"),
}
"""The mark and its style for each step state."""

STATE_STYLES: dict[str, str] = {
    "done": "$text-success",
    "passed": "$text-success",
    "failed": "bold $text-error",
    "next": "bold $text-accent",
    "in_progress": "$text-warning",
    "open": "",
    "locked": "$text-muted",
}


def step_facts(item: StepProgress) -> list[Content]:
    """A step's facts, a short line each: the mode, the state and the counting score; then the
    pass mark, the attempts used and overdue (when the step has them)."""
    step = item.step
    state: list[str | tuple[str, str]] = [
        (step.mode, "$text-muted"),
        " · ",
        (item.label, STATE_STYLES[item.state]),
    ]
    if item.score is not None:
        # A complete or failed step's score is the one that counted; else the best so far.
        settled = item.complete or item.state == "failed"
        state.append((f" {item.score}" if settled else f" · best {item.score}", "bold"))
    lines = [Content.assemble(*state)]
    facts: list[str | tuple[str, str]] = []
    if step.pass_mark is not None:
        facts.append((f"pass {step.pass_mark}", "$text-muted"))
    if step.mode == "assessment":
        noun = "attempt" if step.attempts == 1 else "attempts"
        facts.append((f"{item.attempts_used}/{step.attempts} {noun}", "$text-muted"))
    if item.overdue:
        facts.append(("overdue", "bold $text-error"))
    if facts:
        separated: list[str | tuple[str, str]] = []
        for index, fact in enumerate(facts):
            separated += [(" · ", "$text-muted"), fact] if index else [fact]
        lines.append(Content.assemble(*separated))
    return lines


def step_prompt(number: int, item: StepProgress, titles: Mapping[str, str]) -> Content:
    """A checklist row: the mark, the step's number and scenario, then its facts below."""
    mark, style = MARKS[item.state]
    title = printable(titles.get(item.step.scenario, item.step.scenario))
    heading = "bold" if item.state == "next" else ("$text-muted" if item.state == "locked" else "")
    lines = [Content.assemble((mark, style), f" {number}. ", (title, heading))]
    lines += [Content.assemble("   ", fact) for fact in step_facts(item)]
    return Content("\n").join(lines)


def course_summary(progress: CourseProgress) -> Content:
    """``2 of 6 steps complete · due 2027-03-31 · overdue``."""
    total = len(progress.steps)
    parts: list[str | tuple[str, str]] = []
    if progress.complete:
        parts.append((f"Course complete: {total} of {total} steps", "bold $text-success"))
    else:
        parts.append(f"{progress.done_count} of {total} steps complete")
    due = progress.course.due
    if due is not None:
        parts.append((f" · due {due.isoformat()}", "$text-muted"))
    if progress.overdue:
        parts.append((" · overdue", "bold $text-error"))
    return Content.assemble(*parts)


class CourseChecklist(VerticalGroup):
    """The course's title, how far the learner is, and a row per step."""

    DEFAULT_CSS = """
    CourseChecklist {
        height: auto;
        padding: 0 1;
        border: round $border;
        border-title-color: $text-accent;
        border-title-style: bold;
        & #course-summary { color: $text; }
        & #course-steps {
            height: auto;
            max-height: 14;
            border: none;
            padding: 0;
            background: transparent;
        }
        & #course-steps:focus { background-tint: $foreground 3%; }
    }
    """

    @dataclass
    class StepChosen(Message):
        """A row was chosen (Enter or a click)."""

        checklist: CourseChecklist
        step: StepProgress

        @property
        def control(self) -> CourseChecklist:
            """The checklist the row belongs to."""
            return self.checklist

    progress: var[CourseProgress | None] = var(None, always_update=True)
    """The learner's standing, shown as rows (``None`` while the profile loads)."""

    def __init__(
        self,
        title: str,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """An empty checklist headed by the course's ``title``."""
        super().__init__(id=id, classes=classes)
        self.course_title = title
        self.titles: Mapping[str, str] = {}
        """Scenario titles by id, for the rows (ids are shown until they are known)."""

    def compose(self) -> ComposeResult:
        """The summary line and the rows."""
        yield Static(Content("Loading…"), id="course-summary")
        yield OptionList(id="course-steps")

    def on_mount(self) -> None:
        """Show the course's title on the border."""
        self.border_title = printable(self.course_title)

    def show(self, progress: CourseProgress | None, titles: Mapping[str, str]) -> None:
        """Show ``progress``, naming the scenarios from ``titles``."""
        self.titles = titles
        self.progress = progress

    def watch_progress(self, progress: CourseProgress | None) -> None:
        """Rebuild the rows, keeping the highlighted one."""
        rows = self.query_one("#course-steps", OptionList)
        summary = self.query_one("#course-summary", Static)
        if progress is None:
            summary.update(Content("Choose a player to see the course."))
            rows.clear_options()
            return
        summary.update(course_summary(progress))
        highlighted = rows.highlighted
        rows.set_options(
            Option(step_prompt(number, item, self.titles), id=item.step.id)
            for number, item in enumerate(progress.steps, 1)
        )
        if highlighted is not None and highlighted < rows.option_count:
            rows.highlighted = highlighted

    @on(OptionList.OptionSelected, "#course-steps")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        progress = self.progress
        if progress is None:
            return
        item = next((s for s in progress.steps if s.step.id == event.option_id), None)
        if item is not None:
            self.post_message(self.StepChosen(self, item))
