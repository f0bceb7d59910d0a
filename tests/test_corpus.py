"""The broken-scenario corpus: every file pins the exact diagnostics it must produce.

Each file in ``tests/corpus/`` starts with comment lines::

    # expect: NQ004 at 44:1      (one line per problem: code, line, column)
    # expect: none               (the file must load clean)
    # with: other_file.toml      (load this file first, e.g. for a duplicate scenario id)

The test runs the checker exactly as ``netquest check FILE`` does and compares the set of
(code, line, column) it reports for the file with the expected set.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netquest.engine.checker import check_library
from netquest.engine.diagnostics import CODES, Diagnostic
from netquest.engine.library import load_library

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = sorted(p for p in CORPUS.glob("*.toml") if p.name != "principles.toml")

_EXPECT = re.compile(rb"^# expect: (?:(NQ\d{3}) at (\d+):(\d+)|none)\b", re.MULTILINE)
_WITH = re.compile(rb"^# with: (\S+)$", re.MULTILINE)

#: Codes that cannot come from the content of one file: a missing or unreadable file (NQ002),
#: a whole-curriculum check (NQ027), an empty folder (NQ028), a state space over the limit
#: (NQ030). Each is tested elsewhere (test_cli_check.py, test_engine_checker.py).
NOT_FROM_A_FILE = {"NQ002", "NQ027", "NQ028", "NQ030"}  # NQ030: replaced by NQ032


def expectations(path: Path) -> tuple[set[tuple[str, int, int]], list[Path]]:
    raw = path.read_bytes()
    expected = {
        (code.decode(), int(line), int(column))
        for code, line, column in _EXPECT.findall(raw)
        if code
    }
    return expected, [CORPUS / name.decode() for name in _WITH.findall(raw)]


def diagnose(files: list[Path]) -> list[Diagnostic]:
    """What `netquest check FILE...` reports (single files: no whole-curriculum checks)."""
    library = load_library(files=files, include_bundled=False)
    return check_library(library, whole_curriculum=False)


def test_corpus_is_big_enough() -> None:
    broken = [p for p in FILES if expectations(p)[0]]
    assert len(broken) >= 35


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_corpus_file(path: Path) -> None:
    raw = path.read_bytes()
    assert raw.startswith(b"# expect: "), "every corpus file starts with its expectation"
    expected, others = expectations(path)
    found = [d for d in diagnose([*others, path]) if d.file == str(path)]
    got = {(d.code, d.line, d.column) for d in found}
    assert got == expected, "\n".join(d.format() for d in found)
    assert len(found) == len(got), "the same problem was reported twice"
    for diagnostic in found:
        assert diagnostic.severity is CODES[diagnostic.code].severity


def test_every_file_code_is_covered() -> None:
    covered = set()
    # Course files have a corpus of their own (tests/test_courses.py reads it).
    for path in [*FILES, *sorted((CORPUS.parent / "corpus_courses").glob("*.toml"))]:
        covered |= {code for code, _, _ in expectations(path)[0]}
    assert covered == set(CODES) - NOT_FROM_A_FILE


def test_twin_is_clean_alone_and_the_pair_clashes_in_either_order() -> None:
    a, b = CORPUS / "nq029_duplicate_id_a.toml", CORPUS / "nq029_duplicate_id_b.toml"
    assert diagnose([a]) == [] and diagnose([b]) == []
    clash = [d for d in diagnose([b, a]) if d.code == "NQ029"]
    assert [(d.file, d.line, d.column) for d in clash] == [(str(a), 6, 1)]
    assert str(b) in clash[0].message


def test_did_you_mean_hints() -> None:
    hints = {
        "nq004_unknown_goto": "did you mean 'coffee'?",
        "nq004_crlf": "did you mean 'quiet'?",
        "nq010_unknown_principle": "did you mean 'give'?",
        "nq011_unknown_mode": "did you mean 'socializing'?",
        "nq012_unknown_teaches_axis": "did you mean 'notnet'?",
        "nq015_unknown_start": "did you mean 'hall'?",
        "nq007_scenario_key_typo": "did you mean 'setting'?",
    }
    for stem, hint in hints.items():
        (diagnostic,) = diagnose([CORPUS / f"{stem}.toml"])
        assert diagnostic.hint == hint
    (no_match,) = diagnose([CORPUS / "nq004_unknown_goto_no_match.toml"])
    assert "did you mean" not in no_match.hint


def test_messages_name_the_culprit() -> None:
    (goto,) = diagnose([CORPUS / "nq004_unknown_goto.toml"])
    assert goto.message == "choice 'follow_up' goes to unknown scene 'cofee'"
    (syntax,) = diagnose([CORPUS / "nq001_duplicate_table.toml"])
    assert "endings.coffee" in syntax.message and "('" not in syntax.message
    (axis,) = diagnose([CORPUS / "nq012_unknown_scene_axis.toml"])
    assert axis.hint == "known axes: notnet, nvs"


def test_markup_and_escapes_are_kept_as_text() -> None:
    library = load_library(files=[CORPUS / "ok_markup_and_escapes.toml"], include_bundled=False)
    (entry,) = library.entries
    hall = entry.scenario.scenes["hall"]
    assert "[bold]loud[/bold]" in hall.text
    assert "[link=https://example.com]Ops[/link]" in hall.text
    assert "\x1b[31mred\x1b[0m" in hall.text
    leave = entry.scenario.scenes["lobby"].choice("leave")
    assert leave is not None and leave.text == "Head home [red]now[/red] \x1b]8;;x\x07."
