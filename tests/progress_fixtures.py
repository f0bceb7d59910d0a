"""Synthetic progress data shared by the progress tests and the TUI screen tests.

Pure (no Textual): a second scenario and principle to add to the mini fixture, and runs and
profiles with fixed ids and timestamps so every figure and snapshot is stable.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from netquest.engine import Library, load_library
from netquest.saves import Profile, RunRecord

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
CREATED = "2025-03-01T09:00:00.000Z"

GALA = """\
format = 1

[scenario]
id = "gala"
title = "The Gala{night}"
summary = "A charity gala."
setting = "A museum hall."
teaches = ["notnet"]
minutes = 2
start = "hall"

[scenes.hall]
text = "A guest mentions she is short of volunteers."
calls_for = "networking"

[[scenes.hall.choices]]
id = "offer"
text = "Offer to help at her next event."
mode = "networking"
effects = { give = 3, listen = 1 }
coach = "Give first."
goto = "thanks"

[[scenes.hall.choices]]
id = "take"
text = "Ask her to introduce you to her boss."
mode = "transactional"
effects = { give = -3 }
coach = "All take."
goto = "thanks"

[endings.thanks]
title = "The end"
text = "The evening ends."
outcome = "good"
"""
"""A second scenario; with ``markup=True`` its title holds markup that must show literally."""

LISTEN = """
[principles.listen]
axis = "nvs"
title = "Listen first"
statement = "Let the other person talk{first}."
source = "Test source"
quote = "Listening builds trust."
"""
"""A fourth principle, never practised in :func:`history`; with ``markup=True`` its statement
holds markup."""


def two_library(folder: Path, *, markup: bool = False) -> Library:
    """The mini fixture copied into ``folder`` plus 'gala' and the 'listen' principle."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in MINI.glob("*.toml"):
        shutil.copy(path, folder / path.name)
    with (folder / "principles.toml").open("a", encoding="utf-8") as handle:
        handle.write(LISTEN.replace("{first}", " [i]first[/i]" if markup else ""))
    gala = GALA.replace("{night}", " [bold]night[/bold]" if markup else "")
    (folder / "gala.toml").write_text(gala, encoding="utf-8")
    library = load_library([folder], include_bundled=False)
    assert library.ids == ["gala", "mixer"], library.unavailable
    return library


def stamp(day: int, hour: int = 12) -> str:
    """A fixed timestamp in March 2025."""
    return f"2025-03-{day:02d}T{hour:02d}:00:00.000Z"


def run(
    scenario: str,
    day: int,
    *,
    principles: Mapping[str, int] | None = None,
    score: int = 50,
    finished: bool = True,
    seconds: float = 60.0,
    run_id: str | None = None,
) -> RunRecord:
    """A synthetic run with fixed id and timestamps; ``principles`` are the stored totals."""
    result: dict[str, Any] | None = None
    if finished:
        result = {
            "score": score,
            "total": 0,
            "best": 8,
            "worst": -2,
            "ending": "quiet",
            "outcome": "mixed",
            "principles": dict(principles or {}),
            "readings": {},
            "path": [],
        }
    return RunRecord(
        id=run_id or f"{scenario}-{day}",
        scenario_id=scenario,
        content_hash="hash",
        mode="practice",
        started=stamp(day, 10),
        updated=stamp(day, 11),
        finished=stamp(day) if finished else None,
        seconds=seconds,
        state={},
        result=result,
    )


def profile(*runs: RunRecord, name: str = "Ada") -> Profile:
    """A profile with fixed timestamps and machine id holding ``runs``."""
    return dataclasses.replace(Profile.new(name, now=CREATED, machine="m"), runs=runs)
