"""``netquest report``: trainer reports from save files, and learning records (xAPI).

``netquest report [SAVES…] --format md|csv|json|html|xapi [--out FILE] [--scenario ID]`` reads
every save given (default: the saves folder), warns once per unreadable file and reports the
rest. ``--send`` instead sends the learning records still queued to the configured LRS.
``--lrs URL`` builds the report from that LRS's statements instead of local saves (every host
that sends there), with the credentials the sender uses.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netquest.commands.common import CommandError, saves_dir
from netquest.engine import Library, load_library
from netquest.reports import DEFAULT_TITLE, build_report, collect, gc_paused, render
from netquest.reports.collect import Collection
from netquest.reports.model import Skipped
from netquest.saves.errors import one_line
from netquest.saves.jsonfile import atomic_write

if TYPE_CHECKING:
    from netquest.engine.course import Course
    from netquest.xapi.config import LrsSettings, XapiSettings


def run_report(args: argparse.Namespace) -> int:
    """Write the report (or send queued statements with ``--send``); returns the exit status."""
    inputs: list[Path] = list(args.inputs) or [saves_dir(args)]
    if getattr(args, "send", False):
        return _send(inputs, saves_dir(args))
    # Everything read stays alive until the report is written: the cyclic collector would only
    # walk it again and again (a third of the time on ten thousand saves).
    with gc_paused():
        return _report(inputs, args)


def _report(inputs: list[Path], args: argparse.Namespace) -> int:
    lrs_url: str | None = getattr(args, "lrs", None)
    collection = _from_lrs(lrs_url, args) if lrs_url else collect(inputs)
    _warn(collection.skipped)
    if lrs_url and not collection.learners:
        raise CommandError(f"the LRS at {lrs_url} holds no netquest statements", 1)
    if collection.files == 0 and not lrs_url:
        where = ", ".join(str(path) for path in inputs)
        raise CommandError(f"no readable save files in {where}", 1)
    library = load_library(folders=list(args.scenarios))
    scenario: str | None = args.scenario
    if scenario is not None:
        _check_scenario(scenario, collection, library)
    course = None
    if getattr(args, "course", None):
        from netquest.commands.course import resolve_course

        course = resolve_course(args.course, list(args.scenarios))
    if args.format == "xapi":
        _xapi(collection, library, scenario, inputs, args, course)
        return 0
    report = build_report(
        collection,
        library,
        scenario=scenario,
        title=getattr(args, "title", None) or DEFAULT_TITLE,
        course=course,
    )
    _write(render(report, args.format), args.out, bom=args.format == "csv")
    return 0


def _from_lrs(url: str, args: argparse.Namespace) -> Collection:
    """The cohort as the LRS at ``url`` has it (credentials as for ``--send``)."""
    import os

    from netquest.xapi.config import CONFIG_FILENAME, ENV_ENDPOINT, is_web_url, load_config
    from netquest.xapi.lrs_read import LrsReadError, collection_from, statements

    if not is_web_url(url):
        raise CommandError(f"--lrs needs an http(s) address, not {url!r:.80}", 2)
    if args.format == "xapi":
        raise CommandError("--lrs cannot export xAPI: the statements are in the LRS already", 2)
    folder = saves_dir(args)
    config = load_config(folder, {**os.environ, ENV_ENDPOINT: url})
    _warn([Skipped(str(config.path or CONFIG_FILENAME), problem) for problem in config.problems])
    if config.lrs is None:
        raise CommandError(f"--lrs {url!r:.80} is not a usable LRS address", 2)
    try:
        return collection_from(statements(config.lrs), config.lrs.statements_url)
    except LrsReadError as error:
        raise CommandError(str(error), 1) from None


def _warn(skipped: Sequence[Skipped]) -> None:
    for item in skipped:
        print(
            f"netquest: warning: {one_line(f'skipped {item.path}: {item.reason}')}", file=sys.stderr
        )


def _check_scenario(scenario: str, collection: Collection, library: Library) -> None:
    played = {run.scenario_id for learner in collection.learners for run in learner.runs}
    if scenario in played or library.get(scenario) is not None:
        return
    known = ", ".join(sorted(played | set(library.ids))) or "none"
    raise CommandError(f"no scenario '{scenario}' in the saves or the library (known: {known})")


def _xapi(
    collection: Collection,
    library: Library,
    scenario: str | None,
    inputs: Sequence[Path],
    args: argparse.Namespace,
    course: Course | None = None,
) -> None:
    """Write the statements as JSON Lines while they are produced (one learner at a time);
    with a course, then its passed/failed/completed statements not already recorded."""
    from netquest.xapi.export import export_statements
    from netquest.xapi.journal import encode_lines

    folder = next((path for path in inputs if path.is_dir()), saves_dir(args))
    from netquest.xapi.config import CONFIG_FILENAME, load_config

    config = load_config(folder)
    _warn([Skipped(str(config.path or CONFIG_FILENAME), problem) for problem in config.problems])
    problems: list[Skipped] = []
    statements = export_statements(
        collection.learners, library, config.settings, scenario, problems
    )
    if course is not None:
        statements = _with_course(statements, collection, library, course, config.settings)
    _write_stream((encode_lines([statement]) for statement in statements), args.out)
    _warn(problems)


def _with_course(
    statements: Iterable[dict[str, Any]],
    collection: Collection,
    library: Library,
    course: Course,
    settings: XapiSettings,
) -> Iterator[dict[str, Any]]:
    """``statements``, then the course statements of every learner that were not among them
    (those recorded live carry the same derived ids)."""
    from netquest.xapi.course_statements import course_statements, is_course_statement

    seen: set[object] = set()
    for statement in statements:
        if is_course_statement(statement):
            seen.add(statement.get("id"))
        yield statement
    scenarios = {entry.scenario.id: entry.scenario for entry in library.entries}
    today = dt.date.today()
    for learner in collection.learners:
        for statement in course_statements(
            learner.name, learner.machine, learner.runs, course, scenarios, settings, today
        ):
            if statement["id"] not in seen:
                yield statement


def _write_stream(chunks: Iterable[bytes], out: Path | None) -> None:
    """Write ``chunks`` as they come: to stdout, or to ``out`` through a temporary file that
    replaces it only once complete (a failure leaves ``out`` as it was)."""
    if out is None:
        sys.stdout.flush()
        binary = getattr(sys.stdout, "buffer", None)
        for chunk in chunks:
            if binary is not None:
                binary.write(chunk)
            else:
                sys.stdout.write(chunk.decode("utf-8"))
        (binary or sys.stdout).flush()
        return
    try:
        tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, deleted on failure
            dir=out.parent, delete=False, prefix=f".{out.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror or error}", 1) from error
    try:
        with tmp:
            for chunk in chunks:
                tmp.write(chunk)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, out)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp.name)
        if isinstance(error, OSError):
            raise CommandError(f"cannot write {out}: {error.strerror or error}", 1) from error
        raise
    print(f"netquest: wrote {out}", file=sys.stderr)


def _write(text: str, out: Path | None, *, bom: bool) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    # A file is for a spreadsheet: the byte-order mark makes Excel read UTF-8 CSV correctly.
    data = (("\ufeff" if bom else "") + text).encode("utf-8")
    try:
        atomic_write(out, data)
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror or error}", 1) from error
    print(f"netquest: wrote {out}", file=sys.stderr)


def _send(inputs: Sequence[Path], default_dir: Path) -> int:
    from netquest.xapi.journal import journals_in
    from netquest.xapi.sender import deliver

    folder = next((path for path in inputs if path.is_dir()), default_dir)
    from netquest.xapi.config import CONFIG_FILENAME, load_config

    config = load_config(folder)
    _warn([Skipped(str(config.path or CONFIG_FILENAME), problem) for problem in config.problems])
    if config.lrs is None:
        raise CommandError(
            f"no LRS configured: add [lrs] endpoint to {folder / CONFIG_FILENAME} "
            "or set NETQUEST_LRS_ENDPOINT",
            2,
        )
    journals = journals_in(inputs)
    sent = rejected = pending = 0
    problems: list[str] = []
    for index, journal in enumerate(journals):
        result = deliver(journal, config.lrs)
        sent += result.sent
        rejected += result.rejected
        pending += result.pending
        if result.busy:
            problems.append(f"{journal.name} is being sent by another netquest process")
        if result.problem and result.problem not in problems:
            problems.append(result.problem)
        if result.unreachable:
            pending += sum(_count_unsent(j, config.lrs) for j in journals[index + 1 :])
            break  # the LRS is down: no use trying every other journal
    for problem in problems:
        print(f"netquest: {problem}", file=sys.stderr)
    print(
        f"netquest: sent {sent} statement(s) from {len(journals)} journal(s) to "
        f"{config.lrs.statements_url}; {rejected} rejected, {pending} still queued",
        file=sys.stderr,
    )
    return 0 if not problems and not rejected else 1


def _count_unsent(journal: Path, lrs: LrsSettings) -> int:
    from netquest.xapi.journal import read_cursor, read_lines

    try:
        offset = read_cursor(journal, lrs.statements_url)
        return sum(1 for line in read_lines(journal, offset) if line.statement is not None)
    except OSError:
        return 0
