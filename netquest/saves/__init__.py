"""Player profiles and their runs, saved as versioned JSON files.

Pure Python (no Textual or Rich): the app, the plain-text mode and reports all use it.

Typical use::

    store = SaveStore(resolve_saves_dir(cli_dir, os.environ))
    result = store.load("Ada")
    if result.notice:
        show(result.notice)
    profile = result.profile.with_run(RunRecord.new("conference", content_hash, "practice", state))
    store.save(profile)
"""

from typing import TYPE_CHECKING

from netquest._lazy import lazy_exports

if TYPE_CHECKING:
    from netquest.saves.errors import SaveError, SaveFormatError, SaveVersionError
    from netquest.saves.machine import machine_id
    from netquest.saves.paths import (
        SAVES_ENV_VAR,
        checkout_saves_dir,
        profile_filename,
        resolve_saves_dir,
    )
    from netquest.saves.records import (
        SAVE_FORMAT,
        SAVE_VERSION,
        Profile,
        RunRecord,
        Settings,
        parse_timestamp,
        utc_timestamp,
    )
    from netquest.saves.store import (
        APP_STATE_FILENAME,
        LOCK_TIMEOUT,
        LoadResult,
        ProfileSummary,
        SaveStore,
        read_profile,
    )

# Resolved on first use: the game's first frame needs only the saves folder's path.
_LAZY: dict[str, str] = {
    "APP_STATE_FILENAME": "netquest.saves.store",
    "checkout_saves_dir": "netquest.saves.paths",
    "LoadResult": "netquest.saves.store",
    "LOCK_TIMEOUT": "netquest.saves.store",
    "machine_id": "netquest.saves.machine",
    "parse_timestamp": "netquest.saves.records",
    "Profile": "netquest.saves.records",
    "profile_filename": "netquest.saves.paths",
    "ProfileSummary": "netquest.saves.store",
    "read_profile": "netquest.saves.store",
    "resolve_saves_dir": "netquest.saves.paths",
    "RunRecord": "netquest.saves.records",
    "SAVE_FORMAT": "netquest.saves.records",
    "SAVE_VERSION": "netquest.saves.records",
    "SaveError": "netquest.saves.errors",
    "SaveFormatError": "netquest.saves.errors",
    "SAVES_ENV_VAR": "netquest.saves.paths",
    "SaveStore": "netquest.saves.store",
    "SaveVersionError": "netquest.saves.errors",
    "Settings": "netquest.saves.records",
    "utc_timestamp": "netquest.saves.records",
}

__getattr__ = lazy_exports(__name__, _LAZY)

__all__ = [
    "APP_STATE_FILENAME",
    "LOCK_TIMEOUT",
    "SAVES_ENV_VAR",
    "SAVE_FORMAT",
    "SAVE_VERSION",
    "LoadResult",
    "Profile",
    "ProfileSummary",
    "RunRecord",
    "SaveError",
    "SaveFormatError",
    "SaveStore",
    "SaveVersionError",
    "Settings",
    "checkout_saves_dir",
    "machine_id",
    "parse_timestamp",
    "profile_filename",
    "read_profile",
    "resolve_saves_dir",
    "utc_timestamp",
]
