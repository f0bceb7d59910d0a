"""A folder of save files: one JSON file per profile, plus a small app-state file."""

from __future__ import annotations

import errno
import fnmatch
import itertools
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from netquest.saves.errors import SaveError, SaveFormatError, one_line
from netquest.saves.jsonfile import atomic_write, decode_json, encode_json
from netquest.saves.paths import name_key, profile_filename
from netquest.saves.records import Profile

APP_STATE_FILENAME = "netquest-app.json"
"""File in the saves folder remembering app-wide state (the last profile used)."""

APP_STATE_FORMAT = "netquest-app"

LOCK_TIMEOUT = 5.0
"""Seconds to wait for another netquest process to finish writing a profile."""

_CORRUPT_PATTERN = "*.corrupt-*.json"
_FOLDER_FIX = "choose another folder with --saves DIR or NETQUEST_SAVES"


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


def read_profile(path: Path) -> Profile:
    """Read and validate one save file; never moves or changes anything.

    Raises:
        SaveFormatError: if the content is not a valid save (``SaveVersionError`` when newer).
        OSError: if the file cannot be read (``FileNotFoundError`` when missing).
    """
    return Profile.from_dict(decode_json(path.read_bytes()))


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
    interleave writes to the same profile. A profile file that cannot be read is moved aside,
    never deleted.
    """

    def __init__(self, directory: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        """Use ``directory`` (created on first save, or by :meth:`ensure`)."""
        self._directory = Path(directory)
        self._lock_timeout = lock_timeout

    @property
    def directory(self) -> Path:
        """The saves directory."""
        return self._directory

    def path_for(self, name: str) -> Path:
        """Return the file that holds the profile called ``name``."""
        return self._directory / profile_filename(name)

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

    # --- reading --------------------------------------------------------------------------------

    def list_profiles(self) -> list[ProfileSummary]:
        """List the profile files, sorted by name; unreadable ones carry an ``error``.

        Moved-aside (``*.corrupt-*.json``), temporary and app-state files are skipped. A missing
        directory has no profiles.

        Raises:
            SaveError: if the directory exists but cannot be listed.
        """
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

        A missing file gives a fresh profile. A file that is not valid JSON, has the wrong
        shape, belongs to another name or comes from a newer netquest is moved aside to
        ``<file stem>.corrupt-<UTC time>.json`` and a fresh profile is returned with a notice
        saying what was wrong and where the old file is now.

        Raises:
            SaveError: if the file exists but cannot be read at all (permissions), or is unusable
                and cannot be moved aside.
        """
        path = self.path_for(name)
        try:
            return LoadResult(self._read_for(name, path), None)
        except FileNotFoundError:
            return LoadResult(Profile.new(name), None)
        except SaveFormatError:
            return self._recover(name, path)
        except OSError as exc:
            raise self._unreadable(path, exc) from exc

    def _unreadable(self, path: Path, exc: OSError) -> SaveError:
        return SaveError(
            f"cannot read the save file {path}: {_reason(exc)}; "
            f"check its permissions or {_FOLDER_FIX}"
        )

    def _recover(self, name: str, path: Path) -> LoadResult:
        try:
            with self._lock(path):
                return self._recover_locked(name, path)
        except Timeout as exc:
            raise self._busy(path) from exc
        except OSError as exc:  # the lock file cannot be created: the folder is read-only
            raise SaveError(
                f"the save file {path} cannot be used and cannot be moved aside: "
                f"{_reason(exc)}; {_FOLDER_FIX}"
            ) from exc

    def _recover_locked(self, name: str, path: Path) -> LoadResult:
        # Read again under the lock: another process may have just replaced the file.
        try:
            return LoadResult(self._read_for(name, path), None)
        except FileNotFoundError:
            return LoadResult(Profile.new(name), None)
        except SaveFormatError as exc:
            problem = str(exc)
        except OSError as exc:
            raise self._unreadable(path, exc) from exc
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
        return LoadResult(Profile.new(name), one_line(notice))

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
        return FileLock(f"{path}.lock", timeout=self._lock_timeout)

    def _busy(self, path: Path) -> SaveError:
        return SaveError(
            f"{path}: the profile is being written by another netquest process; "
            "close the other netquest or try again"
        )

    def save(self, profile: Profile) -> Path:
        """Write the profile atomically to its file and return the file's path.

        Readers, and a crash at any moment, see either the previous file or the new one, never
        a partial file.

        Raises:
            SaveError: if the folder cannot be written, or another process holds the profile's
                lock for longer than the lock timeout.
            SaveFormatError: if the engine's state or result holds data JSON cannot represent.
        """
        data = encode_json(profile.to_dict())
        path = self.path_for(profile.name)
        self.ensure()
        try:
            with self._lock(path):
                atomic_write(path, data)
        except Timeout as exc:
            raise self._busy(path) from exc
        except OSError as exc:
            raise SaveError(f"cannot save {path}: {_reason(exc)}; {_fix(exc)}") from exc
        return path

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
