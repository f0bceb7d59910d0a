"""Find and load scenario folders: the bundled curriculum plus any the user adds.

A folder's scenarios are checked against the ``principles.toml`` beside them, or
the bundled catalogue when the folder has none. A scenario that fails to load is
kept as *unavailable* with its first error, so the rest can still be played.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from netquest.engine.diagnostics import Diagnostic, make
from netquest.engine.gc_pause import gc_paused
from netquest.engine.loader import Loaded, load_catalogue, load_scenario
from netquest.engine.model import Catalogue, Scenario
from netquest.engine.toml_source import Source, resolved

CATALOGUE_FILE = "principles.toml"


def bundled_dir() -> Path:
    """Where the bundled scenarios live: inside the wheel, or in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "scenarios"
    if installed.is_dir():
        return installed
    return package.parent / "scenarios"


@dataclass(frozen=True, slots=True)
class Entry:
    """A playable scenario with the catalogue it was checked against."""

    scenario: Scenario
    catalogue: Catalogue
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class Unavailable:
    """A scenario file that could not be loaded, and why."""

    path: Path
    error: Diagnostic

    @property
    def name(self) -> str:
        """The file's stem, the closest thing to an id it has."""
        return self.path.stem


@dataclass(frozen=True, slots=True)
class Library:
    """Every scenario found, loadable or not, and everything said about them."""

    entries: tuple[Entry, ...]
    unavailable: tuple[Unavailable, ...]
    diagnostics: tuple[Diagnostic, ...]
    files: int
    catalogues: tuple[Catalogue, ...] = ()

    def get(self, scenario_id: str) -> Entry | None:
        """The entry with this scenario id."""
        for entry in self.entries:
            if entry.scenario.id == scenario_id:
                return entry
        return None

    @property
    def ids(self) -> list[str]:
        """The ids of every playable scenario."""
        return [entry.scenario.id for entry in self.entries]


def scenario_files(folder: Path) -> list[Path]:
    """The scenario files of a folder, sorted (``principles.toml`` and course files excluded)."""
    from netquest.engine.course import is_course_file

    return sorted(
        p
        for p in folder.glob("*.toml")
        if p.name != CATALOGUE_FILE and p.is_file() and not is_course_file(p)
    )


class _Catalogues:
    """Loads each folder's catalogue once."""

    def __init__(self) -> None:
        self._cache: dict[Path, Loaded[Catalogue]] = {}
        self.diagnostics: list[Diagnostic] = []

    def for_folder(self, folder: Path) -> Loaded[Catalogue]:
        path = folder / CATALOGUE_FILE
        if not path.is_file():
            path = bundled_dir() / CATALOGUE_FILE
        path = resolved(path)
        if path not in self._cache:
            loaded = load_catalogue(path)
            self._cache[path] = loaded
            self.diagnostics.extend(loaded.diagnostics)
        return self._cache[path]

    def loaded(self) -> tuple[Catalogue, ...]:
        return tuple(c.value for c in self._cache.values() if c.value is not None)


def load_library(
    folders: Sequence[Path] = (),
    files: Sequence[Path] = (),
    include_bundled: bool = True,
) -> Library:
    """Load the bundled folder (optionally), extra ``folders`` and single ``files``."""
    catalogues = _Catalogues()
    diagnostics: list[Diagnostic] = []
    paths: list[Path] = []
    all_folders = [bundled_dir(), *folders] if include_bundled else list(folders)
    seen_folders: set[Path] = set()
    for folder in all_folders:
        absolute = resolved(folder)
        if absolute in seen_folders:
            continue
        seen_folders.add(absolute)
        if not folder.is_dir():
            what = "does not exist" if not folder.exists() else "is not a folder"
            diagnostics.append(
                make(
                    "NQ002",
                    folder,
                    (1, 1),
                    f"scenario folder {what}",
                    "check the path given to --scenarios",
                )
            )
            continue
        found = scenario_files(folder)
        if not found:
            diagnostics.append(
                make(
                    "NQ028",
                    folder,
                    (1, 1),
                    "no scenario files (*.toml) here",
                    "add scenario files or point at another folder",
                )
            )
        paths.extend(found)
    paths.extend(files)
    with gc_paused():
        return _load_paths(paths, catalogues, diagnostics)


def _load_paths(
    paths: Iterable[Path], catalogues: _Catalogues, diagnostics: list[Diagnostic]
) -> Library:
    entries: list[Entry] = []
    unavailable: list[Unavailable] = []
    owners: dict[str, Path] = {}
    seen: set[Path] = set()
    count = 0
    for path in paths:
        absolute = resolved(path)
        if absolute in seen:
            continue
        seen.add(absolute)
        count += 1
        catalogue = catalogues.for_folder(path.parent)
        if catalogue.value is None:
            error = next((d for d in catalogue.diagnostics if d.is_error), None)
            if error is not None:
                unavailable.append(Unavailable(path, error))
            continue
        loaded = load_scenario(path, catalogue.value)
        diagnostics.extend(loaded.diagnostics)
        scenario = loaded.value
        if scenario is None or not loaded.ok:
            first = next(d for d in loaded.diagnostics if d.is_error)
            unavailable.append(Unavailable(path, first))
            continue
        if scenario.id in owners:
            where = loaded.source.index.find("scenario.id") if loaded.source else (1, 1)
            duplicate = make(
                "NQ029",
                path,
                where,
                f"scenario id '{scenario.id}' is already used by {owners[scenario.id]}",
                "give each scenario its own id",
            )
            diagnostics.append(duplicate)
            unavailable.append(Unavailable(path, duplicate))
            continue
        owners[scenario.id] = path
        entries.append(Entry(scenario, catalogue.value, loaded.source))
    all_diagnostics = [*catalogues.diagnostics, *diagnostics]
    return Library(
        tuple(entries), tuple(unavailable), tuple(all_diagnostics), count, catalogues.loaded()
    )
