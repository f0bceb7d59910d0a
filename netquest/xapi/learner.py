"""The opaque learner id of a profile, shared by xAPI statements and trainer reports.

A module of its own so that a report, which needs only the id, does not import the statement
builders (and, through them, the xAPI settings and their TOML reader).
"""

from __future__ import annotations

import hashlib
import unicodedata


def learner_id(name: str, machine: str) -> str:
    """An opaque, stable id for a profile: 32 hex digits from its name and machine.

    The same profile always gets the same id; the id reveals neither. Names equal after Unicode
    NFC normalisation are the same profile, as in the save files.
    """
    key = unicodedata.normalize("NFC", name)
    digest = hashlib.sha256(f"netquest-learner\0{key}\0{machine}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]
