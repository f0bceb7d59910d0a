"""What a teacher's tab runs: the class dashboard on Textual's web driver.

Forked by the game launcher like a student's game (``{"app": "teacher"}``), or started as
``python -m netquest.web.teacher_session [--scenarios DIR]…`` when there is no launcher. It
follows the class hub named in ``NETQUEST_CLASS_FEED``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netquest.engine import Library


def run_dashboard(scenario_dirs: Sequence[Path], library: Library | None = None) -> int:
    """Run the dashboard until the tab closes; returns the exit code."""
    from netquest.play.class_feed import FEED_ENV
    from netquest.play.class_group import GROUP_ENV
    from netquest.tui.dashboard.app import DashboardApp

    if library is None:
        from netquest.engine.library import load_library

        library = load_library(list(scenario_dirs))
    app = DashboardApp(library, os.environ.get(FEED_ENV) or None, os.environ.get(GROUP_ENV) or None)
    app.run()
    return app.return_code or 0


def main(argv: list[str] | None = None) -> int:
    """``python -m netquest.web.teacher_session [--scenarios DIR]…``."""
    parser = argparse.ArgumentParser(prog="python -m netquest.web.teacher_session")
    parser.add_argument("--scenarios", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    return run_dashboard(args.scenarios)


if __name__ == "__main__":
    raise SystemExit(main())
