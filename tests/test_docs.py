"""The authoring guide's example must stay a valid scenario, and its claims true."""

from __future__ import annotations

import re
from pathlib import Path

from netquest.engine.checker import check_library
from netquest.engine.library import load_library

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "authoring.md"


def _example() -> str:
    blocks = re.findall(r"```toml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    complete = [block for block in blocks if block.startswith("format = 1")]
    assert complete, "the guide has a complete example"
    return complete[-1]


def _check(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "mixer.toml"
    path.write_text(text, encoding="utf-8")
    library = load_library(files=[path], include_bundled=False)
    return [f"{d.code}" for d in check_library(library, whole_curriculum=False)]


def test_guide_example_is_clean(tmp_path: Path) -> None:
    assert _check(_example(), tmp_path) == []


def test_guide_example_without_flag_reports_what_the_guide_says(tmp_path: Path) -> None:
    broken = _example().replace('sets = ["met_host"]\n', "")
    assert sorted(_check(broken, tmp_path)) == ["NQ017", "NQ021", "NQ022", "NQ026"]


def _tutorial() -> str:
    blocks = re.findall(r"```toml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    found = [block for block in blocks if block.startswith("#:schema")]
    assert len(found) == 1, "the tutorial has one complete draft"
    return found[0]


def test_tutorial_draft_is_clean_and_has_the_tell_the_guide_describes(tmp_path: Path) -> None:
    from netquest.engine.draft import Position, choice_range, load_draft, replay
    from netquest.engine.randomtest import randomtest

    path = tmp_path / "welcome_lunch.toml"
    path.write_text(_tutorial(), encoding="utf-8")
    library = load_library(files=[path], include_bundled=False)
    assert check_library(library, whole_curriculum=False) == []
    report = randomtest(library.entries[0].scenario, runs=100)
    assert {s.name: s.score for s in report.strategies}["always-last"] == 67
    assert [s.name for s in report.gameable] == ["always-last"]
    draft = load_draft(path)
    assert draft.scenario is not None
    placed = replay(draft.scenario, Position(None, ("weekend",)))
    intro = draft.scenario.scenes["intro"]
    ranges = {c.id: choice_range(draft, c, placed.flags, placed.total) for c in intro.choices}
    assert ranges["their_work"] is not None and ranges["their_work"].best == 100
    assert ranges["salary"] is not None and ranges["salary"].best == 50
    guide = GUIDE.read_text(encoding="utf-8")
    assert '"caps the run at 50/100"' in guide


def test_tutorial_fix_removes_the_gameable_strategy(tmp_path: Path) -> None:
    from netquest.engine.randomtest import randomtest

    text = _tutorial()
    start = text.index('[[scenes.intro.choices]]\nid = "salary"')
    middle = text.index('[[scenes.intro.choices]]\nid = "their_work"')
    end = text.index("[scenes.week_after]")
    fixed = text[:start] + text[middle:end].rstrip() + "\n\n" + text[start:middle] + text[end:]
    fixed = fixed.replace(
        "Ask what Sam's team is building and where it meets yours.",
        "Ask what Sam's team is building.",
    )
    path = tmp_path / "welcome_lunch.toml"
    path.write_text(fixed, encoding="utf-8")
    library = load_library(files=[path], include_bundled=False)
    assert check_library(library, whole_curriculum=False) == []
    report = randomtest(library.entries[0].scenario, runs=100)
    assert report.gameable == ()
    assert {s.name: s.score for s in report.strategies}["always-last"] == 33
