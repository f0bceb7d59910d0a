"""The background journal writer: order kept, nothing lost, a failure never stops it."""

from __future__ import annotations

import json
from pathlib import Path

from netquest.xapi.journal_writer import JournalWriter


def _lines(path: Path) -> list[int]:
    return [json.loads(line)["n"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_statements_are_written_in_the_order_given(tmp_path: Path) -> None:
    writer = JournalWriter()
    written: list[Path] = []
    journals = [tmp_path / "a" / "Ada.xapi.jsonl", tmp_path / "Bo.xapi.jsonl"]
    for n in range(300):
        writer.submit(journals[n % 2], [{"n": n}, {"n": n + 1000}], written.append, _fail)
    assert writer.flush(timeout=30)
    assert _lines(journals[0]) == [m for n in range(0, 300, 2) for m in (n, n + 1000)]
    assert _lines(journals[1]) == [m for n in range(1, 300, 2) for m in (n, n + 1000)]
    assert written == [journals[n % 2] for n in range(300)]


def test_a_journal_that_cannot_be_written_is_reported_and_the_rest_still_written(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    failures: list[Path] = []
    writer = JournalWriter()
    good = tmp_path / "Ada.xapi.jsonl"
    writer.submit(blocker / "Kim.xapi.jsonl", [{"n": 0}], _never, lambda p, e: failures.append(p))
    writer.submit(good, [{"n": 1}], _raises, _fail)  # a failing callback stops nothing either
    writer.submit(good, [{"n": 2}], lambda p: None, _fail)
    assert writer.flush(timeout=30)
    assert failures == [blocker / "Kim.xapi.jsonl"]
    assert _lines(good) == [1, 2]


def test_flush_with_nothing_queued_returns_at_once() -> None:
    assert JournalWriter().flush(timeout=0)


def _fail(path: Path, error: OSError) -> None:
    raise AssertionError(f"{path}: {error}")


def _never(path: Path) -> None:
    raise AssertionError(f"{path} should not have been written")


def _raises(path: Path) -> None:
    raise RuntimeError("the sender is gone")
