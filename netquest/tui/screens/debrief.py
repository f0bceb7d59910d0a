"""The debrief: ending, score, principles, reading the moment and every decision reviewed."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalGroup, VerticalGroup, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Digits, Static

from netquest.play.debrief_markdown import (
    READING_RULE,
    outcome_label,
    principle_title,
    range_sentence,
    reading_sentence,
    render_debrief,
    score_text,
)
from netquest.tui.literal import literal, printable
from netquest.tui.widgets.decision_review import DecisionReview
from netquest.tui.widgets.game_footer import GameFooter
from netquest.tui.widgets.principle_meter import PrincipleMeter

if TYPE_CHECKING:
    from netquest.engine import Catalogue, Debrief, Scenario
    from netquest.play.course_notes import CourseNote

DebriefAction = Literal["replay", "another"]


OUTCOME_STYLES = {
    "great": "$text-success",
    "good": "$text-success",
    "mixed": "$text-warning",
    "poor": "$text-error",
}


class DebriefScreen(Screen["DebriefAction | None"]):
    """Review a run; dismisses with ``"replay"``, ``"another"`` or ``None`` (to the menu)."""

    AUTO_FOCUS = "#debrief-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "replay", "Replay", id="debrief.replay"),
        Binding("a", "another", "Another", id="debrief.another"),
        Binding("e", "export", "Export", id="debrief.export"),
        Binding("escape", "menu", "Menu", id="debrief.menu"),
    ]

    def __init__(
        self,
        debrief: Debrief,
        scenario: Scenario,
        catalogue: Catalogue,
        *,
        player: str | None = None,
        save_directory: Path | None = None,
        played: str | None = None,
        course_note: CourseNote | None = None,
    ) -> None:
        """Show ``debrief`` of a run of ``scenario``.

        Args:
            debrief: The engine's review of the run.
            scenario: The scenario played.
            catalogue: Its principles catalogue.
            player: The profile name (for the export).
            save_directory: Where the export is saved, created if missing (``None``: Textual's
                default, the downloads folder; in a browser the export is a download).
            played: When the run was played, for the export.
            course_note: What the run meant for the course being followed, if anything.
        """
        super().__init__()
        self.debrief = debrief
        self.scenario = scenario
        self.catalogue = catalogue
        self.player = player
        self.save_directory = save_directory
        self.played = played
        self.course_note = course_note

    def compose(self) -> ComposeResult:
        """Every section of the review, and the actions."""
        debrief, catalogue = self.debrief, self.catalogue
        with VerticalScroll(id="debrief-body"):
            yield Static(
                Content.assemble(
                    ("Debrief  ", "bold"), (printable(self.scenario.title), "bold $text-accent")
                ),
                classes="screen-title",
            )
            with HorizontalGroup(id="score-card"):
                yield Digits("?" if debrief.score is None else str(debrief.score), id="score")
                with VerticalGroup(id="score-facts"):
                    yield Static(
                        Content.assemble(("Score ", "bold"), score_text(debrief))
                        if debrief.score is not None
                        else Content.assemble(("Score range unknown", "bold")),
                        id="score-label",
                    )
                    yield Static(self._ending_line(), id="ending")
                    yield Static(
                        Content(range_sentence(debrief, unit="")),
                        id="score-range",
                        classes="muted",
                    )
            note = self.course_note
            if note is not None:
                yield Static(
                    Content.assemble(("Course  ", "bold"), note.text),
                    id="course-note",
                    classes=f"-{note.tone}",
                )
            ending = debrief.ending
            if ending is not None and ending.text.strip():
                yield Static(literal(" ".join(ending.text.split())), id="ending-text")

            touched = [score for score in debrief.principles if score.contributions]
            if touched:
                yield Static(Content("Principles"), classes="section-title")
                for index, score in enumerate(touched):
                    yield PrincipleMeter(
                        principle_title(catalogue, score.principle),
                        score.total,
                        min(score.total, 0) if score.low is None else score.low,
                        max(score.total, 0) if score.high is None else score.high,
                        show_range=score.low is not None,
                        id=f"principle-{index}",
                        classes="debrief-meter",
                    )

                untouched = len(debrief.principles) - len(touched)
                if untouched:
                    yield Static(
                        Content(
                            f"{untouched} other principle{'s' if untouched != 1 else ''} "
                            "in this scenario did not come up on your path."
                        ),
                        classes="muted debrief-note",
                    )

            if debrief.readings:
                yield Static(Content("Reading the moment"), classes="section-title")
                yield Static(
                    Content("\n").join(
                        literal(reading_sentence(reading, catalogue))
                        for reading in debrief.readings
                    ),
                    id="readings",
                )
                yield Static(Content(READING_RULE), classes="muted debrief-note")

            if debrief.decisions:
                yield Static(Content("Decision by decision"), classes="section-title")
                for decision in debrief.decisions:
                    yield DecisionReview(decision, catalogue)

        with HorizontalGroup(id="debrief-actions"):
            yield Button("Replay", id="replay", compact=True, variant="primary")
            yield Button("Try another", id="another", compact=True)
            yield Button("Export", id="export", compact=True)
            yield Button("Menu", id="menu", compact=True)
        yield GameFooter()

    def _ending_line(self) -> Content:
        ending = self.debrief.ending
        if ending is None:
            return Content.styled("The run has not reached an ending yet.", "$text-muted")
        return Content.assemble(
            ("Ending ", "bold"),
            printable(ending.title),
            "  ",
            (outcome_label(ending.outcome), f"bold {OUTCOME_STYLES.get(ending.outcome, '')}"),
        )

    @property
    def markdown(self) -> str:
        """The debrief as a Markdown document."""
        note = self.course_note
        return render_debrief(
            self.debrief,
            self.scenario,
            self.catalogue,
            player=self.player,
            played=self.played,
            course=note.text if note is not None else None,
        )

    @on(Button.Pressed, "#debrief-actions Button")
    async def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id:
            await self.run_action(event.button.id)

    def action_replay(self) -> None:
        """Play this scenario again from the start."""
        self.dismiss("replay")

    def action_another(self) -> None:
        """Pick another scenario."""
        self.dismiss("another")

    def action_menu(self) -> None:
        """Back to the title screen."""
        self.dismiss(None)

    def action_export(self) -> None:
        """Save the debrief as a Markdown file (a download when played in a browser)."""
        if self.save_directory is not None and not self.app.is_web:
            from netquest.tui.export_folder import make_folder

            problem = make_folder(self.save_directory)
            if problem is not None:
                self.notify(problem, title="Export", severity="error", timeout=10, markup=False)
                return
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        filename = f"netquest-debrief-{self.scenario.id}-{stamp}.md"
        key = self.app.deliver_text(
            StringIO(self.markdown),
            save_directory=self.save_directory,
            save_filename=filename,
            mime_type="text/markdown",
            name="debrief",
        )
        if key is None:
            self.notify("This debrief cannot be exported here.", severity="warning")
