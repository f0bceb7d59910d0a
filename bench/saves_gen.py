"""Generate a folder of realistic save files for the reports benchmark.

    python bench/saves_gen.py COUNT OUTDIR [--seed N]

Each file is one learner's profile, written exactly as ``SaveStore.save`` writes it (same JSON
bytes, same file name; without the lock and fsync, which only slow generation down). The runs
are real: a pool of runs is played through every bundled scenario with seeded random choices by
``PlaySession``, so each finished run carries the engine's own ``Debrief.to_result()``; about one
run in eight is left unfinished part-way. Learners get 1-6 runs each (some scenarios repeated,
some in assessment mode), spread over a term, from a handful of machines.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from netquest.engine import Entry, PlayMode, load_library
from netquest.play.session import PlaySession
from netquest.saves import Profile, RunRecord, SaveStore, utc_timestamp
from netquest.saves.jsonfile import encode_json

POOL_PER_SCENARIO = 24
"""Distinct runs played per scenario; learners' runs are drawn from this pool."""

TERM_START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def _play(entry: Entry, mode: PlayMode, rng: random.Random, finish: bool) -> RunRecord:
    profile = Profile.new("pool", now=utc_timestamp(TERM_START), machine="0" * 16)
    session = PlaySession.new(entry, profile, mode)
    stop_after = None if finish else rng.randint(1, 4)
    while not session.is_over and session.step_number != stop_after:
        session.choose(rng.choice(session.offered).id)
    return session.run


def run_pool(seed: int) -> list[RunRecord]:
    """Runs of every bundled scenario, played with seeded random choices."""
    rng = random.Random(seed)
    library = load_library()
    pool: list[RunRecord] = []
    for entry in library.entries:
        for index in range(POOL_PER_SCENARIO):
            mode: PlayMode = "assessment" if index % 3 == 0 else "practice"
            pool.append(_play(entry, mode, rng, finish=index % 8 != 7))
    return pool


def _restamp(run: RunRecord, started: datetime, rng: random.Random) -> RunRecord:
    seconds = float(rng.randint(90, 1500)) + rng.random()
    ended = started + timedelta(seconds=seconds)
    return dataclasses.replace(
        run,
        id=uuid.UUID(int=rng.getrandbits(128), version=4).hex,
        started=utc_timestamp(started),
        updated=utc_timestamp(ended),
        finished=utc_timestamp(ended) if run.is_finished else None,
        seconds=round(seconds, 3),
    )


def learner(number: int, pool: list[RunRecord], machines: list[str], rng: random.Random) -> Profile:
    """One learner's profile with 1-6 runs drawn from the pool."""
    created = TERM_START + timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 600))
    profile = Profile.new(
        f"Learner {number:05d}", now=utc_timestamp(created), machine=rng.choice(machines)
    )
    moment = created
    runs = []
    for run in rng.sample(pool, rng.randint(1, 6)):
        moment += timedelta(hours=rng.randint(1, 72))
        runs.append(_restamp(run, moment, rng))
    runs.sort(key=lambda run: run.started)
    return dataclasses.replace(profile, runs=tuple(runs), updated=runs[-1].updated)


def generate(count: int, out: Path, seed: int = 7) -> None:
    """Write ``count`` profile files into ``out`` (created if missing)."""
    rng = random.Random(seed)
    pool = run_pool(seed)
    machines = [f"{rng.getrandbits(64):016x}" for _ in range(6)]
    store = SaveStore(out)
    store.ensure()
    for number in range(1, count + 1):
        profile = learner(number, pool, machines, rng)
        store.path_for(profile.name).write_bytes(encode_json(profile.to_dict()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.count, args.out, args.seed)


if __name__ == "__main__":
    main()
