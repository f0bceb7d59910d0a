"""What each browser tab runs: the game, on Textual's web driver, starting at "Who is playing?".

``netquest serve`` starts ``netquest --saves DIR [--scenarios DIR…] --web-session`` once per
tab. textual-serve gives that process pipes rather than a terminal, and selects the web
driver through ``TEXTUAL_DRIVER``; stdout carries the driver's packets, so nothing here may
print. Many students share one saves folder, so the game never resumes "the player used
last": every tab starts at the profile screen.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netquest.engine import Library

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def run_web_session(args: argparse.Namespace) -> int:
    """``netquest --web-session``: run the game for one browser tab; returns the exit status."""
    from netquest.commands.common import CommandError, saves_dir

    if os.environ.get("TEXTUAL_DRIVER") != WEB_DRIVER:
        raise CommandError("--web-session is only for the games that `netquest serve` starts")
    return play_in_browser(saves_dir(args), tuple(args.scenarios))


def play_in_browser(
    saves: Path, scenario_dirs: Sequence[Path], library: Library | None = None
) -> int:
    """Run the game on the web driver, starting at the profile screen; returns the exit code.

    Args:
        saves: The server's saves folder.
        scenario_dirs: Extra scenario folders (besides the bundled curriculum).
        library: The scenarios, already loaded (by the game launcher), else ``None``.
    """
    from netquest.play.class_group import GROUP_ENV
    from netquest.tui.app import NetquestApp

    app = NetquestApp(
        saves_dir=saves,
        scenario_dirs=tuple(scenario_dirs),
        library=library,
        choose_profile=True,
        private_profiles=True,
        group_scenario=os.environ.get(GROUP_ENV) or None,
    )
    app.run()
    return app.return_code or 0
