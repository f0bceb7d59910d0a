"""`netquest list`, `list --json`, `locate` and `graph`, run as real commands.

The bundled curriculum is being written as these tests run, so they only assert what the
fixture folder (added with --scenarios) contributes, plus the shape of the whole output.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from netquest.engine.library import bundled_dir

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINI = TESTS / "fixtures" / "mini"


def netquest(*args: str | Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "netquest", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_list(tmp_path: Path) -> None:
    result = netquest("list", "--scenarios", MINI, "--saves", tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert any(re.fullmatch(r"mixer +3 min  The Mixer", line) for line in lines), lines
    assert all(re.match(r"^[a-z0-9_-]+ +(\d+ min  |unavailable: )", line) for line in lines)


def test_list_json(tmp_path: Path) -> None:
    result = netquest("list", "--json", "--scenarios", MINI, "--saves", tmp_path)
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert set(document) == {"scenarios", "unavailable"}
    (mixer,) = [s for s in document["scenarios"] if s["id"] == "mixer"]
    assert mixer == {
        "id": "mixer",
        "title": "The Mixer",
        "summary": "A small test scenario.",
        "setting": "A hotel ballroom, after work.",
        "attire": "Business casual.",
        "teaches": ["nvs", "notnet"],
        "minutes": 3,
        "scenes": 3,
        "endings": 2,
        "path": str(MINI / "mixer.toml"),
    }
    for missing in document["unavailable"]:
        assert "\n" not in missing["error"]


def test_list_shows_broken_files_as_unavailable(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "principles.toml").write_text((MINI / "principles.toml").read_text())
    (folder / "draft.toml").write_text("format = 1\n[scenario\n")
    result = netquest("list", "--json", "--scenarios", folder, "--saves", tmp_path)
    (draft,) = [
        u for u in json.loads(result.stdout)["unavailable"] if u["path"].endswith("draft.toml")
    ]
    assert draft["error"].startswith(f"{folder / 'draft.toml'}:2:10: error NQ001: ")
    text = netquest("list", "--scenarios", folder, "--saves", tmp_path)
    assert any(
        re.match(r"^draft +unavailable: .* error NQ001: ", line)
        for line in text.stdout.splitlines()
    )


def test_locate(tmp_path: Path) -> None:
    result = netquest("locate", "--scenarios", MINI, "--saves", tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"scenarios: {bundled_dir()}",
        f"scenarios: {MINI.resolve()}",
        f"saves: {tmp_path}",
    ]


def test_graph_mermaid(tmp_path: Path) -> None:
    result = netquest("graph", "mixer", "--scenarios", MINI, "--saves", tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "flowchart TD"
    for expected in [
        '  n_door["At the door"]',
        '  n_bar["bar"]',
        '  n_coffee(["Coffee with Priya · great"])',
        '  n_door -->|"introduce (+3)"| n_bar',
        '  n_door -->|"ask_job (-2)"| n_bar',
        '  n_follow -->|"nothing"| n_quiet',
        "  style n_quiet stroke:#f9a825,stroke-width:3px",
    ]:
        assert expected in lines
    assert sum("-->" in line for line in lines) == 6


def test_graph_dot(tmp_path: Path) -> None:
    result = netquest("graph", "mixer", "--format", "dot", "--scenarios", MINI, "--saves", tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == 'digraph "mixer" {' and lines[-1] == "}"
    assert '  "follow" -> "coffee" [label="email_host (+3)"];' in lines
    assert '  "quiet" [label="Quiet week", shape=ellipse, color="#f9a825", penwidth=3];' in lines
    assert sum(" -> " in line for line in lines) == 6


def test_graph_of_a_file_path(tmp_path: Path) -> None:
    result = netquest("graph", MINI / "mixer.toml", "--format", "dot", "--saves", tmp_path)
    assert result.returncode == 0 and result.stdout.startswith('digraph "mixer" {')


@pytest.mark.parametrize("args", [["graph", "nope"], ["play", "nope", "--plain"]])
def test_unknown_scenario_is_one_line(tmp_path: Path, args: list[str]) -> None:
    result = netquest(*args, "--scenarios", MINI, "--saves", tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("netquest: no scenario 'nope' (known: ") and "mixer" in line


def test_shared_options_before_the_command(tmp_path: Path) -> None:
    """`--saves` and `--scenarios` work on either side of the subcommand name."""
    result = netquest("--saves", tmp_path, "--scenarios", MINI, "locate")
    assert result.stdout.splitlines()[-1] == f"saves: {tmp_path}"
    assert f"scenarios: {MINI.resolve()}" in result.stdout.splitlines()
