"""Where save files live and what each profile's file is called."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

SAVES_ENV_VAR = "NETQUEST_SAVES"
"""Environment variable naming the saves directory."""

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_SLUG_MAX = 40
_SLUG_FALLBACK = "player"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def checkout_saves_dir(package_dir: Path = _PACKAGE_DIR) -> Path | None:
    """Return the ``saves/`` folder of a source checkout, if running from one.

    A checkout is recognised when the directory holding the ``netquest`` package directory also
    holds ``pyproject.toml`` and a ``saves`` directory. An installed wheel has neither.

    Args:
        package_dir: The ``netquest`` package directory (overridable for tests).
    """
    root = package_dir.parent
    saves = root / "saves"
    if (root / "pyproject.toml").is_file() and saves.is_dir():
        return saves
    return None


def resolve_saves_dir(
    cli_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
    *,
    package_dir: Path = _PACKAGE_DIR,
) -> Path:
    """Decide which directory holds the save files. Nothing is created.

    The first of these wins: ``cli_dir`` (``--saves DIR``), the ``NETQUEST_SAVES`` environment
    variable, the ``saves/`` folder of a source checkout, the per-user data directory.

    Args:
        cli_dir: Directory given on the command line, if any.
        env: Environment to read; defaults to ``os.environ``.
        package_dir: The ``netquest`` package directory, for checkout detection (tests only).
    """
    if cli_dir is not None:
        return Path(cli_dir).expanduser()
    environ = os.environ if env is None else env
    from_env = environ.get(SAVES_ENV_VAR, "")
    if from_env.strip():
        return Path(from_env).expanduser()
    checkout = checkout_saves_dir(package_dir)
    if checkout is not None:
        return checkout
    import platformdirs  # only needed outside a checkout with no --saves or NETQUEST_SAVES

    return platformdirs.user_data_path("netquest") / "saves"


def _slug(name: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    slug = slug[:_SLUG_MAX].rstrip("-")
    return slug or _SLUG_FALLBACK


def name_key(name: str) -> str:
    """Return the canonical (NFC-normalised) form of a profile name."""
    return unicodedata.normalize("NFC", name)


def profile_digest(name: str) -> str:
    """Return the full SHA-256 hex digest of the NFC-normalised ``name``."""
    key = name_key(name).encode("utf-8", "surrogatepass")
    return hashlib.sha256(key).hexdigest()


PROFILE_HASH_DIGITS = 32
"""Hex digits of the name's SHA-256 in a profile's file name: 128 bits, beyond brute force."""

LEGACY_HASH_DIGITS = 8
"""Hex digits earlier netquest versions used (32 bits); such files are still read."""


def profile_filename(name: str, *, digits: int = PROFILE_HASH_DIGITS) -> str:
    """Derive a safe file name for a free-text profile name.

    The result is a lowercase ASCII slug of the name (at most 40 characters, ``player`` when
    nothing is left), a dash, the first 32 hex digits (128 bits) of the SHA-256 of the
    NFC-normalised name, and ``.json``, e.g.
    ``zoe-smith-20d880d2eaa36b880e5e46cca97b3507.json`` for ``"Zoë Smith"``. It never holds a
    path separator and never starts with a dot; names that are equal after NFC normalisation
    share a file. The exact name is kept inside the file, and the store picks another file name
    in the (theoretical) case that two names share one.

    Args:
        name: The profile name.
        digits: Hex digits of the hash to keep (``LEGACY_HASH_DIGITS`` gives the name earlier
            netquest versions used).
    """
    return f"{_slug(name)}-{profile_digest(name)[:digits]}.json"


def legacy_profile_filename(name: str) -> str:
    """The file name earlier netquest versions gave a profile (8 hex digits of the hash)."""
    return profile_filename(name, digits=LEGACY_HASH_DIGITS)
