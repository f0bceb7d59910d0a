"""A two-step course on the mini scenario (practice, then an assessment), and ways to play it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core_helpers import on_screen
from textual.pilot import Pilot

from netquest.engine.course import Course, load_course
from netquest.tui.screens.debrief import DebriefScreen
from netquest.tui.screens.scene import SceneScreen

FIRST_WEEK = """\
format = 1

[course]
id = "first-week"
title = "First Week"
{due}

[[steps]]
scenario = "mixer"
mode = "practice"

[[steps]]
scenario = "mixer"
mode = "assessment"
pass_mark = 70
attempts = 2
unlocks_after = ["mixer-practice"]
"""

BEST = ("introduce", "chat", "email_host")
"""Scores 100."""

WORST = ("ask_job", "pitch", "nothing")
"""Scores 0."""


def first_week(folder: Path, due: str = "") -> Course:
    """Write the course into ``folder`` and load it (checked against the mini scenario)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "first-week.toml"
    path.write_text(FIRST_WEEK.replace("{due}", f"due = {due}" if due else ""), encoding="utf-8")
    loaded = load_course(path, {"mixer"})
    assert loaded.value is not None and not loaded.diagnostics, loaded.diagnostics
    return loaded.value


async def play_path(pilot: Pilot[Any], choices: Sequence[str]) -> DebriefScreen:
    """Take ``choices`` (by id) in the scene on screen, moving past any note, to the debrief."""
    scene = await on_screen(pilot, SceneScreen)
    assert isinstance(scene, SceneScreen)
    session = scene.session
    for choice in choices:
        offered = [c.id for c in session.offered]
        await pilot.press(str(offered.index(choice) + 1))
        await pilot.pause()
        if pilot.app.screen is not scene:
            break  # the last choice went straight to the debrief
        if scene.query_one("#coach").display:
            await pilot.press("enter")
            await pilot.pause()
    debrief = await on_screen(pilot, DebriefScreen)
    assert isinstance(debrief, DebriefScreen)
    return debrief
