"""Start an app in the terminal, wait for its first screen to be complete, draw it, and exit.

Used to count instructions under ``valgrind --tool=callgrind``, where a run must end by itself.
Both apps go through exactly the same steps: build the app, ``App.run`` with an auto-pilot that
waits until the app is ready (netquest: scenarios and profile loaded, as the title screen shows
them; the minimal app: at once), lets every pending message and refresh be processed
(``Pilot.pause``), then exits.

    python bench/first_frame.py minimal
    python bench/first_frame.py netquest --saves DIR
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot


async def _exit_when_drawn(pilot: Pilot[Any]) -> None:
    app = pilot.app
    when_ready = getattr(app, "when_ready", None)
    if when_ready is not None:
        ready = asyncio.Event()
        when_ready(ready.set)
        await ready.wait()
    await pilot.pause()
    app.exit()


def build(which: str, saves: Path | None) -> App[Any]:
    """The app to run: ``minimal`` or ``netquest`` (as ``netquest --saves DIR`` builds it)."""
    if which == "minimal":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from minimal_app import MinimalApp

        return MinimalApp()
    from netquest.tui.app import NetquestApp

    if saves is None:
        raise SystemExit("netquest needs --saves DIR")
    return NetquestApp(saves_dir=saves)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("which", choices=("minimal", "netquest"))
    parser.add_argument("--saves", type=Path)
    args = parser.parse_args()
    build(args.which, args.saves).run(auto_pilot=_exit_when_drawn)


if __name__ == "__main__":
    main()
