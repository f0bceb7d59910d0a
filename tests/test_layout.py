"""The package layout stays readable: no module is reached back by what it imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO.parent / "shared" / "tools" / "import_cycles.py"


@pytest.mark.skipif(not TOOL.is_file(), reason="needs ../shared/tools/import_cycles.py")
def test_no_import_cycles() -> None:
    found = subprocess.run(
        [sys.executable, str(TOOL), "netquest"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "cycles: 0" in found.stdout, found.stdout + found.stderr


def test_play_time_modules_live_in_the_play_package() -> None:
    top = {path.name for path in (REPO / "netquest").glob("*.py")}
    assert not top & {"session.py", "progress.py", "debrief_markdown.py"}
    for module in (REPO / "netquest" / "play").glob("*.py"):
        tree = ast.parse(module.read_text("utf-8"))
        imported = [
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        ] + [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ]
        assert not [name for name in imported if name.startswith("netquest.xapi")], (
            f"{module.name}: play time knows nothing of xAPI; front ends attach the recorder"
        )
