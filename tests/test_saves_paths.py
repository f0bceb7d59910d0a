"""Where saves live, and how profile names become file names."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import platformdirs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netquest.saves.paths import profile_filename, resolve_saves_dir

FILENAME_RE = re.compile(r"^[a-z0-9-]+-[0-9a-f]{32}\.json$")

# Any Python string, lone surrogates included (they can come from undecodable file names).
any_text = st.text(
    st.characters(codec=None, exclude_categories=()) | st.characters(categories=["Cs"])
)


@pytest.fixture
def user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs' user data dir into tmp_path so no test sees the real one."""
    base = tmp_path / "user-data"
    monkeypatch.setattr(platformdirs, "user_data_path", lambda appname: base / appname)
    return base


def make_tree(root: Path, *, pyproject: bool, saves: bool) -> Path:
    """Build a fake install/checkout under root; return its netquest package dir."""
    package = root / "netquest"
    package.mkdir(parents=True)
    if pyproject:
        (root / "pyproject.toml").write_text("[project]\n")
    if saves:
        (root / "saves").mkdir()
    return package


def test_cli_dir_wins_over_everything(tmp_path: Path, user_data: Path) -> None:
    package = make_tree(tmp_path / "repo", pyproject=True, saves=True)
    env = {"NETQUEST_SAVES": str(tmp_path / "from-env")}
    got = resolve_saves_dir(tmp_path / "from-cli", env, package_dir=package)
    assert got == tmp_path / "from-cli"


def test_env_wins_over_checkout(tmp_path: Path, user_data: Path) -> None:
    package = make_tree(tmp_path / "repo", pyproject=True, saves=True)
    env = {"NETQUEST_SAVES": str(tmp_path / "from-env")}
    assert resolve_saves_dir(None, env, package_dir=package) == tmp_path / "from-env"


def test_blank_env_value_is_ignored(tmp_path: Path, user_data: Path) -> None:
    package = make_tree(tmp_path / "repo", pyproject=True, saves=True)
    got = resolve_saves_dir(None, {"NETQUEST_SAVES": "  "}, package_dir=package)
    assert got == tmp_path / "repo" / "saves"


def test_checkout_saves_folder_is_used(tmp_path: Path, user_data: Path) -> None:
    package = make_tree(tmp_path / "repo", pyproject=True, saves=True)
    assert resolve_saves_dir(None, {}, package_dir=package) == tmp_path / "repo" / "saves"


@pytest.mark.parametrize(("pyproject", "saves"), [(False, True), (True, False), (False, False)])
def test_not_a_checkout_falls_back_to_user_data(
    tmp_path: Path, user_data: Path, pyproject: bool, saves: bool
) -> None:
    package = make_tree(tmp_path / "site-packages", pyproject=pyproject, saves=saves)
    got = resolve_saves_dir(None, {}, package_dir=package)
    assert got == user_data / "netquest" / "saves"
    assert not user_data.exists()  # resolving never creates anything


def test_env_mapping_is_used_instead_of_os_environ(
    tmp_path: Path, user_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETQUEST_SAVES", str(tmp_path / "real-env"))
    package = make_tree(tmp_path / "lib", pyproject=False, saves=False)
    assert resolve_saves_dir(None, {}, package_dir=package) == user_data / "netquest" / "saves"
    assert resolve_saves_dir(None, None, package_dir=package) == tmp_path / "real-env"


@settings(max_examples=300, database=None)
@given(any_text)
def test_profile_filename_is_always_safe(name: str) -> None:
    filename = profile_filename(name)
    assert FILENAME_RE.match(filename), filename
    assert not filename.startswith(".")
    assert "/" not in filename and "\\" not in filename
    assert len(filename) <= 40 + 1 + 32 + len(".json")
    assert Path(filename).name == filename
    assert profile_filename(name) == filename  # deterministic


@settings(max_examples=100, database=None)
@given(
    st.lists(any_text, min_size=2, max_size=30, unique_by=lambda s: unicodedata.normalize("NFC", s))
)
def test_distinct_names_get_distinct_files(names: list[str]) -> None:
    filenames = {profile_filename(name) for name in names}
    assert len(filenames) == len(names)


@pytest.mark.parametrize(
    "name",
    ["", " ", "..", ".", "../../etc/passwd", "a/b\\c", "\x00", "\n", "CON", "-", "x" * 10_000],
)
def test_awkward_names(name: str) -> None:
    filename = profile_filename(name)
    assert FILENAME_RE.match(filename), filename


def test_slug_shapes() -> None:
    assert profile_filename("Zoë Smith").startswith("zoe-smith-")
    assert profile_filename("   ").startswith("player-")
    assert profile_filename("日本語").startswith("player-")
    assert profile_filename("x" * 500).startswith("x" * 40 + "-")
    assert profile_filename("Ada") != profile_filename("ada")  # the hash keeps case apart


def test_nfc_equivalent_names_share_a_file() -> None:
    assert profile_filename("Zo\u00eb") == profile_filename("Zoe\u0308")
