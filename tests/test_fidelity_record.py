"""The recorded blind review (docs/fidelity.md, round 2) still holds for the bundled curriculum.

Re-scoring a choice against what both independent readers said, or editing the text they read
without a new review, shows up here rather than in a classroom.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from netquest.cli import main

REPO = Path(__file__).resolve().parent.parent
LABELS = sorted((REPO / "docs" / "review").glob("2026-12-round2-reviewer*.csv"))
ROUND = "### Round 2"


def compare(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    main(["review", "compare", "--format", "json", *map(str, LABELS)])
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def rulings(heading: str) -> set[str]:
    """The choice keys ruled on in the section of docs/fidelity.md under ``heading``."""
    doc = (REPO / "docs" / "fidelity.md").read_text("utf-8")
    section = doc.split(heading, 1)[1].split("\n### ", 1)[0]
    return {line.split("`")[1] for line in section.splitlines() if line.startswith("| `")}


def test_the_recorded_review_still_holds(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(LABELS) == 2
    data = compare(capsys)
    pooled = data["pooled"]
    assert pooled["stale_labels"] == 0 and pooled["unknown_keys"] == 0, (
        "a reviewed choice's text changed: run a new blind review (docs/fidelity.md)"
    )
    assert pooled["opposite"] == 0
    assert pooled["direction_labelled"] == 980
    # The target in docs/fidelity.md, for each independent reader.
    for reviewer in data["reviewers"]:
        assert reviewer["direction_agreement"] >= 95.0, reviewer["name"]


def test_every_disagreement_has_a_ruling(capsys: pytest.CaptureFixture[str]) -> None:
    data = compare(capsys)
    disputed = {f"{d['scenario']}/{d['scene']}/{d['choice']}" for d in data["disagreements"]}
    ruled = rulings(ROUND)
    assert disputed <= ruled, f"disagreements without a ruling: {sorted(disputed - ruled)}"
    assert ruled <= disputed, f"rulings for choices nobody disputes now: {sorted(ruled - disputed)}"
