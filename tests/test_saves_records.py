"""Profile, RunRecord and Settings: behaviour and strict validation."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from json_strategies import json_values

from netquest.saves import (
    SAVE_VERSION,
    Profile,
    RunRecord,
    SaveFormatError,
    SaveVersionError,
    Settings,
    parse_timestamp,
    utc_timestamp,
)

T0 = "2025-01-01T10:00:00.000Z"
T1 = "2025-01-01T11:00:00.000Z"
T2 = "2025-01-01T12:00:00.000Z"


def run(
    run_id: str, *, scenario: str = "conference", updated: str = T0, done: bool = False
) -> RunRecord:
    return RunRecord(
        id=run_id,
        scenario_id=scenario,
        content_hash="abc",
        mode="practice",
        started=T0,
        updated=updated,
        finished=updated if done else None,
        seconds=1.5,
        state={"scene": "arrival"},
        result={"score": 80} if done else None,
    )


def valid_dict() -> dict[str, Any]:
    profile = Profile(
        name="Ada",
        created=T0,
        updated=T1,
        settings=Settings(),
        runs=(run("r1"), run("r2", done=True)),
        machine="m1",
    )
    return profile.to_dict()


def test_file_format_keys() -> None:
    data = valid_dict()
    assert list(data) == [
        "format",
        "version",
        "written_by",
        "profile",
        "created",
        "updated",
        "machine",
        "settings",
        "runs",
    ]
    assert data["format"] == "netquest-save"
    assert data["version"] == SAVE_VERSION == 1
    assert data["settings"] == {
        "theme": "textual-dark",
        "default_mode": "practice",
        "animations": True,
    }
    assert Profile.from_dict(data).to_dict() == data


def test_future_version_is_its_own_error() -> None:
    data = valid_dict()
    data["version"] = SAVE_VERSION + 1
    with pytest.raises(SaveVersionError, match="needs netquest ≥ ") as excinfo:
        Profile.from_dict(data)
    assert excinfo.value.needed == data["written_by"]
    del data["written_by"]
    with pytest.raises(SaveVersionError, match="needs a newer netquest"):
        Profile.from_dict(data)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ((), [], "must be an object"),
        (("format",), "other", "not a netquest save file"),
        (("version",), 0, "invalid version"),
        (("version",), "1", "invalid version"),
        (("version",), True, "invalid version"),
        pytest.param(("version",), 10**5000, "a huge number", id="huge-version"),
        (("profile",), 7, "profile must be text"),
        (("created",), "yesterday", "ISO-8601"),
        (("settings",), None, "settings must be an object"),
        (("settings", "animations"), "yes", "animations must be true or false"),
        (("runs",), {}, "runs must be a list"),
        (("runs", 0), "r", r"runs\[0\] must be an object"),
        (("runs", 1, "seconds"), True, r"runs\[1\]\.seconds must be a number"),
        (("runs", 1, "seconds"), -1, "seconds >= 0"),
        (("runs", 1, "seconds"), 10**400, "finite"),
        (("runs", 0, "state"), [1], r"runs\[0\]\.state must be an object"),
        (("runs", 0, "result"), "won", r"runs\[0\]\.result must be an object"),
        (("runs", 0, "finished"), 5, r"runs\[0\]\.finished must be text"),
        (("runs", 0, "id"), "", "must not be empty"),
        (("runs", 1, "id"), "r1", "repeats run id"),
    ],
)
def test_wrong_shapes_are_named(path: tuple[Any, ...], value: object, message: str) -> None:
    data: Any = valid_dict()
    if not path:
        data = value
    else:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    with pytest.raises(SaveFormatError, match=message) as excinfo:
        Profile.from_dict(data)
    assert "\n" not in str(excinfo.value)


@pytest.mark.parametrize(
    "key", ["version", "profile", "created", "updated", "machine", "settings", "runs"]
)
def test_missing_top_level_key_is_named(key: str) -> None:
    data = valid_dict()
    del data[key]
    with pytest.raises(SaveFormatError, match=re.escape(repr(key))):
        Profile.from_dict(data)


@pytest.mark.parametrize(
    "key", ["id", "scenario_id", "content_hash", "mode", "started", "updated", "seconds", "state"]
)
def test_missing_run_key_is_named(key: str) -> None:
    data = valid_dict()
    del data["runs"][0][key]
    with pytest.raises(SaveFormatError, match=re.escape(repr(key))):
        Profile.from_dict(data)


def test_optional_run_keys_and_settings_defaults() -> None:
    data = valid_dict()
    del data["runs"][0]["finished"]
    del data["runs"][0]["result"]
    data["settings"] = {"theme": "nord"}
    data["unknown_future_key"] = 1
    profile = Profile.from_dict(data)
    assert profile.runs[0].finished is None and profile.runs[0].result is None
    assert profile.settings == Settings(theme="nord")


@settings(max_examples=300, database=None)
@given(json_values)
def test_from_dict_on_any_json_raises_only_save_format_error(value: object) -> None:
    for candidate in (value, {**valid_dict(), "runs": value}, {**valid_dict(), "settings": value}):
        try:
            Profile.from_dict(candidate)
        except SaveFormatError as exc:
            assert "\n" not in str(exc)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


@settings(max_examples=300, database=None)
@given(st.data())
def test_mutated_save_raises_only_save_format_error(data: st.DataObject) -> None:
    original = valid_dict()
    mutated: Any = copy.deepcopy(original)
    where = data.draw(st.sampled_from(_paths(original)[1:]))
    parent = mutated
    for key in where[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent[where[-1]] = data.draw(json_values)
    try:
        profile = Profile.from_dict(mutated)
    except SaveFormatError:
        return
    assert isinstance(profile, Profile)


def test_settings_round_trip_and_validation() -> None:
    s = Settings(theme="nord", default_mode="assessment", animations=False)
    assert Settings.from_dict(s.to_dict()) == s
    assert Settings.from_dict({}) == Settings()
    with pytest.raises(SaveFormatError, match="theme must be text"):
        Settings.from_dict({"theme": 3})
    with pytest.raises(SaveFormatError):
        Settings.from_dict([])


def test_run_new_and_finish() -> None:
    a = RunRecord.new("conference", "hash1", "assessment", {"scene": "start"}, now=T0)
    b = RunRecord.new("conference", "hash1", "assessment", {"scene": "start"})
    assert re.fullmatch(r"[0-9a-f]{32}", a.id) and a.id != b.id
    assert (a.started, a.updated, a.finished, a.seconds, a.result) == (T0, T0, None, 0.0, None)
    assert not a.is_finished
    moved = a.with_state({"scene": "keynote"}, seconds=12.0, now=T1)
    assert (moved.state, moved.seconds, moved.updated, moved.started) == (
        {"scene": "keynote"},
        12.0,
        T1,
        T0,
    )
    done = moved.finish({"score": 90}, seconds=30.0, now=T2)
    assert done.is_finished and done.finished == T2 and done.result == {"score": 90}
    assert RunRecord.from_dict(done.to_dict()) == done


def test_with_run_inserts_and_replaces_by_id() -> None:
    profile = Profile.new("Ada", now=T0, machine="m")
    assert profile.runs == () and profile.created == profile.updated == T0
    p1 = profile.with_run(run("a"), now=T1).with_run(run("b"), now=T1)
    assert [r.id for r in p1.runs] == ["a", "b"]
    replaced = run("a", done=True)
    p2 = p1.with_run(replaced, now=T2)
    assert [r.id for r in p2.runs] == ["a", "b"]
    assert p2.runs[0] == replaced and p2.updated == T2
    assert p1.runs[0] != replaced  # the original is untouched
    p3 = p2.with_settings(Settings(animations=False), now=T2)
    assert p3.settings.animations is False and p2.settings.animations is True


def test_latest_unfinished_and_runs_for() -> None:
    profile = Profile.new("Ada", now=T0, machine="m")
    for r in (
        run("old", updated=T0),
        run("newest-done", updated=T2, done=True),
        run("recent", updated=T1),
        run("party", scenario="office_party", updated="2025-01-01T11:30:00+00:00"),
    ):
        profile = profile.with_run(r)
    assert profile.latest_unfinished().id == "party"  # type: ignore[union-attr]
    assert profile.latest_unfinished("conference").id == "recent"  # type: ignore[union-attr]
    assert profile.latest_unfinished("nope") is None
    assert [r.id for r in profile.runs_for("conference")] == ["old", "newest-done", "recent"]
    tie = profile.with_run(run("tie", updated=T1))
    assert tie.latest_unfinished("conference").id == "tie"  # type: ignore[union-attr]
    assert Profile.new("x", machine="m").latest_unfinished() is None


def test_profile_new_uses_a_stable_machine_id() -> None:
    a = Profile.new("Ada")
    b = Profile.new("Bob")
    assert a.machine == b.machine
    assert re.fullmatch(r"[0-9a-f]{16}", a.machine)


def test_timestamps() -> None:
    stamp = utc_timestamp()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", stamp)
    assert parse_timestamp(stamp).utcoffset() is not None
    assert parse_timestamp("2025-01-01T00:00:00").utcoffset() is not None  # naive is UTC


def test_export_folder_setting_round_trips_and_is_left_out_when_unset() -> None:
    data = valid_dict()
    assert "export_dir" not in data["settings"]
    assert Profile.from_dict(data).settings.export_dir == ""
    data["settings"]["export_dir"] = "~/netquest-exports"
    profile = Profile.from_dict(data)
    assert profile.settings.export_dir == "~/netquest-exports"
    assert profile.to_dict() == data
    data["settings"]["export_dir"] = 3
    with pytest.raises(SaveFormatError, match="export_dir must be text"):
        Profile.from_dict(data)


def test_a_group_run_keeps_its_votes_through_the_quick_reading_path() -> None:
    import dataclasses

    run = dataclasses.replace(
        RunRecord.new("mixer", "hash", "practice", {}),
        group={"session": "s1", "votes": [["door", "ask_job"]]},
    )
    assert RunRecord.from_dict(run.to_dict()) == run
