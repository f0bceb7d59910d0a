"""`netquest review`: the blind export shows no score, and compare reports agreement honestly."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from netquest.cli import main
from netquest.engine import load_library
from netquest.review.compare import compare, read_labels
from netquest.review.export import LABEL_COLUMNS, blank_labels, render_jsonl, render_markdown
from netquest.review.items import Direction, choice_key, mode_glossary, review_items

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
LIBRARY = load_library([MINI], include_bundled=False)
ITEMS = review_items(LIBRARY)
KEY = {(item.scene.id, item.choice.id): item.key for item in ITEMS}
MODES = {mode for mode, _, _ in mode_glossary(LIBRARY)}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["review", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def write_labels(path: Path, rows: list[tuple[str, str, str, str]], *, note: str = "") -> Path:
    """rows: (scene, choice, direction, mode)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "direction", "mode", "note"])
        for scene, choice, direction, mode in rows:
            writer.writerow([KEY[(scene, choice)], direction, mode, note])
    return path


# The mixer as the game scores it: (scene, choice, direction by net, mode).
GAME = [
    ("door", "introduce", "good", "networking"),  # +3
    ("door", "ask_job", "poor", "transactional"),  # -2
    ("bar", "chat", "good", "socializing"),  # +2
    ("bar", "pitch", "neutral", "networking"),  # 0
    ("follow", "email_host", "good", "networking"),  # +3
    ("follow", "nothing", "neutral", "socializing"),  # 0
]


# --- export ------------------------------------------------------------------------------------


def test_every_choice_is_exported_once_with_an_opaque_stable_key() -> None:
    assert len(ITEMS) == 6 and len({item.key for item in ITEMS}) == 6
    for item in ITEMS:
        assert re.fullmatch(r"k[0-9a-f]{8}", item.key)
        assert item.key == choice_key("mixer", item.scene.id, item.choice.id)
    directions = {item.choice.id: item.direction for item in ITEMS}
    assert directions == {choice: Direction(d) for _, choice, d, _ in GAME}


def test_the_markdown_shows_text_only_never_ids_modes_points_coach_or_consequences() -> None:
    text = render_markdown(ITEMS, mode_glossary(LIBRARY))
    choice_lines = [line for line in text.splitlines() if re.match(r"- \*\*\d+\*\* ", line)]
    assert len(choice_lines) == 6
    shown = {}
    for line in choice_lines:
        found = re.fullmatch(r"- \*\*(\d+)\*\* `(k[0-9a-f]{8})`: (.+)", line)
        assert found is not None, line
        shown[found[2]] = found[3]
    assert shown == {item.key: item.choice.text for item in ITEMS}
    for item in ITEMS:
        choice = item.choice
        assert choice.coach not in text
        assert not choice.consequence or choice.consequence not in text
        assert f"`{choice.id}`" not in text and choice.id not in " ".join(choice_lines)
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings == ["### 1.1 At the door", "### 1.2", "### 1.3"]  # titles, never ids
    assert "The Mixer" in text and "A hotel ballroom, after work." in text
    assert "You arrive at the mixer." in text  # the scene text, paragraph by paragraph
    for forbidden in ("effects", "coach", "calls_for", "mixer.toml", "+3", "−2", "-2"):
        assert forbidden not in text.split("## Modes")[1]


def test_the_jsonl_has_only_the_reviewers_fields() -> None:
    records = [json.loads(line) for line in render_jsonl(ITEMS).splitlines()]
    assert len(records) == 6
    for number, (record, item) in enumerate(zip(records, ITEMS, strict=True), start=1):
        assert set(record) == {
            "number",
            "key",
            "scenario",
            "setting",
            "attire",
            "scene_title",
            "scene",
            "choice",
        }
        assert (record["number"], record["key"], record["choice"]) == (
            number,
            item.key,
            item.choice.text,
        )


def test_choices_within_a_scene_are_not_in_file_order_by_design() -> None:
    door = [item.choice.id for item in ITEMS if item.scene.id == "door"]
    assert door == sorted(door, key=lambda c: KEY[("door", c)])


def test_the_blank_labels_file_lists_every_key_with_nothing_filled_in() -> None:
    rows = list(csv.DictReader(blank_labels(ITEMS).splitlines()))
    assert tuple(rows[0]) == LABEL_COLUMNS
    assert [row["key"] for row in rows] == [item.key for item in ITEMS]
    assert all(row["direction"] == row["mode"] == row["note"] == "" for row in rows)


def test_export_writes_the_review_and_the_labels_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "review.md"
    status, stdout, err = run(capsys, "export", "--only", str(MINI), "--out", str(out))
    assert status == 0 and stdout == ""
    assert "wrote 6 choices" in err
    assert out.read_text(encoding="utf-8").startswith("# netquest blind review\n")
    labels = tmp_path / "review.labels.csv"
    assert labels.read_text(encoding="utf-8") == blank_labels(ITEMS)
    status, _, err = run(capsys, "export", "--only", str(MINI), "--out", str(out))
    assert status == 2 and "already exists (use --force" in err
    jsonl = tmp_path / "machine.jsonl"
    status, _, _ = run(capsys, "export", "--only", str(MINI), "--out", str(jsonl))
    assert status == 0 and jsonl.read_text(encoding="utf-8") == render_jsonl(ITEMS)


# --- compare -----------------------------------------------------------------------------------


def test_a_reviewer_who_agrees_everywhere(tmp_path: Path) -> None:
    path = write_labels(tmp_path / "ann.csv", GAME)
    result = compare(ITEMS, [read_labels(path, MODES)])
    (ann,) = result.reviewers
    assert (ann.direction_percent, ann.mode_percent, ann.opposite) == (100, 100, 0)
    assert result.disagreements == ()


def test_disagreements_are_counted_and_listed_with_both_readings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ann = write_labels(tmp_path / "ann.csv", GAME)
    bo_rows = [list(row) for row in GAME]
    bo_rows[1][2] = "good"  # ask_job: the game says poor (−2): opposite
    bo_rows[3][2] = "poor"  # pitch: the game says neutral (0): a direction difference
    bo_rows[5][3] = "transactional"  # nothing: the game says socializing: a mode difference
    bo_rows[2][2] = ""  # chat: left unlabelled
    bo = write_labels(tmp_path / "bo.csv", [(a, b, c, d) for a, b, c, d in bo_rows], note="hmm")
    status, out, _ = run(capsys, "compare", "--only", str(MINI), str(ann), str(bo))
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "Blind review: 6 choices, 2 reviewers"
    table = {line.split()[0]: line.split()[1:] for line in lines[2:6]}
    assert table["ann"] == ["6", "100.0%", "6", "100.0%", "0"]
    assert table["bo"] == ["5", "60.0%", "6", "83.3%", "1"]
    assert table["all"] == ["11", "81.8%", "12", "91.7%", "1"]
    listed = out.split("Disagreements: 3 choices\n")[1]
    assert listed.index("[opposite] mixer / door / ask_job: game poor (−2), transactional") == 0
    assert "[direction] mixer / bar / pitch: game neutral (0), networking" in listed
    assert "[mode] mixer / follow / nothing: game neutral (0), socializing" in listed
    assert "    ann: poor, transactional\n    bo: good, transactional — hmm" in listed
    assert "“Ask the host straight away whether her firm is hiring.”" in listed


def test_compare_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [(s, c, "good" if c == "ask_job" else d, m) for s, c, d, m in GAME]
    path = write_labels(tmp_path / "cy.csv", rows)
    status, out, _ = run(capsys, "compare", "--only", str(MINI), str(path), "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["reviewers"][0]["opposite"] == 1
    (one,) = data["disagreements"]
    assert (one["choice"], one["game"], one["reviewers"]["cy"]["direction"]) == (
        "ask_job",
        {"net": -2, "direction": "poor", "mode": "transactional"},
        "good",
    )


def test_jsonl_labels_and_unknown_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dee.jsonl"
    lines = [{"key": KEY[(s, c)], "direction": d, "mode": m} for s, c, d, m in GAME]
    lines.append({"key": "kdeadbeef", "direction": "good", "mode": "networking"})
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    status, out, _ = run(capsys, "compare", "--only", str(MINI), str(path))
    assert status == 0
    assert "dee: 1 key not in this curriculum (labels of other content) were left out." in out
    assert "Disagreements: 0 choices" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("key,direction\nk1,great\n", "ann.csv:2: direction 'great' is not one of good, poor"),
        ("key,direction,mode\nk1,good,chatting\n", "ann.csv:2: mode 'chatting' is unknown"),
        ("key,direction\nk1,good\nk1,poor\n", "ann.csv:3: key k1 is labelled twice"),
        ("id,label\nk1,good\n", "ann.csv:1: a labels file needs at least the columns key"),
        (",good\n", "ann.csv:1: a labels file needs"),
    ],
)
def test_a_bad_labels_file_is_one_line_naming_the_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "ann.csv"
    path.write_text(content, encoding="utf-8")
    status, out, err = run(capsys, "compare", "--only", str(MINI), str(path))
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and message in err, err


def test_the_bundled_curriculum_exports_every_choice(tmp_path: Path) -> None:
    library = load_library()
    items = review_items(library)
    total = sum(
        len(scene.choices) for entry in library.entries for scene in entry.scenario.scenes.values()
    )
    assert len(items) == total and len({item.key for item in items}) == total


def test_labels_of_a_choice_whose_text_changed_are_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(csv.DictReader(blank_labels(ITEMS).splitlines()))
    for row, item in zip(rows, ITEMS, strict=True):
        row["direction"] = item.direction.value
    rows[0]["choice"] = "Some older wording of this choice."
    path = tmp_path / "eve.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, LABEL_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    status, out, _ = run(capsys, "compare", "--only", str(MINI), str(path))
    assert status == 0
    assert "eve: 1 label of choices whose text changed since the export" in out
