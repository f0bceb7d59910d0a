"""Suite-wide test setup: nothing a test does may write outside a temporary folder."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="netquest-hypothesis-")
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)
set_hypothesis_home_dir(_HYPOTHESIS_HOME)

settings.register_profile(
    "netquest",
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("netquest")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_saves(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point every test's default saves folder at a temporary one."""
    saves = tmp_path_factory.mktemp("saves")
    monkeypatch.setenv("NETQUEST_SAVES", str(saves))
    # A developer's own learning-record store must never receive test statements.
    for name in ("NETQUEST_LRS_ENDPOINT", "NETQUEST_LRS_KEY", "NETQUEST_LRS_SECRET"):
        monkeypatch.delenv(name, raising=False)
    yield saves


@pytest.fixture
def mini_dir() -> Path:
    """The small, stable fixture curriculum (its own principles.toml and one scenario)."""
    return FIXTURES / "mini"
