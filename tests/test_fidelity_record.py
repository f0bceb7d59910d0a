"""The recorded blind review (docs/fidelity.md) still holds for the bundled curriculum.

Re-scoring a choice against what both independent readers said, or editing the text they read
without a new review, shows up here rather than in a classroom.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netquest.cli import main

REPO = Path(__file__).resolve().parent.parent
LABELS = sorted((REPO / "docs" / "review").glob("2026-12-reviewer*.csv"))


def test_the_recorded_review_still_holds(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(LABELS) == 2
    main(["review", "compare", "--format", "json", *map(str, LABELS)])
    data = json.loads(capsys.readouterr().out)
    pooled = data["pooled"]
    assert pooled["stale_labels"] == 0 and pooled["unknown_keys"] == 0, (
        "a reviewed choice's text changed: run a new blind review (docs/fidelity.md)"
    )
    assert pooled["opposite"] == 0
    assert pooled["direction_labelled"] == 980
    # The figure recorded in docs/fidelity.md; a change that lowers it needs a new ruling there.
    assert round(pooled["direction_agreement"], 1) >= 94.5
    doc = (REPO / "docs" / "fidelity.md").read_text("utf-8")
    ruled = {line.split("`")[1] for line in doc.splitlines() if line.startswith("| `")}
    disputed = {f"{d['scenario']}/{d['scene']}/{d['choice']}" for d in data["disagreements"]}
    assert disputed <= ruled, f"disagreements without a ruling: {sorted(disputed - ruled)}"
