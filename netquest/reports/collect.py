"""Find and read save files for a report: folders (searched recursively) and single files.

A file that cannot be read is skipped with a one-line reason and the rest are still read.
Profiles are grouped by name *and* machine: the same file copied twice merges (runs are
matched by id, the most recently updated copy wins), while two machines' profiles that share a
name stay two learners.
"""

from __future__ import annotations

import fnmatch
import os
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from netquest.engine.gc_pause import gc_paused
from netquest.folder_walk import MAX_DEPTH, walk_files
from netquest.reports.model import Skipped
from netquest.saves import (
    APP_STATE_FILENAME,
    Profile,
    RunRecord,
    SaveFormatError,
    parse_timestamp,
    read_profile,
)
from netquest.saves.errors import one_line

_MOVED_ASIDE = "*.corrupt-*.json"


@dataclass(frozen=True, slots=True)
class LearnerSaves:
    """One learner's profile, merged from every file that holds it.

    Attributes:
        name: Profile name.
        machine: Machine id.
        files: The files it was read from.
        runs: Every run, oldest first.
    """

    name: str
    machine: str
    files: tuple[Path, ...]
    runs: tuple[RunRecord, ...]


@dataclass(frozen=True, slots=True)
class Collection:
    """What was read.

    Attributes:
        learners: One entry per (name, machine), in the order first met.
        files: How many files were read successfully.
        skipped: Files that could not be used.
    """

    learners: tuple[LearnerSaves, ...]
    files: int
    skipped: tuple[Skipped, ...]


def is_save_candidate(name: str) -> bool:
    """Whether a file name in a folder looks like a profile save.

    Hidden and temporary files, the app-state file, journals and files moved aside as corrupt
    (``*.corrupt-*.json``: the player was told when it happened) are not.
    """
    return (
        name.endswith(".json")
        and not name.startswith(".")
        and name != APP_STATE_FILENAME
        and not fnmatch.fnmatchcase(name, _MOVED_ASIDE)
    )


def find_saves(inputs: Sequence[Path]) -> tuple[list[Path], list[Skipped]]:
    """The save files named by ``inputs`` (files as given, folders searched recursively).

    Returns the files, sorted and without duplicates, and the inputs that do not exist (or
    folders left out for being too deep).
    """
    found: dict[str, str] = {}
    missing: list[Skipped] = []
    for item in inputs:
        if item.is_dir():
            for path in _walk(str(item), missing):
                found.setdefault(os.path.abspath(path), path)
        elif item.is_file():
            found.setdefault(os.path.abspath(item), str(item))
        else:
            what = "no such file or folder" if not item.exists() else "not a file or folder"
            missing.append(Skipped(str(item), what))
    return [Path(path) for path in sorted(found.values())], missing


def _walk(folder: str, skipped: list[Skipped]) -> Iterator[str]:
    """Save candidates under ``folder`` (see :func:`~netquest.folder_walk.walk_files`)."""

    def too_deep(path: str) -> None:
        skipped.append(Skipped(path, f"more than {MAX_DEPTH} folders deep: not searched"))

    return walk_files(folder, is_save_candidate, too_deep)


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def collect(inputs: Sequence[Path]) -> Collection:
    """Read every save named by ``inputs``; never raises for a bad file."""
    with gc_paused():
        return _collect(inputs)


def _collect(inputs: Sequence[Path]) -> Collection:
    paths, skipped = find_saves(inputs)
    groups: dict[tuple[str, str], tuple[list[Path], dict[str, RunRecord]]] = {}
    read = 0
    for path in paths:
        try:
            profile = read_profile(path)
        except SaveFormatError as error:
            skipped.append(Skipped(str(path), one_line(str(error))))
            continue
        except OSError as error:
            skipped.append(Skipped(str(path), f"cannot be read: {_reason(error)}"))
            continue
        read += 1
        _merge(groups, path, profile)
    learners = tuple(
        LearnerSaves(
            name=name,
            machine=machine,
            files=tuple(files),
            runs=tuple(sorted(runs.values(), key=lambda run: (run.started, run.id))),
        )
        for (name, machine), (files, runs) in groups.items()
    )
    return Collection(learners, read, tuple(skipped))


def _merge(
    groups: dict[tuple[str, str], tuple[list[Path], dict[str, RunRecord]]],
    path: Path,
    profile: Profile,
) -> None:
    key = (unicodedata.normalize("NFC", profile.name), profile.machine)
    files, runs = groups.setdefault(key, ([], {}))
    files.append(path)
    for run in profile.runs:
        known = runs.get(run.id)
        if known is None or parse_timestamp(run.updated) > parse_timestamp(known.updated):
            runs[run.id] = run
