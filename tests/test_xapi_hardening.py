"""Learning records under faults: a full disk, a captive portal, a trickling LRS, leaked secrets,
a world-readable secret and a planted symbolic link."""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from netquest.xapi import journal as journal_module
from netquest.xapi.config import LrsSettings, load_config
from netquest.xapi.journal import (
    append_lines,
    encode_lines,
    read_cursor,
    read_lines,
    read_statements,
)
from netquest.xapi.sender import LOG_FILENAME, BackgroundSender, Delivery, Response, deliver

SECRET = "hunter2-topsecret"


def statement(number: int) -> dict[str, object]:
    return {"id": f"00000000-0000-4000-8000-{number:012d}", "verb": {"id": "x"}, "n": number}


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NETQUEST_LRS_ENDPOINT", "NETQUEST_LRS_KEY", "NETQUEST_LRS_SECRET"):
        monkeypatch.delenv(name, raising=False)


# --- item 3: a full disk never tears the journal ------------------------------------------------


def test_a_full_disk_leaves_the_journal_parseable_and_the_lost_lines_are_written_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = tmp_path / "ada.xapi.jsonl"
    append_lines(journal, encode_lines([statement(1)]))
    real_write = os.write
    calls = {"n": 0}

    def full_disk(fd: int, data: bytes | memoryview) -> int:
        # The disk fills half way through the next statement: part of it lands, then ENOSPC.
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal_module.os, "write", full_disk)
    with pytest.raises(OSError, match="No space left"):
        append_lines(journal, encode_lines([statement(2)]))
    monkeypatch.setattr(journal_module.os, "write", real_write)
    assert not journal.read_bytes().endswith(b"\n")  # the torn tail the failure left

    append_lines(journal, encode_lines([statement(3)]))  # the disk has room again
    statements, unreadable = read_statements(journal)
    assert [s["n"] for s in statements] == [1, 2, 3]  # 2 was kept and written first, 3 intact
    assert unreadable == 1  # the torn half-line is a line of its own, skipped by readers
    assert journal.read_bytes().endswith(b"\n")


def test_whole_lines_written_before_the_disk_filled_are_not_written_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = tmp_path / "ada.xapi.jsonl"
    data = encode_lines([statement(1), statement(2)])
    first_line = data.index(b"\n") + 1
    real_write = os.write
    calls = {"n": 0}

    def full_disk(fd: int, chunk: bytes | memoryview) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(chunk)[: first_line + 5])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal_module.os, "write", full_disk)
    with pytest.raises(OSError):
        append_lines(journal, data)
    monkeypatch.setattr(journal_module.os, "write", real_write)
    append_lines(journal, b"")
    statements, unreadable = read_statements(journal)
    assert [s["n"] for s in statements] == [1, 2] and unreadable == 1


def test_the_journal_refuses_a_planted_symbolic_link(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(b"precious\n")
    journal = tmp_path / "ada.xapi.jsonl"
    journal.symlink_to(target)
    with pytest.raises(OSError) as excinfo:
        append_lines(journal, encode_lines([statement(1)]))
    assert excinfo.value.errno == errno.ELOOP
    assert target.read_bytes() == b"precious\n"
    sent: list[bytes] = []

    def transport(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> Response:
        sent.append(body)
        return Response(200, "[]")

    result = deliver(journal, LrsSettings("https://lrs.test/xapi/"), transport)
    assert sent == [] and result.problem is not None and "symbolic link" in result.problem


# --- item 4: a 200 that is not xAPI -------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<html><body>Please log in to the guest Wi-Fi</body></html>",
        "",
        "[]",
        '["only-one"]',
        '{"ok": true}',
        "[1, 2]",
    ],
    ids=["captive-portal", "empty", "no-ids", "too-few-ids", "object", "not-ids"],
)
def test_a_200_without_the_statement_ids_keeps_them_queued_and_is_logged(
    tmp_path: Path, body: str, caplog: pytest.LogCaptureFixture
) -> None:
    journal = tmp_path / "ada.xapi.jsonl"
    append_lines(journal, encode_lines([statement(1), statement(2)]))
    lrs = LrsSettings("https://lrs.test/xapi/", batch_size=10)

    def portal(url: str, data: bytes, headers: Mapping[str, str], timeout: float) -> Response:
        return Response(200, body)

    result = deliver(journal, lrs, portal)
    assert result.sent == 0 and result.pending == 2 and result.problem is not None
    assert "\n" not in result.problem and "stay queued" in result.problem
    assert read_cursor(journal, lrs.statements_url) == 0

    sender = BackgroundSender(lrs, tmp_path, portal)
    with caplog.at_level(logging.WARNING, logger="netquest.xapi"):
        sender.nudge(journal)
        sender.drain(10)
        sender.stop()
    assert any("statement id" in record.getMessage() for record in caplog.records)
    (logged,) = (tmp_path / LOG_FILENAME).read_text(encoding="utf-8").splitlines()
    assert "HTTP 200" in logged

    def real_lrs(url: str, data: bytes, headers: Mapping[str, str], timeout: float) -> Response:
        return Response(200, json.dumps([s["id"] for s in json.loads(data)]))

    assert deliver(journal, lrs, real_lrs).sent == 2  # the same statements, not lost


# --- item 19: the LRS side ----------------------------------------------------------------------


@pytest.fixture
def trickling_lrs() -> Iterator[str]:
    """An LRS that answers one byte at a time, forever (until the test ends)."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                connection.recv(65536)
                for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"[" * 100_000:
                    if stop.wait(0.05):
                        break
                    try:
                        connection.sendall(bytes([byte]))
                    except OSError:
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/xapi/"
    finally:
        stop.set()
        thread.join(5)
        server.close()


def test_a_trickling_lrs_is_cut_off_at_the_deadline(tmp_path: Path, trickling_lrs: str) -> None:
    journal = tmp_path / "ada.xapi.jsonl"
    append_lines(journal, encode_lines([statement(1)]))
    lrs = LrsSettings(trickling_lrs, timeout=1.0)
    results: list[Delivery] = []
    worker = threading.Thread(target=lambda: results.append(deliver(journal, lrs)), daemon=True)
    worker.start()
    worker.join(60)  # without an overall deadline this never returns
    assert not worker.is_alive(), "report --send would hang on this LRS"
    (result,) = results
    assert result.pending == 1 and "within 1 seconds" in str(result.problem)


def test_credentials_in_the_lrs_url_are_used_but_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    from netquest.cli import main

    port = socket.create_server(("127.0.0.1", 0))
    closed = port.getsockname()[1]
    port.close()  # nothing listens: the LRS cannot be reached
    config = tmp_path / "netquest-lrs.toml"
    config.write_text(f'[lrs]\nendpoint = "http://teacher:{SECRET}@127.0.0.1:{closed}/x/"\n')
    config.chmod(0o600)
    loaded = load_config(tmp_path, {})
    assert loaded.lrs is not None and loaded.lrs.secret == SECRET
    assert SECRET not in loaded.lrs.endpoint and loaded.problems == ()
    journal = tmp_path / "ada.xapi.jsonl"
    append_lines(journal, encode_lines([statement(1)]))
    with caplog.at_level(logging.DEBUG):
        code = main(["report", "--send", "--saves", str(tmp_path), str(tmp_path)])
        sender = BackgroundSender(loaded.lrs, tmp_path)
        sender.nudge(journal)
        sender.drain(10)
        sender.stop()
    err = capsys.readouterr().err
    assert code == 1 and err and "Traceback" not in err
    assert SECRET not in err and "teacher" not in err
    assert all(SECRET not in record.getMessage() for record in caplog.records)
    assert SECRET not in (tmp_path / LOG_FILENAME).read_text(encoding="utf-8")


def test_a_wrong_lrs_url_with_credentials_is_reported_without_them(tmp_path: Path) -> None:
    loaded = load_config(tmp_path, {"NETQUEST_LRS_ENDPOINT": f"ftp://teacher:{SECRET}@host/"})
    assert loaded.lrs is None and len(loaded.problems) == 1
    assert SECRET not in loaded.problems[0]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_world_readable_config_with_a_secret_is_accepted_with_one_warning(
    tmp_path: Path,
) -> None:
    config = tmp_path / "netquest-lrs.toml"
    config.write_text(f'[lrs]\nendpoint = "https://lrs.test/x/"\nsecret = "{SECRET}"\n')
    config.chmod(0o644)
    loaded = load_config(tmp_path, {})
    assert loaded.lrs is not None and loaded.lrs.secret == SECRET  # still used
    (warning,) = loaded.problems
    assert "anyone on this computer can read it" in warning and "chmod 600" in warning
    assert SECRET not in warning
    config.chmod(0o600)
    assert load_config(tmp_path, {}).problems == ()
    config.write_text('[lrs]\nendpoint = "https://lrs.test/x/"\n')  # no secret: nothing to hide
    config.chmod(0o644)
    assert load_config(tmp_path, {}).problems == ()


def test_read_lines_still_reads_a_repaired_journal(tmp_path: Path) -> None:
    journal = tmp_path / "ada.xapi.jsonl"
    journal.write_bytes(encode_lines([statement(1)]) + b'{"torn')
    append_lines(journal, encode_lines([statement(2)]))
    lines = list(read_lines(journal))
    assert [line.statement["n"] if line.statement else None for line in lines] == [1, None, 2]
