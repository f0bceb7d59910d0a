"""A realistic cohort of saves for the report and xAPI tests, made by really playing.

Every run is played through :class:`~netquest.play.session.PlaySession` (the same code the game
uses), so saves, results and xAPI journals are exactly what players would leave behind:

* 25 learners over four scenarios: the mini fixture's ``mixer`` and the bundled
  ``cold_email``, ``conference`` and ``office_party``;
* runs finished and in progress, practice and assessment, repeated scenarios (getting better);
* two profiles called "Ada" from two machines, copied into one folder as a file manager does
  (``ada-….json`` and ``ada-… (2).json``);
* one learner who never played, a corrupt save, an app-state file and a save moved aside
  earlier (``*.corrupt-*.json``) which reports must ignore.

:func:`cohort` builds it once per process; tests that change files copy the folder first.
:func:`write_bulk_saves` clones the cohort's saves into thousands of files for timing.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from netquest.engine import Choice, Entry, Library, load_library
from netquest.play.session import PlaySession, SessionListener
from netquest.saves import Profile, SaveStore, profile_filename
from netquest.xapi.recorder import default_listener

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
SCENARIOS = ("mixer", "cold_email", "conference", "office_party")
NAMES = (
    "Ada", "Bao", "Chidi", "Dana", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas",
    "Kemi", "Luca", "Maya", "Nils", "Oona", "Pablo", "Qiu", "Rosa", "Sami", "Tariq",
    "Uma", "Viktor", "Wen", "Xavi",
)  # fmt: skip
"""24 names; "Ada" plays on two machines, so 25 learners."""

MACHINE_A = "a1a1a1a1a1a1a1a1"
MACHINE_B = "b2b2b2b2b2b2b2b2"
OTHER_MACHINE = "c3c3c3c3c3c3c3c3"
LRS_ENV = ("NETQUEST_LRS_ENDPOINT", "NETQUEST_LRS_KEY", "NETQUEST_LRS_SECRET", "NETQUEST_XAPI")

Policy = Callable[[Sequence[Choice], random.Random], Choice]


def best(offered: Sequence[Choice], rng: random.Random) -> Choice:
    """The choice worth the most points now."""
    return max(offered, key=lambda choice: choice.total)


def worst(offered: Sequence[Choice], rng: random.Random) -> Choice:
    """The choice worth the fewest points now."""
    return min(offered, key=lambda choice: choice.total)


def anything(offered: Sequence[Choice], rng: random.Random) -> Choice:
    """Any choice."""
    return rng.choice(list(offered))


class FakeClock:
    """A monotonic clock the test moves forward."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass(frozen=True)
class Cohort:
    """The generated folder and what went into it.

    Attributes:
        folder: The saves folder (read-only for tests: copy it to change it).
        library: Bundled scenarios plus the mini fixture.
        corrupt: The corrupt save file.
        twins: The two "Ada" save files (machine A, machine B).
        plans: Learner label -> the runs planned, as (scenario, mode, finished) tuples.
        learners: Number of learners (distinct name and machine).
    """

    folder: Path
    library: Library
    corrupt: Path
    twins: tuple[Path, Path]
    plans: dict[str, tuple[tuple[str, str, bool], ...]]
    learners: int

    @property
    def played(self) -> tuple[str, ...]:
        """Scenario ids someone started, in library order."""
        started = {run[0] for runs in self.plans.values() for run in runs}
        return tuple(sid for sid in self.library.ids if sid in started)


@contextmanager
def no_lrs(fast: bool = False) -> Iterator[None]:
    """Make sure nothing generated here is ever sent to an LRS from the environment.

    ``fast`` also skips ``fsync`` (durability does not matter in a temporary folder).
    """
    with pytest.MonkeyPatch.context() as patch:
        for name in LRS_ENV:
            patch.delenv(name, raising=False)
        if fast:
            patch.setattr(os, "fsync", lambda fd: None)
        yield


def play(
    entry: Entry,
    profile: Profile,
    store: SaveStore,
    mode: str,
    policy: Policy,
    rng: random.Random,
    stop_after: int | None = None,
    listener: SessionListener | None = None,
) -> Profile:
    """Play one run (to the end, or ``stop_after`` choices), save it, return the profile."""
    clock = FakeClock()
    session = PlaySession.new(
        entry,
        profile,
        "assessment" if mode == "assessment" else "practice",
        store,
        clock=clock,
        listener=listener or default_listener(store),
    )
    steps = 0
    while not session.is_over and (stop_after is None or steps < stop_after):
        clock.now += rng.uniform(15, 90)
        session.choose(policy(session.offered, rng).id)
        steps += 1
    error = session.save()
    assert error is None, error
    return session.profile


def _plan(index: int) -> list[tuple[str, str, Policy, int | None]]:
    """Runs for the learner at ``index``: (scenario, mode, policy, stop after)."""
    if index == 23:
        return []  # signed up, never played
    runs: list[tuple[str, str, Policy, int | None]] = []
    if index < 21:
        runs.append(("mixer", "practice", anything, None))
        if index % 4 == 0:
            runs.append(("mixer", "practice", best, None))  # came back and did better
        if index % 8 == 0:
            runs.append(("mixer", "practice", best, None))
    if index % 5 == 1 or index == 22:
        runs.append(("conference", "practice", anything, 2))  # in progress
    if index % 3 == 2:
        runs.append(("cold_email", "assessment", anything, None))
        if index % 6 == 5:
            runs.append(("cold_email", "practice", best, None))
    if index % 7 == 3:
        runs.append(("office_party", "practice", worst, None))
        runs.append(("office_party", "practice", best, 1))
    if index == 9:
        runs.append(("cold_email", "assessment", anything, 1))  # assessment in progress only
    return runs


def build_cohort(folder: Path) -> Cohort:
    """Generate the cohort into ``folder`` (created)."""
    library = load_library(folders=[MINI])
    folder.mkdir(parents=True, exist_ok=True)
    store = SaveStore(folder)
    rng = random.Random(20240611)
    plans: dict[str, tuple[tuple[str, str, bool], ...]] = {}
    with no_lrs(fast=True):
        for index, name in enumerate(NAMES):
            machine = MACHINE_A if name == "Ada" else OTHER_MACHINE
            profile = Profile.new(name, machine=machine)
            planned = []
            for scenario_id, mode, policy, stop in _plan(index):
                entry = library.get(scenario_id)
                assert entry is not None, scenario_id
                profile = play(entry, profile, store, mode, policy, rng, stop)
                planned.append((scenario_id, mode, stop is None))
            store.save(profile)
            plans[name] = tuple(planned)
        # The other Ada: same name, another machine, saved elsewhere and copied in.
        elsewhere = folder.parent / f"{folder.name}-laptop2"
        other = SaveStore(elsewhere)
        ada = Profile.new("Ada", machine=MACHINE_B)
        mixer = library.get("mixer")
        assert mixer is not None
        ada = play(mixer, ada, other, "practice", worst, rng)
        ada = play(mixer, ada, other, "assessment", worst, rng)
        first_ada = folder / profile_filename("Ada")
        second_ada = folder / first_ada.name.replace(".json", " (2).json")
        shutil.copy(other.path_for("Ada"), second_ada)
        journal = other.path_for("Ada").with_name(first_ada.stem + ".xapi.jsonl")
        shutil.copy(journal, second_ada.with_name(second_ada.stem + ".xapi.jsonl"))
        plans["Ada (B)"] = (("mixer", "practice", True), ("mixer", "assessment", True))
    corrupt = folder / "broken-0badc0de.json"
    corrupt.write_text('{"format": "netquest-save", "version": 1, "profile": "Bro', "utf-8")
    (folder / "netquest-app.json").write_text(
        json.dumps({"format": "netquest-app", "version": 1, "last_profile": "Ada"}), "utf-8"
    )
    (folder / "zed-12345678.corrupt-20240101T000000.json").write_text("{not json", "utf-8")
    return Cohort(
        folder=folder,
        library=library,
        corrupt=corrupt,
        twins=(first_ada, second_ada),
        plans=plans,
        learners=len(NAMES) + 1,
    )


_cohort: Cohort | None = None


def cohort(factory: pytest.TempPathFactory) -> Cohort:
    """The cohort, generated once per test process."""
    global _cohort
    if _cohort is None:
        _cohort = build_cohort(factory.mktemp("cohort") / "saves")
    return _cohort


def copy_cohort(source: Cohort, target: Path) -> Path:
    """A writable copy of the cohort's folder."""
    shutil.copytree(source.folder, target)
    return target


def write_bulk_saves(source: Path, target: Path, count: int, seed: int = 7) -> list[Path]:
    """Clone the readable saves of ``source`` into ``count`` files of distinct learners.

    Names, machines and run ids are fresh, so every file is its own learner: a stand-in for a
    large organisation's folder when timing reports.
    """
    templates = []
    for path in sorted(source.glob("*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
        except ValueError:
            continue
        if data.get("format") == "netquest-save" and data.get("runs"):
            templates.append(data)
    assert templates, f"no saves to clone in {source}"
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(count):
        data = json.loads(json.dumps(rng.choice(templates)))
        data["profile"] = f"Learner {number:05d}"
        data["machine"] = f"{rng.getrandbits(64):016x}"
        for run in data["runs"]:
            run["id"] = uuid.UUID(int=rng.getrandbits(128), version=4).hex
        path = target / profile_filename(data["profile"])
        path.write_text(json.dumps(data, indent=2), "utf-8")
        written.append(path)
    return written
