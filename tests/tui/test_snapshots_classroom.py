"""SVG snapshots of the classroom screens: the projector dashboard, group play, signing in.

The dashboard is drawn at 106×30 (1280×720 in a browser at its 20 px type); the student's
sign-in screen at 80×24. Update the baselines with
``.venv/bin/python -m pytest tests/tui/test_snapshots_classroom.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from extra_fixtures import ScreenHost
from textual.pilot import Pilot

from netquest.engine import Library
from netquest.tui.dashboard.app import DashboardApp
from netquest.tui.screens.sign_in import SignInScreen

SnapCompare = Callable[..., bool]
PROJECTOR = (106, 30)


def _choice(name: str, path: list[list[str]], scene: str | None, **more: object) -> dict:
    return {"t": "choice", "name": name, "run": f"run-{name}", "scenario": "mixer",
            "mode": more.pop("mode", "practice"), "scene": scene, "path": path,
            "finished": scene is None, **more}  # fmt: skip


def _class(app: DashboardApp) -> None:
    app.take({"t": "live"})
    app.take(_choice("Ada Lovelace", [["door", "introduce"], ["bar", "chat"]], "follow"))
    app.take(_choice("Bao", [["door", "ask_job"]], "bar", mode="assessment"))
    app.take(_choice("Chidi", [["door", "introduce"], ["bar", "pitch"], ["follow", "nothing"]],
                     None, ending="quiet", score=40))  # fmt: skip
    app.take({"t": "joined", "name": "Dana"})
    app.take({"t": "left", "name": "Bao"})


def test_dashboard_revealed(snap_compare: SnapCompare, mini_library: Library) -> None:
    async def setup(pilot: Pilot[Any]) -> None:
        assert isinstance(pilot.app, DashboardApp)
        _class(pilot.app)
        await pilot.press("r")
        await pilot.pause(0.2)

    app = DashboardApp(mini_library, feed=None)
    assert snap_compare(app, terminal_size=PROJECTOR, run_before=setup)


def test_dashboard_group_vote_open(snap_compare: SnapCompare, mini_library: Library) -> None:
    async def setup(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, DashboardApp) and app.group is not None
        app.take({"t": "live"})
        await pilot.press("o")
        for name, choice in (("Ada", "introduce"), ("Bao", "introduce"), ("Chidi", "ask_job")):
            app.take({"t": "vote", "name": name, "session": app.group.session, "round": 1,
                      "scene": "door", "choice": choice})  # fmt: skip
        await pilot.pause(0.2)

    app = DashboardApp(mini_library, feed=None, group="mixer")
    assert snap_compare(app, terminal_size=PROJECTOR, run_before=setup)


def test_sign_in_after_a_wrong_code(snap_compare: SnapCompare) -> None:
    error = "That name is taken and needs its code. If it is yours, type your code; otherwise "
    error += "choose another name."
    app = ScreenHost(lambda: SignInScreen(error=error, name="Ada"))
    assert snap_compare(app, terminal_size=(80, 24))
