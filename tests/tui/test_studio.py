"""`netquest studio`: Pilot drives the real studio on a copy of the mini scenario in a temp folder.

The file is edited on disk as an author's editor would; the studio's watchfiles worker sees the
save and reloads. Snapshots: ``pytest tests/tui/test_studio.py --snapshot-update``.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from core_helpers import wait_until
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from netquest.engine.draft import Position
from netquest.tui.studio.diagnostics_pane import DiagnosticsPane
from netquest.tui.studio.flag_set_picker import FlagSetPicker
from netquest.tui.studio.source_view import SourceView
from netquest.tui.studio.story_map import StoryMap
from netquest.tui.studio.studio_app import StudioApp

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini"
SnapCompare = Callable[..., bool]


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    """A copy of the mini scenario and its catalogue, to edit."""
    folder = tmp_path / "draft"
    folder.mkdir()
    for name in ("mixer.toml", "principles.toml"):
        (folder / name).write_bytes((MINI / name).read_bytes())
    return folder / "mixer.toml"


async def loaded(pilot: Pilot[Any], count: int = 1) -> StudioApp:
    app = pilot.app
    assert isinstance(app, StudioApp)
    await wait_until(pilot, lambda: app.loads >= count, f"load {count}", timeout=20)
    await pilot.pause()
    return app


async def save(pilot: Pilot[Any], path: Path, text: str) -> StudioApp:
    """Write ``text`` as an editor would, and wait until the watcher has reloaded it."""
    app = pilot.app
    assert isinstance(app, StudioApp)
    before = app.loads
    for _attempt in range(10):
        # The watcher may still be starting: save again until it has seen a save.
        path.write_text(text, encoding="utf-8")
        try:
            await wait_until(pilot, lambda: app.loads > before, "reload", timeout=2)
            break
        except AssertionError:
            continue
    await wait_until(pilot, lambda: app.loads > before, "reload after save", timeout=5)
    await pilot.pause()  # (not workers.wait_for_complete(): the watcher runs until exit)
    return app


def shown(app: StudioApp, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def take(pilot: Pilot[Any], number: int) -> None:
    choices = pilot.app.query_one("#choices", OptionList)
    choices.focus()
    choices.highlighted = number - 1
    await pilot.press("enter")
    await pilot.pause()


async def test_a_save_on_disk_reloads_the_play_pane_and_keeps_its_place(draft: Path) -> None:
    async with StudioApp(draft).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await take(pilot, 1)  # introduce → bar
        assert app.placed is not None and app.placed.node == "bar"
        text = draft.read_text(encoding="utf-8").replace(
            "talks about football", "talks about chess"
        )
        await save(pilot, draft, text)
        assert app.placed.node == "bar" and app.position.choices == ("introduce",)
        assert "talks about chess" in shown(app, "#text")
        notice = shown(app, "#notice")
        assert "changed scene 'bar'" in notice and "position kept" in notice


async def test_a_removed_choice_steps_back_to_where_it_was_offered(draft: Path) -> None:
    async with StudioApp(draft).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await take(pilot, 1)
        await take(pilot, 1)  # chat → follow
        assert app.placed is not None and app.placed.node == "follow"
        text = draft.read_text(encoding="utf-8").replace('id = "chat"', 'id = "small_talk"')
        text = text.replace('"introduce", "chat"', '"introduce", "small_talk"')
        await save(pilot, draft, text)
        assert app.placed.node == "bar"
        assert "choice 'chat' is no longer offered in 'bar'" in shown(app, "#notice")


async def test_a_broken_save_shows_its_diagnostics_and_the_last_good_version_plays(
    draft: Path,
) -> None:
    async with StudioApp(draft).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        good = draft.read_text(encoding="utf-8")
        broken = good.replace('goto = "bar"\nsets', 'goto = "barr"\nsets')
        await save(pilot, draft, broken)
        pane = app.query_one(DiagnosticsPane)
        rows = [str(pane.get_option_at_index(i).prompt) for i in range(pane.option_count)]
        line = broken.splitlines().index('goto = "barr"') + 1
        assert any(f"{line:>4} error NQ004" in row and "barr" in row for row in rows), rows
        assert "still playing the last good version" in shown(app, "#notice")
        await take(pilot, 1)  # the good version's door → bar
        assert app.placed is not None and app.placed.node == "bar"
        await save(pilot, draft, good)
        assert app.query_one(DiagnosticsPane).option_count == 1  # "nothing to fix"
        assert app.placed.node == "bar"


async def test_jumping_from_the_map_asks_for_a_reachable_flag_set(draft: Path) -> None:
    async with StudioApp(draft, watch=False).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        story_map = app.query_one(StoryMap)
        story_map.focus()
        story_map.move_cursor(story_map._by_node["follow"])
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FlagSetPicker), "flag picker")
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == ["no flags", "met_host"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.placed is not None
        assert (app.placed.node, app.placed.flags) == ("follow", frozenset({"met_host"}))
        assert "jumped to 'follow' with met_host" in shown(app, "#notice")
        assert "Email Priya" in str(
            app.query_one("#choices", OptionList).get_option_at_index(0).prompt
        )
        # An ending has no flags to choose: the jump is immediate.
        story_map.focus()
        await pilot.pause()  # the map has moved its cursor to the current scene
        story_map.move_cursor(story_map._by_node["coffee"])
        await pilot.press("enter")
        await pilot.pause()
        assert app.placed.node == "coffee"


async def test_enter_on_a_diagnostic_without_an_editor_shows_the_lines_around_it(
    draft: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    text = draft.read_text(encoding="utf-8").replace('outcome = "great"', 'outcome = "superb"')
    draft.write_text(text, encoding="utf-8")
    async with StudioApp(draft, watch=False).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        assert app.good is None
        assert "does not load yet" in shown(app, "#where")
        pane = app.query_one(DiagnosticsPane)
        pane.focus()
        pane.highlighted = 0
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SourceView), "source view")
        line = text.splitlines().index('outcome = "superb"') + 1
        body = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert f'▶{line:>5}  outcome = "superb"' in body
        assert "set $EDITOR" in body


async def test_the_studio_never_touches_player_saves(draft: Path) -> None:
    saves = Path(os.environ["NETQUEST_SAVES"])
    async with StudioApp(draft).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        for _ in range(3):
            await take(pilot, 1)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.position == Position()
    assert not saves.exists() or list(saves.iterdir()) == []


async def test_the_inspector_names_the_score_cap(draft: Path) -> None:
    async with StudioApp(draft, watch=False).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await take(pilot, 1)  # at the bar
        from netquest.tui.studio.scene_inspector import SceneInspector

        text = str(app.query_one(SceneInspector).render())
        assert "chat" in text and "keeps 100/100 in reach" in text
        assert "pitch" in text and "caps the run at 80/100" in text


def _at_the_bar() -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await take(pilot, 1)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot(snap_compare: SnapCompare, draft: Path, size: tuple[int, int]) -> None:
    assert snap_compare(StudioApp(draft, watch=False), terminal_size=size, run_before=_at_the_bar())
