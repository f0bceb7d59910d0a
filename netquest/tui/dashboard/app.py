"""The teacher's dashboard app: the class live, in large high-contrast type for a projector.

It follows the class hub (:mod:`netquest.web.class_hub`): first every event kept so far, then
each new one, redrawing at most every ``REDRAW`` seconds. It only displays what the students'
games reported; nothing is scored here beyond adding up the choices' own effects.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import var
from textual.widgets import Static

from netquest.engine import Library
from netquest.play.class_group import GroupGame, Round
from netquest.play.class_state import ClassState
from netquest.tui.dashboard.choice_bars import ChoiceBars
from netquest.tui.dashboard.ending_chart import EndingChart
from netquest.tui.dashboard.group_panel import GroupPanel
from netquest.tui.dashboard.loss_list import LossList
from netquest.tui.dashboard.roster_table import RosterTable
from netquest.tui.themes import HIGH_CONTRAST_NAME, NETQUEST_THEMES
from netquest.tui.widgets.game_footer import GameFooter

log = logging.getLogger(__name__)

REDRAW = 0.02
"""Seconds to wait before a redraw, so a burst of choices (a class answering at once) draws
once; drawing itself takes longer than this on a busy machine, so it stays short."""
REDRAW_EVERY = 0.1
"""At most one redraw per this many seconds, so that a class of thirty choosing at once cannot
keep the dashboard drawing frames it cannot finish on a busy machine. A frame now repaints only
the lines that changed: about 8 ms of CPU after a choice (30 ms or so when a student joins and
the roster grows), so this bounds the dashboard to a small share of one core; at 0.25 s the
wait for the next frame was most of the dashboard's part of choice -> bar drawn."""
VOTE_SECONDS = 30
"""The vote's countdown when the teacher opens it with a timer (``t``)."""


class DashboardApp(App[None]):
    """Who is in the class, what each does, the choice bars and the points being lost."""

    TITLE = "netquest · class"
    CSS = """
    Screen { background: $background; }
    #top { height: 1fr; }
    #roster-box { width: 1fr; border-right: solid $border; }
    #detail-box { width: 1fr; }
    #status { height: 1; padding: 0 1; background: $panel; color: $text; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reveal", "Reveal best", id="dashboard.reveal"),
        Binding("h", "hide_names", "Hide names", id="dashboard.hide"),
        Binding("d", "debrief", "Class debrief", id="dashboard.debrief"),
        Binding("s", "next_scenario", "Next scenario", id="dashboard.scenario"),
        Binding("ctrl+q", "quit", "Quit", id="dashboard.quit", priority=True),
        Binding("o", "open_vote", "Open vote", id="dashboard.open"),
        Binding("t", "timed_vote", "Timed vote", id="dashboard.timed"),
        Binding("c", "close_vote", "Close vote", id="dashboard.close"),
        Binding("enter", "advance", "Play / next", id="dashboard.advance"),
        *(
            Binding(str(n), f"play_choice({n})", f"Play {n}", show=False, id=f"dashboard.play{n}")
            for n in range(1, 10)
        ),
    ]

    revealed: var[bool] = var(False)
    """Whether the best move of each scene is marked."""
    hide_names: var[bool] = var(False)
    """Whether students are shown as numbers (for projecting)."""
    debrief: var[bool] = var(False)
    """Whether the class debrief distribution replaces the bars."""
    scenario: var[str | None] = var(None)
    """The scenario whose bars are shown (``None``: the one played most)."""

    def __init__(self, library: Library, feed: str | None, group: str | None = None) -> None:
        """Show the class that the hub at ``feed`` reports (``None``: events come from tests).

        Args:
            library: The scenarios.
            feed: The class hub's socket.
            group: Group play of this scenario (``serve --group``).
        """
        super().__init__()
        self.library = library
        self.feed = feed
        self.state = ClassState()
        self._numbers: dict[str, int] = {}
        self._pending = False
        self._drawn = 0.0
        self._status = ""
        self._writer: asyncio.StreamWriter | None = None
        entry = library.get(group) if group is not None else None
        self.group: GroupGame | None = GroupGame(entry) if entry is not None else None
        self.sent: list[dict[str, object]] = []
        """Group messages sent to the room (tests read them when there is no hub)."""

    def compose(self) -> ComposeResult:
        """Roster on the left; bars (or the debrief) on the right; losses below."""
        yield Static(id="status")
        with Horizontal(id="top"):
            with VerticalScroll(id="roster-box"):
                yield RosterTable()
            with VerticalScroll(id="detail-box"):
                yield GroupPanel()
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
        self.query_one(GroupPanel).display = self.group is not None
        if self.group is not None:
            self.set_interval(1.0, self._tick)
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
        self._writer = writer
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
        group = self.group
        if event.get("t") == "live" and group is not None:
            self._restore(self.state.group)
            self.state.apply(event)
            self.publish()
            return
        if group is not None and event.get("t") == "vote":
            name = event.get("name")
            if (
                event.get("session") == group.session
                and isinstance(name, str)
                and group.vote(name, event.get("round"), event.get("choice"))
            ):
                self.publish()
            return
        if self.state.apply(event) and self.state.live:
            self.redraw_soon()

    # -- group play ------------------------------------------------------------------------

    def publish(self) -> None:
        """Send the group's state to every voting pad, and redraw."""
        group = self.group
        if group is None:
            return
        message = group.message()
        message["rounds"] = [[r.scene, dict(r.counts), r.majority, r.played] for r in group.rounds]
        self.sent.append(message)
        if self._writer is not None and not self._writer.is_closing():
            line = json.dumps(message, separators=(",", ":")) + "\n"
            self._writer.write(line.encode("utf-8"))
        self.redraw_soon()

    def _restore(self, message: dict[str, object] | None) -> None:
        """Carry on the group game of a dashboard tab that was closed (from the hub's copy)."""
        group = self.group
        if group is None or message is None:
            return
        if message.get("scenario") != group.entry.scenario.id or message.get("phase") is None:
            return
        rounds = message.get("rounds")
        session = message.get("session")
        if not isinstance(rounds, list) or not isinstance(session, str):
            return
        restored = GroupGame(group.entry, session=session)
        try:
            for scene, counts, majority, played in rounds:
                restored.rounds.append(Round(scene, dict(counts), majority, played))
                restored.state = restored.game.choose(restored.run_state, played)
        except (ValueError, TypeError, KeyError):
            return
        phase = message.get("phase")
        restored.phase = "waiting" if phase in ("open", "closed") else phase  # type: ignore[assignment]
        number = message.get("round")
        restored.round = number if isinstance(number, int) else len(rounds) + 1
        self.group = restored

    def _tick(self) -> None:
        group = self.group
        if group is None or group.phase != "open" or group.seconds_left is None:
            return
        group.seconds_left -= 1
        if group.seconds_left <= 0:
            group.close_vote()
        self.publish()

    def action_open_vote(self) -> None:
        """Open the vote on the scene shown."""
        if self.group is not None:
            self.group.open_vote()
            self.publish()

    def action_timed_vote(self) -> None:
        """Open the vote for ``VOTE_SECONDS`` seconds."""
        if self.group is not None and self.group.phase == "waiting":
            self.group.open_vote()
            self.group.seconds_left = VOTE_SECONDS
            self.publish()

    def action_close_vote(self) -> None:
        """Close the vote: the majority is shown."""
        if self.group is not None:
            self.group.close_vote()
            self.publish()

    def action_advance(self) -> None:
        """Play the majority (vote open or closed), or go on to the next scene."""
        group = self.group
        if group is None:
            return
        if group.phase in ("open", "closed"):
            group.play()
        elif group.phase == "played":
            group.next_scene()
        self.publish()

    def action_play_choice(self, number: int) -> None:
        """Play the ``number``-th choice whatever the vote (the teacher's override)."""
        group = self.group
        if group is None or group.phase not in ("open", "closed"):
            return
        offered = group.offered
        if 1 <= number <= len(offered):
            group.play(offered[number - 1].id)
            self.publish()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Group-play keys only in group play."""
        if action in ("open_vote", "timed_vote", "close_vote", "advance", "play_choice"):
            return self.group is not None
        return True

    def redraw_soon(self) -> None:
        """Redraw within ``REDRAW`` seconds (once however many events come meanwhile)."""
        if not self._pending:
            self._pending = True
            wait = max(REDRAW, self._drawn + REDRAW_EVERY - time.monotonic())
            self.set_timer(wait, self.redraw)

    def _label(self, name: str) -> str:
        number = self._numbers.setdefault(name, len(self._numbers) + 1)
        return f"Student {number}" if self.hide_names else name

    def _title(self, scenario_id: str) -> str:
        entry = self.library.get(scenario_id)
        return entry.scenario.title if entry is not None else scenario_id

    def redraw(self) -> None:
        """Draw everything from the class state."""
        self._pending = False
        self._drawn = time.monotonic()
        state = self.state
        for student in state.roster():
            self._numbers.setdefault(student.name, len(self._numbers) + 1)
        self.query_one(RosterTable).show(state.roster(), self._label, self._title)
        played = state.scenarios()
        scenario_id = self.scenario if self.scenario is not None else next(iter(played), None)
        entry = self.library.get(scenario_id) if scenario_id is not None else None
        bars, chart = self.query_one(ChoiceBars), self.query_one(EndingChart)
        bars.display, chart.display = not self.debrief, self.debrief
        if self.group is not None:
            bars.display = chart.display = False
            width = self.query_one("#detail-box").size.width or self.size.width
            self.query_one(GroupPanel).show(self.group, self.revealed, width)
        elif entry is None:
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
        status = "netquest · class dashboard   " + "   ".join(flag for flag in flags if flag)
        if status != self._status:  # an update lays the screen out again: only when it changed
            self._status = status
            self.query_one("#status", Static).update(status)

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
