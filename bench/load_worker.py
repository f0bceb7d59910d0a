"""One timed step on one scenario file, in a fresh process; prints a JSON line.

    python bench/load_worker.py parse FILE   # the floor: read the file, tomli.loads it
    python bench/load_worker.py load FILE    # netquest's loader: parse, build, static checks
    python bench/load_worker.py check FILE   # `netquest check FILE` (explorer included)

Every module the step needs is imported before the clock starts, so ``work_s`` is the step's own
time; the caller also times the whole process (start-up and imports included).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import sys
import time
from pathlib import Path


def _parse(path: Path) -> float:
    import tomli

    started = time.perf_counter()
    data = tomli.loads(path.read_bytes().decode("utf-8"))
    elapsed = time.perf_counter() - started
    if "scenario" not in data:
        raise SystemExit(f"{path}: not a scenario")
    return elapsed


def _load(path: Path) -> float:
    from netquest.engine.library import load_library

    started = time.perf_counter()
    library = load_library(files=[path], include_bundled=False)
    elapsed = time.perf_counter() - started
    if len(library.entries) != 1 or any(d.is_error for d in library.diagnostics):
        raise SystemExit(f"{path}: did not load cleanly")
    return elapsed


def _check(path: Path) -> float:
    # The command imports these lazily; import them first so only the check itself is timed.
    for module in (
        "netquest.commands.check",
        "netquest.engine.checker",
        "netquest.engine.explorer",
    ):
        importlib.import_module(module)
    from netquest.cli import main

    sink = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(sink):
        status = main(["check", str(path), "--format", "json"])
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{path}: netquest check exited {status}:\n{sink.getvalue()[:2000]}")
    return elapsed


def vm_hwm_kib() -> int:
    """This process's peak resident set (VmHWM), in KiB.

    Not ``getrusage``: its ``ru_maxrss`` survives exec, so it would report the parent's size
    when the parent was larger.
    """
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


STEPS = {"parse": _parse, "load": _load, "check": _check}


def main() -> None:
    step, file = sys.argv[1], Path(sys.argv[2])
    work = STEPS[step](file)
    peak_kib = vm_hwm_kib()
    print(json.dumps({"step": step, "work_s": work, "rss_kib": peak_kib}))
    sys.stdout.flush()
    os._exit(0)  # skip tearing down a large object graph; the figure is already out


if __name__ == "__main__":
    main()
