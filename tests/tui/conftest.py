"""Fixtures for the Textual app tests: an app factory on the mini library with a temp saves dir."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from netquest.engine import Library, load_library
from netquest.tui.app import NetquestApp

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini"

AppFactory = Callable[..., NetquestApp]


@pytest.fixture(scope="session")
def mini_library() -> Library:
    """The mini fixture library only (no bundled curriculum), loaded once."""
    return load_library([MINI], include_bundled=False)


@pytest.fixture
def saves_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh saves folder (also set as NETQUEST_SAVES)."""
    folder = tmp_path / "saves"
    monkeypatch.setenv("NETQUEST_SAVES", str(folder))
    return folder


@pytest.fixture
def downloads_dir(tmp_path: Path) -> Path:
    """Where exported debriefs go."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


@pytest.fixture
def make_app(saves_dir: Path, downloads_dir: Path, mini_library: Library) -> AppFactory:
    """Build a :class:`NetquestApp` on the mini library, saving under ``saves_dir``.

    Keyword arguments go to the app (``library=None, scenario_dirs=[...]`` loads folders
    instead; the bundled curriculum is never included). Animations are off.
    """

    def factory(**kwargs: Any) -> NetquestApp:
        kwargs.setdefault("library", mini_library)
        kwargs.setdefault("include_bundled", False)
        kwargs.setdefault("downloads_dir", downloads_dir)
        kwargs.setdefault("animations", False)
        return NetquestApp(saves_dir, **kwargs)

    return factory
