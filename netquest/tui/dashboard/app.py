"""The teacher's dashboard app: the class live, in large high-contrast type for a projector.

It follows the class hub (:mod:`netquest.web.class_hub`): first every event kept so far, then
each new one, redrawing at most every ``REDRAW`` seconds. It only displays what the students'
games reported; nothing is scored here beyond adding up the choices' own effects.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import var
from textual.widgets import Static

from netquest.engine import Library
from netquest.play.class_state import ClassState
from netquest.tui.dashboard.choice_bars import ChoiceBars
from netquest.tui.dashboard.ending_chart import EndingChart
from netquest.tui.dashboard.loss_list import LossList
from netquest.tui.dashboard.roster_table import RosterTable
from netquest.tui.themes import HIGH_CONTRAST_NAME, NETQUEST_THEMES
from netquest.tui.widgets.game_footer import GameFooter

log = logging.getLogger(__name__)

REDRAW = 0.1
"""Seconds between redraws while events arrive (many choices at once draw once)."""


class DashboardApp(App[None]):
    """Who is in the class, what each does, the choice bars and the points being lost."""

    TITLE = "netquest · class"
    CSS = """
    Screen { background: $background; }
    #top { height: 1fr; }
    #roster-box { width: 2fr; border-right: solid $border; }
    #detail-box { width: 3fr; }
    #status { height: 1; padding: 0 1; background: $panel; color: $text; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reveal", "Reveal best", id="dashboard.reveal"),
        Binding("h", "hide_names", "Hide names", id="dashboard.hide"),
        Binding("d", "debrief", "Class debrief", id="dashboard.debrief"),
        Binding("s", "next_scenario", "Next scenario", id="dashboard.scenario"),
        Binding("ctrl+q", "quit", "Quit", id="dashboard.quit", priority=True),
    ]

    revealed: var[bool] = var(False)
    """Whether the best move of each scene is marked."""
    hide_names: var[bool] = var(False)
    """Whether students are shown as numbers (for projecting)."""
    debrief: var[bool] = var(False)
    """Whether the class debrief distribution replaces the bars."""
    scenario: var[str | None] = var(None)
    """The scenario whose bars are shown (``None``: the one played most)."""

    def __init__(self, library: Library, feed: str | None) -> None:
        """Show the class that the hub at ``feed`` reports (``None``: events come from tests)."""
        super().__init__()
        self.library = library
        self.feed = feed
        self.state = ClassState()
        self._numbers: dict[str, int] = {}
        self._pending = False

    def compose(self) -> ComposeResult:
        """Roster on the left; bars (or the debrief) on the right; losses below."""
        yield Static(id="status")
        with Horizontal(id="top"):
            with VerticalScroll(id="roster-box"):
                yield RosterTable()
            with VerticalScroll(id="detail-box"):
                yield ChoiceBars()
                yield EndingChart()
        yield LossList()
        yield GameFooter(show_command_palette=False)

    def on_mount(self) -> None:
        """Projector theme; start following the class."""
        for theme in NETQUEST_THEMES:
            self.register_theme(theme)
        self.theme = HIGH_CONTRAST_NAME
        self.query_one(EndingChart).display = False
        self.redraw()
        if self.feed is not None:
            self.run_worker(self._follow(self.feed), name="class-feed", exit_on_error=False)

    async def _follow(self, path: str) -> None:
        try:
            reader, writer = await asyncio.open_unix_connection(path, limit=1 << 20)
        except OSError as error:
            self.notify(f"Cannot follow the class: {error}", severity="error", timeout=30)
            return
        writer.write(b'{"t":"watch"}\n')
        await writer.drain()
        while line := await reader.readline():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                self.take(event)
        self.notify("The class feed stopped (is the server stopping?).", severity="warning")

    def take(self, event: dict[str, object]) -> None:
        """Apply one class event and redraw soon."""
        if self.state.apply(event) and self.state.live:
            self.redraw_soon()

    def redraw_soon(self) -> None:
        """Redraw within ``REDRAW`` seconds (once however many events come meanwhile)."""
        if not self._pending:
            self._pending = True
            self.set_timer(REDRAW, self.redraw)

    def _label(self, name: str) -> str:
        number = self._numbers.setdefault(name, len(self._numbers) + 1)
        return f"Student {number}" if self.hide_names else name

    def _title(self, scenario_id: str) -> str:
        entry = self.library.get(scenario_id)
        return entry.scenario.title if entry is not None else scenario_id

    def redraw(self) -> None:
        """Draw everything from the class state."""
        self._pending = False
        state = self.state
        for student in state.roster():
            self._numbers.setdefault(student.name, len(self._numbers) + 1)
        self.query_one(RosterTable).show(state.roster(), self._label, self._title)
        played = state.scenarios()
        scenario_id = self.scenario if self.scenario is not None else next(iter(played), None)
        entry = self.library.get(scenario_id) if scenario_id is not None else None
        bars, chart = self.query_one(ChoiceBars), self.query_one(EndingChart)
        bars.display, chart.display = not self.debrief, self.debrief
        if entry is None:
            bars.show("No scenario played yet", [], self.revealed, self.size.width)
        elif self.debrief:
            endings, scores = state.endings(entry.scenario)
            chart.show(entry.scenario.title, endings, scores)
        else:
            width = self.query_one("#detail-box").size.width or self.size.width
            bars.show(entry.scenario.title, state.bars(entry.scenario), self.revealed, width)
        self.query_one(LossList).show(state.losses(self.library))
        flags = [
            "names hidden" if self.hide_names else "",
            "best moves revealed" if self.revealed else "",
            "" if state.live or self.feed is None else "connecting…",
        ]
        self.query_one("#status", Static).update(
            "netquest · class dashboard   " + "   ".join(flag for flag in flags if flag)
        )

    def watch_revealed(self) -> None:
        """Show or hide the best moves."""
        self.redraw_soon()

    def watch_hide_names(self) -> None:
        """Show names or numbers."""
        self.redraw_soon()

    def watch_debrief(self) -> None:
        """Switch between the bars and the class debrief."""
        self.redraw_soon()

    def watch_scenario(self) -> None:
        """Show another scenario's bars."""
        self.redraw_soon()

    def action_reveal(self) -> None:
        """Mark (or unmark) the best move of each scene."""
        self.revealed = not self.revealed

    def action_hide_names(self) -> None:
        """Show students as numbers (or by name again)."""
        self.hide_names = not self.hide_names

    def action_debrief(self) -> None:
        """Show (or hide) the class debrief distribution."""
        self.debrief = not self.debrief

    def action_next_scenario(self) -> None:
        """Show the next scenario the class played."""
        played = self.state.scenarios()
        if not played:
            return
        current = self.scenario if self.scenario in played else played[0]
        self.scenario = played[(played.index(current) + 1) % len(played)]
