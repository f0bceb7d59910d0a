"""One profile played from two places at once, colliding file names, version skew, stale temps.

The two-place tests run real ``netquest play --plain`` processes fed one answer at a time
through stdin pipes, and two games of the web front end (the Textual app, as each served tab
runs it) on one saves folder.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from netquest.reports.collect import collect
from netquest.saves import Profile, RunRecord, SaveError, SaveStore, Settings
from netquest.saves import paths as paths_module

REPO = Path(__file__).resolve().parent.parent
PROMPT = "q to stop: "
T0 = "2025-01-01T00:00:00.000Z"


class Player:
    """A ``netquest play SCENARIO --plain`` process answered one line at a time."""

    def __init__(self, saves: Path, scenario: str, profile: str) -> None:
        command = [sys.executable, "-m", "netquest", "play", scenario, "--plain"]
        command += ["--saves", str(saves), "--profile", profile]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO), "NETQUEST_XAPI": "off"},
        )
        self.output = ""

    def wait_for_prompt(self) -> str:
        """Read until the game asks for the next choice (it has saved by then)."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        start = len(self.output)
        deadline = time.monotonic() + 60
        while PROMPT not in self.output[start:]:
            assert time.monotonic() < deadline, f"no prompt; output so far:\n{self.output}"
            ready, _, _ = select.select([fd], [], [], 1.0)
            if ready:
                chunk = os.read(fd, 65536)
                assert chunk, f"the game ended early:\n{self.output}"
                self.output += chunk.decode("utf-8", "replace")
        return self.output[start:]

    def answer(self, line: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{line}\n".encode())
        self.process.stdin.flush()
        return self.wait_for_prompt()

    def finish(self) -> tuple[int, str]:
        """End the input (the game saves and stops); the exit status and stderr."""
        out, err = self.process.communicate(timeout=60)
        self.output += out.decode("utf-8", "replace")
        return self.process.returncode, err.decode("utf-8", "replace")


@contextmanager
def players(*started: Player) -> Iterator[None]:
    try:
        yield
    finally:
        for player in started:
            if player.process.poll() is None:
                player.process.kill()
                player.process.communicate()


def legacy_filename(name: str) -> str:
    """The file name netquest gave a profile before 128-bit names: 8 hex digits of SHA-256."""
    return f"{name.lower()}-{hashlib.sha256(name.encode()).hexdigest()[:8]}.json"


class _OneDigest:
    """Stands in for ``hashlib`` so that every name hashes alike: a forced collision."""

    @staticmethod
    def sha256(data: bytes) -> hashlib._Hash:
        return hashlib.sha256(b"always the same")


def saved(saves: Path, name: str) -> Profile:
    return SaveStore(saves).load(name).profile


def history(run: RunRecord) -> list[list[str]]:
    return [list(step) for step in run.state["history"]]


# --- item 1: two places, one profile ------------------------------------------------------------


def test_two_processes_playing_one_profile_keep_each_others_runs(tmp_path: Path) -> None:
    a = Player(tmp_path, "cold_email", "Pat")
    with players(a):
        a.wait_for_prompt()
        a.answer("1")  # A's first choice is saved
        b = Player(tmp_path, "conference", "Pat")  # B loads the profile A just saved
        with players(b):
            b.wait_for_prompt()
            b.answer("1")  # B saves its conference run
            a.answer("1")  # A saves again from its own copy, which has no conference run
            (code_a, err_a), (code_b, err_b) = a.finish(), b.finish()
    assert (code_a, code_b) == (0, 0) and "Traceback" not in err_a + err_b
    runs = {run.scenario_id: run for run in saved(tmp_path, "Pat").runs}
    assert sorted(runs) == ["cold_email", "conference"]  # B's run survived A's save
    assert len(history(runs["cold_email"])) == 2  # and A's second choice did not revert
    assert len(history(runs["conference"])) == 1


def test_two_processes_playing_the_same_run_fork_it_and_say_so(tmp_path: Path) -> None:
    first = Player(tmp_path, "cold_email", "Pat")
    with players(first):
        first.wait_for_prompt()
        first.answer("1")
        assert first.finish()[0] == 0
    (original,) = saved(tmp_path, "Pat").runs

    a, b = Player(tmp_path, "cold_email", "Pat"), Player(tmp_path, "cold_email", "Pat")
    with players(a, b):
        a.wait_for_prompt()  # both continue the same saved run
        b.wait_for_prompt()
        a.answer("1")
        b.answer("2")  # B changed the run A changed too: B is told and goes on as a new run
        b.answer("1")  # ... and its next save follows the new run, not A's
        (code_a, err_a), (code_b, err_b) = a.finish(), b.finish()
    assert (code_a, code_b) == (0, 0)
    assert err_a == ""
    notices = [line for line in err_b.splitlines() if line]
    assert len(notices) == 1 and "also played in another window or tab" in notices[0]
    runs = saved(tmp_path, "Pat").runs
    assert len(runs) == 2
    kept = next(run for run in runs if run.id == original.id)
    forked = next(run for run in runs if run.id != original.id)
    assert history(kept)[:1] == history(forked)[:1] == history(original)
    assert len(history(kept)) == 2 and len(history(forked)) == 3
    assert history(kept)[1] != history(forked)[1]  # A's choice and B's, both kept


def test_settings_are_last_writer_wins_and_unchanged_settings_never_undo_them(
    tmp_path: Path,
) -> None:
    a, b = SaveStore(tmp_path), SaveStore(tmp_path)
    a.save(a.load("Pat").profile)
    pa, pb = a.load("Pat").profile, b.load("Pat").profile
    b.save(pb.with_settings(Settings(theme="nord")))
    run = RunRecord.new("conference", "h", "practice", {})
    a.save(pa.with_run(run))  # A never touched the settings: B's stay
    assert saved(tmp_path, "Pat").settings.theme == "nord"
    a.save(pa.with_run(run).with_settings(Settings(theme="gruvbox")))  # A changes them last
    merged = saved(tmp_path, "Pat")
    assert merged.settings.theme == "gruvbox" and [r.id for r in merged.runs] == [run.id]


def _game_process(saves: Path, script: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, str(saves)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "NETQUEST_XAPI": "off"},
    )


# Each "tab" is a process running the game app as a served tab does (``NetquestApp`` on one
# saves folder; here headless, driven by Textual's pilot instead of a browser's websocket). It
# continues the player's unfinished run and presses a choice's number when told; the app saves
# as it always does and any notice it shows is reported back.
TAB = """
import asyncio, sys
from pathlib import Path
from netquest.tui.app import NetquestApp

async def main():
    app = NetquestApp(saves_dir=Path(sys.argv[1]), profile="Pat", start_scenario="cold_email")
    notes = []
    original = app.notify
    def notify(message, *args, **kwargs):
        notes.append(str(message))
        return original(message, *args, **kwargs)
    app.notify = notify
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(600):
            await pilot.pause(0.05)
            if app.session is not None:
                break
        await pilot.pause(0.3)
        print("ready", flush=True)
        for line in sys.stdin:
            steps = app.session.step_number
            await pilot.press(*line.split())
            for _ in range(200):
                await pilot.pause(0.05)
                if app.session.step_number > steps:
                    break
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            print("saved", flush=True)
        app.save_now()
        await pilot.pause(0.2)
    print("notes:" + "|".join(notes), flush=True)

asyncio.run(main())
"""


def test_two_served_games_on_one_saves_folder_fork_the_same_run(tmp_path: Path) -> None:
    first = Player(tmp_path, "cold_email", "Pat")
    with players(first):
        first.wait_for_prompt()  # an unfinished run, saved, with no choice made yet
        assert first.finish()[0] == 0
    (original,) = saved(tmp_path, "Pat").runs
    tabs = [_game_process(tmp_path, TAB) for _ in range(2)]
    try:
        for tab in tabs:
            assert tab.stdout is not None
            line = tab.stdout.readline()
            assert line == "ready\n", tab.stderr.read() if tab.stderr else line

        def choose(tab: subprocess.Popen[str], keys: str) -> None:
            assert tab.stdin is not None and tab.stdout is not None
            tab.stdin.write(f"{keys}\n")
            tab.stdin.flush()
            assert tab.stdout.readline() == "saved\n"

        a, b = tabs
        choose(a, "1")
        choose(b, "2")  # B changed the run A changed: B is told and goes on as a new run
        choose(b, "enter 1")  # past the coach's note, B's next choice follows the new run
        outputs = [tab.communicate(timeout=60) for tab in tabs]
    finally:
        for tab in tabs:
            if tab.poll() is None:
                tab.kill()
                tab.communicate()
    for tab, (_out, err) in zip(tabs, outputs, strict=True):
        assert tab.returncode == 0 and "Traceback" not in err, err
    notes_a, notes_b = (out.strip().rpartition("notes:")[2] for out, _ in outputs)
    assert "another window or tab" not in notes_a
    assert "also played in another window or tab" in notes_b
    runs = saved(tmp_path, "Pat").runs
    assert [r.scenario_id for r in runs] == ["cold_email", "cold_email"]
    kept = next(run for run in runs if run.id == original.id)
    forked = next(run for run in runs if run.id != original.id)
    assert len(history(kept)) == 1 and len(history(forked)) == 2
    assert history(kept)[0] != history(forked)[0]  # tab A's choice and tab B's, both kept


# --- item 2: file names -------------------------------------------------------------------------


def test_a_forced_hash_collision_keeps_both_profiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths_module, "hashlib", _OneDigest)
    store = SaveStore(tmp_path)
    alice = store.load("alice smith").profile.with_run(RunRecord.new("conference", "h", "p", {}))
    alice_file = store.save(alice)
    # Mallory's name was crafted to share Alice's file name.
    mallory = store.load("Alice Smith!").profile
    assert store.load("Alice Smith!").notice is None
    mallory_file = store.save(mallory.with_run(RunRecord.new("cold_email", "h", "p", {})))
    assert mallory_file != alice_file
    assert list(tmp_path.glob("*.corrupt-*")) == []
    assert [r.scenario_id for r in store.load("alice smith").profile.runs] == ["conference"]
    assert [r.scenario_id for r in store.load("Alice Smith!").profile.runs] == ["cold_email"]
    assert sorted(s.name for s in store.list_profiles()) == ["Alice Smith!", "alice smith"]
    names = sorted(learner.name for learner in collect([tmp_path]).learners)
    assert names == ["Alice Smith!", "alice smith"]


def test_file_names_keep_128_bits_and_the_exact_name_is_inside(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    path = store.save(store.load("Zoë Smith").profile)
    digest = path.stem.rpartition("-")[2]
    assert len(digest) == 32 and int(digest, 16) >= 0
    assert json.loads(path.read_text(encoding="utf-8"))["profile"] == "Zoë Smith"


def test_old_form_files_still_load_save_and_are_listed(tmp_path: Path) -> None:
    old = Profile.new("Ada", now=T0, machine="m").with_run(
        RunRecord.new("conference", "h", "practice", {}, now=T0), now=T0
    )
    legacy = tmp_path / legacy_filename("Ada")
    legacy.write_text(json.dumps(old.to_dict()), encoding="utf-8")
    store = SaveStore(tmp_path)
    result = store.load("Ada")
    assert result.notice is None and result.profile == old
    new_run = RunRecord.new("cold_email", "h", "practice", {})
    assert store.save(result.profile.with_run(new_run)) == legacy  # it keeps its file
    assert [s.name for s in store.list_profiles()] == ["Ada"]
    (learner,) = collect([tmp_path]).learners
    assert learner.name == "Ada" and len(learner.runs) == 2


# --- item 5: stale temporary files, version skew ------------------------------------------------


def test_stale_temp_files_of_killed_writers_are_swept_at_start(tmp_path: Path) -> None:
    stale = tmp_path / ".ada-0123.json.abc123.tmp"
    fresh = tmp_path / ".ada-0123.json.def456.tmp"  # a live writer's, seconds old
    for path in (stale, fresh):
        path.write_bytes(b"partial")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    SaveStore(tmp_path).load("Ada")
    assert not stale.exists() and fresh.exists()


def newer_save(tmp_path: Path) -> Path:
    data = Profile.new("Ada", now=T0, machine="m").to_dict()
    data.update(version=2, written_by="9.4.0")
    path = SaveStore(tmp_path).path_for("Ada")
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_newer_save_is_refused_left_in_place_and_never_written(tmp_path: Path) -> None:
    path = newer_save(tmp_path)
    before = path.read_bytes()
    store = SaveStore(tmp_path)
    with pytest.raises(SaveError, match="needs netquest \u2265 9\\.4\\.0") as excinfo:
        store.load("Ada")
    assert "\n" not in str(excinfo.value) and str(path) in str(excinfo.value)
    with pytest.raises(SaveError, match="needs netquest \u2265 9\\.4\\.0"):
        store.save(Profile.new("Ada"))
    assert path.read_bytes() == before and list(tmp_path.glob("*.corrupt-*")) == []


def test_plain_mode_and_report_name_the_version_a_newer_save_needs(tmp_path: Path) -> None:
    path = newer_save(tmp_path)
    before = path.read_bytes()
    command = [sys.executable, "-m", "netquest", "play", "cold_email", "--plain"]
    played = subprocess.run(
        [*command, "--saves", str(tmp_path), "--profile", "Ada"],
        input="q\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO), "NETQUEST_XAPI": "off"},
    )
    assert played.returncode == 0 and "Traceback" not in played.stderr
    (warning,) = played.stderr.splitlines()
    assert "needs netquest \u2265 9.4.0" in warning and str(path) in warning
    assert path.read_bytes() == before and list(tmp_path.glob("*.corrupt-*")) == []
    store = SaveStore(tmp_path)
    store.save(store.load("Bea").profile)
    report = subprocess.run(
        [sys.executable, "-m", "netquest", "report", str(tmp_path), "--format", "md"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert report.returncode == 0 and "Traceback" not in report.stderr
    (listed,) = [line for line in report.stdout.splitlines() if path.name in line]
    assert "needs netquest \u2265 9.4.0" in listed  # under "Files skipped", with the reason
    (warned,) = report.stderr.splitlines()
    assert path.name in warned and "needs netquest \u2265 9.4.0" in warned
    (skipped,) = collect([tmp_path]).skipped
    assert skipped.path == str(path) and "needs netquest \u2265 9.4.0" in skipped.reason


def test_a_full_disk_keeps_the_previous_save_whole_and_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netquest.saves import jsonfile

    store = SaveStore(tmp_path)
    path = store.save(store.load("Ada").profile)
    before = path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jsonfile.os, "fsync", full)
    run = RunRecord.new("conference", "h", "practice", {})
    with pytest.raises(SaveError, match="free some disk space") as excinfo:
        store.save(store.load("Ada").profile.with_run(run))
    assert "\n" not in str(excinfo.value)
    assert path.read_bytes() == before and list(tmp_path.glob(".*.tmp")) == []
