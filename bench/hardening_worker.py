"""One timed step on hostile input (issue 10), in a fresh process; prints a JSON line.

    python bench/hardening_worker.py check FILE      # `netquest check FILE`, any exit status
    python bench/hardening_worker.py parse FILE      # the floor: tomli.loads of the file
    python bench/hardening_worker.py fill SIZE       # plain mode's wrapping of one SIZE-char word
    python bench/hardening_worker.py textwrap SIZE   # the old way: textwrap.fill of the same

Imports happen before the clock starts, so ``work_s`` is the step's own time.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import sys
import textwrap
import time
from pathlib import Path


def _check(target: str) -> dict[str, object]:
    # The command imports these lazily; import them first so only the check itself is timed.
    for module in ("netquest.commands.check", "netquest.engine.checker"):
        importlib.import_module(module)
    from netquest.cli import main

    sink = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(sink):
        status = main(["check", target, "--format", "json"])
    elapsed = time.perf_counter() - started
    document = json.loads(sink.getvalue())
    codes = sorted({d["code"] for d in document["diagnostics"]})
    return {"work_s": elapsed, "status": status, "codes": codes}


def _parse(target: str) -> dict[str, object]:
    import tomli

    started = time.perf_counter()
    tomli.loads(Path(target).read_bytes().decode("utf-8"))
    return {"work_s": time.perf_counter() - started}


def _word(size: str) -> str:
    return "Before " + "x" * int(size) + " after."


def _fill(size: str) -> dict[str, object]:
    from netquest.commands.plain import WIDTH, fill

    text = _word(size)
    started = time.perf_counter()
    fill(text, WIDTH, "  1. ", "     ")
    return {"work_s": time.perf_counter() - started}


def _textwrap(size: str) -> dict[str, object]:
    text = _word(size)
    started = time.perf_counter()
    textwrap.fill(text, 78, initial_indent="  1. ", subsequent_indent="     ")
    return {"work_s": time.perf_counter() - started}


def vm_hwm_kib() -> int:
    """This process's peak resident set (VmHWM), in KiB."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


STEPS = {"check": _check, "parse": _parse, "fill": _fill, "textwrap": _textwrap}


def main() -> None:
    step, argument = sys.argv[1], sys.argv[2]
    figures = STEPS[step](argument)
    figures |= {"step": step, "rss_kib": vm_hwm_kib()}
    print(json.dumps(figures))
    sys.stdout.flush()
    os._exit(0)  # skip tearing down a large object graph; the figure is already out


if __name__ == "__main__":
    main()
