"""The authoring subcommands as a user types them: clear one-line errors, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from netquest.cli import main

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def test_studio_needs_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["studio", str(MINI / "mixer.toml")]) == 2
    assert "the studio needs a terminal" in capsys.readouterr().err


def test_studio_refuses_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["studio", str(MINI)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_randomtest_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["randomtest", "no_such_scenario"]) == 1
    assert "no scenario 'no_such_scenario'" in capsys.readouterr().err


def test_import_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "twee", str(tmp_path / "nope.twee")]) == 1
    assert "file not found" in capsys.readouterr().err


def test_schema_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--kind", "principles"]) == 0
    assert '"title": "netquest principles catalogue"' in capsys.readouterr().out
