"""xAPI learning records: statements for every run, a local journal, and an LRS sender.

Pure Python, standard library only (``urllib.request`` for HTTP). Every run produces
``attempted``, ``answered`` (one per choice) and ``completed`` statements, appended to
``<saves>/<profile>.xapi.jsonl`` as they happen; when an LRS is configured
(``netquest-lrs.toml`` in the saves folder, or ``NETQUEST_LRS_ENDPOINT`` and friends) they
are also POSTed from a background thread, and queued on disk while the LRS cannot be reached.
See ``docs/reports.md`` for the mapping. ``netquest.xapi.sender.deliver`` sends a journal now.
"""

from typing import TYPE_CHECKING

from netquest._lazy import lazy_exports

if TYPE_CHECKING:
    from netquest.xapi.config import (
        CONFIG_FILENAME,
        LrsSettings,
        XapiConfig,
        XapiSettings,
        load_config,
    )
    from netquest.xapi.journal import journal_for
    from netquest.xapi.learner import learner_id

# Importing one submodule (the report needs only ``learner_id``) must not load them all.
_LAZY: dict[str, str] = {
    "CONFIG_FILENAME": "netquest.xapi.config",
    "LrsSettings": "netquest.xapi.config",
    "XapiConfig": "netquest.xapi.config",
    "XapiSettings": "netquest.xapi.config",
    "load_config": "netquest.xapi.config",
    "journal_for": "netquest.xapi.journal",
    "learner_id": "netquest.xapi.learner",
}

__getattr__ = lazy_exports(__name__, _LAZY)

__all__ = [
    "CONFIG_FILENAME",
    "LrsSettings",
    "XapiConfig",
    "XapiSettings",
    "journal_for",
    "learner_id",
    "load_config",
]
