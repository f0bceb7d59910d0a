"""Signing in to a served class: a student's own name plus their code, checked on the saves.

:func:`open_or_create` is the whole rule. A new name gets a profile with a fresh code (its
salted hash is stored, the code is returned once to be shown). An existing name opens only
with its code. A profile made outside a class (no code) cannot be opened from a browser tab:
the teacher can play it in the terminal. A wrong code costs a second, so guessing codes by
hand in a tab is slow. Two tabs creating the same new name at once are serialised by a lock,
so only one gets it.
"""

from __future__ import annotations

import dataclasses
import time

from filelock import FileLock, Timeout

from netquest.play.access_code import check_code, hash_code, new_code, normalise
from netquest.saves import Profile, SaveError, SaveStore

WRONG_CODE_DELAY = 1.0
"""Seconds a wrong code waits before the student may try again."""


class SignInRefused(Exception):
    """The name and code do not open a profile; the message says what to do."""


def open_or_create(
    store: SaveStore, name: str, code: str, *, delay: float | None = None
) -> tuple[Profile, str | None]:
    """The student's profile, and their new code when the profile was just created.

    Raises:
        SignInRefused: for a wrong or missing code, or saves that cannot be used.
    """
    path = store.path_for(name)
    try:
        store.ensure()
        with FileLock(f"{path}.signin.lock", timeout=10):
            if not path.exists():
                if normalise(code):
                    raise SignInRefused(
                        f"There is no student called {name!r} in this class yet. Check the "
                        "spelling, or leave the code empty to join as a new student."
                    )
                given = new_code()
                profile = dataclasses.replace(Profile.new(name), access=hash_code(given))
                store.save(profile)
                return profile, given
            result = store.load(name)
    except (SaveError, Timeout, OSError) as error:
        raise SignInRefused(f"Your progress cannot be opened: {error}") from None
    profile = result.profile
    if profile.access is None:
        raise SignInRefused(
            f"{name!r} was created outside this class and has no code: "
            "choose another name, or ask your teacher."
        )
    if not normalise(code) or not check_code(code, profile.access):
        time.sleep(WRONG_CODE_DELAY if delay is None else delay)
        raise SignInRefused(
            "That name is taken and needs its code. If it is yours, type your code; "
            "otherwise choose another name."
        )
    return profile, None
