"""The help dialog (F1): keys, how scoring works, the principles glossary and the modes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Markdown, Static, TabbedContent, TabPane

from netquest.engine import Axis, Catalogue, Mode, Principle
from netquest.tui.literal import literal, printable

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "In a scene",
        (
            ("1 – 9", "Take the numbered choice"),
            ("↑ ↓  Enter", "Move between choices, then take one"),
            ("Mouse", "Click a choice, a button, a tab or a row"),
            ("Enter  Space", "Show the rest of the coach's note, then go on (practice mode)"),
            ("b", "Step back one choice (practice mode only)"),
            ("p", "Show or hide the side panel"),
            ("PgUp  PgDn", "Scroll the story (or the coach's note while it shows)"),
        ),
    ),
    (
        "Everywhere",
        (
            ("Letters", "The shortcuts shown in menus and in the footer"),
            ("Tab  Shift+Tab", "Move between the parts of a screen"),
            ("Escape", "Go back, or close a dialog"),
            ("F1", "This help"),
            ("Ctrl+P", "Command palette: restart, debrief, switch profile, high contrast…"),
            ("Ctrl+Q", "Quit; the game saves after every choice, and Continue resumes it"),
        ),
    ),
)
"""The game's keys by context, and what each does, in the order the help lists them."""

SCORING = """\
## Every choice moves principles

Each choice nudges one or more principles up or down, by −3 to +3. The coach names the
principle behind every point, so each one can be traced back to a decision.

A choice loses points only for what the source articles warn against. A missed chance, a
polite no, a rest or a legitimate personal choice scores 0, and the coach names what it
missed: your score still counts the points you did not earn.

## Your score, 0–100

A scenario's branches allow a worst and a best possible total. A run's score is where its
total lands between the two: 0 is the worst path the scenario allows, 100 the best. Every
scenario is scored on the same scale.

## Reading the moment

Some moments call for something in particular: networking or socializing, a broadcast or a
conversation. You read a moment right (✓) when what you do is the kind of move it calls for
and it loses no points. The right kind of move done badly, one that loses points, is "right
kind of moment, wrong move" (✗), with the points it lost named. Any other kind of move is ✗
too. The debrief counts the moments read right per axis: "you read 5 of 6 moments".
Socializing is not wrong; the skill is telling which one a moment calls for.

## Practice and assessment

- **Practice**: the coach comments right after each choice, with the points it earned, and
  you may step back one choice.
- **Assessment**: no coaching and no stepping back until the debrief; the first attempt is
  the one that counts. Made for onboarding and classes.

## Mastery

The Progress screen shows each principle's mastery in every finished run: where its total
landed between the lowest and the highest that scenario allows, as 0–100.

## Courses

A trainer may give you a course (`netquest --course onboarding`): scenarios to play in order,
usually practice first and then an assessment with a pass mark. The title screen lists its
steps: ✓ done or passed, ▶ next, ◌ locked until an earlier step is complete, with the score
that counted and the attempts used. **Continue** goes to the next step; Enter or a click on a
row starts that step. Only an assessment's first attempts count (the course says how many),
and each debrief says what the run meant for the course.
"""
"""How scoring works, in the game's own words (Markdown: this is our text, not scenario data)."""

NO_CATALOGUE = "The glossary appears once the scenarios have loaded."


class PrincipleEntry(Static):
    """One principle of the glossary: title, statement, and its source with the quote."""

    def __init__(self, principle: Principle) -> None:
        self.principle = principle
        super().__init__(
            Content.assemble(
                (printable(principle.title), "bold $text-primary"),
                "\n",
                printable(principle.statement),
                "\n",
                (f"“{printable(principle.quote)}”", "italic"),
                ("  — ", "$text-muted"),
                (printable(principle.source), "$text-muted"),
            ),
            classes="principle",
        )

    def matches(self, words: Iterable[str]) -> bool:
        """Whether every word occurs in the title, statement, quote or source."""
        p = self.principle
        haystack = " ".join((p.title, p.statement, p.quote, p.source, p.id)).casefold()
        return all(word in haystack for word in words)


class HelpScreen(ModalScreen[None]):
    """Keys, scoring, the principles glossary and the modes, in tabs."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
    }
    HelpScreen #help-dialog {
        width: 100%;
        max-width: 96;
        height: 100%;
        max-height: 40;
        margin: 1 2;
        border: round $primary;
        border-title-color: $text-primary;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        background: $surface;
    }
    HelpScreen.-narrow #help-dialog {
        margin: 0;
    }
    HelpScreen #help-tabs {
        height: 1fr;
    }
    HelpScreen #help-tabs > ContentSwitcher {
        height: 1fr;
    }
    HelpScreen TabPane {
        height: 1fr;
        padding: 0;
    }
    HelpScreen .help-scroll {
        height: 1fr;
        padding: 0 1;
    }
    HelpScreen .help-scroll > * {
        margin-right: 1;
    }
    HelpScreen #keys-grid {
        grid-size: 2;
        grid-columns: 16 1fr;
        grid-rows: auto;
        grid-gutter: 0 1;
        height: auto;
        padding: 0 0 1 0;
    }
    HelpScreen .keys-heading {
        column-span: 2;
        height: auto;
        padding-top: 1;
        text-style: bold;
        color: $text-primary;
    }
    HelpScreen .key {
        color: $text-accent;
        text-style: bold;
        text-align: right;
    }
    HelpScreen #scoring-text {
        padding: 0;
        background: transparent;
    }
    HelpScreen #scoring-text MarkdownH2 {
        margin: 1 0 0 0;
        color: $text-accent;
        text-style: bold;
    }
    HelpScreen #glossary-filter {
        margin: 0 1;
    }
    HelpScreen .axis-title {
        text-style: bold;
        color: $text-accent;
        margin: 1 1 0 0;
    }
    HelpScreen .axis-summary {
        color: $text-muted;
        margin: 0 1 1 0;
    }
    HelpScreen .principle {
        margin: 0 1 1 0;
        padding: 0 0 0 2;
    }
    HelpScreen .mode {
        margin: 0 1 1 0;
    }
    HelpScreen .empty {
        color: $text-muted;
        padding: 1 0;
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]  # noqa: RUF012

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("f1", "close", "Close help", show=False, id="help.f1"),
    ]

    def __init__(self, catalogue: Catalogue | None) -> None:
        """Build the help for a principles catalogue (``None`` while nothing is loaded)."""
        super().__init__()
        self.catalogue = catalogue

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = "Help"
            dialog.border_subtitle = "Esc or F1 to close"
            with TabbedContent(id="help-tabs", initial="help-keys"):
                with (
                    TabPane("Keys", id="help-keys"),
                    VerticalScroll(classes="help-scroll"),
                    Grid(id="keys-grid"),
                ):
                    for heading, keys in KEYS:
                        yield Static(heading, classes="keys-heading", markup=False)
                        for key, what in keys:
                            yield Static(key, classes="key", markup=False)
                            yield Static(what, markup=False)
                with (
                    TabPane("Scoring", id="help-scoring"),
                    VerticalScroll(classes="help-scroll"),
                ):
                    yield Markdown(SCORING, id="scoring-text")
                with TabPane("Principles", id="help-principles"):
                    if self.catalogue is not None and self.catalogue.principles:
                        yield Input(placeholder="Filter principles…", id="glossary-filter")
                    with VerticalScroll(classes="help-scroll", id="glossary"):
                        yield from self._glossary()
                with (
                    TabPane("Modes", id="help-modes"),
                    VerticalScroll(classes="help-scroll", id="modes"),
                ):
                    yield from self._modes()

    def _glossary(self) -> ComposeResult:
        if self.catalogue is None or not self.catalogue.principles:
            yield Static(NO_CATALOGUE, classes="empty")
            return
        for axis, principles in _by_axis(self.catalogue):
            yield Static(literal(axis.title), classes="axis-title")
            if axis.summary:
                yield Static(literal(axis.summary), classes="axis-summary")
            for principle in principles:
                yield PrincipleEntry(principle)

    def _modes(self) -> ComposeResult:
        if self.catalogue is None or not self.catalogue.modes:
            yield Static(NO_CATALOGUE, classes="empty")
            return
        yield Static(
            "Every choice is one kind of action. A moment may call for one of them; "
            "a misstep names a misconception, and no moment calls for it.",
            classes="axis-summary",
            markup=False,
        )
        for mode in self.catalogue.modes.values():
            yield Static(_mode_content(mode, self.catalogue.axes.get(mode.axis)), classes="mode")

    @on(Input.Changed, "#glossary-filter")
    def _filter(self, event: Input.Changed) -> None:
        words = event.value.casefold().split()
        for entry in self.query(PrincipleEntry):
            entry.display = entry.matches(words)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)


def _by_axis(catalogue: Catalogue) -> list[tuple[Axis, list[Principle]]]:
    """Principles grouped under their axis, in catalogue order (unknown axes last)."""
    groups: dict[str, list[Principle]] = {axis_id: [] for axis_id in catalogue.axes}
    for principle in catalogue.principles.values():
        groups.setdefault(principle.axis, []).append(principle)
    return [
        (catalogue.axes.get(axis_id) or Axis(axis_id, axis_id, ""), principles)
        for axis_id, principles in groups.items()
        if principles
    ]


def _mode_content(mode: Mode, axis: Axis | None) -> Content:
    parts: list[str | tuple[str, str]] = [(printable(mode.title), "bold $text-primary")]
    if axis is not None:
        parts.append((f"  {printable(axis.title)}", "$text-muted"))
    if mode.misstep:
        parts.append(("  misstep", "bold $text-warning"))
    parts.extend(["\n", printable(mode.description)])
    return Content.assemble(*parts)
