"""Text safety (control characters made visible, markup left alone) and diagnostic formatting."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netquest.engine.diagnostics import (
    CODES,
    Diagnostic,
    Severity,
    did_you_mean,
    make,
    sort_key,
    summary,
    to_json,
)
from netquest.engine.text import paragraphs, printable

# -- printable ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        (
            "[bold]loud[/bold] [link=https://x.org]x[/link]",
            "[bold]loud[/bold] [link=https://x.org]x[/link]",
        ),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("bell\x07 cr\r nul\x00 del\x7f csi\x9b", "bell\\x07 cr\\x0d nul\\x00 del\\x7f csi\\x9b"),
        ("café — ✓ 日本", "café — ✓ 日本"),
        (
            "\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\",
            "\\x1b]8;;https://evil\\x1b\\link\\x1b]8;;\\x1b\\",
        ),
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown


@given(st.text())
def test_printable_leaves_no_control_characters(text: str) -> None:
    shown = printable(text)
    assert all(ch in "\t\n" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F) for ch in shown)
    if all(ch in "\t\n" or 0x20 <= ord(ch) < 0x7F or ord(ch) > 0x9F for ch in text):
        assert shown == text


def test_paragraphs() -> None:
    text = "  First line\n  continues here.\n\n\n Second   paragraph.\n \t\nThird."
    assert paragraphs(text) == ["First line continues here.", "Second paragraph.", "Third."]
    assert paragraphs("") == [] and paragraphs("\n\n") == []


# -- diagnostics --------------------------------------------------------------------------------


def test_format_is_compiler_style() -> None:
    diagnostic = make(
        "NQ004",
        "scenarios/office_party.toml",
        (42, 5),
        "choice 'ask_team' goes to unknown scene 'team_tlak'",
        "did you mean 'team_talk'?",
    )
    assert diagnostic.severity is Severity.ERROR and diagnostic.is_error
    assert diagnostic.format() == (
        "scenarios/office_party.toml:42:5: error NQ004: choice 'ask_team' goes to unknown "
        "scene 'team_tlak' (did you mean 'team_talk'?)"
    )


def test_format_without_hint_and_as_warning() -> None:
    diagnostic = make("NQ019", "a.toml", (4, 1), "scenario has no [[tests]] golden paths")
    assert diagnostic.severity is Severity.WARNING and not diagnostic.is_error
    assert (
        diagnostic.format() == "a.toml:4:1: warning NQ019: scenario has no [[tests]] golden paths"
    )


def test_format_is_always_one_line() -> None:
    diagnostic = make("NQ006", "a.toml", (1, 1), "value\nspans\r\nlines", "fix\nit")
    assert diagnostic.format() == "a.toml:1:1: error NQ006: value spans lines (fix it)"


def test_every_code_has_a_severity_and_title() -> None:
    # Codes are handed out in ranges per area (docs/diagnostics.md), so gaps are expected.
    assert list(CODES) == sorted(CODES)
    assert all(re.fullmatch(r"NQ\d{3}", code) for code in CODES)
    for code, entry in CODES.items():
        assert entry.code == code and entry.title and isinstance(entry.severity, Severity)
    with pytest.raises(KeyError):
        make("NQ999", "a.toml", (1, 1), "no such code")


def test_summary_counts_and_plurals() -> None:
    error = make("NQ004", "a.toml", (1, 1), "x")
    warning = make("NQ007", "a.toml", (2, 1), "y")
    assert summary([], 0) == "0 errors, 0 warnings in 0 files"
    assert summary([error], 1) == "1 error, 0 warnings in 1 file"
    assert summary([error, error, warning], 2) == "2 errors, 1 warning in 2 files"


def test_json_document() -> None:
    later = make("NQ007", "b.toml", (2, 1), "y")
    first = make("NQ004", "a.toml", (9, 3), "x", "hint")
    document = json.loads(to_json([later, first], 2))
    assert document["files"] == 2 and document["errors"] == 1 and document["warnings"] == 1
    assert document["diagnostics"][0] == {
        "file": "a.toml",
        "line": 9,
        "column": 3,
        "code": "NQ004",
        "message": "x",
        "hint": "hint",
        "severity": "error",
    }
    assert [d["file"] for d in document["diagnostics"]] == ["a.toml", "b.toml"]


def test_sort_key_orders_by_file_then_position() -> None:
    items = [
        make("NQ007", "b.toml", (1, 1), "x"),
        make("NQ004", "a.toml", (10, 1), "x"),
        make("NQ004", "a.toml", (2, 7), "x"),
        make("NQ001", "a.toml", (2, 7), "x"),
    ]
    ordered = sorted(items, key=sort_key)
    assert [(d.file, d.line, d.column, d.code) for d in ordered] == [
        ("a.toml", 2, 7, "NQ001"),
        ("a.toml", 2, 7, "NQ004"),
        ("a.toml", 10, 1, "NQ004"),
        ("b.toml", 1, 1, "NQ007"),
    ]


def test_did_you_mean() -> None:
    assert did_you_mean("team_tlak", ["team_talk", "lobby"]) == "did you mean 'team_talk'?"
    assert did_you_mean("zzz", ["team_talk", "lobby"]) == ""
    assert did_you_mean("x", []) == ""


def test_diagnostic_is_a_frozen_value() -> None:
    diagnostic = Diagnostic("a.toml", 1, 2, "NQ004", "m")
    with pytest.raises(AttributeError):
        diagnostic.line = 3  # type: ignore[misc]
    assert diagnostic.severity is Severity.ERROR


def test_diagnostics_show_names_from_a_file_literally(tmp_path: Path) -> None:
    """An escape sequence in a goto target must not reach the terminal through `check`."""
    from netquest.engine.checker import check_library
    from netquest.engine.library import load_library

    mini = Path(__file__).parent / "fixtures" / "mini"
    for name in ("principles.toml", "mixer.toml"):
        text = (mini / name).read_text(encoding="utf-8")
        if name == "mixer.toml":
            text = text.replace('goto = "coffee"', 'goto = "caf\\u001b[31me"')
        (tmp_path / name).write_text(text, encoding="utf-8")
    library = load_library([tmp_path], include_bundled=False)
    lines = [d.format() for d in check_library(library, whole_curriculum=False)]
    assert any("unknown scene 'caf\\x1b[31me'" in line for line in lines), lines
    assert not any("\x1b" in line for line in lines)
