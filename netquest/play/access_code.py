"""Sign-in codes for students in a served class: a short code, kept only as a salted hash.

A new student gets a code (``K7P-2QX``: six characters from an alphabet without look-alikes,
about 31 bits) shown once when they join; continuing later needs their name *and* the code.
The profile stores ``pbkdf2-sha256$<iterations>$<salt>$<hash>``, never the code itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I: a code copied from a screen is read back right."""
LENGTH = 6
ITERATIONS = 120_000
SCHEME = "pbkdf2-sha256"


def new_code() -> str:
    """A fresh random code, shown as ``ABC-DEF``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:3]}-{raw[3:]}"


def normalise(code: str) -> str:
    """A code as typed, without spaces and dashes, in capitals."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _derive(code: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", normalise(code).encode("utf-8"), salt, iterations)


def hash_code(code: str) -> str:
    """The salted hash stored in the profile."""
    salt = secrets.token_bytes(16)
    digest = _derive(code, salt, ITERATIONS)
    return f"{SCHEME}${ITERATIONS}${salt.hex()}${digest.hex()}"


def check_code(code: str, stored: str) -> bool:
    """Whether ``code`` matches the stored hash (constant-time; ``False`` for a bad hash)."""
    try:
        scheme, iterations, salt, digest = stored.split("$")
        rounds = int(iterations)
        if scheme != SCHEME or not 1_000 <= rounds <= 10_000_000:
            return False
        expected = bytes.fromhex(digest)
        return hmac.compare_digest(_derive(code, bytes.fromhex(salt), rounds), expected)
    except ValueError:
        return False
