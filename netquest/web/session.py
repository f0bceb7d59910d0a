"""What each browser tab runs: the game, on Textual's web driver, starting at "Who is playing?".

``netquest serve`` starts ``netquest --saves DIR [--scenarios DIR…] --web-session`` once per
tab. textual-serve gives that process pipes rather than a terminal, and selects the web
driver through ``TEXTUAL_DRIVER``; stdout carries the driver's packets, so nothing here may
print. Many students share one saves folder, so the game never resumes "the player used
last": every tab starts at the profile screen. With ``netquest serve --course ID`` every tab
follows that course: the server checks it once and names its file in ``NETQUEST_SERVE_COURSE``,
which every game it starts inherits.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netquest.engine import Library
    from netquest.engine.course import Course

log = logging.getLogger(__name__)

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
COURSE_ENV = "NETQUEST_SERVE_COURSE"
"""The course file every tab follows, set by ``netquest serve --course``."""


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
        course=served_course(scenario_dirs, library),
        private_profiles=True,
        group_scenario=os.environ.get(GROUP_ENV) or None,
    )
    app.run()
    return app.return_code or 0


def served_course(scenario_dirs: Sequence[Path], library: Library | None = None) -> Course | None:
    """The course named by ``NETQUEST_SERVE_COURSE`` (checked against ``library`` when given),
    or ``None``; a course that has broken since the server checked it is logged and left out."""
    name = os.environ.get(COURSE_ENV)
    if not name:
        return None
    from netquest.commands.common import CommandError
    from netquest.commands.course import resolve_course
    from netquest.engine.course import load_course

    if library is not None:
        loaded = load_course(Path(name), set(library.ids))
        if loaded.value is not None and not any(d.is_error for d in loaded.diagnostics):
            return loaded.value
    try:
        return resolve_course(name, list(scenario_dirs))
    except CommandError as error:
        log.warning("playing without the course: %s", error)
        return None
