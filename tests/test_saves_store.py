"""SaveStore: round trips, moving unreadable files aside, listing, app state, write failures."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from json_strategies import json_values

from netquest.saves import (
    APP_STATE_FILENAME,
    Profile,
    RunRecord,
    SaveError,
    SaveFormatError,
    SaveStore,
    Settings,
    utc_timestamp,
)
from netquest.saves import store as store_module

REPO = Path(__file__).resolve().parent.parent
T0 = "2025-01-01T10:00:00.000Z"

per_example = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# --- strategies ---------------------------------------------------------------------------------

any_text = st.text(
    st.characters(codec=None, exclude_categories=()) | st.characters(categories=["Cs"]), max_size=30
)
json_objects = st.dictionaries(any_text, json_values, max_size=4)
moments = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)
timestamps = moments.map(utc_timestamp) | moments.map(datetime.isoformat)
runs = st.builds(
    RunRecord,
    id=st.text(min_size=1, max_size=32),
    scenario_id=any_text,
    content_hash=st.text(max_size=64),
    mode=st.sampled_from(["practice", "assessment"]),
    started=timestamps,
    updated=timestamps,
    finished=st.none() | timestamps,
    seconds=st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
    state=json_objects,
    result=st.none() | json_objects,
)
profiles = st.builds(
    Profile,
    name=any_text,
    created=timestamps,
    updated=timestamps,
    settings=st.builds(Settings, theme=any_text, default_mode=any_text, animations=st.booleans()),
    runs=st.lists(runs, max_size=5, unique_by=lambda r: r.id).map(tuple),
    machine=st.text(max_size=20),
)


def fresh_store(tmp_path: Path) -> SaveStore:
    """A store in a new empty folder under tmp_path (one per hypothesis example)."""
    return SaveStore(Path(tempfile.mkdtemp(dir=tmp_path)) / "saves")


def valid_bytes(name: str = "Ada") -> bytes:
    profile = Profile.new(name, now=T0, machine="m").with_run(
        RunRecord.new("conference", "h", "practice", {"scene": "arrival"}, now=T0), now=T0
    )
    return (json.dumps(profile.to_dict(), indent=2) + "\n").encode()


def aside_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.corrupt-*.json"))


def temp_files(directory: Path) -> list[Path]:
    return sorted(directory.glob(".*.tmp"))


# --- round trips --------------------------------------------------------------------------------


@per_example
@given(profile=profiles)
def test_save_then_load_gives_an_equal_profile(tmp_path: Path, profile: Profile) -> None:
    store = fresh_store(tmp_path)
    path = store.save(profile)
    assert path == store.path_for(profile.name)
    result = store.load(profile.name)
    assert result.notice is None
    assert result.profile == profile
    assert store.load_path(path) == profile
    assert temp_files(store.directory) == []


def test_load_missing_profile_is_fresh_and_writes_nothing(tmp_path: Path) -> None:
    store = SaveStore(tmp_path / "saves")
    result = store.load("Ada")
    assert result.notice is None
    assert result.profile.name == "Ada" and result.profile.runs == ()
    assert not store.directory.exists()


def test_save_creates_the_folder_and_overwrites(tmp_path: Path) -> None:
    store = SaveStore(tmp_path / "deep" / "saves")
    first = Profile.new("Ada", now=T0, machine="m")
    store.save(first)
    second = first.with_settings(Settings(theme="nord"))
    store.save(second)
    assert store.load("Ada").profile == second


def test_existing_file_mode_is_kept(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    path = store.save(Profile.new("Ada", machine="m"))
    path.chmod(0o640)
    store.save(Profile.new("Ada", machine="m"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_state_that_is_not_json_is_refused_before_writing(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    bad = Profile.new("Ada", machine="m").with_run(
        RunRecord.new("conference", "h", "practice", {"flags": {"a", "b"}})
    )
    with pytest.raises(SaveFormatError, match="JSON"):
        store.save(bad)
    assert list(tmp_path.iterdir()) == []


def test_package_does_not_import_textual_or_rich() -> None:
    code = (
        "import sys, netquest.saves; sys.exit(sorted({'textual', 'rich'} & set(sys.modules)) != [])"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0


# --- unreadable files are moved aside -----------------------------------------------------------


def assert_moved_aside(store: SaveStore, name: str, original: bytes, notice: str | None) -> Path:
    path = store.path_for(name)
    assert notice is not None and "\n" not in notice
    assert not path.exists()
    (aside,) = aside_files(store.directory)
    assert aside.read_bytes() == original
    assert aside.name.startswith(path.name.removesuffix(".json") + ".corrupt-")
    assert path.name in notice and str(aside) in notice
    return aside


@per_example
@given(
    raw=st.binary(max_size=3000)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.integers(0, len(valid_bytes().rstrip()) - 1).map(lambda cut: valid_bytes()[:cut])
)
def test_any_bytes_never_crash_load_and_survive_aside(tmp_path: Path, raw: bytes) -> None:
    store = fresh_store(tmp_path)
    store.ensure()
    store.path_for("Ada").write_bytes(raw)
    result = store.load("Ada")
    assert result.profile.name == "Ada" and result.profile.runs == ()
    assert_moved_aside(store, "Ada", raw, result.notice)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"format": "netquest-save", "version": 1, "profile": ', "not valid JSON"),
        (b"\xff\xfe garbage", "not UTF-8"),
        (b"", "empty"),
        (b'{"format": "netquest-save", "version": 1, "profile": "Ada"}', "no 'created'"),
        (b"[1, 2, 3]", "must be an object"),
        (b'{"seconds": NaN}', "NaN"),
    ],
    ids=["truncated", "binary", "empty", "wrong-shape", "not-an-object", "nan"],
)
def test_unusable_file_is_moved_aside_with_notice(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    store = SaveStore(tmp_path)
    store.path_for("Ada").write_bytes(content)
    result = store.load("Ada")
    assert result.profile.runs == ()
    assert_moved_aside(store, "Ada", content, result.notice)
    assert result.notice is not None and reason in result.notice
    # Play goes on: the fresh profile saves next to the kept file.
    store.save(result.profile)
    assert store.load("Ada").notice is None
    assert len(aside_files(tmp_path)) == 1


def test_a_readable_file_of_another_profile_is_never_moved_aside(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    content = valid_bytes("Somebody Else")
    taken = store.path_for("Ada")
    taken.write_bytes(content)
    result = store.load("Ada")
    assert result.notice is None and result.profile.runs == ()
    assert store.save(result.profile) != taken
    assert taken.read_bytes() == content and aside_files(tmp_path) == []
    assert sorted(s.name for s in store.list_profiles()) == ["Ada", "Somebody Else"]


def test_corrupt_loads_in_the_same_second_keep_every_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz: object = None) -> FrozenDatetime:
            return cls(2025, 3, 4, 5, 6, 7, tzinfo=UTC)

    monkeypatch.setattr(store_module, "datetime", FrozenDatetime)
    store = SaveStore(tmp_path)
    path = store.path_for("Ada")
    stem = path.name.removesuffix(".json")
    for n in range(3):
        path.write_bytes(f"broken {n}".encode())
        assert store.load("Ada").notice is not None
    got = {p.name: p.read_bytes() for p in aside_files(tmp_path)}
    assert got == {
        f"{stem}.corrupt-20250304T050607.json": b"broken 0",
        f"{stem}.corrupt-20250304T050607-2.json": b"broken 1",
        f"{stem}.corrupt-20250304T050607-3.json": b"broken 2",
    }


def test_load_path_never_moves_anything(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    path = store.path_for("Ada")
    path.write_bytes(b"{")
    with pytest.raises(SaveFormatError):
        store.load_path(path)
    assert path.read_bytes() == b"{" and aside_files(tmp_path) == []


def test_unreadable_permissions_raise_save_error(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    path = store.path_for("Ada")
    path.mkdir()  # a directory where the file should be: cannot be read, even by root
    with pytest.raises(SaveError, match="cannot read the save file") as excinfo:
        store.load("Ada")
    assert str(path) in str(excinfo.value)
    assert path.is_dir()


# --- listing ------------------------------------------------------------------------------------


def test_list_profiles(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    assert SaveStore(tmp_path / "missing").list_profiles() == []
    ada = Profile.new("Ada", now=T0, machine="m1").with_run(
        RunRecord.new("conference", "h", "practice", {}), now=T0
    )
    store.save(ada)
    store.save(Profile.new("bob", now=T0, machine="m2"))
    broken = tmp_path / "broken-12345678.json"
    broken.write_bytes(b"not json")
    store.set_last_profile("Ada")
    (tmp_path / "x.corrupt-20250101T000000.json").write_bytes(b"old")
    (tmp_path / ".ada.json.abc.tmp").write_bytes(b"partial")
    (tmp_path / "notes.txt").write_text("hi")
    (tmp_path / "folder.json").mkdir()

    summaries = store.list_profiles()
    assert [(s.name, s.runs, s.updated, s.machine) for s in summaries] == [
        ("Ada", 1, T0, "m1"),
        ("bob", 0, T0, "m2"),
        ("broken-12345678", 0, None, None),
    ]
    assert summaries[0].path == store.path_for("Ada") and summaries[0].error is None
    assert summaries[2].error is not None and "not valid JSON" in summaries[2].error


# --- app state ----------------------------------------------------------------------------------


def test_last_profile_round_trip(tmp_path: Path) -> None:
    store = SaveStore(tmp_path / "saves")
    assert store.last_profile() is None
    store.set_last_profile("Zoë / ../x")
    assert store.last_profile() == "Zoë / ../x"
    assert SaveStore(tmp_path / "saves").last_profile() == "Zoë / ../x"
    store.set_last_profile("Bob")
    assert store.last_profile() == "Bob"
    assert temp_files(store.directory) == []


@pytest.mark.parametrize(
    "content",
    [
        b"{",
        b"[]",
        b'{"format": "netquest-app", "last_profile": 3}',
        b'{"last_profile": "x"}',
        b"\xff",
    ],
)
def test_corrupt_app_state_is_none_and_repairable(tmp_path: Path, content: bytes) -> None:
    store = SaveStore(tmp_path)
    (tmp_path / APP_STATE_FILENAME).write_bytes(content)
    assert store.last_profile() is None
    store.set_last_profile("Ada")
    assert store.last_profile() == "Ada"


def test_set_last_profile_keeps_other_keys(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    (tmp_path / APP_STATE_FILENAME).write_text(json.dumps({"format": "netquest-app", "window": 3}))
    store.set_last_profile("Ada")
    data = json.loads((tmp_path / APP_STATE_FILENAME).read_text())
    assert data["window"] == 3 and data["last_profile"] == "Ada"


# --- write failures -----------------------------------------------------------------------------


def assert_one_line_naming(message: str, path: Path) -> None:
    assert "\n" not in message
    assert str(path) in message
    assert "--saves DIR or NETQUEST_SAVES" in message


def test_folder_under_a_regular_file_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    store = SaveStore(blocker / "saves")
    with pytest.raises(SaveError) as excinfo:
        store.ensure()
    assert_one_line_naming(str(excinfo.value), blocker / "saves")
    with pytest.raises(SaveError) as excinfo:
        store.save(Profile.new("Ada", machine="m"))
    assert_one_line_naming(str(excinfo.value), blocker / "saves")
    with pytest.raises(SaveError):
        store.set_last_profile("Ada")
    assert blocker.read_text() == "in the way"


def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    store = SaveStore(folder)
    broken = store.path_for("Bob")
    broken.write_bytes(b"{broken")
    folder.chmod(0o555)
    try:
        probe = folder / "probe"
        try:
            probe.write_text("x")
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip("chmod does not stop this user (root) from writing")
        with pytest.raises(SaveError) as excinfo:
            store.save(Profile.new("Ada", machine="m"))
        assert_one_line_naming(str(excinfo.value), store.path_for("Ada"))
        with pytest.raises(SaveError):
            store.set_last_profile("Ada")
        # An unusable file that cannot be moved aside is reported, not lost.
        with pytest.raises(SaveError, match="cannot be moved aside") as excinfo:
            store.load("Bob")
        assert "\n" not in str(excinfo.value) and str(broken) in str(excinfo.value)
        assert list(folder.iterdir()) == [broken] and broken.read_bytes() == b"{broken"
    finally:
        folder.chmod(0o755)


def test_failed_replace_leaves_no_temp_file_and_no_target(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    target = store.path_for("Ada")
    target.mkdir()  # os.replace of a file onto a directory fails, even for root
    with pytest.raises(SaveError) as excinfo:
        store.save(Profile.new("Ada", machine="m"))
    assert "\n" not in str(excinfo.value) and str(target) in str(excinfo.value)
    assert temp_files(tmp_path) == []
    assert target.is_dir() and list(target.iterdir()) == []


def test_lock_held_elsewhere_times_out_with_save_error(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, lock_timeout=0.2)
    old = Profile.new("Ada", now=T0, machine="m")
    path = store.save(old)
    with (
        FileLock(f"{path}.lock"),
        pytest.raises(SaveError, match="another netquest process") as excinfo,
    ):
        store.save(old.with_settings(Settings(theme="nord")))
    assert "\n" not in str(excinfo.value) and str(path) in str(excinfo.value)
    assert store.load("Ada").profile == old
    assert temp_files(tmp_path) == []
