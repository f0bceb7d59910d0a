"""The records a save file holds: a profile, its settings and its runs.

Every record is a frozen dataclass with ``to_dict()`` (plain JSON-able data) and ``from_dict()``
(validating; any wrong shape or type raises :class:`SaveFormatError` with a one-line message).
Unknown keys are ignored, so a newer netquest of the same format version can add optional ones.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Self, TypeVar

from netquest import __version__
from netquest.saves.errors import SaveFormatError, SaveVersionError
from netquest.saves.machine import machine_id

SAVE_FORMAT = "netquest-save"
"""Value of the ``format`` key that marks a netquest save file."""

SAVE_VERSION = 1
"""Version of the save file format this code writes and the newest it reads."""

WRITTEN_BY_KEY = "written_by"
"""Key naming the netquest version that wrote a save: an older netquest meeting a newer format
can then say which version it needs."""


def utc_timestamp(moment: datetime | None = None) -> str:
    """Format a moment (default: now) as an ISO-8601 UTC string, e.g. ``2025-01-31T09:30:00.125Z``.

    Naive datetimes are taken to be UTC already.
    """
    if moment is None:
        moment = datetime.now(UTC)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.removesuffix("+00:00") + "Z"


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO-8601 timestamp into an aware datetime (naive input is taken as UTC).

    Raises:
        ValueError: if ``text`` is not ISO-8601.
    """
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _sort_key(text: str) -> datetime:
    try:
        return parse_timestamp(text)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


# --- validation helpers ------------------------------------------------------------------------


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _brief(value: object) -> str:
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print
        return "a huge number"
    return text if len(text) <= 40 else text[:37] + "..."


def _object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SaveFormatError(f"{where} must be an object, not {_kind(value)}")
    return value


def _get(data: Mapping[str, Any], key: str, where: str) -> Any:
    try:
        return data[key]
    except KeyError:
        raise SaveFormatError(f"{where} has no {key!r}") from None


def _str(data: Mapping[str, Any], key: str, where: str) -> str:
    value = _get(data, key, where)
    if not isinstance(value, str):
        raise SaveFormatError(f"{where}.{key} must be text, not {_kind(value)}")
    return value


def _timestamp(data: Mapping[str, Any], key: str, where: str) -> str:
    value = _str(data, key, where)
    try:
        parse_timestamp(value)
    except ValueError:
        raise SaveFormatError(
            f"{where}.{key} is not an ISO-8601 timestamp: {value!r:.40}"
        ) from None
    return value


def _optional_timestamp(data: Mapping[str, Any], key: str, where: str) -> str | None:
    if data.get(key) is None:
        return None
    return _timestamp(data, key, where)


def _bool(data: Mapping[str, Any], key: str, where: str) -> bool:
    value = _get(data, key, where)
    if not isinstance(value, bool):
        raise SaveFormatError(f"{where}.{key} must be true or false, not {_kind(value)}")
    return value


def _seconds(data: Mapping[str, Any], key: str, where: str) -> float:
    value = _get(data, key, where)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SaveFormatError(f"{where}.{key} must be a number, not {_kind(value)}")
    try:
        seconds = float(value)
    except OverflowError:
        seconds = math.inf
    if not math.isfinite(seconds) or seconds < 0:
        raise SaveFormatError(f"{where}.{key} must be a finite number of seconds >= 0")
    return seconds


# --- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """A player's preferences.

    Attributes:
        theme: Textual theme name.
        default_mode: Mode offered first when starting a scenario (``practice`` or ``assessment``).
        animations: Whether the interface animates.
        export_dir: Folder for exported debriefs (``~`` allowed); empty for the default (the
            downloads folder, else ``exports/`` in the saves folder).
    """

    theme: str = "textual-dark"
    default_mode: str = "practice"
    animations: bool = True
    export_dir: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as JSON-able data (``export_dir`` only when one is chosen)."""
        data: dict[str, Any] = {
            "theme": self.theme,
            "default_mode": self.default_mode,
            "animations": self.animations,
        }
        if self.export_dir:
            data["export_dir"] = self.export_dir
        return data

    @classmethod
    def from_dict(cls, data: object, where: str = "settings") -> Self:
        """Build settings from JSON data; a missing key takes its default.

        Raises:
            SaveFormatError: if ``data`` is not an object or a value has the wrong type.
        """
        obj = _object(data, where)
        defaults = cls()
        return cls(
            theme=_str(obj, "theme", where) if "theme" in obj else defaults.theme,
            default_mode=(
                _str(obj, "default_mode", where) if "default_mode" in obj else defaults.default_mode
            ),
            animations=(
                _bool(obj, "animations", where) if "animations" in obj else defaults.animations
            ),
            export_dir=(
                _str(obj, "export_dir", where) if "export_dir" in obj else defaults.export_dir
            ),
        )


@dataclass(frozen=True)
class RunRecord:
    """One play-through of a scenario, finished or not.

    ``state`` and ``result`` belong to the engine: they are stored as given (JSON objects) and
    never interpreted here.

    Attributes:
        id: Unique id of the run (uuid4 hex).
        scenario_id: Id of the scenario played.
        content_hash: Hash of the scenario's content when the run started, so a scenario edited
            since can be detected.
        mode: ``practice`` or ``assessment``.
        started: When the run started (ISO-8601 UTC).
        updated: When the run was last saved (ISO-8601 UTC).
        finished: When the run reached an ending, or None while it is in progress.
        seconds: Time played so far.
        state: The engine's resumable game state.
        result: The engine's final result, once finished.
        group: For a run played by the whole class together (``netquest serve --group``):
            the group session's id and this student's votes, ``{"session": …, "votes":
            [[scene, choice], …]}``; ``None`` for a run played alone. Optional in the file.
    """

    id: str
    scenario_id: str
    content_hash: str
    mode: str
    started: str
    updated: str
    finished: str | None
    seconds: float
    state: Mapping[str, Any]
    result: Mapping[str, Any] | None
    group: Mapping[str, Any] | None = None

    @property
    def is_finished(self) -> bool:
        """Whether the run reached an ending."""
        return self.finished is not None

    @classmethod
    def new(
        cls,
        scenario_id: str,
        content_hash: str,
        mode: str,
        state: Mapping[str, Any],
        now: str | None = None,
    ) -> Self:
        """Start a run with a fresh uuid4 id, no time played and no result."""
        import uuid  # only to start a run: reading saves (reports) never needs it

        stamp = now if now is not None else utc_timestamp()
        return cls(
            id=uuid.uuid4().hex,
            scenario_id=scenario_id,
            content_hash=content_hash,
            mode=mode,
            started=stamp,
            updated=stamp,
            finished=None,
            seconds=0.0,
            state=state,
            result=None,
        )

    def with_state(self, state: Mapping[str, Any], seconds: float, now: str | None = None) -> Self:
        """Return a copy with new game state and time played, marked updated now."""
        stamp = now if now is not None else utc_timestamp()
        return dataclasses.replace(self, state=state, seconds=seconds, updated=stamp)

    def finish(self, result: Mapping[str, Any], seconds: float, now: str | None = None) -> Self:
        """Return a finished copy carrying the engine's result."""
        stamp = now if now is not None else utc_timestamp()
        return dataclasses.replace(
            self, result=result, seconds=seconds, updated=stamp, finished=stamp
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the run as JSON-able data (``group`` only when there is one)."""
        data = {
            "id": self.id,
            "scenario_id": self.scenario_id,
            "content_hash": self.content_hash,
            "mode": self.mode,
            "started": self.started,
            "updated": self.updated,
            "finished": self.finished,
            "seconds": self.seconds,
            "state": dict(self.state),
            "result": None if self.result is None else dict(self.result),
        }
        if self.group is not None:
            data["group"] = dict(self.group)
        return data

    @classmethod
    def from_dict(cls, data: object, where: str = "run") -> Self:
        """Build a run from JSON data.

        Raises:
            SaveFormatError: on any missing key or value of the wrong type.
        """
        if type(data) is dict:
            fast = _well_formed_run(cls, data)
            if fast is not None:
                return fast
        obj = _object(data, where)
        run_id = _str(obj, "id", where)
        if not run_id:
            raise SaveFormatError(f"{where}.id must not be empty")
        result = obj.get("result")
        group = obj.get("group")
        return cls(
            id=run_id,
            scenario_id=_str(obj, "scenario_id", where),
            content_hash=_str(obj, "content_hash", where),
            mode=_str(obj, "mode", where),
            started=_timestamp(obj, "started", where),
            updated=_timestamp(obj, "updated", where),
            finished=_optional_timestamp(obj, "finished", where),
            seconds=_seconds(obj, "seconds", where),
            state=_object(_get(obj, "state", where), f"{where}.state"),
            result=None if result is None else _object(result, f"{where}.result"),
            group=None if group is None else _object(group, f"{where}.group"),
        )


_R = TypeVar("_R", bound=RunRecord)
_MAX_SECONDS = 1e300
"""Below float's limit, so the quick path never meets an overflow (the slow path handles it)."""
fromisoformat = datetime.fromisoformat


def _well_formed_run(cls: type[_R], data: dict[str, Any]) -> _R | None:
    """The run when every field has its usual exact type (the common case, checked quickly);
    None to let :meth:`RunRecord.from_dict` check it field by field and name what is wrong."""
    get = data.get
    run_id, started, updated, finished = get("id"), get("started"), get("updated"), get("finished")
    scenario_id, content_hash, mode = get("scenario_id"), get("content_hash"), get("mode")
    seconds, state, result = get("seconds"), get("state"), get("result")
    group = get("group")
    if not (
        (group is None or type(group) is dict)
        and type(run_id) is str
        and run_id
        and type(scenario_id) is str
        and type(content_hash) is str
        and type(mode) is str
        and type(started) is str
        and type(updated) is str
        and (finished is None or type(finished) is str)
        and (type(seconds) is float or type(seconds) is int)
        and 0 <= seconds <= _MAX_SECONDS
        and type(state) is dict
        and (result is None or type(result) is dict)
    ):
        return None
    try:
        fromisoformat(started)
        fromisoformat(updated)
        if finished is not None:
            fromisoformat(finished)
    except ValueError:
        return None
    return cls(
        run_id,
        scenario_id,
        content_hash,
        mode,
        started,
        updated,
        finished,
        float(seconds),
        state,
        result,
        group,
    )


@dataclass(frozen=True)
class Profile:
    """A player profile: who, their settings and every run they played.

    Attributes:
        name: The player's name as typed (free text).
        created: When the profile was created (ISO-8601 UTC).
        updated: When it last changed (ISO-8601 UTC).
        settings: The player's preferences.
        runs: Every run, oldest first.
        machine: Stable anonymous id of the machine that created the profile, so same-named
            profiles from different machines can be kept apart when save folders are merged.
        access: A salted hash of the code a student signs in with in a served class
            (:mod:`netquest.play.access_code`); ``None`` outside a class. Optional in the file.
    """

    name: str
    created: str
    updated: str
    settings: Settings
    runs: tuple[RunRecord, ...]
    machine: str
    access: str | None = None

    @classmethod
    def new(
        cls,
        name: str,
        now: str | None = None,
        machine: str | None = None,
        settings: Settings | None = None,
    ) -> Self:
        """Create an empty profile on this machine."""
        stamp = now if now is not None else utc_timestamp()
        return cls(
            name=name,
            created=stamp,
            updated=stamp,
            settings=settings if settings is not None else Settings(),
            runs=(),
            machine=machine if machine is not None else machine_id(),
        )

    def with_run(self, run: RunRecord, now: str | None = None) -> Self:
        """Return a copy holding ``run``: it replaces the run with the same id, else is appended."""
        runs = list(self.runs)
        for index, existing in enumerate(runs):
            if existing.id == run.id:
                runs[index] = run
                break
        else:
            runs.append(run)
        stamp = now if now is not None else utc_timestamp()
        return dataclasses.replace(self, runs=tuple(runs), updated=stamp)

    def with_settings(self, settings: Settings, now: str | None = None) -> Self:
        """Return a copy with new settings."""
        stamp = now if now is not None else utc_timestamp()
        return dataclasses.replace(self, settings=settings, updated=stamp)

    def runs_for(self, scenario_id: str) -> tuple[RunRecord, ...]:
        """Return the runs of one scenario, oldest first."""
        return tuple(run for run in self.runs if run.scenario_id == scenario_id)

    def run(self, run_id: str) -> RunRecord | None:
        """Return the run with this id, if any."""
        return next((run for run in self.runs if run.id == run_id), None)

    def latest_unfinished(self, scenario_id: str | None = None) -> RunRecord | None:
        """Return the most recently updated unfinished run (of one scenario, if given).

        Ties on ``updated`` go to the run stored last.
        """
        candidates = [
            (_sort_key(run.updated), index, run)
            for index, run in enumerate(self.runs)
            if not run.is_finished and (scenario_id is None or run.scenario_id == scenario_id)
        ]
        if not candidates:
            return None
        return max(candidates, key=lambda item: (item[0], item[1]))[2]

    def to_dict(self) -> dict[str, Any]:
        """Return the whole save file content as JSON-able data."""
        data = {
            "format": SAVE_FORMAT,
            "version": SAVE_VERSION,
            WRITTEN_BY_KEY: __version__,
            "profile": self.name,
            "created": self.created,
            "updated": self.updated,
            "machine": self.machine,
            "settings": self.settings.to_dict(),
            "runs": [run.to_dict() for run in self.runs],
        }
        if self.access is not None:
            data["access"] = self.access
        return data

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Build a profile from the content of a save file.

        Raises:
            SaveVersionError: if the file was written by a newer netquest.
            SaveFormatError: on any other wrong shape or type.
        """
        where = "save file"
        obj = _object(data, where)
        if obj.get("format") != SAVE_FORMAT:
            raise SaveFormatError(f'not a netquest save file ("format" is not "{SAVE_FORMAT}")')
        version = _get(obj, "version", where)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise SaveFormatError(f"{where} has an invalid version: {_brief(version)}")
        if version > SAVE_VERSION:
            raise SaveVersionError.newer(_brief(version), obj.get(WRITTEN_BY_KEY), SAVE_VERSION)
        name = _str(obj, "profile", where)
        created = _timestamp(obj, "created", where)
        updated = _timestamp(obj, "updated", where)
        machine = _str(obj, "machine", where)
        access = _str(obj, "access", where) if obj.get("access") is not None else None
        settings = Settings.from_dict(_get(obj, "settings", where))
        raw_runs = _get(obj, "runs", where)
        if not isinstance(raw_runs, list):
            raise SaveFormatError(f"{where}.runs must be a list, not {_kind(raw_runs)}")
        runs = tuple(
            RunRecord.from_dict(item, f"runs[{index}]") for index, item in enumerate(raw_runs)
        )
        seen: set[str] = set()
        for index, run in enumerate(runs):
            if run.id in seen:
                raise SaveFormatError(f"runs[{index}] repeats run id {run.id!r:.60}")
            seen.add(run.id)
        return cls(
            name=name,
            created=created,
            updated=updated,
            settings=settings,
            runs=runs,
            machine=machine,
            access=access,
        )
