"""``netquest list`` and ``netquest locate``."""

from __future__ import annotations

import argparse
import json
import sys

from netquest.commands.common import saves_dir
from netquest.engine.library import bundled_dir, load_library
from netquest.engine.text import printable


def run_list(args: argparse.Namespace) -> int:
    """List every scenario, playable or not."""
    library = load_library(folders=list(args.scenarios))
    if args.json:
        document = {
            "scenarios": [
                {
                    "id": e.scenario.id,
                    "title": e.scenario.title,
                    "summary": e.scenario.summary,
                    "setting": e.scenario.setting,
                    "attire": e.scenario.attire,
                    "teaches": list(e.scenario.teaches),
                    "minutes": e.scenario.minutes,
                    "scenes": len(e.scenario.scenes),
                    "endings": len(e.scenario.endings),
                    "path": str(e.scenario.path),
                }
                for e in library.entries
            ],
            "unavailable": [
                {"path": str(u.path), "error": u.error.format()} for u in library.unavailable
            ],
        }
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return 0
    width = max((len(e.scenario.id) for e in library.entries), default=8)
    for entry in library.entries:
        scenario = entry.scenario
        line = f"{scenario.id:<{width}}  {scenario.minutes:>2} min  {scenario.title}"
        sys.stdout.write(printable(line, one_line=True) + "\n")
    for missing in library.unavailable:
        line = f"{missing.name:<{width}}  unavailable: {missing.error.format()}"
        sys.stdout.write(printable(line, one_line=True) + "\n")
    if not library.entries and not library.unavailable:
        sys.stdout.write("no scenarios found\n")
    return 0


def run_locate(args: argparse.Namespace) -> int:
    """Print where scenarios and saves are."""
    sys.stdout.write(f"scenarios: {bundled_dir()}\n")
    for folder in args.scenarios:
        sys.stdout.write(f"scenarios: {folder.resolve()}\n")
    sys.stdout.write(f"saves: {saves_dir(args)}\n")
    return 0
