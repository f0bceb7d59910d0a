"""`netquest report` in every format, over a realistic cohort of really played saves."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_fixtures import MINI, Cohort, cohort

from netquest.cli import main
from netquest.reports.csv_report import COLUMNS
from netquest.saves import read_profile

ISO_SECOND = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory) -> Cohort:
    return cohort(tmp_path_factory)


def report(capsys: pytest.CaptureFixture[str], folder: Path, *options: str) -> tuple[int, str, str]:
    status = main(["report", str(folder), "--scenarios", str(MINI), *options])
    out, err = capsys.readouterr()
    return status, out, err


def expected_cells(group: Cohort) -> dict[tuple[str, str], dict[str, object]]:
    """What each (profile file, scenario) should show, computed straight from the saves."""
    cells: dict[tuple[str, str], dict[str, object]] = {}
    for path in sorted(group.folder.glob("*.json")):
        if path == group.corrupt or path.name == "netquest-app.json" or ".corrupt-" in path.name:
            continue
        profile = read_profile(path)
        for scenario in group.played:
            runs = profile.runs_for(scenario)
            scores = [r.result["score"] for r in runs if r.result is not None]
            cells[(f"{profile.name}/{profile.machine}", scenario)] = {
                "attempts": len(runs),
                "status": "completed" if scores else ("in progress" if runs else "not started"),
                "best": max(scores) if scores else None,
                "first": scores[0] if scores else None,
            }
    return cells


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_has_one_row_per_learner_and_scenario(
    group: Cohort, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = report(capsys, group.folder, "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0].keys()) == COLUMNS
    assert len(rows) == group.learners * len(group.played) == 25 * 4
    assert {row["scenario"] for row in rows} == set(group.played)
    assert len({row["learner_id"] for row in rows}) == 25
    expected = expected_cells(group)
    for row in rows:
        want = expected[(f"{row['profile']}/{row['machine']}", row["scenario"])]
        assert row["status"] == want["status"]
        assert int(row["attempts"]) == want["attempts"]
        assert row["best_score"] == ("" if want["best"] is None else str(want["best"]))
        assert row["first_score"] == ("" if want["first"] is None else str(want["first"]))
        if row["status"] != "not started":
            assert ISO_SECOND.match(row["first_started"]), row["first_started"]
            assert ISO_SECOND.match(row["last_activity"]), row["last_activity"]
            assert int(row["time_spent_seconds"]) > 0 or row["status"] == "in progress"
        else:
            assert row["first_started"] == row["best_score"] == ""


def test_csv_keeps_same_named_learners_from_two_machines_apart(
    group: Cohort, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = report(capsys, group.folder, "--format", "csv", "--scenario", "mixer")
    rows = [row for row in csv.DictReader(io.StringIO(out)) if row["profile"] == "Ada"]
    assert len(rows) == 2
    assert {row["learner"] for row in rows} == {"Ada (machine a1a1…)", "Ada (machine b2b2…)"}
    by_machine = {row["machine"][:4]: row for row in rows}
    assert by_machine["a1a1"]["attempts"] == "3" and by_machine["a1a1"]["best_score"] == "100"
    assert by_machine["b2b2"]["attempts"] == "2"
    assert by_machine["b2b2"]["assessment_status"] == "completed"
    assert by_machine["b2b2"]["assessment_score"] == "0"  # played the worst moves, twice


def test_csv_reports_assessment_results_and_pending_assessments(
    group: Cohort, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = report(capsys, group.folder, "--format", "csv", "--scenario", "cold_email")
    rows = {row["learner"]: row for row in csv.DictReader(io.StringIO(out))}
    assert rows["Jonas"]["status"] == "in progress"
    assert rows["Jonas"]["assessment_status"] == "in progress"
    assert rows["Jonas"]["assessment_score"] == ""
    # Farid took the assessment, then practised: the assessment stays the scored first attempt.
    farid = rows["Farid"]
    assert farid["assessment_status"] == "completed"
    assert farid["attempts"] == "2" and farid["completed_runs"] == "2"
    assert farid["assessment_score"] == farid["first_score"]
    assert int(farid["latest_score"]) >= int(farid["first_score"])
    assert farid["gain"] == str(int(farid["latest_score"]) - int(farid["first_score"]))
    assert rows["Bao"]["status"] == "not started" and rows["Bao"]["attempts"] == "0"


def test_csv_file_opens_cleanly_in_a_spreadsheet(
    group: Cohort, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "cohort.csv"
    status, out, err = report(capsys, group.folder, "--format", "csv", "--out", str(target))
    assert status == 0 and out == ""
    assert f"wrote {target}" in err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel reads UTF-8
    assert b"\r\n" in raw
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 1 + 100


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_has_the_grid_the_cohort_and_the_skipped_file(
    group: Cohort, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = report(capsys, group.folder)
    assert status == 0
    assert out.startswith("# netquest trainer report\n")
    header = next(line for line in out.splitlines() if line.startswith("| Learner |"))
    titles = [group.library.get(sid).scenario.title for sid in group.played]  # type: ignore[union-attr]
    assert header == "| Learner | " + " | ".join(titles) + " |"
    grid = [line for line in out.split("## Who played what")[1].split("\n\n")[1].splitlines()]
    assert len(grid) == 2 + 25
    assert "| Ada (machine a1a1…) | – | – | – | 100 ×3 |" in grid
    assert "| Xavi | – | – | – | – |" in grid
    assert "| Jonas | in progress A … | – | – | " in "\n".join(grid)
    assert "## Where the cohort stands" in out and "Weakest principles" in out
    assert "## First attempt vs latest" in out
    assert "## Files skipped" in out and group.corrupt.name in out


def test_markdown_for_one_scenario_shows_its_decisions(
    group: Cohort, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = report(capsys, group.folder, "--scenario", "mixer", "--title", "Cohort *7*")
    assert status == 0
    assert out.startswith("# Cohort \\*7\\*\n")
    assert "## Decisions in The Mixer" in out
    mixer = group.library.get("mixer")
    assert mixer is not None
    for scene in mixer.scenario.scenes.values():
        for choice in scene.choices:
            assert choice.text in out
    assert "The Cold Email" not in out  # limited to the one scenario


# --- JSON --------------------------------------------------------------------------------------


def test_json_holds_the_full_data(group: Cohort, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = report(capsys, group.folder, "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["format"] == "netquest-report" and data["version"] == 1
    assert data["files"] == 25 and data["summary"]["learners"] == 25
    assert [item["path"] for item in data["skipped"]] == [str(group.corrupt)]
    assert "not valid JSON" in data["skipped"][0]["reason"]
    assert [s["id"] for s in data["scenarios"]] == list(group.played)
    assert len(data["grid"]) == 100
    runs = sum(len(learner["attempts"]) for learner in data["learners"])
    assert runs == data["summary"]["runs"] == sum(len(p) for p in group.plans.values())
    finished = sum(1 for p in group.plans.values() for _, _, done in p if done)
    assert data["summary"]["finished"] == finished
    for cell in data["grid"]:
        if cell["gain"] is not None:
            assert cell["gain"] == cell["latest"] - cell["first"]
    for principle in data["principles"]:
        mastery = principle["mastery"]
        if mastery["count"]:
            assert 0 <= mastery["low"] <= mastery["mean"] <= mastery["high"] <= 100
    means = [
        data["principles"][[p["principle"] for p in data["principles"]].index(w)]
        for w in data["weakest"]
    ]
    assert [m["mastery"]["mean"] for m in means] == sorted(m["mastery"]["mean"] for m in means)
    assert len(data["decisions"]) == 4
    gains = {g["learner"]: g for g in data["gains"]}
    labels = {learner["key"]: learner["label"] for learner in data["learners"]}
    assert gains and all(g["gain"] == round(g["latest"] - g["first"], 1) for g in gains.values())
    assert "Maya" in {labels[key] for key in gains}


# --- HTML --------------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_html_is_one_self_contained_page(group: Cohort, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = report(capsys, group.folder, "--format", "html")
    assert status == 0
    page = parse(out)
    assert out.startswith("<!DOCTYPE html>")
    assert "script" not in page.tags and "<script" not in out.lower()
    for name, value in page.attrs:
        if name in ("src", "href", "action", "srcset", "poster", "data"):
            assert value is not None and not re.match(r"\s*(https?:)?//", value), (name, value)
            assert name == "href" and value.startswith("#")
    assert "@import" not in out and "url(" not in out
    policy = next(
        attrs.get("content") or ""
        for tag, attrs in page.elements
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in policy  # the browser itself refuses any request
    assert page.tags.count("svg") >= 4
    assert page.tags.count("details") == 4  # a decision view per scenario
    text = " ".join(page.text)
    assert "Ada (machine a1a1…)" in text and "Ada (machine b2b2…)" in text
    assert group.corrupt.name in text


def test_html_escapes_every_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import random

    from report_fixtures import anything, no_lrs, play

    from netquest.engine import load_library
    from netquest.saves import Profile, SaveStore

    store = SaveStore(tmp_path / "saves")
    entry = load_library(folders=[MINI]).get("mixer")
    assert entry is not None
    with no_lrs():
        play(
            entry,
            Profile.new('<script>alert("x")</script>'),
            store,
            "practice",
            anything,
            random.Random(1),
        )
    status, out, _ = report(capsys, tmp_path / "saves", "--format", "html")
    assert status == 0
    assert "<script" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in out
    assert "script" not in parse(out).tags


# --- problems ----------------------------------------------------------------------------------


def test_the_corrupt_file_is_skipped_with_one_warning_naming_it(
    group: Cohort, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = report(capsys, group.folder, "--format", "csv")
    assert status == 0 and out
    lines = err.strip().splitlines()
    assert lines == [f"netquest: warning: skipped {group.corrupt}: " + lines[0].split(": ", 3)[3]]
    assert "not valid JSON" in lines[0] and "Traceback" not in err


def test_unknown_scenario_and_empty_folder_are_one_line_errors(
    group: Cohort, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = report(capsys, group.folder, "--scenario", "nope")
    assert status == 2 and out == ""
    assert "no scenario 'nope'" in err and "mixer" in err
    (tmp_path / "empty").mkdir()
    status, out, err = report(capsys, tmp_path / "empty")
    assert status == 1 and out == ""
    assert err.strip() == f"netquest: no readable save files in {tmp_path / 'empty'}"
    status, _, err = report(capsys, tmp_path / "missing")
    assert status == 1
    assert "skipped" in err and "no such file or folder" in err


def test_every_csv_column_is_documented() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "reports.md").read_text("utf-8")
    for column in COLUMNS:
        assert f"`{column}`" in docs, column


def test_spreadsheet_formulas_in_names_are_neutralised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import random

    from report_fixtures import anything, best, no_lrs, play, worst

    from netquest.engine import load_library
    from netquest.saves import Profile, SaveStore

    store = SaveStore(tmp_path / "saves")
    entry = load_library(folders=[MINI]).get("mixer")
    assert entry is not None
    names = ['=HYPERLINK("http://x")', "+1", "-Bob", "@SUM(A1)", "Plain"]
    with no_lrs():
        for name in names:
            profile = play(entry, Profile.new(name), store, "practice", best, random.Random(1))
            play(entry, profile, store, "practice", worst, random.Random(1))
        play(entry, Profile.new("\tTab"), store, "practice", anything, random.Random(1))
    _, out, _ = report(capsys, tmp_path / "saves", "--format", "csv")
    rows = {row["profile"]: row for row in csv.DictReader(io.StringIO(out))}
    for name in names[:4]:
        assert f"'{name}" in rows
    assert "Plain" in rows and "'\tTab" in rows
    assert rows["'-Bob"]["gain"] == "-100"  # numbers stay numbers
