"""Saves survive real processes: SIGKILL in the middle of a save, and two concurrent writers."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from netquest.saves import Profile, SaveStore

REPO = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"),
    pytest.mark.xdist_group("saves-subprocesses"),
]

# Shared by the test and its child processes: version N of a profile, rebuilt identically anywhere.
BUILDER = textwrap.dedent(
    """
    from netquest.saves import Profile, RunRecord, Settings

    STAMP = "2025-01-01T00:00:00.000Z"

    def make_profile(name, tag, version, runs, entries):
        return Profile(
            name=name,
            created=STAMP,
            updated=STAMP,
            settings=Settings(theme=f"{tag}:{version}"),
            runs=tuple(
                RunRecord(
                    id=f"run{i:04d}",
                    scenario_id="conference",
                    content_hash="h",
                    mode="practice",
                    started=STAMP,
                    updated=STAMP,
                    finished=None,
                    seconds=float(version),
                    state={
                        "version": version,
                        "log": [f"{tag}{version}-{i}-{j}" for j in range(entries)],
                    },
                    result=None,
                )
                for i in range(runs)
            ),
            machine="test",
        )
    """
)


def builder() -> Any:
    namespace: dict[str, Any] = {}
    exec(BUILDER, namespace)
    return namespace["make_profile"]


def child_env() -> dict[str, str]:
    existing = os.environ.get("PYTHONPATH")
    path = str(REPO) if not existing else f"{REPO}{os.pathsep}{existing}"
    return {**os.environ, "PYTHONPATH": path}


def version_of(profile: Profile) -> tuple[str, int]:
    tag, _, number = profile.settings.theme.partition(":")
    return tag, int(number)


# --- kill mid-save ------------------------------------------------------------------------------

BIG = {"runs": 40, "entries": 2500}  # about 3 MB of JSON, so a save takes a while

KILL_CHILD = BUILDER + textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from netquest.saves import SaveStore

    store = SaveStore(Path(sys.argv[1]))
    version = int(sys.argv[2])
    profile = make_profile("Big Player", "v", version, RUNS, ENTRIES)
    print("ready", flush=True)
    while True:
        store.save(profile)
        version += 1
        profile = make_profile("Big Player", "v", version, RUNS, ENTRIES)
    """
).replace("RUNS", str(BIG["runs"])).replace("ENTRIES", str(BIG["entries"]))


def _wait_for_new_temp_file(directory: Path, seen: set[str], deadline: float) -> bool:
    while time.monotonic() < deadline:
        with os.scandir(directory) as entries:
            if any(e.name.endswith(".tmp") and e.name not in seen for e in entries):
                return True
    return False


def test_sigkill_mid_save_leaves_old_or_new_file(tmp_path: Path) -> None:
    make_profile = builder()
    store = SaveStore(tmp_path)
    path = store.save(make_profile("Big Player", "v", 0, **BIG))
    rng = random.Random(20250101)
    latest = 0
    torn_writes = 0  # kills that provably landed while a temp file was being written
    for attempt in range(1, 13):
        first = attempt * 100_000
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_CHILD, str(tmp_path), str(first)],
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout is not None and proc.stdout.readline() == "ready\n", proc.stderr
            seen = {p.name for p in tmp_path.glob(".*.tmp")}
            if attempt % 3 == 0:
                time.sleep(rng.uniform(0.0, 0.5))  # any moment: building, encoding, writing
            else:
                # Aim at the write itself: kill while (or just after) a temp file is written.
                assert _wait_for_new_temp_file(tmp_path, seen, time.monotonic() + 10)
                time.sleep(rng.choice([0.0, rng.uniform(0.0, 0.03)]))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        assert proc.returncode == -signal.SIGKILL
        if {p.name for p in tmp_path.glob(".*.tmp")} - seen:
            torn_writes += 1

        profile = store.load_path(path)  # never partial: this raises if it were
        tag, version = version_of(profile)
        assert tag == "v"
        assert version == latest or first <= version < first + 100_000
        assert profile == make_profile("Big Player", "v", version, **BIG)
        result = store.load("Big Player")
        assert result.notice is None and result.profile == profile
        latest = version

    assert torn_writes >= 1, "no kill landed during a write; the test proved nothing"
    assert list(tmp_path.glob("*.corrupt-*.json")) == []
    assert [s.name for s in store.list_profiles()] == ["Big Player"]  # temp files are not listed


# --- two writers --------------------------------------------------------------------------------

MEDIUM = {"runs": 10, "entries": 300}
SAVES_PER_WRITER = 40

WRITER_CHILD = BUILDER + textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from netquest.saves import SaveError, SaveStore

    directory, tag, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    store = SaveStore(directory)
    profiles = [make_profile("Shared", tag, i, RUNS, ENTRIES) for i in range(COUNT)]
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
    timeouts = 0
    for profile in profiles:
        try:
            store.save(profile)
        except SaveError as exc:
            if "another netquest process" not in str(exc):
                raise
            timeouts += 1
        result = store.load("Shared")
        assert result.notice is None, result.notice
    print(timeouts, flush=True)
    """
).replace("RUNS", str(MEDIUM["runs"])).replace("ENTRIES", str(MEDIUM["entries"])).replace(
    "COUNT", str(SAVES_PER_WRITER)
)


def test_two_writers_never_corrupt_the_file(tmp_path: Path) -> None:
    make_profile = builder()
    saves = tmp_path / "saves"
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER_CHILD, str(saves), tag, str(go)],
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    try:
        for writer in writers:
            assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
        go.touch()
        outputs = [writer.communicate(timeout=60) for writer in writers]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.communicate()
    for writer, (_out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert err == ""
    timeouts = [int(out.strip()) for out, _ in outputs]

    # Both wrote the same runs, each from its own copy: the file holds one whole, valid profile
    # where every run is a version one of them wrote (a run changed by both is kept twice,
    # under a new id, rather than overwritten), and the settings of whichever saved last.
    store = SaveStore(saves)
    result = store.load("Shared")
    assert result.notice is None
    tag, version = version_of(result.profile)
    assert tag in ("a", "b") and 0 <= version < SAVES_PER_WRITER
    ids = [run.id for run in result.profile.runs]
    assert ids[: MEDIUM["runs"]] == [f"run{i:04d}" for i in range(MEDIUM["runs"])]
    for run in result.profile.runs:
        state = dict(run.state)
        writer, written = str(state["log"][0])[0], int(state["version"])
        original = make_profile("Shared", writer, written, **MEDIUM)
        index = int(str(state["log"][0]).split("-")[1])
        assert run == replace(original.runs[index], id=run.id)
    if timeouts == [0, 0]:
        assert version == SAVES_PER_WRITER - 1  # the last save of whichever writer finished last
    assert list(saves.glob(".*.tmp")) == []
    assert list(saves.glob("*.corrupt-*.json")) == []
