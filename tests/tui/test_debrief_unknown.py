"""The debrief screen never shows a number the engine could not compute (issue 10, item 6)."""

from __future__ import annotations

from pathlib import Path

from extra_fixtures import ScreenHost
from textual.content import Content
from textual.widgets import Digits, Static

from netquest.engine import Game, analyse, debrief, load_library
from netquest.tui.screens.debrief import DebriefScreen
from netquest.tui.widgets.principle_meter import PrincipleMeter

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini"


def text(widget: Static) -> str:
    visual = widget.visual
    return visual.plain if isinstance(visual, Content) else str(visual)


async def test_an_unscorable_scenario_shows_score_range_unknown() -> None:
    entry = load_library(folders=[MINI], include_bundled=False).get("mixer")
    assert entry is not None
    partial = analyse(entry.scenario, max_states=2)  # as if the flags had exploded
    assert not partial.complete
    state = Game(entry.scenario).replay(["introduce", "pitch", "email_host"])
    review = debrief(entry.scenario, entry.catalogue, state, partial)
    app = ScreenHost(lambda: DebriefScreen(review, entry.scenario, entry.catalogue))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#score", Digits).value == "?"
        assert text(screen.query_one("#score-label", Static)) == "Score range unknown"
        assert "score range is unknown" in text(screen.query_one("#score-range", Static))
        meters = list(screen.query(PrincipleMeter))
        assert meters and not any(meter.show_range for meter in meters)
