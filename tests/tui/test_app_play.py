"""Playing a scenario through to its debrief, by keyboard and by mouse, and exporting it."""

from __future__ import annotations

from pathlib import Path

from conftest import AppFactory
from core_helpers import (
    IDEAL,
    engine_score,
    on_screen,
    plain,
    ready,
    saved_profile,
    seed_profile,
    seeded_app,
    settle,
    wait_until,
)
from textual.widgets import Digits, Input

from netquest.engine import Library
from netquest.saves import SaveStore
from netquest.tui.screens.debrief import DebriefScreen
from netquest.tui.screens.picker import PickerScreen
from netquest.tui.screens.profile import ProfileScreen
from netquest.tui.screens.scene import SceneScreen
from netquest.tui.screens.title import TitleScreen
from netquest.tui.widgets.choice_list import ChoiceList
from netquest.tui.widgets.coach_panel import CoachPanel
from netquest.tui.widgets.story_text import StoryText


async def test_full_playthrough_by_keys(
    make_app: AppFactory, saves_dir: Path, mini_library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # First run: no profile yet, so the profile screen comes first.
        profile_screen = await on_screen(pilot, ProfileScreen)
        assert profile_screen.query_one("#name", Input).has_focus
        await pilot.press(*"Ada", "enter")
        await on_screen(pilot, TitleScreen)
        await ready(pilot)
        assert app.profile is not None and app.profile.name == "Ada"

        await pilot.press("s")
        await on_screen(pilot, PickerScreen)
        await pilot.press("enter")
        scene = await on_screen(pilot, SceneScreen)
        assert scene.session.scene.id == "door"

        # Two choices then the last, moving on from the coach each time.
        for key, scene_id in (("1", "bar"), ("1", "follow")):
            await pilot.press(key)
            assert scene.query_one("#coach", CoachPanel).display
            await pilot.press("enter")
            await pilot.pause()
            assert scene.session.scene.id == scene_id
        await pilot.press("1")  # email_host (offered because met_host is set)
        await pilot.press("enter")
        debrief_screen = await on_screen(pilot, DebriefScreen)

        expected = engine_score(mini_library, "mixer", IDEAL, "practice")
        assert debrief_screen.query_one("#score", Digits).value == str(expected)
        assert f"{expected} / 100" in plain(debrief_screen.query_one("#score-label"))
        assert "Coffee with Priya" in plain(debrief_screen.query_one("#ending"))
        readings = plain(debrief_screen.query_one("#readings"))
        assert "Networking vs socializing: you read 3 of 3 moments" in readings
        assert len(debrief_screen.query("DecisionReview")) == 3
        await settle(pilot)

    saved = saved_profile(saves_dir)
    (run,) = saved.runs
    assert run.is_finished and run.result is not None
    assert run.result["score"] == expected
    assert SaveStore(saves_dir).last_profile() == "Ada"


async def test_full_playthrough_by_mouse(
    make_app: AppFactory, saves_dir: Path, mini_library: Library
) -> None:
    async with seeded_app(make_app, saves_dir) as (app, pilot):
        title = app.screen
        menu = title.query_one("#menu")
        # The menu has a border row, then one row per option: Scenarios is the third.
        assert await pilot.click(menu, offset=(4, 3))
        picker = await on_screen(pilot, PickerScreen)
        assert await pilot.click(picker.query_one("#scenarios"), offset=(4, 1))
        scene = await on_screen(pilot, SceneScreen)

        for choice_id, number in (("ask_job", 2), ("pitch", 2), ("nothing", 1)):
            offered = [choice.id for choice in scene.session.offered]
            assert offered[number - 1] == choice_id
            assert await pilot.click(f"#choice-{number}")
            await pilot.pause()
            assert scene.query_one("#coach", CoachPanel).display
            assert await pilot.click("#continue")
            await pilot.pause()

        debrief_screen = await on_screen(pilot, DebriefScreen)
        expected = engine_score(mini_library, "mixer", ("ask_job", "pitch", "nothing"), "practice")
        assert debrief_screen.query_one("#score", Digits).value == str(expected)
        # The review shows the better move where one existed.
        assert debrief_screen.query(".decision--better")

        assert await pilot.click("#another")
        await on_screen(pilot, PickerScreen)
        await settle(pilot)


async def test_debrief_export_delivers_markdown_with_the_score(
    make_app: AppFactory, saves_dir: Path, downloads_dir: Path, mini_library: Library
) -> None:
    async with seeded_app(make_app, saves_dir) as (app, pilot):
        await pilot.press("n")  # New game starts the first scenario not finished
        await on_screen(pilot, SceneScreen)
        for _ in IDEAL:
            await pilot.press("1", "enter")
        await on_screen(pilot, DebriefScreen)
        await pilot.press("e")
        await wait_until(pilot, lambda: list(downloads_dir.glob("*.md")), "the exported file")
        await wait_until(
            pilot,
            lambda: any("Debrief saved" in n.message for n in app._notifications),
            "the saved notification",
        )
    (exported,) = downloads_dir.glob("*.md")
    assert exported.name.startswith("netquest-debrief-mixer-")
    text = exported.read_text(encoding="utf-8")
    expected = engine_score(mini_library, "mixer", IDEAL, "practice")
    assert text.startswith("# Debrief: The Mixer")
    assert f"## Score: {expected} / 100" in text
    assert "**Player:** Ada" in text
    assert "Networking vs socializing: you read 3 of 3 moments" in text


async def test_scenario_text_is_shown_literally(
    make_app: AppFactory, saves_dir: Path, tmp_path: Path
) -> None:
    from netquest.engine import load_library

    folder = tmp_path / "scenarios"
    folder.mkdir()
    mini = Path(__file__).resolve().parent.parent / "fixtures" / "mini"
    (folder / "principles.toml").write_text((mini / "principles.toml").read_text())
    text = (mini / "mixer.toml").read_text()
    text = text.replace(
        'text = "Chat about the match."',
        'text = "Chat about [red]the match[/red] and [link=https://example.com]this[/link]\\u001b[31m."',
    )
    (folder / "mixer.toml").write_text(text)
    library = load_library([folder], include_bundled=False)
    assert library.get("mixer") is not None

    seed_profile(saves_dir)
    app = make_app(library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        story = scene.query_one("#story", StoryText)
        assert "A [bold]name tag[/bold] table stands by the door." in story.plain
        await pilot.press("1", "enter")
        await pilot.pause()
        choices = scene.query_one("#choices", ChoiceList)
        shown = plain(choices.query_one("#choice-1 .choice-item--text"))
        # Markup shows as typed; the escape character is spelled out, never sent to the terminal.
        assert shown == (
            "Chat about [red]the match[/red] and [link=https://example.com]this[/link]\\x1b[31m."
        )
        await settle(pilot)


def test_debrief_markdown_is_pure_and_names_the_better_move(mini_library: Library) -> None:
    import subprocess
    import sys

    from netquest.engine import Game, analyse, debrief
    from netquest.play.debrief_markdown import render_debrief

    check = "import sys, netquest.play.debrief_markdown; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", check], check=True)

    entry = mini_library.get("mixer")
    assert entry is not None
    state = Game(entry.scenario).replay(["ask_job", "pitch", "nothing"], "assessment")
    review = debrief(entry.scenario, entry.catalogue, state, analyse(entry.scenario))
    text = render_debrief(review, entry.scenario, entry.catalogue, player="Ada")
    assert "**Mode:** assessment" in text
    assert f"## Score: {review.score} / 100" in text
    assert "**Ending:** Quiet week (Mixed outcome)" in text
    assert "| Give and take | \u22122 | \u22122 to +2 |" in text
    assert "### 2. At the bar someone talks about football." in text
    assert "- **Better move:** Introduce yourself to the host" in text
