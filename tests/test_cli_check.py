"""`netquest check`, run as a real command: output lines, JSON, exit codes, bad paths."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from netquest.cli import main
from netquest.engine import toml_source

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
CORPUS = TESTS / "corpus"
MINI = TESTS / "fixtures" / "mini"

LINE = re.compile(r"^(?P<file>[^:]+):(\d+):(\d+): (error|warning) (NQ\d{3}): \S.*$")
SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings? in \d+ files?$")
EXPECT = re.compile(r"^# expect: (NQ\d{3}) at (\d+):(\d+)", re.MULTILINE)


def netquest(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netquest", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def corpus_expectations() -> set[tuple[str, int, int, str]]:
    expected = set()
    for path in CORPUS.glob("*.toml"):
        for code, line, column in EXPECT.findall(
            path.read_text(encoding="utf-8", errors="replace")
        ):
            expected.add((f"tests/corpus/{path.name}", int(line), int(column), code))
    return expected


def test_check_the_corpus_folder(tmp_path: Path) -> None:
    result = netquest("check", "tests/corpus", "--saves", tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    *diagnostics, last = lines
    assert SUMMARY.match(last), last
    assert all(LINE.match(line) for line in diagnostics), [
        line for line in diagnostics if not LINE.match(line)
    ]
    found = set()
    for line in diagnostics:
        match = LINE.match(line)
        assert match is not None
        found.add((match["file"], int(match[2]), int(match[3]), match[5]))
    # Checked together, the folder reports exactly what each file's header promises.
    assert found == corpus_expectations()
    assert len(diagnostics) == len(found)
    files = len([p for p in CORPUS.glob("*.toml") if p.name != "principles.toml"])
    errors = sum(" error NQ" in line for line in diagnostics)
    warnings = len(diagnostics) - errors
    assert last == f"{errors} errors, {warnings} warnings in {files} files"
    assert (
        "tests/corpus/nq004_unknown_goto.toml:44:1: error NQ004: choice 'follow_up' goes to "
        "unknown scene 'cofee' (did you mean 'coffee'?)" in diagnostics
    )


def test_check_json_has_the_same_diagnostics(tmp_path: Path) -> None:
    text = netquest("check", "tests/corpus", "--saves", tmp_path)
    result = netquest("check", "tests/corpus", "--format", "json", "--saves", tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    rows = document["diagnostics"]
    assert document["errors"] == sum(r["severity"] == "error" for r in rows)
    assert document["warnings"] == sum(r["severity"] == "warning" for r in rows)
    as_text = [
        f"{r['file']}:{r['line']}:{r['column']}: {r['severity']} {r['code']}: {r['message']}"
        + (f" ({r['hint']})" if r["hint"] else "")
        for r in rows
    ]
    assert as_text == text.stdout.splitlines()[:-1]


def test_check_a_clean_folder(tmp_path: Path) -> None:
    result = netquest("check", MINI, "--saves", tmp_path)
    no_traceback(result)
    assert (result.returncode, result.stdout) == (0, "0 errors, 0 warnings in 1 file\n")


def test_strict_makes_warnings_fail(tmp_path: Path) -> None:
    target = CORPUS / "nq019_no_tests.toml"
    relaxed = netquest("check", target, "--saves", tmp_path)
    assert relaxed.returncode == 0
    assert " warning NQ019: " in relaxed.stdout
    assert relaxed.stdout.splitlines()[-1] == "0 errors, 1 warning in 1 file"
    strict = netquest("check", target, "--strict", "--saves", tmp_path)
    assert strict.returncode == 2 and strict.stdout == relaxed.stdout
    clean = netquest("check", MINI, "--strict", "--saves", tmp_path)
    assert clean.returncode == 0


def test_errors_win_over_strict(tmp_path: Path) -> None:
    result = netquest("check", CORPUS / "nq004_unknown_goto.toml", "--strict", "--saves", tmp_path)
    assert result.returncode == 1


def test_missing_file(tmp_path: Path) -> None:
    result = netquest("check", tmp_path / "nope.toml", "--saves", tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'nope.toml'}:1:1: error NQ002: file not found (check the path)",
        "1 error, 0 warnings in 1 file",
    ]


@pytest.mark.parametrize("contents", [[], ["principles.toml", "notes.txt"]])
def test_folder_without_scenarios(tmp_path: Path, contents: list[str]) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in contents:
        source = MINI / name
        (folder / name).write_text(source.read_text() if source.exists() else "notes\n")
    result = netquest("check", folder, "--saves", tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{folder}:1:1: error NQ028: no scenario files (*.toml) here "
        "(add scenario files or point at another folder)",
        "1 error, 0 warnings in 0 files",
    ]


def test_not_utf8_and_syntax_errors_are_one_line(tmp_path: Path) -> None:
    result = netquest(
        "check",
        CORPUS / "nq001_not_utf8.toml",
        CORPUS / "nq001_duplicate_table.toml",
        "--saves",
        tmp_path,
    )
    no_traceback(result)
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 3


def test_huge_file_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "principles.toml").write_text((MINI / "principles.toml").read_text())
    huge = folder / "huge.toml"
    huge.write_bytes(b"# filler line\n" * 40_000)  # 560 kB
    monkeypatch.setattr(toml_source, "MAX_FILE_BYTES", 256 * 1024)
    status = main(["check", str(huge), "--saves", str(tmp_path / "saves")])
    out, err = capsys.readouterr()
    assert status == 1 and err == ""
    first, summary = out.splitlines()
    assert first.startswith(f"{huge}:1:1: error NQ002: file is 0.5 MiB, over the ")
    assert first.endswith("(split the scenario into smaller files)")
    assert summary == "1 error, 0 warnings in 1 file"
