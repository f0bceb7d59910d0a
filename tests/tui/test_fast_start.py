"""Fast start: importing the app (and its first screen) must not load the engine's heavy parts.

The loader, explorer and scoring are imported by the worker that loads the scenarios, after
the first screen is drawn. This guards against an innocent import undoing that.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "netquest.engine.loader",
    "netquest.engine.explorer",
    "netquest.engine.scoring",
    "netquest.play.session",
    "netquest.xapi",
    "netquest.tui.screens.scene",
    "netquest.tui.screens.debrief",
)


def test_importing_the_app_leaves_the_heavy_modules_for_later() -> None:
    code = (
        "import json, sys\n"
        "import netquest.tui.app, netquest.tui.screens.title, netquest.tui.screens.profile\n"
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout) == []


def test_the_title_screens_status_code_leaves_the_library_for_later() -> None:
    # The title screen's on_mount reads what Continue resumes (run_status) on the UI thread,
    # before the first frame: its engine and saves types must not import the loader.
    code = (
        "import json, sys\n"
        "import netquest.tui.run_status\n"
        f"print(json.dumps([m for m in {[*HEAVY, 'netquest.engine.library']!r} "
        "if m in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout) == []
