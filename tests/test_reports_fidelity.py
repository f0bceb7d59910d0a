"""Reports agree with the game on reading the moment, name modes by title, and count alike."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from report_fixtures import MINI, Cohort, cohort, no_lrs, play

from netquest.cli import main
from netquest.engine import Choice, load_library
from netquest.reports import build_report, collect
from netquest.saves import Profile, SaveStore

CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory) -> Cohort:
    return cohort(tmp_path_factory)


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A scenario folder with a networking moment and its 'blast' (networking, −2), and
    saves of two learners: one greets (read right), one blasts (right kind, wrong move)."""
    root = tmp_path_factory.mktemp("hall")
    scenarios = root / "scenarios"
    scenarios.mkdir()
    shutil.copy(CORPUS / "principles.toml", scenarios / "principles.toml")
    shutil.copy(CORPUS / "nq040_called_for_mode_loses.toml", scenarios / "hall.toml")
    entry = load_library(folders=[scenarios], include_bundled=False).entries[0]
    store = SaveStore(root / "saves")

    def taking(choice_id: str) -> Callable[[Sequence[Choice], random.Random], Choice]:
        def policy(offered: Sequence[Choice], rng: random.Random) -> Choice:
            return next(c for c in offered if c.id == choice_id)

        return policy

    with no_lrs(fast=True):
        play(entry, Profile.new("Ada"), store, "practice", taking("greet"), random.Random(1))
        play(entry, Profile.new("Bo"), store, "practice", taking("blast"), random.Random(1))
    return scenarios, root / "saves"


def run_report(capsys: pytest.CaptureFixture[str], saves: Path, scenarios: Path, *opts: str) -> str:
    status = main(["report", str(saves), "--scenarios", str(scenarios), *opts])
    out, _ = capsys.readouterr()
    assert status == 0
    return out


def test_a_wrong_move_is_not_read_right_in_the_report_model(hall: tuple[Path, Path]) -> None:
    scenarios, saves = hall
    library = load_library(folders=[scenarios], include_bundled=False)
    report = build_report(collect([saves]), library)
    (view,) = report.decisions
    scene = next(s for s in view.scenes if s.scene == "hall")
    by_id = {c.choice: c for c in scene.choices}
    assert (by_id["greet"].reads_right, by_id["greet"].reading) == (True, "right")
    assert (by_id["blast"].reads_right, by_id["blast"].reading) == (False, "wrong_move")
    assert (by_id["chat"].reads_right, by_id["chat"].reading) == (False, "missed")
    (axis,) = report.axes
    assert axis.reading.mean == 50  # Ada read it right, Bo did not


def test_html_colours_green_only_what_was_read_right(
    hall: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    scenarios, saves = hall
    out = run_report(capsys, saves, scenarios, "--format", "html")
    blast = "Hand everyone in the hall your card and walk on."
    greet = "Say hello and ask about their project."
    assert 'class="c-wrong" ' in out.split(f"<title>{blast}")[0].rsplit("<rect", 1)[1]
    assert 'class="c-right" ' in out.split(f"<title>{greet}")[0].rsplit("<rect", 1)[1]


def test_json_carries_the_three_way_reading(
    hall: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    scenarios, saves = hall
    data = json.loads(run_report(capsys, saves, scenarios, "--format", "json"))
    choices = data["decisions"][0]["scenes"][0]["choices"]
    assert {c["choice"]: c["reading"] for c in choices} == {
        "greet": "right",
        "blast": "wrong_move",
        "chat": "missed",
    }


def test_markdown_names_the_mode_a_moment_calls_for_by_its_title(
    hall: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    scenarios, saves = hall
    out = run_report(capsys, saves, scenarios, "--scenario", "nq040_called_for_mode_loses")
    assert "### In the hall — calls for Networking" in out
    assert "*networking*" not in out


def test_markdown_axis_learners_agree_with_the_html_n(
    group: Cohort, capsys: pytest.CaptureFixture[str]
) -> None:
    report = build_report(collect([group.folder]), load_library(folders=[MINI]))
    # An axis with principles but no moment counts more learners for mastery than for reading.
    assert any(a.reading.count != a.mastery.count for a in report.axes)
    markdown = run_report(capsys, group.folder, MINI)
    html = run_report(capsys, group.folder, MINI, "--format", "html")
    table = markdown.split("| Axis | Moments read right |")[1].split("\n\n")[0].splitlines()[2:]
    for axis, row in zip(report.axes, table, strict=True):
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[0] == axis.title
        assert cells[-1] == str(axis.reading.count)
        if axis.reading.mean is not None:
            assert f"(n={axis.reading.count})" in html
