"""The full-screen game shows a called-for move that loses points as "right kind, wrong move"."""

from __future__ import annotations

from pathlib import Path

from conftest import AppFactory
from core_helpers import on_screen, plain, ready, seed_profile, settle

from netquest.engine import load_library
from netquest.tui.screens.debrief import DebriefScreen
from netquest.tui.screens.scene import SceneScreen
from netquest.tui.widgets.coach_panel import CoachPanel
from netquest.tui.widgets.decision_review import DecisionReview

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


async def test_a_wrong_move_is_named_in_the_coach_and_the_debrief(
    make_app: AppFactory, saves_dir: Path
) -> None:
    path = CORPUS / "nq040_called_for_mode_loses.toml"
    library = load_library(files=[path], include_bundled=False)
    seed_profile(saves_dir)
    app = make_app(library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        await pilot.press("2")  # blast: networking, as the moment calls for, but −2
        moment = scene.query_one("#coach", CoachPanel).query_one("#coach-moment")
        assert plain(moment) == (
            "✗ Right kind of moment, wrong move: the moment called for Networking, "
            "but this move lost points (−2 Build rapport)."
        )
        assert moment.has_class("-wrong") and not moment.has_class("-right")
        await pilot.press("space")
        debrief = await on_screen(pilot, DebriefScreen)
        await settle(pilot)
        review = debrief.query_one("#decision-1", DecisionReview)
        line = review.query_one(".decision--moment")
        assert plain(line).startswith("✗ Right kind of moment, wrong move")
        assert line.has_class("-wrong")
        assert plain(debrief.query_one("#readings")).endswith("you read 0 of 1 moment")
