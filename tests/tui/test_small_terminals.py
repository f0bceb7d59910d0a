"""The scene at small sizes (80×24, 60×20): nothing cut, nothing skipped.

The longest scene and the longest coach note of every bundled scenario are found when the tests
are collected (see ``longest.py``), so the tests follow the content when it changes. Each gets
an SVG snapshot at both sizes, and Pilot tests check what snapshots cannot: that paging shows
every line of the story, and that the whole coach note is in view before any key moves on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import AppFactory
from core_helpers import on_screen, ready, settle
from longest import Target, bundled, longest_coach_notes, longest_scenes, seed_run_at
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets._toast import Toast

from netquest.tui.screens.scene import MORE_CHOICES, MORE_STORY, STEPPED_BACK, SceneScreen
from netquest.tui.widgets.choice_list import ChoiceList
from netquest.tui.widgets.coach_panel import CoachPanel
from netquest.tui.widgets.story_text import StoryText

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]
SCENES = [pytest.param(target, id=target.name) for target in longest_scenes()]
COACH_NOTES = [pytest.param(target, id=target.name) for target in longest_coach_notes()]


def squeeze(text: str) -> str:
    """Text without any whitespace, to compare wrapped screen lines with the source."""
    return "".join(text.split())


def visible_text(widget: Widget) -> str:
    """The text on screen inside ``widget``'s region, line by line."""
    region = widget.region
    strips = widget.screen._compositor.render_strips()
    return "\n".join(
        strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)
    )


def play_at(make_app: AppFactory, saves_dir: Path, target: Target) -> Any:
    """An app that continues a practice run of ``target`` at its scene."""
    seed_run_at(saves_dir, target)
    return make_app(library=bundled(), start_scenario=target.scenario_id, mode="practice")


async def at_scene(pilot: Pilot[Any], target: Target) -> SceneScreen:
    """Wait for the scene of ``target``; take its choice if it has one."""
    await ready(pilot)
    scene: SceneScreen = await on_screen(pilot, SceneScreen)
    assert scene.session.scene is not None and scene.session.scene.id == target.scene_id
    if target.choice_id is not None:
        offered = [choice.id for choice in scene.session.offered]
        await pilot.press(str(offered.index(target.choice_id) + 1))
    await settle(pilot)
    return scene


def coach_note(target: Target) -> str:
    """The coach note of ``target``'s choice, as the panel shows it."""
    entry = bundled().get(target.scenario_id)
    assert entry is not None and target.choice_id is not None
    choice = entry.scenario.scenes[target.scene_id].choice(target.choice_id)
    assert choice is not None and choice.coach
    return "Coach  " + choice.coach


# -- snapshots ------------------------------------------------------------------------------


def snapshot_at(
    snap_compare: Any, make_app: AppFactory, saves_dir: Path, target: Target, size: Any
) -> bool:
    """Whether the screen at ``target`` (a scene, or its coach panel) matches its snapshot."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await at_scene(pilot, target)

    app = play_at(make_app, saves_dir, target)
    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("target", SCENES)
def test_longest_scene_snapshot(
    snap_compare: Any, make_app: AppFactory, saves_dir: Path, target: Target, size: Any
) -> None:
    assert snapshot_at(snap_compare, make_app, saves_dir, target, size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("target", COACH_NOTES)
def test_longest_coach_note_snapshot(
    snap_compare: Any, make_app: AppFactory, saves_dir: Path, target: Target, size: Any
) -> None:
    assert snapshot_at(snap_compare, make_app, saves_dir, target, size)


# -- nothing cut, nothing skipped -----------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("target", COACH_NOTES)
async def test_whole_coach_note_is_seen_before_enter_moves_on(
    make_app: AppFactory, saves_dir: Path, target: Target, size: tuple[int, int]
) -> None:
    note = squeeze(coach_note(target))
    app = play_at(make_app, saves_dir, target)
    async with app.run_test(size=size) as pilot:
        scene = await at_scene(pilot, target)
        coach = scene.query_one("#coach", CoachPanel)
        assert scene.awaiting
        # Enter (the documented key) shows the rest first; it never leaves the panel before
        # the whole note has been in view at once.
        for _ in range(10):
            if note in squeeze(visible_text(coach)):
                break
            await pilot.press("enter")
            await settle(pilot)
            assert scene.awaiting, "Enter moved on before the coach note was in view"
        else:
            pytest.fail("the coach note never came fully into view")
        while coach.more_below:  # the rest of the panel, then Enter moves on
            await pilot.press("enter")
            await settle(pilot)
            assert scene.awaiting
        await pilot.press("enter")
        await settle(pilot)
        assert not scene.awaiting or scene.session.is_over


@pytest.mark.parametrize("target", COACH_NOTES[:1])
async def test_coach_note_fits_at_60x20(
    make_app: AppFactory, saves_dir: Path, target: Target
) -> None:
    """The issue's example: the note that was cut after "broadcasting to" shows whole at once."""
    app = play_at(make_app, saves_dir, target)
    async with app.run_test(size=(60, 20)) as pilot:
        scene = await at_scene(pilot, target)
        assert squeeze(coach_note(target)) in squeeze(visible_text(scene.query_one("#coach")))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("target", SCENES)
async def test_page_down_shows_every_line_of_the_longest_scene(
    make_app: AppFactory, saves_dir: Path, target: Target, size: tuple[int, int]
) -> None:
    app = play_at(make_app, saves_dir, target)
    async with app.run_test(size=size) as pilot:
        scene = await at_scene(pilot, target)
        story = scene.query_one("#story", StoryText)
        area = scene.query_one("#choices-area")
        height = story.scrollable_content_region.height
        shown: set[int] = set(range(int(story.scroll_y), int(story.scroll_y) + height))
        text = visible_text(story)
        for _ in range(10):
            assert (MORE_STORY in str(area.border_title or "")) == story.more_below
            if not story.more_below:
                break
            await pilot.press("pagedown")
            await settle(pilot)
            shown |= set(range(int(story.scroll_y), int(story.scroll_y) + height))
            text += visible_text(story)
        assert not story.more_below
        # Every line of the story was on screen at some point, the first and the last words too.
        assert set(range(story.text_height)) <= shown
        words = scene.session.scene.text.split()
        assert squeeze(" ".join(words[:3])) in squeeze(text)
        assert squeeze(" ".join(words[-3:])) in squeeze(text)


def choice_count(target: Target) -> int:
    """How many choices the scene of ``target`` has."""
    entry = bundled().get(target.scenario_id)
    assert entry is not None
    return len(entry.scenario.scenes[target.scene_id].choices)


# -- keys -----------------------------------------------------------------------------------


async def test_page_keys_scroll_the_story_with_the_choices_focused_and_overflowing(
    make_app: AppFactory, saves_dir: Path
) -> None:
    target = max(
        longest_scenes(),
        key=lambda t: len(bundled().get(t.scenario_id).scenario.scenes[t.scene_id].choices),
    )  # type: ignore[union-attr]
    app = play_at(make_app, saves_dir, target)
    async with app.run_test(size=(60, 20)) as pilot:
        scene = await at_scene(pilot, target)
        story = scene.query_one("#story", StoryText)
        area = scene.query_one("#choices-area")
        choices = scene.query_one("#choices", ChoiceList)
        assert choices.has_focus
        assert area.max_scroll_y > 0, "the choices should overflow at 60×20"
        assert story.max_scroll_y > 0, "the story should overflow at 60×20"
        assert MORE_CHOICES in str(area.border_title)
        await pilot.press("pagedown")
        await settle(pilot)
        assert story.scroll_y > 0
        assert area.scroll_y == 0
        assert choices.highlighted == 0
        await pilot.press("pageup")
        await settle(pilot)
        assert story.scroll_y == 0
        # The arrows move between choices (scrolling the list to keep the highlight in view).
        for _ in range(len(choices.choices) - 1):
            await pilot.press("down")
        await settle(pilot)
        assert choices.highlighted == len(choices.choices) - 1
        assert area.scroll_y > 0
        assert story.scroll_y == 0
        assert MORE_CHOICES not in str(area.border_title)  # the last choice is in view


async def test_small_screen_collapses_the_banner_and_hides_the_panel(
    make_app: AppFactory, saves_dir: Path
) -> None:
    target = longest_scenes()[0]
    app = play_at(make_app, saves_dir, target)
    async with app.run_test(size=(100, 24)) as pilot:
        scene = await at_scene(pilot, target)
        assert scene.has_class("-short")
        assert scene.query_one("#banner").outer_size.height == 1
        panel = scene.query_one("#run-panel")
        assert not panel.display  # wide enough, but too short
        await pilot.press("p")
        await settle(pilot)
        assert panel.display
    async with play_at(make_app, saves_dir, target).run_test(size=(100, 40)) as pilot:
        scene = await at_scene(pilot, target)
        assert not scene.has_class("-short")
        assert scene.query_one("#banner").outer_size.height >= 2
        assert scene.query_one("#run-panel").display


async def test_stepping_back_is_said_beside_the_choices_not_over_them(
    make_app: AppFactory, saves_dir: Path
) -> None:
    target = next(t for t in longest_coach_notes() if len(t.path) >= 1)
    app = play_at(make_app, saves_dir, target)
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await at_scene(pilot, target)
        await pilot.press("b")  # back from the coach to the scene's choices
        await settle(pilot)
        await pilot.press("b")  # and one more choice back
        await settle(pilot)
        assert not scene.awaiting
        assert not app._notifications and not list(app.screen.query(Toast))
        assert STEPPED_BACK in str(scene.query_one("#choices-area").border_title)
        await pilot.press("1")
        await settle(pilot)
        assert STEPPED_BACK not in str(scene.query_one("#choices-area").border_title or "")
