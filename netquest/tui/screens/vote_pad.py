"""A student's voting pad in group play (``netquest serve --group SCENARIO``).

The projector shows the scene; the pad shows the same scene's choices and takes the student's
vote (1–9) while the teacher has the vote open. When the class plays a choice, the pad shows
its consequence and the coach's note, and the student's own run follows the class path with
their vote saved beside each step (:class:`netquest.play.class_group.GroupRun`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from netquest.tui.literal import printable
from netquest.tui.widgets.game_footer import GameFooter

if TYPE_CHECKING:
    from netquest.engine import Entry
    from netquest.play.class_feed import ClassFeed
    from netquest.play.class_group import GroupRun
    from netquest.saves import Profile, SaveStore


class VotePadScreen(Screen[None]):
    """The current scene's choices; number keys vote while the vote is open."""

    DEFAULT_CSS = """
    VotePadScreen #pad-title { text-style: bold; color: $text-accent; padding: 0 1; }
    VotePadScreen #pad-status { text-style: bold; padding: 0 1; margin: 1 0; }
    VotePadScreen #pad-body { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(n), f"vote({n})", f"Vote {n}", show=False, id=f"pad.vote{n}")
        for n in range(1, 10)
    ]

    class RunChanged(Message):
        """The student's group run moved on (the app saves the profile)."""

        def __init__(self, profile: Profile) -> None:
            """The profile holding the changed run."""
            super().__init__()
            self.profile = profile

    def __init__(
        self,
        entry: Entry,
        profile: Profile,
        store: SaveStore | None,
        feed: ClassFeed,
        listener_factory: Any = None,
    ) -> None:
        """The pad of the student ``profile`` for the group scenario ``entry``."""
        super().__init__()
        self.entry = entry
        self.profile = profile
        self.store = store
        self.feed = feed
        self.listener_factory = listener_factory
        self.message_now: dict[str, Any] | None = None
        self.run: GroupRun | None = None
        self.my_vote: str | None = None

    def compose(self) -> ComposeResult:
        """Title, status line, the scene and its choices."""
        yield Static(Content(f"Group play: {self.entry.scenario.title}"), id="pad-title")
        yield Static(Content("Waiting for your teacher to start…"), id="pad-status")
        with VerticalScroll():
            yield Static(id="pad-body")
        yield GameFooter()

    def on_mount(self) -> None:
        """Listen to the class: every group message comes to :meth:`take`."""
        self.feed.listen(lambda message: self.app.call_from_thread(self.take, message))

    def take(self, message: dict[str, Any]) -> None:
        """Show the room's vote as it is now; follow the class path in the student's run."""
        if message.get("t") != "group" or message.get("scenario") != self.entry.scenario.id:
            return
        session = message.get("session")
        if not isinstance(session, str):
            return
        previous = self.message_now
        if previous is None or previous.get("round") != message.get("round"):
            self.my_vote = None
        self.message_now = message
        if self.run is None or self.run.session_id != session:
            self._start_run(session)
        path = message.get("path")
        if self.run is not None and isinstance(path, list) and self.run.follow(path):
            self.profile = self.run.session.profile
            self.post_message(self.RunChanged(self.profile))
        self._draw()

    def _start_run(self, session: str) -> None:
        from netquest.play.class_group import GroupRun

        listener = self.listener_factory() if self.listener_factory is not None else None
        self.run = GroupRun(self.entry, self.profile, self.store, session, listener)
        self.profile = self.run.session.profile
        self.post_message(self.RunChanged(self.profile))

    def _draw(self) -> None:
        message = self.message_now or {}
        phase = message.get("phase")
        scenario = self.entry.scenario
        scene = scenario.scenes.get(str(message.get("scene")))
        status = {
            "waiting": "Look at the projector: the vote opens soon.",
            "open": "Vote now: press the number of your choice (you may change it).",
            "closed": "The vote is closed.",
            "played": "The class has chosen.",
            "debrief": "The scenario is over: the class debrief is on the projector.",
        }.get(str(phase), "Waiting for your teacher to start…")
        if phase == "open" and message.get("seconds_left") is not None:
            status += f"  {message['seconds_left']} s left"
        parts: list[str | tuple[str, str]] = []
        if phase in ("played", "debrief"):
            parts += self._played(message)
        if phase in ("waiting", "open", "closed") and scene is not None:
            parts += [(printable(scene.title or scene.id), "bold"), "\n"]
            parts += [(printable(scene.text), ""), "\n\n"]
            offered = message.get("offered") or [choice.id for choice in scene.choices]
            for number, choice_id in enumerate(offered, start=1):
                choice = scene.choice(str(choice_id))
                if choice is None:
                    continue
                mine = choice.id == self.my_vote
                parts += [
                    (f"{number} ", "bold $text-accent"),
                    (printable(choice.text), "bold reverse" if mine else ""),
                    ("  ← your vote" if mine else "", "bold $text-success"),
                    "\n",
                ]
        if phase == "debrief" and self.run is not None and self.run.session.is_over:
            review = self.run.session.debrief()
            ending = review.ending.title if review.ending else "the end"
            parts += ["\n", (f"The class reached: {printable(ending)}", "bold"), "\n"]
            parts += [(f"Class score: {review.score}/100", "bold $text-accent"), "\n"]
            parts += [("Your votes are saved in your progress.", "$text-muted")]
        self.query_one("#pad-status", Static).update(Content(status))
        self.query_one("#pad-body", Static).update(Content.assemble(*parts))

    def _played(self, message: dict[str, Any]) -> list[str | tuple[str, str]]:
        played = message.get("played")
        if not isinstance(played, list) or len(played) != 2:
            return []
        scene = self.entry.scenario.scenes.get(str(played[0]))
        choice = scene.choice(str(played[1])) if scene is not None else None
        if choice is None:
            return []
        parts: list[str | tuple[str, str]] = [
            ("The class chose: ", "bold"),
            (printable(choice.text), "bold $text-accent"),
            "\n",
        ]
        if choice.consequence:
            parts += [(printable(choice.consequence), ""), "\n"]
        if choice.coach:
            parts += [("Coach: ", "bold $text-success"), (printable(choice.coach), ""), "\n"]
        return parts

    def action_vote(self, number: int) -> None:
        """Vote for the ``number``-th choice (only while the vote is open)."""
        message = self.message_now
        if message is None or message.get("phase") != "open" or self.run is None:
            return
        offered = message.get("offered") or []
        if not 1 <= number <= len(offered):
            return
        choice, scene = str(offered[number - 1]), str(message.get("scene"))
        self.my_vote = choice
        self.run.vote(scene, choice)
        self.feed.post(
            {
                "t": "vote",
                "name": self.profile.name,
                "session": self.run.session_id,
                "round": message.get("round"),
                "scene": scene,
                "choice": choice,
            }
        )
        self._draw()
