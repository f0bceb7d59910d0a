"""The live play pane: the current scene of the draft, its offered choices, and what changed."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from netquest.engine.draft import Draft, Placed
from netquest.engine.scoring import scaled_score
from netquest.engine.text import printable
from netquest.tui.studio.messages import ChoiceTaken
from netquest.tui.studio.story_map import OUTCOME_STYLE


class PlayPane(VerticalScroll):
    """Plays the last good version of the file; choices are taken with Enter."""

    DEFAULT_CSS = """
    PlayPane {
        background: $surface;
        & > #notice { color: $text-warning; }
        & > #notice.-fresh { color: $text-success; }
        & > #where { text-style: bold; }
        & > #text { margin: 1 0; }
        & > OptionList, & > OptionList:focus {
            height: auto;
            border: none;
            padding: 0;
            background: $surface;
        }
    }
    """
    BORDER_TITLE = "Play"

    def compose(self) -> ComposeResult:
        yield Static("", id="notice")
        yield Static("loading…", id="where")
        yield Static("", id="text")
        yield OptionList(id="choices")

    def waiting(self, notice: str) -> None:
        """No version of the file plays yet: say why."""
        self.query_one("#where", Static).update(Text(notice, style="bold red"))

    def show(self, draft: Draft, placed: Placed, notice: str, fresh: bool) -> None:
        """Show ``placed`` on ``draft``'s scenario, with ``notice`` on top."""
        scenario = draft.scenario
        if scenario is None:
            return
        note = self.query_one("#notice", Static)
        note.update(Text(printable(notice)))
        note.set_class(fresh, "-fresh")
        note.display = bool(notice)
        where = self.query_one("#where", Static)
        text = self.query_one("#text", Static)
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        ending = scenario.endings.get(placed.node)
        jumped = placed.position.base is not None
        points = f"{placed.total:+d} points" + (" since the jump" if jumped else "")
        if ending is not None:
            score = ""
            analysis = draft.analysis
            if not jumped and analysis and analysis.best is not None and analysis.worst is not None:
                score = f" · {scaled_score(placed.total, analysis.worst, analysis.best)}/100"
            where.update(
                Text.assemble(
                    ("● ", OUTCOME_STYLE[ending.outcome]),
                    printable(ending.title),
                    (f"  {ending.outcome} · {points}{score}", "dim"),
                )
            )
            text.update(Text(printable(ending.text)))
            choices.add_option(Option("↺ play again from the start", id="restart"))
            return
        scene = scenario.scenes[placed.node]
        flags = ", ".join(sorted(placed.flags)) or "no flags"
        heading = f"{scene.title}  " if scene.title else ""
        where.update(Text.assemble(printable(heading), (f"{scene.id} · {flags} · {points}", "dim")))
        text.update(Text(printable(scene.text)))
        offered = [c for c in scene.choices if c.offered(placed.flags)]
        choices.add_options(
            Option(Text(f"{n}. {printable(c.text)}"), id=c.id) for n, c in enumerate(offered, 1)
        )
        if not offered:
            choices.add_option(Option(Text("nothing is offered here (NQ023)", style="red")))
        choices.highlighted = 0

    @on(OptionList.OptionSelected, "#choices")
    def _take(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ChoiceTaken(event.option.id))
