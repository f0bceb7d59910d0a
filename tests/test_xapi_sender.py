"""Recording and sending learning records: the session hook, the journal, batches, failures.

The LRS here is a fake transport (no network), except where a closed port on 127.0.0.1
stands for an LRS that cannot be reached.
"""

from __future__ import annotations

import base64
import json
import logging
import random
import socket
import time
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import MINI, anything, best, no_lrs, play

from netquest.cli import main
from netquest.engine import Entry, load_library
from netquest.play.session import PlaySession, SessionListener
from netquest.saves import Profile, SaveStore
from netquest.xapi.config import LrsSettings, load_config
from netquest.xapi.journal import cursor_path, read_cursor, read_statements, rejected_path
from netquest.xapi.recorder import default_listener, recorder_for
from netquest.xapi.sender import (
    BackgroundSender,
    Response,
    deliver,
    lrs_message,
    stop_senders,
    urllib_transport,
)
from netquest.xapi.vocab import VERB_ANSWERED, VERB_ATTEMPTED, VERB_COMPLETED

LRS = LrsSettings("https://lrs.test/xapi/", key="nq", secret="s3cret", batch_size=4)


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("NETQUEST_LRS_ENDPOINT", "NETQUEST_LRS_KEY", "NETQUEST_LRS_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("NETQUEST_XAPI", raising=False)
    yield
    stop_senders()


@pytest.fixture(scope="module")
def mixer() -> Entry:
    entry = load_library(folders=[MINI], include_bundled=False).get("mixer")
    assert entry is not None
    return entry


class FakeLrs:
    """Records POSTs and answers like an LRS: 200, or a chosen failure."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, list[dict[str, Any]], dict[str, str]]] = []
        self.stored: list[dict[str, Any]] = []
        self.refuse: set[str] = set()  # statement ids answered with 400
        self.down = False
        self.status: int | None = None

    def __call__(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> Response:
        batch = json.loads(body)
        self.posts.append((url, batch, dict(headers)))
        if self.down:
            return Response(0, error="[Errno 111] Connection refused")
        if self.status is not None:
            return Response(self.status, json.dumps({"detail": "nope"}))
        if any(statement["id"] in self.refuse for statement in batch):
            return Response(400, json.dumps({"detail": "Statement has an invalid verb"}))
        self.stored += batch
        return Response(200, json.dumps([statement["id"] for statement in batch]))


def journal_with(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "kim-00000000.xapi.jsonl"
    lines = [json.dumps({"id": f"id-{n}", "verb": {"id": "v"}}) for n in range(count)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


# --- the session hook --------------------------------------------------------------------------


def test_a_session_records_every_event_beside_the_save(tmp_path: Path, mixer: Entry) -> None:
    store = SaveStore(tmp_path)
    session = PlaySession.new(
        mixer, Profile.new("Kim"), "practice", store, listener=default_listener(store)
    )
    session.choose("introduce")
    session.step_back()  # undone: the answer stays recorded, the next one is step 1 again
    session.choose("ask_job")
    session.choose("chat")
    session.choose("nothing")
    assert session.is_over and session.save() is None
    journal = store.path_for("Kim").with_name(store.path_for("Kim").stem + ".xapi.jsonl")
    statements, bad = read_statements(journal)
    assert bad == 0
    verbs = [s["verb"]["id"] for s in statements]
    assert verbs == [VERB_ATTEMPTED] + [VERB_ANSWERED] * 4 + [VERB_COMPLETED]
    assert [s["result"]["response"] for s in statements[1:5]] == [
        "introduce",
        "ask_job",
        "chat",
        "nothing",
    ]
    assert {s["context"]["registration"] for s in statements} == {str(uuid.UUID(session.run.id))}
    # Continuing a saved run adds no second "attempted".
    resumed, _ = PlaySession.resume(
        mixer, session.profile, session.run, store, listener=default_listener(store)
    )
    assert resumed is not None
    assert len(read_statements(journal)[0]) == len(statements)


def test_recording_can_be_turned_off(
    tmp_path: Path, mixer: Entry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETQUEST_XAPI", "off")
    store = SaveStore(tmp_path)
    session = PlaySession.new(
        mixer, Profile.new("Kim"), "practice", store, listener=default_listener(store)
    )
    session.choose("introduce")
    assert session.listener is None
    assert not list(tmp_path.glob("*.jsonl"))
    silent = PlaySession.new(
        mixer, Profile.new("Lu"), "practice", SaveStore(tmp_path), listener=SessionListener()
    )
    silent.choose("introduce")
    assert not list(tmp_path.glob("*.jsonl"))


def test_a_failing_journal_or_listener_never_stops_play(
    tmp_path: Path, mixer: Entry, caplog: pytest.LogCaptureFixture
) -> None:
    store = SaveStore(tmp_path)
    # The journal's name is taken by a folder: every append fails.
    store.path_for("Kim").with_name(store.path_for("Kim").stem + ".xapi.jsonl").mkdir(parents=True)
    with caplog.at_level(logging.WARNING):
        session = PlaySession.new(
            mixer, Profile.new("Kim"), "practice", store, listener=default_listener(store)
        )
        for choice in ("introduce", "chat", "email_host"):
            session.choose(choice)
    assert session.is_over and session.save() is None
    warnings = [r.getMessage() for r in caplog.records if "learning records" in r.getMessage()]
    assert len(warnings) == 1  # said once, not at every choice

    class Broken(SessionListener):
        def choice_made(self, *args: object) -> None:
            raise RuntimeError("boom")

    caplog.clear()
    with caplog.at_level(logging.WARNING):
        other = PlaySession.new(mixer, Profile.new("Lu"), "practice", listener=Broken())
        outcome = other.choose("introduce")
    assert outcome.choice.id == "introduce"
    assert any("boom" in r.getMessage() for r in caplog.records)


# --- configuration -----------------------------------------------------------------------------


def test_config_file_then_environment(tmp_path: Path) -> None:
    (tmp_path / "netquest-lrs.toml").write_text(
        """
[lrs]
endpoint = "https://lrs.example.org/xAPI/"
key = "file-key"
secret = "file-secret"
batch_size = 20

[xapi]
homepage = "https://learn.example.org"
identify_by = "email"
send_name = false
pass_score = 75
colour = "blue"
""",
        "utf-8",
    )
    (tmp_path / "netquest-lrs.toml").chmod(0o600)  # it holds a secret
    config = load_config(tmp_path, {})
    assert config.lrs == LrsSettings(
        "https://lrs.example.org/xAPI/", "file-key", "file-secret", batch_size=20
    )
    assert config.lrs.statements_url == "https://lrs.example.org/xAPI/statements"
    assert config.settings.homepage == "https://learn.example.org"
    assert (config.settings.identify_by, config.settings.send_name) == ("email", False)
    assert config.settings.pass_score == 75
    assert len(config.problems) == 1 and "colour" in config.problems[0]
    env = {"NETQUEST_LRS_ENDPOINT": "http://127.0.0.1:9/x/", "NETQUEST_LRS_SECRET": "env"}
    overridden = load_config(tmp_path, env)
    assert overridden.lrs is not None
    assert overridden.lrs.endpoint == "http://127.0.0.1:9/x/"
    assert (overridden.lrs.key, overridden.lrs.secret) == ("file-key", "env")
    assert "env" not in repr(overridden.lrs)  # secrets stay out of logs


def test_a_broken_config_is_reported_and_play_goes_on(tmp_path: Path, mixer: Entry) -> None:
    (tmp_path / "netquest-lrs.toml").write_text("[lrs\nendpoint = 3", "utf-8")
    config = load_config(tmp_path, {})
    assert config.lrs is None and len(config.problems) == 1
    assert "cannot be read" in config.problems[0]
    bad = load_config(None, {"NETQUEST_LRS_ENDPOINT": "ftp://files"})
    assert bad.lrs is None and "not an http(s) URL" in bad.problems[0]
    store = SaveStore(tmp_path)
    session = PlaySession.new(
        mixer, Profile.new("Kim"), "practice", store, listener=default_listener(store)
    )
    session.choose("introduce")
    assert list(tmp_path.glob("*.xapi.jsonl"))  # still recorded locally


# --- sending -----------------------------------------------------------------------------------


def test_statements_go_in_batches_with_the_xapi_headers(tmp_path: Path) -> None:
    journal = journal_with(tmp_path, 10)
    lrs = FakeLrs()
    result = deliver(journal, LRS, lrs)
    assert (result.sent, result.rejected, result.pending, result.problem) == (10, 0, 0, None)
    assert [len(batch) for _, batch, _ in lrs.posts] == [4, 4, 2]
    url, _, headers = lrs.posts[0]
    assert url == "https://lrs.test/xapi/statements"
    assert headers["X-Experience-API-Version"] == "1.0.3"
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"nq:s3cret").decode()
    assert headers["Content-Type"].startswith("application/json")
    assert [s["id"] for s in lrs.stored] == [f"id-{n}" for n in range(10)]
    again = deliver(journal, LRS, lrs)
    assert again.sent == 0 and len(lrs.posts) == 3  # nothing left to send


def test_an_unreachable_lrs_keeps_everything_queued(tmp_path: Path) -> None:
    journal = journal_with(tmp_path, 6)
    lrs = FakeLrs()
    lrs.down = True
    result = deliver(journal, LRS, lrs)
    assert (result.sent, result.pending, result.unreachable) == (0, 6, True)
    assert result.problem is not None and "cannot reach the LRS at lrs.test" in result.problem
    assert read_cursor(journal, LRS.statements_url) == 0
    lrs.down = False
    with journal.open("a", encoding="utf-8") as handle:  # played on meanwhile
        handle.write(json.dumps({"id": "id-6"}) + "\n")
    later = deliver(journal, LRS, lrs)
    assert (later.sent, later.pending) == (7, 0)
    assert [s["id"] for s in lrs.stored] == [f"id-{n}" for n in range(7)]


def test_a_rejected_statement_is_isolated_set_aside_and_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    journal = journal_with(tmp_path, 8)
    lrs = FakeLrs()
    lrs.refuse = {"id-5"}
    with caplog.at_level(logging.WARNING, logger="netquest.xapi"):
        result = deliver(journal, LRS, lrs)
    assert (result.sent, result.rejected, result.pending, result.problem) == (7, 1, 0, None)
    assert [s["id"] for s in lrs.stored] == [f"id-{n}" for n in range(8) if n != 5]
    (line,) = rejected_path(journal).read_text("utf-8").splitlines()
    kept = json.loads(line)
    assert kept["statement"]["id"] == "id-5"
    assert kept["reason"] == "HTTP 400: Statement has an invalid verb"
    (message,) = [r.getMessage() for r in caplog.records]
    assert "\n" not in message
    assert message.startswith("the LRS at lrs.test rejected 1 of 4 statement(s)")
    assert message.endswith("Statement has an invalid verb")
    assert "rejected 1 of 4" in (tmp_path / "netquest-xapi.log").read_text("utf-8")


def test_refused_credentials_keep_statements_queued(tmp_path: Path) -> None:
    journal = journal_with(tmp_path, 3)
    lrs = FakeLrs()
    lrs.status = 401
    result = deliver(journal, LRS, lrs)
    assert (result.sent, result.rejected, result.pending) == (0, 0, 3)
    assert result.problem is not None and "refused the credentials" in result.problem
    assert not rejected_path(journal).exists()


def test_partial_and_unreadable_lines(tmp_path: Path) -> None:
    journal = tmp_path / "a.xapi.jsonl"
    journal.write_bytes(b'{"id": "one"}\nnot json\n{"id": "two"}\n{"id": "thr')
    lrs = FakeLrs()
    result = deliver(journal, LRS, lrs)
    assert result.sent == 2 and [s["id"] for s in lrs.stored] == ["one", "two"]
    with journal.open("ab") as handle:
        handle.write(b'ee"}\n')  # the write in progress completes
    assert deliver(journal, LRS, lrs).sent == 1
    assert lrs.stored[-1]["id"] == "three"
    assert json.loads(cursor_path(journal).read_text("utf-8"))["format"] == ("netquest-xapi-cursor")


def test_lrs_messages_are_one_line() -> None:
    assert lrs_message('{"detail": [{"loc": ["body", 0, "actor"], "msg": "bad\\nactor"}]}') == (
        "0.actor: bad actor"
    )
    assert lrs_message('{"message": "Conflict"}') == "Conflict"
    assert lrs_message("<html>\n<b>502</b>\n</html>") == "<html> <b>502</b> </html>"
    assert lrs_message("") == "no message"


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_real_transport_reports_a_closed_port_as_unreachable() -> None:
    port = closed_port()
    response = urllib_transport(f"http://127.0.0.1:{port}/xAPI/statements", b"[]", {}, 2.0)
    assert response.status == 0 and response.error


def test_the_background_sender_sends_without_blocking(tmp_path: Path) -> None:
    journal = journal_with(tmp_path, 5)
    lrs = FakeLrs()
    sender = BackgroundSender(LRS, tmp_path, lrs)
    started = time.monotonic()
    sender.nudge(journal)
    assert time.monotonic() - started < 0.5
    assert sender.drain(10)
    assert len(lrs.stored) == 5
    sender.stop()


def test_play_with_an_lrs_configured_queues_while_it_is_down(
    tmp_path: Path, mixer: Entry, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = closed_port()
    monkeypatch.setenv("NETQUEST_LRS_ENDPOINT", f"http://127.0.0.1:{port}/xAPI/")
    store = SaveStore(tmp_path)
    started = time.monotonic()
    profile = play(mixer, Profile.new("Kim"), store, "practice", best, random.Random(2))
    assert time.monotonic() - started < 5  # play never waits for the network
    stop_senders()
    (journal,) = tmp_path.glob("*.xapi.jsonl")
    assert len(read_statements(journal)[0]) == 5
    assert read_cursor(journal, f"http://127.0.0.1:{port}/xAPI/statements") == 0
    assert profile.runs[0].is_finished


def test_report_send_explains_what_happened(
    tmp_path: Path,
    mixer: Entry,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = SaveStore(tmp_path)
    with no_lrs():
        play(mixer, Profile.new("Kim"), store, "practice", anything, random.Random(4))
    status = main(["report", "--send", "--saves", str(tmp_path)])
    _, err = capsys.readouterr()
    assert status == 2 and "no LRS configured" in err
    monkeypatch.setenv("NETQUEST_LRS_ENDPOINT", f"http://127.0.0.1:{closed_port()}/xAPI/")
    status = main(["report", "--send", "--saves", str(tmp_path)])
    _, err = capsys.readouterr()
    assert status == 1
    assert "cannot reach the LRS" in err
    assert "sent 0 statement(s) from 1 journal(s)" in err and "5 still queued" in err
    assert recorder_for(tmp_path) is not None
