"""A stable, anonymous id for the machine a profile was created on.

A trainer who merges save folders from many machines can then tell apart two profiles that
happen to share a name. The id is a salted hash, so it reveals nothing about the machine.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

_MACHINE_ID_FILES = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))
_RANDOM_NODE_BIT = 1 << 40  # uuid.getnode() sets the multicast bit when it had to make one up


def _raw_machine_source() -> str:
    import socket  # only without a machine-id file: uuid and socket take ~15 ms to import
    import uuid

    for candidate in _MACHINE_ID_FILES:
        try:
            text = candidate.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text:
            return f"machine-id:{text}"
    node = uuid.getnode()
    if not node & _RANDOM_NODE_BIT:
        return f"node:{node:012x}"
    return f"host:{socket.gethostname()}"


@functools.cache
def machine_id() -> str:
    """Return 16 hex digits identifying this machine, the same on every run."""
    source = _raw_machine_source()
    return hashlib.sha256(f"netquest-machine\0{source}".encode()).hexdigest()[:16]
