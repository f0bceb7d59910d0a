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
