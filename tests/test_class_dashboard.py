"""The teacher's dashboard: the class model, the hub and feed, and the app driven by Pilot."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from pathlib import Path

import pytest

from netquest.engine import Library, load_library
from netquest.play.class_feed import ClassFeed, ClassFeedListener, position
from netquest.play.class_state import ClassState
from netquest.play.session import PlaySession
from netquest.saves import Profile
from netquest.tui.dashboard.app import DashboardApp

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(folders=[MINI], include_bundled=False)


def event(name: str, path: list[list[str]], *, run: str | None = None, **more: object) -> dict:
    scene = {0: "door", 1: "bar", 2: "follow"}.get(len(path))
    return {"t": "choice", "name": name, "run": run or f"run-{name}", "scenario": "mixer",
            "mode": "practice", "scene": scene, "path": path, "finished": scene is None,
            **more}  # fmt: skip


def test_the_class_state_counts_each_students_latest_choices(library: Library) -> None:
    entry = library.get("mixer")
    assert entry is not None
    state = ClassState()
    state.apply(event("Ada", [["door", "introduce"]]))
    state.apply(event("Bao", [["door", "ask_job"]]))
    state.apply(event("Bao", [["door", "ask_job"]]))  # the same event twice counts once
    state.apply(event("Chidi", [["door", "ask_job"], ["bar", "pitch"]]))
    state.apply({"t": "left", "name": "Chidi", "conn": 3})

    door, bar = state.bars(entry.scenario)
    assert [(o.id, o.count, o.best) for o in door.options] == [
        ("introduce", 1, True), ("ask_job", 2, False),
    ]  # fmt: skip
    assert [(o.id, o.count) for o in bar.options] == [("chat", 0), ("pitch", 1)]
    roster = state.roster()
    assert [(s.name, s.present, s.scene, s.decisions) for s in roster] == [
        ("Ada", True, "bar", 1), ("Bao", True, "bar", 1), ("Chidi", False, "follow", 2),
    ]  # fmt: skip
    losses = state.losses(library)
    assert [(loss.principle, loss.points, loss.students) for loss in losses] == [
        ("give", -4, 2), ("rapport", -1, 1),
    ]  # fmt: skip

    # A replay (a new run of the same student) replaces their old choices.
    state.apply(event("Bao", [["door", "introduce"]], run="run-Bao-2"))
    door, _ = state.bars(entry.scenario)
    assert [o.count for o in door.options] == [2, 1]


def test_a_played_session_posts_positions_to_the_hub_and_leaving_is_noticed(
    library: Library, tmp_path: Path
) -> None:
    from netquest.web.class_hub import ClassHub

    entry = library.get("mixer")
    assert entry is not None

    async def scenario() -> list[dict]:
        hub = ClassHub()
        await hub.start()
        try:
            reader, writer = await asyncio.open_unix_connection(hub.path)
            writer.write(b'{"t":"watch"}\n')
            await writer.drain()
            seen: list[dict] = []

            def play() -> None:
                feed = ClassFeed(hub.path)
                session = PlaySession.new(
                    entry, Profile.new("Ada"), "practice",
                    listener=ClassFeedListener(feed, None),
                )  # fmt: skip
                session.choose("introduce")
                feed.close()  # the tab closes mid-run

            thread = threading.Thread(target=play)
            thread.start()
            while not seen or seen[-1]["t"] != "left":
                line = await asyncio.wait_for(reader.readline(), 10)
                seen.append(json.loads(line))
            thread.join()
            writer.close()
            return seen
        finally:
            await hub.close()

    seen = asyncio.run(scenario())
    kinds = [item["t"] for item in seen]
    assert kinds == ["live", "run", "choice", "left"]
    assert seen[2]["path"] == [["door", "introduce"]]
    assert seen[2]["scene"] == "bar"
    state = ClassState()
    for item in seen:
        state.apply(item)
    (ada,) = state.roster()
    assert (ada.name, ada.present, ada.decisions) == ("Ada", False, 1)


class _Hub:
    """A hub's listening socket in ``folder``, read by the test itself."""

    def __init__(self, folder: Path) -> None:
        self.path = str(folder / "hub.sock")
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen()
        self.server.settimeout(10)
        self.connection: socket.socket | None = None
        self.data = b""

    def lines(self, count: int) -> list[dict]:
        if self.connection is None:
            self.connection, _ = self.server.accept()
            self.connection.settimeout(10)
        while self.data.count(b"\n") < count:
            chunk = self.connection.recv(1 << 16)
            assert chunk, "the feed closed early"
            self.data += chunk
        *lines, self.data = self.data.split(b"\n", count)
        return [json.loads(line) for line in lines]


def test_once_connected_an_event_is_written_by_the_thread_that_posts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not handed to the feed's thread, which may wait long for the CPU in a busy class."""
    hub = _Hub(tmp_path)
    writers: list[int] = []
    plain = socket.socket

    class Recording(plain):  # type: ignore[misc,valid-type]
        def send(self, data: bytes, *flags: int) -> int:
            writers.append(threading.get_ident())
            return int(super().send(data, *flags))

        def sendall(self, data: bytes, *flags: int) -> None:
            writers.append(threading.get_ident())
            super().sendall(data, *flags)

    monkeypatch.setattr(socket, "socket", Recording)
    feed = ClassFeed(hub.path)
    feed.post({"t": "joined", "name": "Ada"})
    assert hub.lines(1) == [{"t": "joined", "name": "Ada"}]  # connected
    writers.clear()
    feed.post({"t": "choice", "name": "Ada"})
    assert writers == [threading.get_ident()]
    assert hub.lines(1) == [{"t": "choice", "name": "Ada"}]
    feed.close()


def test_events_the_hub_is_slow_to_read_arrive_in_order(tmp_path: Path) -> None:
    hub = _Hub(tmp_path)
    feed = ClassFeed(hub.path)
    feed.post({"t": "joined", "name": "Ada"})
    assert hub.lines(1) == [{"t": "joined", "name": "Ada"}]
    padding = "x" * 1000
    for number in range(1000):  # ~1 MB: more than the socket holds while nobody reads
        feed.post({"t": "choice", "n": number, "pad": padding})
    feed.close()
    assert [line["n"] for line in hub.lines(1000)] == list(range(1000))
    assert hub.connection is not None
    assert hub.connection.recv(10) == b""  # then the feed leaves


def test_events_for_a_hub_that_is_not_there_are_dropped(tmp_path: Path) -> None:
    feed = ClassFeed(str(tmp_path / "missing.sock"))
    feed.post({"t": "joined", "name": "Ada"})
    assert feed._thread is not None
    feed._thread.join(10)
    feed.post({"t": "choice", "name": "Ada"})  # nothing kept, nothing raised
    assert not feed._backlog


def test_position_of_a_finished_run_has_the_ending_and_score(library: Library) -> None:
    entry = library.get("mixer")
    assert entry is not None
    session = PlaySession.new(entry, Profile.new("Ada"), "assessment")
    for choice in ("introduce", "chat", "email_host"):
        session.choose(choice)
    where = position(session)
    assert where["finished"] is True
    assert where["ending"] == "coffee"
    assert where["score"] == 100
    assert where["scene"] is None


async def test_the_dashboard_shows_positions_bars_reveal_and_hidden_names(
    library: Library,
) -> None:
    app = DashboardApp(library, feed=None)
    async with app.run_test(size=(106, 30)) as pilot:
        app.take({"t": "live"})
        app.take(event("Ada Lovelace", [["door", "introduce"]]))
        app.take(event("Bao", [["door", "ask_job"]]))
        await pilot.pause(0.3)
        text = _screen_text(app)
        assert "Ada Lovelace" in text
        assert "The Mixer" in text
        assert "2 decisions" in text
        assert "★" not in text  # not before the teacher reveals it
        await pilot.press("r")
        await pilot.pause(0.3)
        assert "★ 1 Introduce yourself" in _screen_text(app)
        await pilot.press("h")
        await pilot.pause(0.3)
        text = _screen_text(app)
        assert "Ada Lovelace" not in text
        assert "Student 1" in text and "Student 2" in text
        assert "Losing points on:" in text and "Give and take" in text
        path = [["door", "introduce"], ["bar", "chat"], ["follow", "email_host"]]
        app.take(event("Ada Lovelace", path, ending="coffee", score=100))
        await pilot.press("d")
        await pilot.pause(0.3)
        text = _screen_text(app)
        assert "Class debrief: The Mixer · 1 finished" in text
        assert "Coffee with Priya" in text


def _screen_text(app: DashboardApp) -> str:
    """Everything the dashboard shows, as plain text."""
    return "\n".join(
        str(widget.render()) for widget in app.query("Static, ProjectorText") if widget.display
    )


async def test_a_choice_repaints_only_the_lines_it_changed_and_the_bar_shows_it(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.geometry import Region

    from netquest.tui.dashboard.choice_bars import ChoiceBars
    from netquest.tui.dashboard.loss_list import LossList
    from netquest.tui.dashboard.projector_text import ProjectorText
    from netquest.tui.dashboard.roster_table import RosterTable

    app = DashboardApp(library, feed=None)
    async with app.run_test(size=(106, 30)) as pilot:
        app.take({"t": "live"})
        app.take(event("Ada", [["door", "introduce"], ["bar", "pitch"]]))
        app.take(event("Bao", [["door", "introduce"]]))
        app.take(event("Chidi", [["door", "ask_job"]]))
        app.take(event("Dana", [["door", "ask_job"]]))
        await pilot.pause(0.5)
        blocks: list[ProjectorText] = [
            app.query_one(RosterTable), app.query_one(ChoiceBars), app.query_one(LossList)
        ]  # fmt: skip
        before = {block: str(block.render()).splitlines() for block in blocks}
        repaints: list[tuple[ProjectorText, tuple[Region, ...], bool]] = []

        def spy(block: ProjectorText) -> None:
            refresh = block.refresh

            def recorded(*regions: Region, **options: bool) -> ProjectorText:
                repaints.append((block, regions, options.get("layout", False)))
                return refresh(*regions, **options)

            monkeypatch.setattr(block, "refresh", recorded)

        for block in blocks:
            spy(block)

        app.take(event("Bao", [["door", "introduce"], ["bar", "chat"]]))
        await pilot.pause(0.5)

        assert repaints, "the choice was not drawn"
        assert not any(layout for _, _, layout in repaints), "no new lines: no layout"
        assert all(regions for _, regions, _ in repaints), "only some lines, not whole blocks"
        for block in blocks:
            after = str(block.render()).splitlines()
            pairs = enumerate(zip(before[block], after, strict=True))
            changed = {y for y, (old, new) in pairs if old != new}
            painted = {
                y for who, regions, _ in repaints if who is block for r in regions
                for y in r.line_range
            }  # fmt: skip
            assert painted == changed, type(block).__name__
        bars = app.query_one(ChoiceBars)
        shown = [strip.text for strip in bars.render_lines(Region(0, 0, *bars.outer_size))]
        assert "The Mixer · 6 decisions" in shown[0]
        chat = next(line for line in shown if "Chat about the" in line)
        assert chat.rstrip().endswith("█ 1")
        roster = app.query_one(RosterTable)
        lines = [strip.text for strip in roster.render_lines(Region(0, 0, *roster.outer_size))]
        assert any("Bao" in line and " 2 The Mixer · follow" in line for line in lines)


async def test_the_dashboard_draws_its_lines_again_at_a_new_size(library: Library) -> None:
    from textual.geometry import Region

    from netquest.tui.dashboard.choice_bars import ChoiceBars

    app = DashboardApp(library, feed=None)
    async with app.run_test(size=(106, 30)) as pilot:
        app.take({"t": "live"})
        app.take(event("Ada", [["door", "introduce"]]))
        await pilot.pause(0.5)
        await pilot.resize_terminal(140, 30)
        await pilot.pause(0.5)
        app.take(event("Bao", [["door", "ask_job"]]))
        await pilot.pause(0.5)
        bars = app.query_one(ChoiceBars)
        lines = [strip.text for strip in bars.render_lines(Region(0, 0, *bars.outer_size))]
        assert {len(line) for line in lines} == {bars.outer_size.width}
        assert "2 decisions" in lines[0]
        assert any("Introduce yourself to the" in line for line in lines)  # was "…rself …"


async def test_redrawing_event_by_event_ends_on_the_screen_drawn_at_once(
    library: Library,
) -> None:
    """Repainting only changed lines never leaves a stale line behind (40 students: the
    roster is longer than the screen)."""
    import re

    steps = [["door", "introduce"], ["bar", "chat"], ["follow", "email_host"]]
    events: list[dict] = [{"t": "live"}]
    events += [event(f"S{n:02d}", steps[:1]) for n in range(40)]
    events += [event(f"S{n:02d}", steps[: 2 + n % 2]) for n in range(0, 40, 3)]
    events += [event("S07", [["door", "ask_job"]], run="again"), {"t": "left", "name": "S05"}]

    async def screen(batch: int) -> str:
        app = DashboardApp(library, feed=None)
        async with app.run_test(size=(106, 30)) as pilot:
            for start in range(0, len(events), batch):
                for one in events[start : start + batch]:
                    app.take(one)
                await pilot.pause(0.3)
            return re.sub(r"terminal-\d+", "", app.export_screenshot())

    assert await screen(5) == await screen(len(events))
