"""Autosave, quit-and-continue, broken save files and switching profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AppFactory
from core_helpers import (
    on_screen,
    plain,
    ready,
    saved_profile,
    seed_profile,
    seeded_app,
    settle,
    wait_until,
)
from textual.widgets import OptionList

from netquest.saves import SaveError, SaveStore
from netquest.tui.screens.profile import ProfileScreen
from netquest.tui.screens.scene import SceneScreen
from netquest.tui.screens.title import TitleScreen
from netquest.tui.widgets.choice_list import ChoiceList


async def test_quit_mid_scenario_and_continue(make_app: AppFactory, saves_dir: Path) -> None:
    seed_profile(saves_dir)
    first = make_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        await pilot.press("1")  # introduce: sets the met_host flag
        await pilot.press("enter")
        await pilot.pause()
        assert scene.session.scene.id == "bar"
        await settle(pilot)
        await pilot.press("ctrl+q")

    # The choice was saved as soon as it was made.
    (run,) = saved_profile(saves_dir).runs
    assert not run.is_finished
    assert run.state["node"] == "bar"

    second = make_app()
    async with second.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        title = second.screen
        assert isinstance(title, TitleScreen)
        menu = title.query_one("#menu", OptionList)
        continue_option = menu.get_option("continue")
        assert not continue_option.disabled
        assert "The Mixer" in str(continue_option.prompt)
        await pilot.press("c")
        scene = await on_screen(pilot, SceneScreen)
        session = scene.session
        assert session.run.id == run.id
        assert session.scene.id == "bar"
        assert session.state.flags == frozenset({"met_host"})
        assert [(s.scene, s.choice) for s in session.state.history] == [("door", "introduce")]
        # The flag still counts: the follow-up that needs it is offered after the bar.
        await pilot.press("1", "enter")
        offered = [choice_id for choice_id, _ in scene.query_one("#choices", ChoiceList).choices]
        assert "email_host" in offered
        await settle(pilot)


async def test_continue_is_disabled_without_an_unfinished_run(
    make_app: AppFactory, saves_dir: Path
) -> None:
    async with seeded_app(make_app, saves_dir) as (app, pilot):
        menu = app.screen.query_one("#menu", OptionList)
        assert menu.get_option("continue").disabled
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_a_corrupt_save_is_reported_and_play_goes_on(
    make_app: AppFactory, saves_dir: Path
) -> None:
    store = SaveStore(saves_dir)
    store.ensure()
    store.path_for("Ada").write_text("{ this is not json", encoding="utf-8")
    store.set_last_profile("Ada")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        messages = [notification.message for notification in app._notifications]
        assert any("could not be used" in message for message in messages), messages
        assert app.profile is not None and app.profile.runs == ()
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        await pilot.press("1")
        await settle(pilot)
        assert scene.session.step_number == 1
    # The broken file was moved aside, never deleted; a fresh one holds the new run.
    assert list(saves_dir.glob("*.corrupt-*.json"))
    assert len(saved_profile(saves_dir).runs) == 1


async def test_a_save_error_is_a_notification_and_play_goes_on(
    make_app: AppFactory, saves_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_profile(saves_dir)

    def refuse(self: SaveStore, profile: object) -> Path:
        raise SaveError(f"cannot save {self.directory}: Read-only file system")

    monkeypatch.setattr(SaveStore, "save", refuse)
    monkeypatch.setattr(SaveStore, "commit", refuse)  # the merging save the app uses
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        scene = await on_screen(pilot, SceneScreen)
        await pilot.press("1", "enter")
        await settle(pilot)
        errors = [n for n in app._notifications if n.title == "Could not save"]
        assert len(errors) == 1  # said once, not after every choice
        assert "Read-only file system" in errors[0].message
        assert scene.session.scene.id == "bar"
        await pilot.press("1", "enter")
        await settle(pilot)
        assert scene.session.scene.id == "follow"
        assert len([n for n in app._notifications if n.title == "Could not save"]) == 1


async def test_switch_profile_creates_and_remembers_players(
    make_app: AppFactory, saves_dir: Path
) -> None:
    async with seeded_app(make_app, saves_dir) as (app, pilot):
        await pilot.press("w")
        profiles = await on_screen(pilot, ProfileScreen)
        await wait_until(pilot, lambda: profiles.query_one("#profiles", OptionList).option_count)
        await pilot.click("#name")
        await pilot.press(*"Bob", "enter")
        title = await on_screen(pilot, TitleScreen)
        await wait_until(pilot, lambda: app.profile is not None and app.profile.name == "Bob")
        await settle(pilot)
        assert "Playing as Bob" in plain(title.query_one("#player-line"))
        assert SaveStore(saves_dir).last_profile() == "Bob"

        # Back to Ada by picking her from the list.
        await pilot.press("w")
        profiles = await on_screen(pilot, ProfileScreen)
        listing = profiles.query_one("#profiles", OptionList)
        await wait_until(pilot, lambda: listing.option_count == 2)
        assert "(playing)" in str(listing.get_option_at_index(1).prompt)
        listing.highlighted = 0
        await pilot.press("enter")
        await on_screen(pilot, TitleScreen)
        await wait_until(pilot, lambda: app.profile is not None and app.profile.name == "Ada")
        await settle(pilot)
    store = SaveStore(saves_dir)
    assert store.last_profile() == "Ada"
    assert sorted(summary.name for summary in store.list_profiles()) == ["Ada", "Bob"]


async def test_first_run_cannot_skip_choosing_a_player(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, ProfileScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        await pilot.press("enter")  # an empty name is not accepted
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        await pilot.press(*"  Zoë  Smith ", "enter")
        await on_screen(pilot, TitleScreen)
        await wait_until(pilot, lambda: app.profile is not None)
        assert app.profile is not None and app.profile.name == "Zoë Smith"
        await settle(pilot)
