"""The game launcher process: import and load once, then fork one game per browser tab.

Starting a game from scratch costs a fresh Python most of its start-up time in imports
(Textual, the screens) and in loading the curriculum. When thirty students open the page at
once on a small machine, that is most of the wait. ``netquest serve`` therefore starts this
process once (see :mod:`netquest.web.launcher`): it imports everything the game needs, loads
the scenarios, and then, for each tab, receives three pipe ends (the game's stdin, stdout and
stderr) over a Unix socket and forks. The child plugs the pipes in as fds 0-2 and runs the
game exactly as ``netquest --web-session`` would, with the library already in memory (pages
are shared copy-on-write, so each game also costs the machine less memory).

Protocol on the control socket (fd given by ``--control``), one request per line:
``{"columns": C, "rows": R, "app": "game"|"teacher"}`` with three fds attached; the answer
is ``{"pid": P}`` or ``{"error": "…"}``. The launcher exits when the socket closes. It must
run with the environment textual-serve gives a game (``TEXTUAL_DRIVER`` and friends), because
Textual reads those when it is imported.

Scenario files edited while the server runs are picked up by restarting ``netquest serve``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import os
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netquest.engine import Library

PRELOAD = (
    "textual.drivers.web_driver",
    "netquest.tui.app",
    "netquest.tui.screens.profile",
    "netquest.tui.screens.picker",
    "netquest.tui.screens.scene",
    "netquest.tui.screens.debrief",
    "netquest.tui.screens.help",
    "netquest.tui.commands",
    "netquest.play.session",
    "netquest.saves",
    "netquest.play.class_feed",
    "netquest.play.class_sign_in",
    "netquest.play.class_group",
    "netquest.tui.screens.sign_in",
    "netquest.tui.screens.code_notice",
    "netquest.tui.screens.vote_pad",
    "netquest.tui.dashboard.app",
)
"""Modules every game needs soon; imported once, before any fork."""


def preload(scenario_dirs: list[Path]) -> Library | None:
    """Import the game and load the curriculum (and its analyses) once."""
    for module in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    try:
        from netquest.engine.library import load_library
        from netquest.play.session import analysis_for

        library = load_library(scenario_dirs)
        for entry in library.entries:
            analysis_for(entry.scenario)
    except Exception as error:  # each game will load (and report) the scenarios itself
        print(f"netquest: game launcher could not preload scenarios: {error}", file=sys.stderr)
        return None
    return library


def serve(control: socket.socket, saves: Path, scenario_dirs: list[Path]) -> int:
    """Fork a game for each request until the control socket closes."""
    library = preload(scenario_dirs)
    gc.freeze()  # what is loaded now stays shared: the collector never touches (copies) it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when games stop
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # games are reaped by the kernel
    control.sendall(b'{"ready": true}\n')
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(control, 4096, 3)
        except OSError:
            return 0
        if not message:
            return 0
        try:
            request = json.loads(message)
            columns, rows = int(request["columns"]), int(request["rows"])
            app = str(request.get("app", "game"))
            if len(fds) != 3:
                raise ValueError(f"expected 3 pipes, got {len(fds)}")
            pid = os.fork()
        except (ValueError, KeyError, TypeError, OSError) as error:
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"error": str(error)}).encode() + b"\n")
            continue
        if pid == 0:
            control.close()
            _run_child(fds, columns, rows, saves, scenario_dirs, library, app)
        for fd in fds:
            os.close(fd)
        control.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _run_child(
    fds: list[int],
    columns: int,
    rows: int,
    saves: Path,
    scenario_dirs: list[Path],
    library: Library | None,
    app: str = "game",
) -> None:
    """In the forked child: become the game (or the teacher's dashboard, ``app="teacher"``)
    for one tab; never returns."""
    status = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.environ["COLUMNS"], os.environ["ROWS"] = str(columns), str(rows)
        if app == "teacher":
            from netquest.web.teacher_session import own_session, run_dashboard

            own_session()
            status = run_dashboard(scenario_dirs, library)
        else:
            from netquest.web.session import play_in_browser

            status = play_in_browser(saves, scenario_dirs, library)
    except BaseException:  # report anything, then leave without unwinding into the launcher
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(status)


def main(argv: list[str] | None = None) -> int:
    """``python -m netquest.web.zygote --control FD --saves DIR [--scenarios DIR]…``."""
    parser = argparse.ArgumentParser(prog="python -m netquest.web.zygote")
    parser.add_argument("--control", type=int, required=True)
    parser.add_argument("--saves", type=Path, required=True)
    parser.add_argument("--scenarios", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    with socket.socket(fileno=args.control) as control:
        return serve(control, args.saves, args.scenarios)


if __name__ == "__main__":
    raise SystemExit(main())
