"""`netquest --course ID` and `netquest course ID`: the course is found and checked before the
game starts, and a wrong one is a single line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pytest

import netquest.tui.app
from netquest.cli import main


def test_an_unknown_course_is_one_line_before_the_game(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for argv in (["--course", "nope"], ["course", "nope"]):
        assert main(["--saves", str(tmp_path), *argv]) == 2
        error = capsys.readouterr().err
        assert error.startswith("netquest: no course 'nope' (known: onboarding")
        assert error.count("\n") == 1


def test_a_broken_course_is_one_line_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        'format = 1\n[course]\nid = "b"\ntitle = "B"\n\n[[steps]]\nscenario = "nowhere"\n',
        encoding="utf-8",
    )
    assert main(["--saves", str(tmp_path), "--course", str(broken)]) == 1
    error = capsys.readouterr().err
    assert "the course cannot be used: " in error and "broken.toml:7:" in error
    assert "NQ060" in error and error.count("\n") == 1


@pytest.mark.parametrize("argv", [["--course", "onboarding"], ["course", "onboarding"]])
def test_the_game_gets_the_course(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started: dict[str, Any] = {}

    def run_app(**kwargs: Any) -> int:
        started.update(kwargs)
        return 0

    monkeypatch.setattr(netquest.tui.app, "run_app", run_app)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["--saves", str(tmp_path), *argv]) == 0
    course = started["course"]
    assert course.id == "onboarding" and course.steps[0].scenario == "read_the_room"


def test_without_a_course_the_game_gets_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from netquest.cli import run_tui

    started: dict[str, Any] = {}
    monkeypatch.setattr(netquest.tui.app, "run_app", lambda **kwargs: started.update(kwargs))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    args = argparse.Namespace(
        web_session=False, saves=tmp_path, scenarios=[], profile=None, course=None
    )
    assert run_tui(args) == 0
    assert started["course"] is None


def test_help_says_what_a_course_is() -> None:
    from netquest.tui.screens.help import SCORING

    courses = SCORING[SCORING.index("## Courses") :]
    assert "--course" in courses and "Continue" in courses and "attempts" in courses
