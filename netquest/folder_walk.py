"""Walk a folder tree without recursion, loops or unbounded depth (saves folders are user data).

Used by ``netquest report`` to find saves and journals: a tree thousands of folders deep, a
symbolic link pointing back up, or a bind mount loop must neither crash nor hang it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

MAX_DEPTH = 64
"""Folders deeper than this below the starting folder are not searched."""


def walk_files(
    folder: str, wanted: Callable[[str], bool], too_deep: Callable[[str], None]
) -> Iterator[str]:
    """Paths of the regular files under ``folder`` whose name is ``wanted``.

    Iterative; hidden files and folders are left out; symbolic links to folders are not
    followed; a folder met twice (a bind mount loop) is searched once; each folder more than
    :data:`MAX_DEPTH` levels down is passed to ``too_deep`` instead of being searched.
    """
    pending = [(folder, 0)]
    seen: set[tuple[int, int]] = set()
    while pending:
        current, depth = pending.pop()
        try:
            info = os.stat(current)
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if depth < MAX_DEPTH:
                        pending.append((entry.path, depth + 1))
                    else:
                        too_deep(entry.path)
                elif wanted(entry.name) and entry.is_file():
                    yield entry.path
            except OSError:
                continue
