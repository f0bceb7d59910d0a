"""`netquest serve --course ID`: the course is checked once at start-up and every tab's game
follows it (through the environment the server's games inherit)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, ClassVar

import pytest

pytest.importorskip("textual_serve", reason="needs the web extra: pip install 'netquest[web]'")

import netquest.web.server
from netquest.cli import main
from netquest.engine import load_library
from netquest.engine.course import find_course
from netquest.tui.app import NetquestApp
from netquest.web.launcher import game_environment
from netquest.web.session import COURSE_ENV, play_in_browser, served_course


class FakeServer:
    """Stands in for the classroom server: records how it was made, serves nothing."""

    made: ClassVar[list[dict[str, Any]]] = []

    def __init__(self, command: str, **kwargs: Any) -> None:
        FakeServer.made.append({"command": command, **kwargs})

    def run(self, ready: Any) -> None:
        """Return at once, as if stopped with Ctrl+C."""


@pytest.fixture
def no_course_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Whatever serve puts in the environment is undone after the test."""
    monkeypatch.delenv(COURSE_ENV, raising=False)
    return monkeypatch


def test_an_unknown_course_stops_serve_in_one_line(
    no_course_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_course_env.setattr(netquest.web.server, "ClassroomServer", FakeServer)
    FakeServer.made.clear()
    assert main(["serve", "--saves", str(tmp_path), "--course", "nope"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("netquest: no course 'nope' (known: onboarding")
    assert error.count("\n") == 1
    assert FakeServer.made == []  # nothing was served


def test_every_tab_gets_the_course_through_the_environment(
    no_course_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_course_env.setattr(netquest.web.server, "ClassroomServer", FakeServer)
    FakeServer.made.clear()
    assert main(["serve", "--saves", str(tmp_path), "--course", "onboarding"]) == 0
    assert len(FakeServer.made) == 1
    course_file = find_course("onboarding")
    assert course_file is not None
    # The forked games' launcher and textual-serve's own games copy this environment.
    assert game_environment()[COURSE_ENV] == str(course_file.resolve())

    # The game in a tab follows it, whether forked with the library loaded or exec'd.
    library = load_library()
    for given in (library, None):
        course = served_course([], given)
        assert course is not None and course.id == "onboarding"

    started: list[NetquestApp] = []
    no_course_env.setattr(NetquestApp, "run", lambda app, *a, **k: started.append(app))
    assert play_in_browser(tmp_path, (), library) == 0
    assert started[0].course is not None and started[0].course.id == "onboarding"


def test_serve_without_a_course_gives_the_tabs_none(
    no_course_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_course_env.setenv(COURSE_ENV, "/left/over/from/elsewhere.toml")
    no_course_env.setattr(netquest.web.server, "ClassroomServer", FakeServer)
    assert main(["serve", "--saves", str(tmp_path)]) == 0
    assert COURSE_ENV not in game_environment()
    assert served_course([]) is None


def test_a_course_broken_after_start_up_is_logged_and_left_out(
    no_course_env: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    no_course_env.setenv(COURSE_ENV, str(tmp_path / "gone.toml"))
    with caplog.at_level(logging.WARNING):
        assert served_course([]) is None
    assert "playing without the course: no course" in caplog.text
