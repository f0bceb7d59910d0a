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
