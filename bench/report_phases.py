"""Where `netquest report --format json` spends its time, phase by phase, in one process.

python bench/report_phases.py DIR OUT

Prints one JSON object: seconds of CPU (process time) for each phase, in the order the report
command runs them, plus the floor's two steps (reading the bytes, ``json.loads``) on the same
files for comparison. The phases are the report command's own calls, so the sum is the work the
command does after the interpreter has started.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path


def main() -> None:
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    phases: dict[str, float] = {}
    clock = time.process_time

    mark = clock()
    from netquest.commands.report import _write
    from netquest.engine import load_library
    from netquest.reports import build_report, collect, render

    phases["imports (netquest, its dataclasses)"] = clock() - mark
    gc.disable()  # as the command does (gc_paused)
    mark = clock()
    collection = collect([folder])
    phases["read + parse + validate every save (collect)"] = clock() - mark
    mark = clock()
    library = load_library(folders=[])
    phases["load the bundled scenarios"] = clock() - mark
    mark = clock()
    report = build_report(collection, library)
    phases["build: tallies, scores, principle ranges"] = clock() - mark
    mark = clock()
    text = render(report, "json")
    phases["render JSON"] = clock() - mark
    mark = clock()
    _write(text, out, bom=False)
    phases["encode + write the file"] = clock() - mark
    gc.enable()

    files = sorted(folder.glob("*.json"))
    mark = clock()
    blobs = [path.read_bytes() for path in files]
    floor_read = clock() - mark
    mark = clock()
    for blob in blobs:
        json.loads(blob)
    floor_parse = clock() - mark
    print(
        json.dumps(
            {
                "phases": phases,
                "floor": {"read the bytes": floor_read, "json.loads": floor_parse},
                "output_bytes": len(text.encode("utf-8")),
            }
        )
    )


if __name__ == "__main__":
    main()
