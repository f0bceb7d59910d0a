"""The scene screen: the story, the choices, and (in practice) the coach after each choice."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen

from netquest.play.debrief_markdown import moment_line
from netquest.tui.widgets.choice_list import ChoiceList
from netquest.tui.widgets.coach_panel import CoachPanel
from netquest.tui.widgets.game_footer import GameFooter
from netquest.tui.widgets.run_panel import RunPanel
from netquest.tui.widgets.scene_banner import SceneBanner
from netquest.tui.widgets.story_text import StoryText

if TYPE_CHECKING:
    from netquest.engine import Scene
    from netquest.play.session import ChoiceOutcome, PlaySession

SceneResult = Literal["finished"]

NARROW = 90
"""Below this many columns the side panel folds away (toggle it with ``p``)."""

SHORT = 30
"""Below this many rows the banner is one line, the side panel folds away, spacing tightens."""

CHOICES_SHARE = 0.7
"""The most of the height the choices take from a story that needs it."""

CHOICES_SHARE_SHORT = 0.6
"""The same below :data:`SHORT` rows, where the story has fewer lines to give."""

MORE_STORY = "more ↓ PgDn"
"""The marker on the rule under the story while some of it is out of sight."""

MORE_CHOICES = "more choices ↓"
"""The marker on the same rule while some choices are below the visible ones."""

STEPPED_BACK = "↶ Stepped back one choice"
"""Said on the same rule after stepping back (a toast there would cover the last choices)."""


class SceneScreen(Screen["SceneResult | None"]):
    """Plays a session scene by scene; dismisses with ``"finished"`` at the end, or ``None``."""

    AUTO_FOCUS = "#choices"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(number), f"choose({number})", f"Choice {number}", show=False)
            for number in range(1, 10)
        ),
        Binding("enter", "enter", "Choose or continue", show=False, priority=True),
        Binding("space", "continue", "Continue", show=False, priority=True),
        Binding("b,backspace", "step_back", "Step back", id="scene.step_back"),
        Binding("p", "toggle_panel", "Panel", id="scene.panel"),
        Binding("escape", "leave", "Menu", id="scene.menu"),
        # Priority: the choices' scroll area would otherwise take PgUp/PgDn when it overflows.
        Binding("pageup", "story_page(-1)", "Scroll story up", show=False, priority=True),
        Binding("pagedown", "story_page(1)", "Scroll story down", show=False, priority=True),
    ]

    awaiting: var[bool] = var(False, init=False)
    """A choice was made and its outcome is showing until the player moves on."""

    @dataclass
    class RunChanged(Message):
        """A choice was made or undone: the run (and so the profile) changed."""

        session: PlaySession

    def __init__(self, session: PlaySession) -> None:
        """Play ``session`` from the scene it is at."""
        super().__init__()
        self.session = session
        self._stepped_back = False

    @property
    def practice(self) -> bool:
        """Whether the coach speaks after each choice."""
        return self.session.mode == "practice"

    def compose(self) -> ComposeResult:
        """Banner, story, choices (or the coach), the side panel and the footer."""
        scenario = self.session.scenario
        yield SceneBanner(
            scenario.title, self.session.mode, scenario.setting, scenario.stakes, id="banner"
        )
        with Horizontal(id="scene-body"):
            with Vertical(id="scene-main"):
                yield StoryText(id="story")
                with VerticalScroll(id="choices-area"):
                    # The first scene's choices from the start: its first layout has them.
                    yield ChoiceList(self._offered(), id="choices")
                yield CoachPanel(id="coach")
            yield RunPanel(
                scenario.principles_used,
                self.session.catalogue,
                coaching=self.practice,
                id="run-panel",
            )
        yield GameFooter()

    def on_mount(self) -> None:
        """Show the current scene and work out the meters' ranges in the background."""
        self.query_one("#choices-area").can_focus = False
        self.query_one("#coach", CoachPanel).display = False
        story = self.query_one("#story", StoryText)
        self.watch(story, "more_below", self._mark_story)
        area = self.query_one("#choices-area")
        self.watch(area, "scroll_y", self._mark_story, init=False)
        self.watch(area, "virtual_size", self._mark_story, init=False)
        # After every layout too: a callback "after refresh" can run before a pending layout
        # (and so measure stale sizes), which left the "more choices" marker showing for a
        # whole scene after the list grew.
        self.screen_layout_refresh_signal.subscribe(self, self._laid_out)
        self._show_scene()
        self._load_ranges()

    # -- showing ----------------------------------------------------------------------------

    def _show_scene(self) -> None:
        scene = self.session.scene
        if scene is None:
            self.dismiss("finished")
            return
        self.query_one("#story", StoryText).show(scene.title, scene.text)
        self.query_one("#choices", ChoiceList).choices = self._offered()
        self.query_one("#run-panel", RunPanel).update_tally(self.session.tally())
        self.awaiting = False
        self.call_after_refresh(self._share_height)

    def _offered(self) -> tuple[tuple[str, str], ...]:
        """The choices on offer now, as ``(choice id, text)`` pairs."""
        if self.session.scene is None:
            return ()
        return tuple((choice.id, choice.text) for choice in self.session.offered)

    def _laid_out(self, _screen: Screen[object]) -> None:
        """Measure again what depends on the sizes just laid out."""
        with suppress(NoMatches):  # called soon after a layout: the screen may be closing
            self._mark_story()
            if self.awaiting and not self.has_class("-coach-full"):
                self._coach_measured()

    def on_resize(self) -> None:
        """Share the new height between the story and the choices (or the coach)."""
        self.call_after_refresh(self._share_height)
        self._fit_coach()

    def _fit_coach(self) -> None:
        """Measure the coach's panel again once laid out with the story beside it."""
        self.remove_class("-coach-full")
        if self.awaiting:
            self.call_after_refresh(self._coach_measured)

    def _coach_measured(self) -> None:
        """On a short screen, hide the story if the coach would leave it two lines or fewer."""
        if not self.awaiting:
            return
        height = self.query_one("#scene-main").size.height
        coach = self.query_one("#coach", CoachPanel).outer_size.height
        self.set_class(coach >= height - 2, "-coach-full")

    def _share_height(self) -> None:
        """Let the choices take up to 60% of the height (70% on tall screens), or more when the
        story is short, so they do not scroll beside empty lines; a long story keeps the rest
        (with its "more ↓" marker).
        """
        height = self.query_one("#scene-main").size.height
        story = self.query_one("#story", StoryText)
        if not height or not story.display:
            return
        share = CHOICES_SHARE_SHORT if self.has_class("-short") else CHOICES_SHARE
        spare = height - story.text_height - story.gutter.height
        self.query_one("#choices-area").styles.max_height = max(int(height * share), spare)
        self.call_after_refresh(self._mark_story)

    def _mark_story(self) -> None:
        """Say on the rule between the story and the choices what is out of sight (the rest
        of the story, more choices) and that the player just stepped back."""
        notes = [STEPPED_BACK] if self._stepped_back else []
        if self.query_one("#story", StoryText).more_below:
            notes.append(MORE_STORY)
        area = self.query_one("#choices-area")
        if round(area.scroll_y) < area.max_scroll_y:
            notes.append(MORE_CHOICES)
        title = " · ".join(notes) or None
        if area.border_title != title:  # setting it repaints, even to the same text
            area.border_title = title

    def watch_awaiting(self, awaiting: bool) -> None:
        """Swap the choices for the coach panel, and back."""
        self.set_class(awaiting, "-awaiting")
        self._fit_coach()
        self.query_one("#choices-area").display = not awaiting
        coach = self.query_one("#coach", CoachPanel)
        coach.display = awaiting
        if awaiting:
            coach.focus()
        else:
            self.query_one("#choices", ChoiceList).focus()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load_ranges(self) -> None:
        from netquest.play.session import analysis_for

        scenario = self.session.scenario
        ranges = analysis_for(scenario).principle_ranges(scenario.principles_used)
        with suppress(RuntimeError):  # the app stopped meanwhile
            self.app.call_from_thread(self.query_one("#run-panel", RunPanel).set_ranges, ranges)

    # -- choosing ---------------------------------------------------------------------------

    @on(ChoiceList.Chosen, "#choices")
    def _chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        self.take(event.choice_id)

    def take(self, choice_id: str) -> None:
        """Take a choice and show what it did."""
        from netquest.engine import ChoiceError

        scene = self.session.scene
        if self.awaiting or scene is None:
            return
        self._stepped_back = False
        self._mark_story()
        try:
            outcome = self.session.choose(choice_id)
        except ChoiceError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.post_message(self.RunChanged(self.session))
        if not self.practice and not outcome.consequence:
            self._advance()  # straight on: the next scene shows the tally (counted once)
            return
        self.query_one("#run-panel", RunPanel).update_tally(self.session.tally())
        coach = self.query_one("#coach", CoachPanel)
        if self.practice:
            coach.show_outcome(
                outcome.choice.text,
                outcome.consequence,
                coach=outcome.coach,
                deltas=[(delta.value, delta.title) for delta in outcome.deltas],
                moment=self._moment(scene, outcome),
                read_right=outcome.read_right,
                finished=outcome.finished,
                hint="Enter continues · b steps back",
            )
            self.awaiting = True
        elif outcome.consequence:
            coach.show_outcome(
                outcome.choice.text,
                outcome.consequence,
                finished=outcome.finished,
                hint="Enter continues",
            )
            self.awaiting = True

    def _moment(self, scene: Scene, outcome: ChoiceOutcome) -> str:
        return moment_line(scene.calls_for, outcome.choice, self.session.catalogue)

    @on(CoachPanel.Continue)
    def _continue(self, event: CoachPanel.Continue) -> None:
        event.stop()
        self._advance()

    def _advance(self) -> None:
        if self.session.is_over:
            self.dismiss("finished")
        else:
            self._show_scene()

    # -- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Number keys only for choices on offer; step back only in practice mode."""
        if action == "choose":
            count = len(self.query_one("#choices", ChoiceList).choices) if self.is_mounted else 0
            number = parameters[0] if parameters else 0
            return not self.awaiting and isinstance(number, int) and 1 <= number <= count
        if action == "continue":
            return self.awaiting
        if action == "step_back":
            if not self.practice:
                return False
            return True if self.session.can_step_back else None
        return True

    def action_choose(self, number: int) -> None:
        """Take the choice with this number."""
        choices = self.query_one("#choices", ChoiceList)
        if not self.awaiting and 1 <= number <= len(choices.choices):
            self.take(choices.choices[number - 1][0])

    def _move_on(self) -> None:
        """Leave the coach's panel, once all of it has been in view (else show the rest)."""
        if not self.query_one("#coach", CoachPanel).show_more():
            self._advance()

    def action_enter(self) -> None:
        """Enter takes the highlighted choice, or moves on from the coach."""
        if self.awaiting:
            self._move_on()
            return
        choices = self.query_one("#choices", ChoiceList)
        if choices.choices:
            self.take(choices.choices[choices.highlighted][0])

    def action_continue(self) -> None:
        """Move on from the coach (or the consequence) to the next scene."""
        if self.awaiting:
            self._move_on()

    def action_step_back(self) -> None:
        """Undo the last choice (practice mode only)."""
        if not self.practice or not self.session.can_step_back:
            return
        self.session.step_back()
        self.post_message(self.RunChanged(self.session))
        self._stepped_back = True
        self._show_scene()
        self._mark_story()
        self.refresh_bindings()

    def action_toggle_panel(self) -> None:
        """Show or hide the side panel."""
        shown = self.query_one("#run-panel", RunPanel).display
        self.set_class(shown, "-panel-hidden")
        self.set_class(not shown, "-panel-shown")

    def action_story_page(self, direction: int) -> None:
        """Scroll the story a page up or down (the coach's panel while it shows)."""
        if self.awaiting:
            self.query_one("#coach", CoachPanel).page(direction)
            return
        story = self.query_one("#story", StoryText)
        if direction < 0:
            story.scroll_page_up()
        else:
            story.scroll_page_down()

    def action_leave(self) -> None:
        """Back to the title screen (the run is saved; Continue picks it up)."""
        self.dismiss(None)
