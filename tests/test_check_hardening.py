"""`netquest check` and friends on hostile input: one line, bounded work, only what was asked.

Issue 10 items 7 (Mermaid ids), 9, 10, 11, 13 and 14; issue 13 item 5.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from netquest.cli import main
from netquest.commands import plain
from netquest.commands.graph import mermaid, mermaid_id
from netquest.engine import diagnostics, schema, toml_source
from netquest.engine.checker import check_library
from netquest.engine.library import bundled_dir, load_library
from netquest.engine.positions import PositionIndex

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINI = TESTS / "fixtures" / "mini"
MIXER = (MINI / "mixer.toml").read_text(encoding="utf-8")


def netquest(*args: str | Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "netquest", *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def mini_folder(tmp_path: Path, mixer: str = MIXER) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(MINI / "principles.toml", folder / "principles.toml")
    (folder / "mixer.toml").write_text(mixer, encoding="utf-8")
    return folder


# -- issue 13, item 5: only the files asked about; NQ022 names the blocking flag --------------


def test_checking_a_folder_that_borrows_the_bundled_catalogue_says_nothing_about_it(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "my-scenarios"
    folder.mkdir()
    shutil.copy(bundled_dir() / "cold_email.toml", folder / "cold_email.toml")
    result = netquest("check", folder, "--strict", "--saves", tmp_path / "saves")
    assert "NQ027" not in result.stdout
    assert (result.returncode, result.stdout) == (0, "0 errors, 0 warnings in 1 file\n")


def test_a_folder_with_its_own_catalogue_still_gets_nq027(tmp_path: Path) -> None:
    folder = mini_folder(tmp_path)
    extra = (
        '\n[principles.listen]\naxis = "nvs"\ntitle = "Listen"\nstatement = "Listen."\n'
        'source = "Test source"\nquote = "Listen more."\n'
    )
    with (folder / "principles.toml").open("a", encoding="utf-8") as catalogue:
        catalogue.write(extra)
    found = check_library(load_library(folders=[folder], include_bundled=False))
    assert [d.code for d in found] == ["NQ027"]


def test_nq022_names_the_flag_that_blocks_the_way(tmp_path: Path) -> None:
    # met_host is now set only on the way to an ending, so 'email_host' is never offered
    mixer = MIXER.replace('goto = "bar"\nsets = ["met_host"]', 'goto = "bar"').replace(
        'goto = "quiet"', 'goto = "quiet"\nsets = ["met_host"]'
    )
    mixer = mixer[: mixer.index("[[tests]]")] + (
        '[[tests]]\nname = "t"\nchoices = ["introduce", "chat", "nothing"]\nending = "quiet"\n'
    )
    found = check_library(
        load_library(folders=[mini_folder(tmp_path, mixer)], include_bundled=False)
    )
    (unreachable,) = [d for d in found if d.code == "NQ022"]
    assert "ending 'coffee' can never be reached" in unreachable.message
    assert "add a goto" not in unreachable.hint
    assert "choice 'email_host' in scene 'follow'" in unreachable.hint
    assert "requires flag 'met_host'" in unreachable.hint


# -- item 9: devices and FIFOs; reads capped by bytes read ------------------------------------


def test_a_device_is_refused_in_one_line(tmp_path: Path) -> None:
    result = netquest("check", "/dev/zero", "--saves", tmp_path)
    assert result.returncode == 1
    first, _summary = result.stdout.splitlines()
    assert first == (
        "/dev/zero:1:1: error NQ002: is not a regular file (a device, FIFO or socket) "
        "(pass a .toml file)"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "story.toml"
    os.mkfifo(fifo)
    result = netquest("check", fifo, "--saves", tmp_path / "saves")  # hung before the fix
    assert result.returncode == 1
    assert " error NQ002: is not a regular file (a device, FIFO or socket)" in result.stdout


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc")
def test_the_size_limit_counts_bytes_read_not_what_stat_says() -> None:
    status = Path("/proc/self/status")  # a regular file whose stat size is 0
    assert status.stat().st_size == 0
    raw, problem = toml_source.read_bytes(status, max_bytes=16)
    assert raw is None and problem is not None
    assert problem.code == "NQ002" and "over the 0 MiB limit" in problem.message


# -- item 10: a symlink loop --------------------------------------------------------------------


@pytest.mark.parametrize("command", [["check"], ["play", "--plain"], ["graph"]])
def test_a_symlink_loop_is_one_line(tmp_path: Path, command: list[str]) -> None:
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    verb, *rest = command
    result = netquest(verb, loop, *rest, "--saves", tmp_path / "saves")
    assert result.returncode == 1
    text = (result.stdout + result.stderr).strip().splitlines()
    assert any(f"{loop}:1:1: error NQ002: cannot read file: " in line for line in text)
    assert "symbolic links" in text[0]


# -- item 11: plain-mode wrapping is linear; absurd text is reported ----------------------------


def test_a_huge_word_is_cut_into_lines_in_one_pass() -> None:
    word = "x" * 200_000
    text = f"Before {word} after."
    wrapped = plain.fill(text, 78, "  1. ", "     ")
    lines = wrapped.splitlines()
    assert max(len(line) for line in lines) == 78
    assert lines[0] == "  1. Before"
    assert "".join(line.strip() for line in lines[1:]) == word + " after."


def test_ordinary_text_is_wrapped_as_before() -> None:
    text = "A well-known phrase, said twice: " * 20
    assert plain.fill(text, 40, "> ", "  ") == __import__("textwrap").fill(
        text, 40, initial_indent="> ", subsequent_indent="  "
    )
    assert plain.fill_linear("", 10) == ""
    assert plain.fill_linear("a b " + "x" * 20 + " c", 10, "> ", "  ").splitlines() == [
        "> a b",
        "  xxxxxxxx",
        "  xxxxxxxx",
        "  xxxx c",
    ]


# -- item 13: plain-mode answers that are digits to Python but not numbers to int() --------------


@pytest.mark.parametrize("answer", ["\u00b9", "9" * 4301, "\u0663", "0", "-1", "+1"])
def test_a_strange_number_is_just_a_wrong_answer(answer: str) -> None:
    assert plain.choice_number(answer, 3) is None


def test_plain_mode_asks_again_after_a_huge_number(tmp_path: Path) -> None:
    answers = "\u00b9\n" + "9" * 4301 + "\n1\n1\n1\n"
    result = netquest(
        "play", "mixer", "--plain", "--scenarios", MINI, "--saves", tmp_path, stdin=answers
    )
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.count("Please answer with a number from 1 to 2") == 2
    assert "== Debrief ==" in result.stdout


# -- item 14: a flood of problems is capped per file and stops early -----------------------------


def test_a_flood_of_unknown_keys_is_capped_and_not_even_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = "".join(f"junk{n} = {n}\n" for n in range(20_000))
    flooded = MIXER.replace("[scenario]\n", "[scenario]\n" + keys, 1)
    folder = mini_folder(tmp_path, flooded)
    suggestions = []
    original = schema.did_you_mean

    def counting(word: str, candidates: list[str]) -> str:
        suggestions.append(word)
        return original(word, candidates)

    monkeypatch.setattr(schema, "did_you_mean", counting)
    status = main(["check", str(folder / "mixer.toml"), "--saves", str(tmp_path / "saves")])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert len(out) == diagnostics.MAX_PER_FILE + 2  # the cap, the count line, the summary
    assert sum(" warning NQ007: " in line for line in out) == diagnostics.MAX_PER_FILE
    assert any(
        " warning NQ034: … 19800 more problems in this file not shown (NQ007)" in line
        for line in out
    )
    assert len(suggestions) == diagnostics.MAX_PER_FILE  # the rest were only counted


def test_an_error_past_the_cap_is_still_an_error(tmp_path: Path) -> None:
    keys = "".join(f"junk{n} = {n}\n" for n in range(300))
    broken = MIXER.replace("[scenario]\n", "[scenario]\n" + keys, 1).replace(
        "minutes = 3", 'minutes = "three"'
    )
    library = load_library(
        files=[mini_folder(tmp_path, broken) / "mixer.toml"], include_bundled=False
    )
    assert library.entries == ()
    (unavailable,) = library.unavailable
    assert unavailable.error.code == "NQ006"  # kept although the file was over its cap
    found = check_library(library, whole_curriculum=False)
    assert sum(d.is_error for d in found) == 1 and len(found) == diagnostics.MAX_PER_FILE + 2


def test_text_over_the_limit_is_a_warning_and_still_plays(tmp_path: Path) -> None:
    long = "word " * (schema.MAX_TEXT // 5 + 1)
    mixer = MIXER.replace('text = "At the bar someone talks about football."', f'text = "{long}"')
    library = load_library(
        files=[mini_folder(tmp_path, mixer) / "mixer.toml"], include_bundled=False
    )
    assert library.ids == ["mixer"]
    (warning,) = check_library(library, whole_curriculum=False)
    assert warning.code == "NQ033" and not warning.is_error


# -- item 7 (ids only): a scene called `end` in Mermaid -----------------------------------------


def test_mermaid_ids_are_never_keywords(tmp_path: Path) -> None:
    mixer = (
        MIXER.replace("scenes.bar", "scenes.end")
        .replace('goto = "bar"', 'goto = "end"')
        .replace("scenes.follow", "scenes.graph-1")
        .replace('goto = "follow"', 'goto = "graph-1"')
    )
    mixer = mixer[: mixer.index("[[tests]]")]
    (entry,) = load_library(
        files=[mini_folder(tmp_path, mixer) / "mixer.toml"], include_bundled=False
    ).entries
    text = mermaid(entry.scenario)
    assert '  n_end["end"]' in text and "n_door -->" in text and "| n_end\n" in text
    assert "  n_graph_h1[" in text
    tokens = {token for line in text.splitlines()[1:] for token in line.split()}
    assert "end" not in tokens and "graph-1" not in tokens
    assert len({mermaid_id(node) for node in ("a-b", "a_b", "a__b", "a_hb")}) == 4


def test_positions_are_found_without_scanning_the_rest_of_a_huge_file() -> None:
    text = "[scenario]\nid = 1\n" + "".join(f"k{n} = {n}\n" for n in range(100_000)) + "z = [1]\n"
    index = PositionIndex(text)
    assert index.find("scenario.id") == (2, 1)
    assert len(index._paths) < 10  # only what was needed was scanned
    assert index.find("scenario.z[0]") == (100_003, 6)  # and the rest when asked for
