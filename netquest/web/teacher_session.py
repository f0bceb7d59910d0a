"""What a teacher's tab runs: the class dashboard on Textual's web driver.

Forked by the game launcher like a student's game (``{"app": "teacher"}``), or started as
``python -m netquest.web.teacher_session [--scenarios DIR]…`` when there is no launcher. It
follows the class hub named in ``NETQUEST_CLASS_FEED``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netquest.engine import Library


def own_session() -> None:
    """Leave the server's session for one of the dashboard's own (where there are sessions).

    Linux's autogroup scheduling (on by default in most distributions) shares the CPU fairly
    between sessions first, then between the processes of each. The server, every student's
    game and the dashboard all belong to the session of the terminal that ran ``netquest
    serve``: with a class playing, the dashboard got one process's share among thirty, and a
    redraw of 10 ms of CPU took 200-400 ms to be done. In a session of its own it is weighed
    against the class's games as a whole. Nothing else changes: the dashboard has no terminal,
    and the server stops it through its tab (or by its pid).
    """
    if hasattr(os, "setsid"):
        with contextlib.suppress(OSError):  # already a session leader
            os.setsid()


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
    own_session()
    return run_dashboard(args.scenarios)


if __name__ == "__main__":
    raise SystemExit(main())
