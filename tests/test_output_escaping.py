"""Nothing raw reaches a terminal, a log or a spreadsheet (issue 10, items 7 and 8).

One rule (:func:`netquest.engine.text.printable`) makes every control visible: C0 and C1
controls (terminal escapes), DEL and the bidirectional controls that can make a name display as
something else. Each test puts such text where a crafted scenario file, save file, piped input
or LRS can put it, and reads what comes out at each exit.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_fixtures import MINI, best, no_lrs, play

from netquest.cli import main
from netquest.commands.plain import Plain
from netquest.engine import load_library
from netquest.engine.text import printable
from netquest.saves import Profile, SaveStore
from netquest.saves.errors import one_line
from netquest.xapi.sender import LOG_FILENAME, lrs_message, note

EVIL = "Ev\x1b[2J\x1b]8;;http://x\x07il\u202egnp.exe\u2066\x9b31m\u200f\u061c"
"""A clear-screen, a hyperlink, a right-to-left override, an isolate, a C1 CSI and marks."""
RAW = [chr(code) for code in [*range(0x20), *range(0x7F, 0xA0)] if chr(code) not in "\t\n"]
BIDI = [
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\u200e",
    "\u200f",
    "\u061c",
]


def assert_clean(text: str, *, newlines: bool = True) -> None:
    """No control, C1 or bidi character in ``text`` (newlines and tabs allowed if asked)."""
    bad = [*RAW, *BIDI] if newlines else [*RAW, *BIDI, "\n", "\t"]
    found = sorted({f"U+{ord(char):04X}" for char in text if char in bad})
    assert not found, f"raw characters reached the output: {found}"


# -- the rule ---------------------------------------------------------------------------------


def test_the_one_rule_makes_controls_and_bidi_visible() -> None:
    assert printable("a\u202eb\u2066c\u200fd\u061ce") == "a\\u202eb\\u2066c\\u200fd\\u061ce"
    assert printable("\x1b[31m\x9b\x85") == "\\x1b[31m\\x9b\\x85"
    assert printable("keeps\ttabs\nand lines") == "keeps\ttabs\nand lines"
    assert printable("one\tline\n", one_line=True) == "one\\x09line\\x0a"
    assert printable("café — ✓ 日本 👩‍💻") == "café — ✓ 日本 👩‍💻"
    # The saves package's one-line messages follow the same rule.
    assert one_line(EVIL) == printable(EVIL, one_line=True)


@given(st.text(alphabet=st.sampled_from([*RAW, *BIDI, "\t", "\n", "a", "é", "\\"])))
def test_no_text_gets_through_raw(text: str) -> None:
    assert_clean(printable(text))
    assert_clean(printable(text, one_line=True), newlines=False)
    assert_clean(one_line(text), newlines=False)


# -- the exits --------------------------------------------------------------------------------


def evil_scenarios(tmp_path: Path) -> Path:
    """The mini scenario with a crafted title, scene title, ending title and choice id."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "principles.toml").write_text((MINI / "principles.toml").read_text("utf-8"))
    text = (MINI / "mixer.toml").read_text("utf-8")
    escaped = json.dumps(EVIL)  # a TOML basic string takes JSON's \\u escapes
    text = text.replace('title = "The Mixer"', f"title = {escaped}", 1)
    text = text.replace('title = "At the door"', f"title = {escaped}", 1)
    (folder / "mixer.toml").write_text(text, "utf-8")
    return folder


def test_list_shows_crafted_titles_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = evil_scenarios(tmp_path)
    assert main(["list", "--scenarios", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Ev\\x1b[2J" in out and "\\u202egnp.exe" in out
    assert_clean(out)


def test_graph_mermaid_labels_are_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = evil_scenarios(tmp_path)
    for form in ("mermaid", "dot"):
        assert main(["graph", str(folder / "mixer.toml"), "--format", form]) == 0
        out = capsys.readouterr().out
        assert "\\u202egnp.exe" in out, form
        assert_clean(out)


def evil_saves(tmp_path: Path, scenarios: Path) -> Path:
    """A played save whose profile name is crafted, and a save whose machine id is."""
    saves = tmp_path / "saves"
    store = SaveStore(saves)
    entry = load_library(folders=[scenarios], include_bundled=False).get("mixer")
    assert entry is not None
    with no_lrs():
        play(entry, Profile.new(EVIL), store, "practice", best, random.Random(1))
        play(entry, Profile.new("Bob", machine=EVIL), store, "assessment", best, random.Random(2))
    return saves


def test_report_markdown_on_stdout_escapes_names_and_titles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenarios = evil_scenarios(tmp_path)
    saves = evil_saves(tmp_path, scenarios)
    assert main(["report", str(saves), "--scenarios", str(scenarios), "--scenario", "mixer"]) == 0
    out, err = capsys.readouterr()
    assert "\\u202egnp.exe" in out
    assert_clean(out)
    assert_clean(err)


def test_report_warnings_escape_crafted_file_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saves = tmp_path / "saves"
    saves.mkdir()
    (saves / f"{EVIL.replace('/', '_')}.json").write_text("{ not json", "utf-8")
    assert main(["report", str(saves)]) == 1
    err = capsys.readouterr().err
    assert "\\u202egnp.exe" in err
    assert_clean(err)
    assert all(line.startswith("netquest: ") for line in err.splitlines())


def test_lrs_error_bodies_are_escaped_on_stderr_and_in_the_log(tmp_path: Path) -> None:
    shown = lrs_message(json.dumps({"message": EVIL}))
    assert "\\u202egnp.exe" in shown
    assert_clean(shown, newlines=False)
    assert_clean(lrs_message(f"<html>{EVIL}</html>"), newlines=False)
    note(tmp_path, f"HTTP 400: {EVIL}")
    logged = (tmp_path / LOG_FILENAME).read_text("utf-8")
    assert logged.count("\n") == 1
    assert_clean(logged)


def test_plain_mode_echoes_piped_input_escaped() -> None:
    out = io.StringIO()
    ui = Plain(out, iter([EVIL + "\n"]), echo=True)
    assert ui.ask("Choose 1-2: ") == EVIL.strip()  # the answer itself is not changed
    assert out.getvalue().startswith("Choose 1-2: Ev\\x1b[2J")
    assert_clean(out.getvalue())


def test_log_lines_and_errors_are_one_escaped_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from netquest.cli import EscapingFormatter

    record = logging.LogRecord(
        "netquest.web", logging.WARNING, __file__, 1, "host %r", (EVIL,), None
    )
    line = EscapingFormatter("netquest: %(levelname)s: %(message)s").format(record)
    assert line.startswith("netquest: WARNING: host 'Ev\\x1b[2J")
    assert_clean(line, newlines=False)
    assert main(["play", f"no-such-{EVIL}", "--plain", "--saves", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert_clean(err.rstrip("\n"), newlines=False)


# -- spreadsheets -----------------------------------------------------------------------------


def test_every_csv_text_cell_is_neutralised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saves = tmp_path / "saves"
    store = SaveStore(saves)
    entry = load_library(folders=[MINI], include_bundled=False).get("mixer")
    assert entry is not None
    formula = '=HYPERLINK("http://x","y")'
    with no_lrs():
        play(entry, Profile.new("Ada", machine=formula), store, "practice", best, random.Random(1))
        play(
            entry,
            Profile.new("Bea", machine="@SUM(1)"),
            store,
            "assessment",
            best,
            random.Random(1),
        )
    # A crafted save: the finished runs' outcomes are formulas too.
    for path in saves.glob("*.json"):
        if path.name.startswith("netquest-"):
            continue
        data = json.loads(path.read_text("utf-8"))
        for run in data["runs"]:
            if run.get("result"):
                run["result"]["outcome"] = "+cmd|' /C calc'!A0"
        path.write_text(json.dumps(data), "utf-8")
    assert main(["report", str(saves), "--scenarios", str(MINI), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)
    machines = {row["machine"] for row in rows}
    assert machines == {"'" + formula, "'@SUM(1)"}
    outcomes = {row["latest_outcome"] for row in rows} | {row["assessment_outcome"] for row in rows}
    assert "'+cmd|' /C calc'!A0" in outcomes
