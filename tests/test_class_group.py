"""Group play: the teacher's shared run, the students' own runs with their votes, the reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from netquest.engine import Library, load_library
from netquest.play.class_group import GroupGame, GroupRun, best_path
from netquest.reports import build_report, collect
from netquest.saves import Profile, SaveStore
from netquest.tui.dashboard.app import DashboardApp
from netquest.xapi.journal import journal_for, read_statements
from netquest.xapi.recorder import default_listener
from netquest.xapi.sender import stop_senders
from netquest.xapi.vocab import EXT_GROUP, EXT_VOTE, VERB_ANSWERED

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(folders=[MINI], include_bundled=False)


def test_a_group_round_votes_plays_the_majority_and_the_teacher_may_override(
    library: Library,
) -> None:
    entry = library.get("mixer")
    assert entry is not None
    group = GroupGame(entry)
    assert not group.vote("Ada", 1, "introduce")  # not open yet
    group.open_vote()
    assert group.vote("Ada", 1, "ask_job")
    assert group.vote("Bao", 1, "ask_job")
    assert group.vote("Chidi", 1, "introduce")
    assert group.vote("Ada", 1, "introduce")  # changed her mind: the latest counts
    assert not group.vote("Dana", 1, "nonsense")
    assert not group.vote("Dana", 2, "introduce")  # another round
    assert group.counts == {"introduce": 2, "ask_job": 1}
    group.close_vote()
    assert not group.vote("Eve", 1, "ask_job")
    assert group.majority == "introduce"
    played = group.play()
    assert played is not None and played.id == "introduce"
    message = group.message()
    assert message["phase"] == "played" and message["played"] == ["door", "introduce"]
    group.next_scene()
    assert group.phase == "waiting" and group.scene is not None and group.scene.id == "bar"
    group.open_vote()
    group.vote("Ada", 2, "chat")
    assert group.play("pitch") is not None  # the teacher overrides the majority
    assert group.rounds[-1].majority == "chat" and group.rounds[-1].played == "pitch"
    group.next_scene()
    group.open_vote()
    group.play()  # nobody voted: the first choice offered
    group.next_scene()
    assert group.phase == "debrief"
    assert group.path == [["door", "introduce"], ["bar", "pitch"], ["follow", "email_host"]]
    assert best_path(entry) == [("door", "introduce"), ("bar", "chat"), ("follow", "email_host")]


def test_each_student_run_follows_the_class_and_keeps_their_votes(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NETQUEST_LRS_ENDPOINT", "NETQUEST_XAPI"):
        monkeypatch.delenv(name, raising=False)
    entry = library.get("mixer")
    assert entry is not None
    store = SaveStore(tmp_path)
    run = GroupRun(entry, Profile.new("Ada"), store, "s1", default_listener(store))
    run.vote("door", "ask_job")
    run.follow([["door", "introduce"]])
    run.vote("bar", "chat")
    run.follow([["door", "introduce"], ["bar", "chat"], ["follow", "email_host"]])
    session = run.session
    assert session.is_over
    assert session.run.group == {"session": "s1", "votes": [["door", "ask_job"], ["bar", "chat"]]}
    store.save(session.profile)
    stop_senders()

    # Saved, read back, reported as a group run.
    (saved,) = store.load("Ada").profile.runs
    assert saved.group is not None and saved.group["votes"][0] == ["door", "ask_job"]
    report = build_report(collect([tmp_path]), library)
    (learner,) = report.learners
    (attempt,) = learner.attempts
    assert attempt.mode == "group" and attempt.score == 100

    # xAPI: every answered statement names the group session; the student's vote rides along.
    statements, _ = read_statements(journal_for(store.path_for("Ada")))
    answered = [s for s in statements if s["verb"]["id"] == VERB_ANSWERED]
    assert [s["result"]["response"] for s in answered] == ["introduce", "chat", "email_host"]
    assert [s["result"]["extensions"].get(EXT_VOTE) for s in answered] == [
        "ask_job", "chat", None,
    ]  # fmt: skip
    assert all(s["context"]["extensions"][EXT_GROUP] == "s1" for s in answered)

    # A tab closed and opened again carries on the same run.
    again = GroupRun(entry, store.load("Ada").profile, store, "s1")
    assert again.session.run.id == saved.id


async def test_the_dashboard_leads_a_group_round_to_the_debrief(library: Library) -> None:
    app = DashboardApp(library, feed=None, group="mixer")
    async with app.run_test(size=(106, 30)) as pilot:
        app.take({"t": "live"})
        await pilot.press("o")
        group = app.group
        assert group is not None and group.phase == "open"
        session = group.session
        for name, choice in (("Ada", "introduce"), ("Bao", "introduce"), ("Chidi", "ask_job")):
            app.take({"t": "vote", "name": name, "session": session, "round": 1,
                      "scene": "door", "choice": choice})  # fmt: skip
        await pilot.pause(0.3)
        assert app.sent[-1]["counts"] == {"introduce": 2, "ask_job": 1}
        assert "3 votes" in _text(app)
        await pilot.press("c")
        await pilot.press("enter")  # the majority is played
        await pilot.pause(0.3)
        assert app.sent[-1]["played"] == ["door", "introduce"]
        assert "Focused conversation" in _text(app)  # the coach's note, for everyone
        for _ in range(2):
            await pilot.press("enter", "o", "2")  # next scene, open, the teacher picks choice 2
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert group.phase == "debrief"
        text = _text(app)
        assert "Class debrief" in text and "Quiet week" in text
        assert "Best path: introduce → chat → email_host" in text
        assert "Class path: introduce → pitch → nothing" in text


def _text(app: DashboardApp) -> str:
    return "\n".join(
        str(widget.render()) for widget in app.query("Static, ProjectorText") if widget.display
    )


def test_serve_refuses_a_group_scenario_that_is_not_playable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("textual_serve")
    from netquest.cli import main

    assert main(["serve", "--saves", str(tmp_path), "--group", "no_such_scenario"]) != 0
    error = capsys.readouterr().err
    assert "--group: no playable scenario 'no_such_scenario'" in error
    assert error.count("\n") == 1
