"""`netquest play SCENARIO --plain`, run as a real command with answers piped to stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netquest.engine import Game, analyse, debrief, load_library
from netquest.saves import SaveStore

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINI = TESTS / "fixtures" / "mini"
MIXER_TEXT = (MINI / "mixer.toml").read_text(encoding="utf-8")


def play(
    saves: Path, answers: str, *args: str | Path, scenario: str | Path = "mixer"
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "netquest", "play", str(scenario), "--plain"]
    command += ["--saves", str(saves), "--scenarios", str(MINI), *map(str, args)]
    result = subprocess.run(
        command, input=answers, capture_output=True, text=True, cwd=REPO, timeout=60, check=False
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def expected_score(path: list[str]) -> int:
    entry = load_library(folders=[MINI], include_bundled=False).get("mixer")
    assert entry is not None
    state = Game(entry.scenario).replay(path)
    return debrief(entry.scenario, entry.catalogue, state, analyse(entry.scenario)).score


def before_debrief(stdout: str) -> str:
    return stdout.split("== Debrief ==")[0]


def test_full_playthrough(tmp_path: Path) -> None:
    result = play(tmp_path, "1\n2\n1\n")  # introduce, pitch, email_host
    assert result.returncode == 0 and result.stderr == ""
    score = expected_score(["introduce", "pitch", "email_host"])
    assert score == 80
    lines = result.stdout.splitlines()
    assert f"Score: {score}/100 (total +6; this scenario allows -2 to +8)" in lines
    assert "== Ending: Coffee with Priya (great) ==" in lines
    debrief = lines[lines.index("== Debrief ==") :]
    for expected in [
        "  Focused conversation: +4 (range +0 to +4)",
        "  Give and take: +2 (range -2 to +2)",
        "  Build rapport: +0 (range -1 to +3)",
        "  Networking vs socializing: you read 2 of 3 moments",
        "  2. Bar: Steer the talk to your portfolio. [-1 Build rapport, +1 Focused conversation]",
        "     Coach: The moment was social.",
        "     Better move: Chat about the match.",
    ]:
        assert expected in debrief
    assert debrief.count("     Better move: Chat about the match.") == 1
    # practice mode coaches as it goes
    assert "Coach: Focused conversation: you asked about the event's purpose." in (
        before_debrief(result.stdout)
    )
    assert "Points: +2 Focused conversation, +1 Build rapport" in result.stdout


def test_the_perfect_run(tmp_path: Path) -> None:
    result = play(tmp_path, "1\n1\n1\n")
    assert expected_score(["introduce", "chat", "email_host"]) == 100
    assert "Score: 100/100 (total +8; this scenario allows -2 to +8)" in result.stdout
    assert "Better move" not in result.stdout


def test_end_of_input_saves_and_the_next_run_continues(tmp_path: Path) -> None:
    first = play(tmp_path, "1\n", "--profile", "Ada")
    assert first.returncode == 0
    assert first.stdout.splitlines()[-2:] == [
        "Progress saved. Continue later with:",
        "  netquest play mixer --profile Ada --plain",
    ]
    assert "Score:" not in first.stdout
    saved = json.loads(SaveStore(tmp_path).path_for("Ada").read_text(encoding="utf-8"))
    assert saved["runs"][0]["state"]["history"] == [["door", "introduce"]]

    second = play(tmp_path, "1\n1\n", "--profile", "Ada")
    assert second.returncode == 0
    assert "Continuing your practice run of The Mixer (1 choices made)." in second.stdout
    assert "-- At the door" not in second.stdout  # it picked up at the bar
    assert "Score: 100/100" in second.stdout


def test_q_stops_and_saves(tmp_path: Path) -> None:
    result = play(tmp_path, "2\nq\n")
    assert result.returncode == 0 and "Progress saved." in result.stdout
    again = play(tmp_path, "")
    assert "(1 choices made)" in again.stdout


def test_a_bad_answer_asks_again(tmp_path: Path) -> None:
    result = play(tmp_path, "7\nfoo\n0\n\n1\n1\n1\n")
    assert result.returncode == 0
    assert result.stdout.count("Please answer with a number from 1 to 2.") == 4
    assert "Score: 100/100" in result.stdout


def test_step_back_in_practice(tmp_path: Path) -> None:
    result = play(tmp_path, "1\nb\n2\n1\n1\n")  # introduce, back, ask_job, chat, nothing
    assert "Stepped back one choice." in result.stdout
    assert result.stdout.count("-- At the door (decision 1) --") == 2
    assert "Choose 1, b to step back, q to stop:" in result.stdout  # email_host needs met_host
    score = expected_score(["ask_job", "chat", "nothing"])
    assert score == 20
    assert f"Score: {score}/100 (total +0; this scenario allows -2 to +8)" in result.stdout
    assert "== Ending: Quiet week (mixed) ==" in result.stdout


def test_assessment_mode(tmp_path: Path) -> None:
    result = play(tmp_path, "1\nb\n1\n1\n", "--mode", "assessment")
    assert result.returncode == 0
    head = before_debrief(result.stdout)
    assert "== The Mixer (assessment mode) ==" in head
    assert "b to step back" not in head and "Stepped back" not in head
    assert "Please answer with a number from 1 to 2." in head  # 'b' is refused
    assert "Coach:" not in head and "Points:" not in head
    assert "The host, Priya, tells you about the panel." in head  # the story still shows
    assert "Score: 100/100" in result.stdout
    assert "     Coach: Rapport is the foundation." in result.stdout  # coaching in the debrief


def test_markup_and_escapes_are_printed_literally(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "principles.toml").write_text((MINI / "principles.toml").read_text())
    text = MIXER_TEXT.replace(
        "You arrive at the mixer.",
        "You arrive at the \\u001b[31mmixer\\u001b[0m. [link=https://x.org]Sign in[/link]",
    ).replace('text = "Let it be."', 'text = "Let it be.\\u0007"')
    (folder / "mixer.toml").write_text(text)
    result = play(tmp_path / "saves", "1\n1\n2\n", scenario=folder / "mixer.toml")
    assert result.returncode == 0
    out = result.stdout
    assert "A [bold]name tag[/bold] table stands by the door." in out
    assert "[link=https://x.org]Sign in[/link]" in out
    assert "You arrive at the \\x1b[31mmixer\\x1b[0m." in out
    assert "2. Let it be.\\x07" in out
    assert "\x1b" not in out and "\x07" not in out


def test_a_corrupt_save_is_moved_aside_and_play_goes_on(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    target = store.path_for("Ada")
    tmp_path.mkdir(exist_ok=True)
    target.write_bytes(b"{ this is not json")
    result = play(tmp_path, "1\n1\n1\n", "--profile", "Ada")
    assert result.returncode == 0
    notice = result.stderr.splitlines()
    assert len(notice) == 1
    assert notice[0].startswith(f"netquest: Your save file {target.name} could not be used")
    assert "moved to" in notice[0]
    moved = list(tmp_path.glob("*.corrupt-*.json"))
    assert len(moved) == 1 and moved[0].read_bytes() == b"{ this is not json"
    assert "Score: 100/100" in result.stdout
    assert store.load("Ada").profile.runs[0].is_finished  # the new save is good


def test_an_impossible_saves_folder_still_plays(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a regular file")
    result = play(blocker / "saves", "1\n1\n1\n")
    assert result.returncode == 0
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("netquest: warning: progress not saved:")
    assert "Score: 100/100" in result.stdout
    stopped = play(blocker / "saves", "1\n")
    assert stopped.returncode == 0 and len(stopped.stderr.splitlines()) == 1
    assert "Progress could not be saved" in stopped.stdout
    assert "Progress saved." not in stopped.stdout


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_a_read_only_saves_folder_still_plays(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    saves.mkdir()
    saves.chmod(0o500)
    try:
        result = play(saves, "1\n1\n1\n")
    finally:
        saves.chmod(0o700)
    assert result.returncode == 0
    assert len(result.stderr.splitlines()) == 1
    assert "Score: 100/100" in result.stdout


def test_broken_scenario_file_is_one_line(tmp_path: Path) -> None:
    result = play(tmp_path, "", scenario=TESTS / "corpus" / "nq004_unknown_goto.toml")
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("netquest: ") and " error NQ004: " in line


# --- issue 11: the moment line, principles in play, grammar --------------------------------


def test_practice_prints_the_moment_line_as_the_full_screen_game_does(tmp_path: Path) -> None:
    result = play(tmp_path, "1\n2\n1\n")  # introduce, pitch, email_host
    during = before_debrief(result.stdout)
    assert "✓ The moment called for Networking: you read it right." in during
    assert "✗ The moment called for Socializing; your move was Networking." in during
    debrief = result.stdout.split("== Debrief ==")[1]
    assert "     ✗ The moment called for Socializing; your move was Networking." in debrief


def test_assessment_keeps_the_moment_for_the_debrief(tmp_path: Path) -> None:
    result = play(tmp_path, "1\n2\n1\n", "--mode", "assessment")
    assert "The moment called for" not in before_debrief(result.stdout)
    assert "The moment called for" in result.stdout.split("== Debrief ==")[1]


def test_the_debrief_lists_only_the_principles_in_play(tmp_path: Path) -> None:
    result = play(tmp_path, "2\n1\n1\n")  # ask_job, chat, nothing: focus never comes up
    debrief = result.stdout.split("== Debrief ==")[1]
    assert "  Give and take: -2 (range -2 to +2)" in debrief
    assert "  Build rapport: +2 (range -1 to +3)" in debrief
    assert "Focused conversation" not in debrief
    assert "  (1 other principle did not come up on your path.)" in debrief


def test_a_wrong_move_is_named_and_one_moment_is_singular(tmp_path: Path) -> None:
    scenario = TESTS / "corpus" / "nq040_called_for_mode_loses.toml"
    result = play(tmp_path, "2\n", scenario=scenario)  # blast: networking, but -2
    assert result.returncode == 0, result.stderr
    assert (
        "✗ Right kind of moment, wrong move: the moment called for Networking, but this "
        "move lost points (−2 Build rapport)."
    ) in " ".join(before_debrief(result.stdout).split())
    assert "  Networking vs socializing: you read 0 of 1 moment" in result.stdout.splitlines()
    assert "moments" not in result.stdout.split("== Debrief ==")[1]
