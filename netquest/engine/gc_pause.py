"""Pause the cyclic garbage collector while building many long-lived objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block.

    Loading a large scenario, exploring its states or reading thousands of saves creates
    millions of objects that all stay alive; every collection would walk them all again, for
    nothing (none of this code makes reference cycles). On a 10,000-scene scenario this takes
    about a third off loading. The previous state is restored on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
