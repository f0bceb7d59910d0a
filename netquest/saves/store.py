"""A folder of save files: one JSON file per profile, plus a small app-state file."""

from __future__ import annotations

import dataclasses
import errno
import fnmatch
import itertools
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from netquest.saves.errors import SaveError, SaveFormatError, SaveVersionError, one_line
from netquest.saves.jsonfile import atomic_write, decode_json, encode_json
from netquest.saves.paths import legacy_profile_filename, name_key, profile_filename
from netquest.saves.records import SAVE_FORMAT, Profile, RunRecord, Settings, parse_timestamp

if TYPE_CHECKING:
    from filelock import FileLock

APP_STATE_FILENAME = "netquest-app.json"
"""File in the saves folder remembering app-wide state (the last profile used)."""

APP_STATE_FORMAT = "netquest-app"

LOCK_TIMEOUT = 5.0
"""Seconds to wait for another netquest process to finish writing a profile."""

STALE_TEMP_SECONDS = 60.0
"""A hidden ``.tmp`` file older than this was left by a killed writer (a live one takes
milliseconds) and is removed when a store is first used."""

_CORRUPT_PATTERN = "*.corrupt-*.json"
_FOLDER_FIX = "choose another folder with --saves DIR or NETQUEST_SAVES"
_MAX_FILE_TRIES = 50

Claim = Literal["missing", "ours", "other", "unreadable"]


@dataclass(frozen=True)
class ProfileSummary:
    """One profile file as listed, without its runs.

    Attributes:
        name: Profile name from the file, or the file's stem when it could not be read.
        path: The file.
        updated: When the profile last changed, or None if unreadable.
        runs: Number of runs recorded.
        machine: Id of the machine that created the profile, or None if unreadable.
        error: Why the file could not be read, or None.
    """

    name: str
    path: Path
    updated: str | None
    runs: int
    machine: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class LoadResult:
    """What :meth:`SaveStore.load` found.

    Attributes:
        profile: The loaded profile, or a fresh one.
        notice: One line to show the player when their old file could not be used, else None.
    """

    profile: Profile
    notice: str | None


@dataclass(frozen=True)
class SaveOutcome:
    """What :meth:`SaveStore.commit` wrote.

    Attributes:
        path: The profile's file.
        profile: The profile as written: the caller's runs and settings merged with what
            another netquest had saved meanwhile.
        forked: Run ids that were saved under a new id (given id -> new id), because another
            netquest changed the same run since this one loaded it.
        notices: One line per thing the player should be told (a forked run).
    """

    path: Path
    profile: Profile
    forked: Mapping[str, str] = field(default_factory=dict)
    notices: tuple[str, ...] = ()


@dataclass
class _Synced:
    """What one store last knew of one file, to tell its own changes from another's.

    ``given`` holds each run as the caller had it at the last load or save, ``disk`` as the
    file had it then; ``forks`` maps run ids the caller still uses to the ids they were saved
    under after a conflict.
    """

    given: dict[str, RunRecord] = field(default_factory=dict)
    disk: dict[str, RunRecord] = field(default_factory=dict)
    given_settings: Settings | None = None
    forks: dict[str, str] = field(default_factory=dict)


def _claim(path: Path, name: str) -> Claim:
    """Whose save ``path`` holds, without validating the rest of it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "unreadable"
    try:
        data = decode_json(raw)
    except SaveFormatError:
        return "unreadable"
    stored = data.get("profile") if isinstance(data, dict) else None
    if not isinstance(stored, str) or data.get("format") != SAVE_FORMAT:
        return "unreadable"
    return "ours" if name_key(stored) == name_key(name) else "other"


def _newest(first: str, second: str) -> str:
    def key(text: str) -> datetime:
        try:
            return parse_timestamp(text)
        except ValueError:
            return datetime.min.replace(tzinfo=UTC)

    return first if key(first) >= key(second) else second


def read_profile(path: Path) -> Profile:
    """Read and validate one save file; never moves or changes anything.

    Raises:
        SaveFormatError: if the content is not a valid save (``SaveVersionError`` when newer).
        OSError: if the file cannot be read (``FileNotFoundError`` when missing).
    """
    return Profile.from_dict(decode_json(path.read_bytes()))


def _lock_timeout() -> type[Exception]:
    """filelock's ``Timeout``, imported when first needed (after :meth:`SaveStore._lock`)."""
    from filelock import Timeout

    return Timeout


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _fix(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"free some disk space or {_FOLDER_FIX}"
    return _FOLDER_FIX


def _is_profile_file(path: Path) -> bool:
    name = path.name
    return (
        name.endswith(".json")
        and not name.startswith(".")
        and name != APP_STATE_FILENAME
        and not fnmatch.fnmatchcase(name, _CORRUPT_PATTERN)
    )


class SaveStore:
    """Profiles saved as JSON files in one directory.

    Writes are atomic and guarded by a lock file per profile, so two netquest processes never
    interleave writes to the same profile; under that lock each save merges with what is on
    disk (runs by id, settings last-writer-wins), so two processes playing one profile never
    lose each other's runs. A profile file that cannot be read is moved aside, never deleted;
    a file from a newer netquest is left alone and never written.
    """

    def __init__(self, directory: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        """Use ``directory`` (created on first save, or by :meth:`ensure`)."""
        self._directory = Path(directory)
        self._lock_timeout = lock_timeout
        self._synced: dict[Path, _Synced] = {}
        self._located: dict[str, Path] = {}
        self._mutex = threading.RLock()
        self._swept = False

    @property
    def directory(self) -> Path:
        """The saves directory."""
        return self._directory

    def path_for(self, name: str) -> Path:
        """Return the file that holds (or will hold) the profile called ``name``.

        That is ``<slug>-<128-bit hash>.json``; a file of the older 32-bit form that holds this
        very name is used as it is. A file holding *another* name that happens to share the
        file name is left alone and the next free ``<slug>-<hash>-<n>.json`` is used instead.
        The answer is remembered; loading and saving check it again under the profile's lock.
        """
        key = name_key(name)
        with self._mutex:
            found = self._located.get(key)
        if found is None:
            found = self._locate(name)
            with self._mutex:
                self._located[key] = found
        return found

    def _locate(self, name: str) -> Path:
        primary = self._directory / profile_filename(name)
        legacy = self._directory / legacy_profile_filename(name)
        candidates = [primary, legacy]
        for number in itertools.count(2):  # taken only when a colliding name came first
            numbered = self._directory / f"{primary.stem}-{number}.json"
            if not os.path.lexists(numbered):
                break
            candidates.append(numbered)
        free: Path | None = None
        for path in candidates:
            claim = _claim(path, name)
            if claim == "ours" or (claim == "unreadable" and path != legacy):
                return path
            if claim == "unreadable" and not primary.exists():
                return path  # an old-form file of this name that is broken: recover it
            if claim == "missing" and path != legacy and free is None:
                free = path
        if free is not None:
            return free
        return self._directory / f"{primary.stem}-{len(candidates)}.json"

    def _forget_location(self, name: str) -> None:
        with self._mutex:
            self._located.pop(name_key(name), None)

    def ensure(self) -> None:
        """Create the saves directory and its parents if missing.

        Raises:
            SaveError: if it cannot be created.
        """
        try:
            self._directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SaveError(
                f"cannot create the saves folder {self._directory}: {_reason(exc)}; {_fix(exc)}"
            ) from exc

    def sweep_stale_temp_files(self, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
        """Remove hidden ``.tmp`` files that killed writers left behind; return them.

        Only files older than ``older_than`` seconds go: a live writer's file exists for
        milliseconds. Runs once per store (at its first load, list or save); never raises.
        """
        self._swept = True
        removed: list[Path] = []
        cutoff = time.time() - older_than
        try:
            entries = list(os.scandir(self._directory))
        except OSError:
            return removed
        for entry in entries:
            if not (entry.name.startswith(".") and entry.name.endswith(".tmp")):
                continue
            try:
                if (
                    entry.is_file(follow_symlinks=False)
                    and entry.stat(follow_symlinks=False).st_mtime < cutoff
                ):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            except OSError:
                continue
        return removed

    def _sweep_once(self) -> None:
        if not self._swept:
            self.sweep_stale_temp_files()

    # --- reading --------------------------------------------------------------------------------

    def list_profiles(self) -> list[ProfileSummary]:
        """List the profile files, sorted by name; unreadable ones carry an ``error``.

        Moved-aside (``*.corrupt-*.json``), temporary and app-state files are skipped. A missing
        directory has no profiles.

        Raises:
            SaveError: if the directory exists but cannot be listed.
        """
        self._sweep_once()
        try:
            entries = list(self._directory.iterdir())
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise SaveError(
                f"cannot list the saves folder {self._directory}: {_reason(exc)}; {_FOLDER_FIX}"
            ) from exc
        summaries: list[ProfileSummary] = []
        for path in entries:
            if not _is_profile_file(path) or not path.is_file():
                continue
            try:
                profile = read_profile(path)
            except (SaveFormatError, OSError) as exc:
                summaries.append(
                    ProfileSummary(
                        name=path.stem, path=path, updated=None, runs=0, error=one_line(str(exc))
                    )
                )
                continue
            summaries.append(
                ProfileSummary(
                    name=profile.name,
                    path=path,
                    updated=profile.updated,
                    runs=len(profile.runs),
                    machine=profile.machine,
                )
            )
        summaries.sort(key=lambda summary: (summary.name.casefold(), summary.path.name))
        return summaries

    def load_path(self, path: Path) -> Profile:
        """Read a given save file without moving anything (for reports).

        Raises:
            SaveFormatError: if the content is not a valid save.
            OSError: if the file cannot be read.
        """
        return read_profile(path)

    def _read_for(self, name: str, path: Path) -> Profile:
        profile = read_profile(path)
        if name_key(profile.name) != name_key(name):
            raise SaveFormatError(f"it holds the profile {profile.name!r:.80}, not {name!r:.80}")
        return profile

    def load(self, name: str) -> LoadResult:
        """Load the profile called ``name``; play can always go on.

        A missing file gives a fresh profile. A file that is not valid JSON or has the wrong
        shape is moved aside to ``<file stem>.corrupt-<UTC time>.json`` and a fresh profile is
        returned with a notice saying what was wrong and where the old file is now. A readable
        file of another name is never moved: that profile simply lives in another file.

        Raises:
            SaveError: if the file exists but cannot be read at all (permissions), was written
                by a newer netquest (the message names the version needed; the file is left
                alone), or is unusable and cannot be moved aside.
        """
        self._sweep_once()
        for _ in range(_MAX_FILE_TRIES):
            self._forget_location(name)  # look afresh: files may have come and gone
            path = self.path_for(name)
            try:
                profile = self._read_for(name, path)
            except FileNotFoundError:
                return self._fresh(name, path)
            except SaveVersionError as exc:
                raise self._too_new(path, exc) from exc
            except SaveFormatError:
                if _claim(path, name) == "other":  # written by another name just now
                    continue
                result = self._recover(name, path)
                if result is None:
                    continue
                return result
            except OSError as exc:
                raise self._unreadable(path, exc) from exc
            self._remember(path, profile, profile, None)
            return LoadResult(profile, None)
        raise self._no_file_name(name)

    def _fresh(self, name: str, path: Path) -> LoadResult:
        """A new profile for ``name``, to be saved at ``path`` (no file there yet)."""
        profile = Profile.new(name)
        self._remember(path, profile, None, None)
        return LoadResult(profile, None)

    def _no_file_name(self, name: str) -> SaveError:
        return SaveError(
            f"no free file name for the profile {name!r:.80} in {self._directory}; {_FOLDER_FIX}"
        )

    @staticmethod
    def _too_new(path: Path, exc: SaveVersionError) -> SaveError:
        return SaveError(f"the save file {path} {exc}")

    def _unreadable(self, path: Path, exc: OSError) -> SaveError:
        return SaveError(
            f"cannot read the save file {path}: {_reason(exc)}; "
            f"check its permissions or {_FOLDER_FIX}"
        )

    def _recover(self, name: str, path: Path) -> LoadResult | None:
        try:
            with self._lock(path):
                return self._recover_locked(name, path)
        except _lock_timeout() as exc:
            raise self._busy(path) from exc
        except OSError as exc:  # the lock file cannot be created: the folder is read-only
            raise SaveError(
                f"the save file {path} cannot be used and cannot be moved aside: "
                f"{_reason(exc)}; {_FOLDER_FIX}"
            ) from exc

    def _recover_locked(self, name: str, path: Path) -> LoadResult | None:
        # Read again under the lock: another process may have just replaced the file.
        try:
            profile = self._read_for(name, path)
        except FileNotFoundError:
            return self._fresh(name, path)
        except SaveVersionError as exc:
            raise self._too_new(path, exc) from exc
        except SaveFormatError as exc:
            if _claim(path, name) == "other":
                return None  # another profile's file: look for ours elsewhere
            problem = str(exc)
        except OSError as exc:
            raise self._unreadable(path, exc) from exc
        else:
            self._remember(path, profile, profile, None)
            return LoadResult(profile, None)
        try:
            moved = self._move_aside(path)
        except OSError as exc:
            raise SaveError(
                f"the save file {path} cannot be used ({problem}) and cannot be moved aside: "
                f"{_reason(exc)}; {_FOLDER_FIX}"
            ) from exc
        notice = (
            f"Your save file {path.name} could not be used: {problem}. "
            f"It was moved to {moved} and a fresh profile was started."
        )
        profile = Profile.new(name)
        self._remember(path, profile, None, None)
        return LoadResult(profile, one_line(notice))

    def _move_aside(self, path: Path) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        stem = path.name.removesuffix(".json")
        for counter in itertools.count(1):
            suffix = "" if counter == 1 else f"-{counter}"
            target = path.with_name(f"{stem}.corrupt-{stamp}{suffix}.json")
            # The caller holds this profile's lock, so no other netquest picks the same name.
            if not os.path.lexists(target):
                os.rename(path, target)
                return target
        raise AssertionError("unreachable")  # pragma: no cover

    # --- writing --------------------------------------------------------------------------------

    def _lock(self, path: Path) -> FileLock:
        from filelock import FileLock  # only to write: reading saves (reports) never locks

        return FileLock(f"{path}.lock", timeout=self._lock_timeout)

    def _busy(self, path: Path) -> SaveError:
        return SaveError(
            f"{path}: the profile is being written by another netquest process; "
            "close the other netquest or try again"
        )

    def save(self, profile: Profile) -> Path:
        """Save the profile (see :meth:`commit`) and return its file's path."""
        return self.commit(profile).path

    def commit(self, profile: Profile) -> SaveOutcome:
        """Write the profile atomically, merged with what is on disk, under the profile's lock.

        Readers, and a crash at any moment, see either the previous file or the new one, never
        a partial file. Another netquest may have saved the same profile since this store
        loaded it: its runs are kept (runs are matched by id), its settings are kept unless
        these were changed here (the last writer of the settings wins), and a run that *both*
        changed is not overwritten: the version given here is saved under a new run id, and
        the outcome says so (``forked`` and a notice). Later saves of that run through this
        store follow the new id.

        Raises:
            SaveError: if the folder cannot be written, another process holds the profile's
                lock for longer than the lock timeout, or the file on disk was written by a
                newer netquest (it is never overwritten).
            SaveFormatError: if the engine's state or result holds data JSON cannot represent.
        """
        encode_json(profile.to_dict())  # fail before touching anything
        self.ensure()
        self._sweep_once()
        with self._mutex:
            for _ in range(_MAX_FILE_TRIES):
                path = self.path_for(profile.name)
                try:
                    with self._lock(path):
                        outcome = self._commit_locked(path, profile)
                except _lock_timeout() as exc:
                    raise self._busy(path) from exc
                except OSError as exc:
                    raise SaveError(f"cannot save {path}: {_reason(exc)}; {_fix(exc)}") from exc
                if outcome is not None:
                    return outcome
                self._forget_location(profile.name)  # another name took that file: look again
            raise self._no_file_name(profile.name)

    def _commit_locked(self, path: Path, profile: Profile) -> SaveOutcome | None:
        notices: list[str] = []
        try:
            disk: Profile | None = self._read_for(profile.name, path)
        except FileNotFoundError:
            disk = None
        except SaveVersionError as exc:
            raise self._too_new(path, exc) from exc
        except SaveFormatError as exc:
            if _claim(path, profile.name) == "other":
                return None  # a profile of another name took this file: use another one
            moved = self._move_aside(path)
            notices.append(
                one_line(
                    f"Your save file {path.name} could not be used: {exc}. It was moved to {moved}."
                )
            )
            disk = None
        merged, forked, fork_notices = self._merge(path, profile, disk)
        atomic_write(path, encode_json(merged.to_dict()))
        self._remember(path, profile, merged, forked)
        return SaveOutcome(path, merged, forked, (*notices, *fork_notices))

    def _merge(
        self, path: Path, profile: Profile, disk: Profile | None
    ) -> tuple[Profile, dict[str, str], list[str]]:
        synced = self._synced.get(path, _Synced())
        if disk is None:
            runs = [self._renamed(run, synced) for run in profile.runs]
            return dataclasses.replace(profile, runs=tuple(runs)), {}, []
        merged = list(disk.runs)
        where = {run.id: index for index, run in enumerate(merged)}
        forked: dict[str, str] = {}
        notices: list[str] = []
        for given in profile.runs:
            run = self._renamed(given, synced)
            index = where.get(run.id)
            if index is None:
                merged.append(run)
                continue
            on_disk = merged[index]
            before, seen = synced.given.get(run.id), synced.disk.get(run.id)
            if on_disk == run or (before is not None and run == before):
                continue  # unchanged here: whatever is on disk is at least as new
            if seen is not None and on_disk == seen:
                merged[index] = run  # changed only here
            elif before is None and seen is None:
                # Never loaded through this store: the newer version wins.
                if _newest(run.updated, on_disk.updated) == run.updated:
                    merged[index] = run
            else:  # changed here *and* elsewhere since it was loaded: keep both
                import uuid  # only to fork a run both processes changed

                fork = dataclasses.replace(run, id=uuid.uuid4().hex)
                forked[given.id] = fork.id
                merged.append(fork)
                notices.append(
                    f"This {run.scenario_id} run was also played in another window or tab; "
                    "to keep both, your moves here continue as a new run."
                )
        settings = profile.settings
        if synced.given_settings is not None and settings == synced.given_settings:
            settings = disk.settings  # not changed here: keep whatever was saved last
        return (
            dataclasses.replace(
                profile,
                created=disk.created,
                machine=disk.machine,
                updated=_newest(profile.updated, disk.updated),
                settings=settings,
                runs=tuple(merged),
            ),
            forked,
            notices,
        )

    @staticmethod
    def _renamed(run: RunRecord, synced: _Synced) -> RunRecord:
        new_id = synced.forks.get(run.id)
        return run if new_id is None else dataclasses.replace(run, id=new_id)

    def _remember(
        self, path: Path, given: Profile, disk: Profile | None, forked: Mapping[str, str] | None
    ) -> None:
        """Note what the caller and the file hold now; ``forked=None`` (a load) starts afresh."""
        with self._mutex:
            if forked is None:
                self._synced[path] = _Synced()
            synced = self._synced.setdefault(path, _Synced())
            synced.forks.update(forked or {})
            on_disk = {} if disk is None else {run.id: run for run in disk.runs}
            synced.given = {}
            for run in given.runs:
                renamed = self._renamed(run, synced)
                synced.given[renamed.id] = renamed
            synced.disk = on_disk
            synced.given_settings = given.settings

    # --- app state ------------------------------------------------------------------------------

    @property
    def app_state_path(self) -> Path:
        """The app-state file."""
        return self._directory / APP_STATE_FILENAME

    def _read_app_state(self) -> dict[str, object]:
        try:
            data = decode_json(self.app_state_path.read_bytes())
        except (OSError, SaveFormatError):
            return {}
        if not isinstance(data, dict) or data.get("format") != APP_STATE_FORMAT:
            return {}
        return data

    def last_profile(self) -> str | None:
        """Return the name of the profile used last, or None (also when the file is unusable)."""
        name = self._read_app_state().get("last_profile")
        return name if isinstance(name, str) else None

    def set_last_profile(self, name: str) -> None:
        """Remember ``name`` as the profile used last (atomic; other app-state keys are kept).

        Raises:
            SaveError: if the folder cannot be written.
        """
        state = self._read_app_state()
        state.update(format=APP_STATE_FORMAT, version=1, last_profile=name)
        data = encode_json(state)
        self.ensure()
        try:
            atomic_write(self.app_state_path, data)
        except OSError as exc:
            raise SaveError(
                f"cannot save {self.app_state_path}: {_reason(exc)}; {_fix(exc)}"
            ) from exc
