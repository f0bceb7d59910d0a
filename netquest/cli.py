"""The ``netquest`` command line.

Each subcommand imports what it needs inside its own function, so ``netquest
check`` never pays for Textual and the game never pays for the checker.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from netquest import __version__
from netquest.commands.common import CommandError, saves_dir
from netquest.engine.text import printable

log = logging.getLogger("netquest")


class EscapingFormatter(logging.Formatter):
    """Log lines quote paths, names, request headers and other servers' words: each message is
    one line with every control made visible (:func:`~netquest.engine.text.printable`)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        """The message line, escaped."""
        return printable(super().formatMessage(record), one_line=True)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # Subcommands share these options; SUPPRESS keeps a subcommand's missing option from
    # overwriting the value given before the subcommand name.
    common.add_argument(
        "--saves",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where player saves live (default: $NETQUEST_SAVES, a checkout's "
        "saves/, else your user data folder)",
    )
    common.add_argument(
        "--scenarios",
        type=Path,
        action="append",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="add a folder of scenarios (repeatable)",
    )

    parser = argparse.ArgumentParser(
        prog="netquest",
        parents=[common],
        description="A terminal coaching game for practising professional networking.",
    )
    parser.add_argument("--version", action="version", version=f"netquest {__version__}")
    parser.add_argument("--profile", metavar="NAME", help="play as this profile")
    parser.add_argument(
        "--course", metavar="ID", help="show this course's checklist on the title screen"
    )
    # Hidden: how `netquest serve` runs the game for one browser tab (see netquest/web/session.py).
    parser.add_argument("--web-session", action="store_true", help=argparse.SUPPRESS)
    # No set_defaults for --saves/--scenarios here: the actions are shared with every
    # subcommand (parents=[common]), so a default set on one would reset them all; the
    # missing values are filled in after parsing instead (see _fill_defaults).
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = commands.add_parser("play", parents=[common], help="play a scenario")
    play.add_argument("scenario", metavar="SCENARIO", help="a scenario id or a .toml file")
    play.add_argument(
        "--mode",
        choices=("practice", "assessment"),
        help="practice shows coaching as you go; assessment only at the end",
    )
    play.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="the player profile to save under",
    )
    play.add_argument(
        "--plain", action="store_true", help="line mode for screen readers, pipes and scripts"
    )
    play.add_argument(
        "--restart", action="store_true", help="start over instead of continuing an unfinished run"
    )

    listing = commands.add_parser("list", parents=[common], help="list the scenarios")
    listing.add_argument("--json", action="store_true", help="machine-readable output")

    check = commands.add_parser("check", parents=[common], help="check scenario files")
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="scenario files or folders (default: the bundled curriculum)",
    )
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="exit 2 when there are warnings")
    check.add_argument(
        "--coverage",
        action="store_true",
        help="also print how well the scenarios cover the principles and modes",
    )

    graph = commands.add_parser("graph", parents=[common], help="draw a scenario's story graph")
    graph.add_argument("scenario", metavar="SCENARIO")
    graph.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")

    report = commands.add_parser("report", parents=[common], help="trainer reports from saves")
    report.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        metavar="SAVES",
        help="save folders or files (default: the saves folder)",
    )
    report.add_argument("--format", default="md", choices=("md", "csv", "json", "html", "xapi"))
    report.add_argument("--out", type=Path, metavar="FILE", help="write to FILE, not stdout")
    report.add_argument("--scenario", metavar="ID", help="per-decision view for one scenario")
    report.add_argument("--title", metavar="TEXT", help="the report's heading")
    report.add_argument(
        "--course",
        metavar="ID",
        help="add a course view: per learner steps done, passed, overdue; per step pass rate "
        "(docs/courses.md)",
    )
    report.add_argument(
        "--send",
        action="store_true",
        help="send queued learning records (xAPI) to the LRS configured in the saves folder's "
        "netquest-lrs.toml or NETQUEST_LRS_ENDPOINT, instead of writing a report",
    )
    report.add_argument(
        "--lrs",
        metavar="URL",
        help="build the report from the statements in the LRS at URL (its xAPI endpoint) "
        "instead of local saves, with the credentials --send uses",
    )

    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="serve the game to browsers (a classroom)",
        description="Run the game for every browser tab that opens the printed address. "
        "Needs the web extra: pip install 'netquest[web]'.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only; "
        "0.0.0.0 lets anyone who can reach the port play)",
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks one)"
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address students open, when it differs (e.g. behind a reverse proxy)",
    )
    serve.add_argument(
        "--max-sessions",
        type=int,
        default=40,
        metavar="N",
        help="most games at once; the next tab is asked to wait (default: 40)",
    )
    serve.add_argument(
        "--group",
        metavar="SCENARIO",
        help="group play: the teacher's dashboard shows SCENARIO to the room and every "
        "student's tab becomes a voting pad",
    )
    serve.add_argument(
        "--max-per-client",
        type=int,
        default=4,
        metavar="N",
        help="most games at once from one computer (client address) when --host is not a "
        "loopback address; 0: no limit (default: 4)",
    )
    serve.add_argument(
        "--course",
        metavar="ID",
        default=argparse.SUPPRESS,
        help="every tab shows this course's checklist on its title screen (docs/courses.md)",
    )

    course = commands.add_parser(
        "course",
        parents=[common],
        help="a course's checklist",
        description="Show a course (docs/courses.md): the game with its checklist, or with "
        "--plain the checklist as lines.",
    )
    course.add_argument("course_id", metavar="COURSE", help="a course id or a course .toml file")
    course.add_argument("--plain", action="store_true", help="print the checklist as lines")
    course.add_argument(
        "--profile", metavar="NAME", default=argparse.SUPPRESS, help="the learner's profile"
    )

    review = commands.add_parser(
        "review",
        parents=[common],
        help="blind review of the curriculum's fidelity to its sources",
        description="Export every choice for a reviewer who has read only the sources, then "
        "compare their labels with the game's own scores (see docs/fidelity.md).",
    )
    review.set_defaults(review_command=None)
    steps = review.add_subparsers(dest="review_command", metavar="STEP")
    scope = argparse.ArgumentParser(add_help=False)
    scope.add_argument(
        "--only",
        type=Path,
        action="append",
        metavar="PATH",
        help="review only these scenario files or folders, not the bundled curriculum (repeatable)",
    )
    export = steps.add_parser(
        "export",
        parents=[common, scope],
        help="write every choice as scenario, scene and choice text, with a blank labels file",
    )
    export.add_argument("--out", type=Path, metavar="FILE", help="write to FILE, not stdout")
    export.add_argument(
        "--format",
        choices=("md", "jsonl"),
        help="Markdown for a person, JSON lines for a program (default: from --out, else md)",
    )
    export.add_argument(
        "--labels",
        type=Path,
        metavar="FILE",
        help="where to write the blank labels file (default: next to --out, FILE.labels.csv)",
    )
    export.add_argument("--force", action="store_true", help="overwrite files that exist")
    compare = steps.add_parser(
        "compare", parents=[common, scope], help="compare reviewers' labels with the game"
    )
    compare.add_argument(
        "labels", nargs="+", type=Path, metavar="LABELS", help="labels files (.csv or .jsonl)"
    )
    compare.add_argument("--format", choices=("text", "json"), default="text")

    commands.add_parser("locate", parents=[common], help="show where scenarios and saves are")
    _authoring_parsers(commands, common)
    return parser


def _authoring_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    """The authoring tools: randomtest, schema, import/export twee, studio."""
    randomtest = commands.add_parser(
        "randomtest", parents=[common], help="seeded random playthroughs: coverage and tells"
    )
    randomtest.add_argument("scenario", metavar="FILE|ID", help="a scenario id or a .toml file")
    randomtest.add_argument("--runs", type=int, default=10_000, metavar="N")
    randomtest.add_argument("--seed", type=int, default=0, metavar="S")
    randomtest.add_argument("--format", choices=("text", "json"), default="text")

    schema = commands.add_parser(
        "schema", parents=[common], help="write the JSON Schema of the file formats (for editors)"
    )
    schema.add_argument("--out", type=Path, metavar="FILE", help="write to FILE, not stdout")
    schema.add_argument(
        "--kind",
        choices=("all", "scenario", "principles"),
        default="all",
        help="one format only (default: one schema for every netquest file)",
    )

    studio = commands.add_parser(
        "studio", parents=[common], help="write a scenario with live play, checks and a map"
    )
    studio.add_argument("file", type=Path, metavar="FILE", help="the scenario .toml file")

    twee_in = commands.add_parser(
        "import", parents=[common], help="turn a Twine (Twee 3) story into a scenario skeleton"
    )
    twee_in.add_argument("format", choices=("twee",))
    twee_in.add_argument("file", type=Path, metavar="FILE.twee")
    twee_in.add_argument("-o", "--out", type=Path, metavar="FILE.toml", help="default: stdout")
    twee_out = commands.add_parser(
        "export", parents=[common], help="write a scenario as Twee 3 for Twine"
    )
    twee_out.add_argument("format", choices=("twee",))
    twee_out.add_argument("scenario", metavar="SCENARIO", help="a scenario id or a .toml file")
    twee_out.add_argument("-o", "--out", type=Path, metavar="FILE.twee", help="default: stdout")


def _fill_defaults(args: argparse.Namespace) -> argparse.Namespace:
    """Give the shared options their defaults when neither parser saw them."""
    if not hasattr(args, "saves"):
        args.saves = None
    if not hasattr(args, "scenarios"):
        args.scenarios = []
    return args


_BARE_OPTIONS = ("--saves", "--profile")
"""The options a bare ``netquest`` (the title screen) is most often started with."""


def bare_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a bare ``netquest``, read without building the whole parser.

    Only for no arguments or ``--saves DIR`` / ``--profile NAME`` (also with ``=``): what
    argparse would return for them, found in microseconds instead of the milliseconds the
    parser with every subcommand takes to build before the first frame. None for anything
    else, which the full parser handles (help, errors, abbreviations and all).
    """
    values: dict[str, str] = {}
    position = 0
    while position < len(argv):
        name, equals, value = argv[position].partition("=")
        if name not in _BARE_OPTIONS:
            return None
        if equals:
            position += 1
        else:
            if position + 1 >= len(argv) or argv[position + 1].startswith("-"):
                return None
            value = argv[position + 1]
            position += 2
        values[name] = value
    saves = values.get("--saves")
    return argparse.Namespace(
        profile=values.get("--profile"),
        course=None,
        web_session=False,
        command=None,
        saves=None if saves is None else Path(saves),
        scenarios=[],
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    given = sys.argv[1:] if argv is None else list(argv)
    args = bare_arguments(given)
    if args is None:
        args = _fill_defaults(_parser().parse_args(given))
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(EscapingFormatter("netquest: %(levelname)s: %(message)s"))
    logging.basicConfig(level=os.environ.get("NETQUEST_LOG", "WARNING").upper(), handlers=[handler])
    try:
        return _dispatch(args)
    except CommandError as error:
        print(f"netquest: {printable(str(error), one_line=True)}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print("netquest: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `netquest check | head`): nothing more to say.
        sys.stderr.close()
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command == "check":
        from netquest.commands.check import run_check

        return run_check(args)
    if command == "list":
        from netquest.commands.listing import run_list

        return run_list(args)
    if command == "locate":
        from netquest.commands.listing import run_locate

        return run_locate(args)
    if command == "graph":
        from netquest.commands.graph import run_graph

        return run_graph(args)
    if command == "report":
        return _optional("netquest.commands.report", "run_report", args)
    if command == "serve":
        return _optional("netquest.commands.serve", "run_serve", args)
    if command == "course":
        if not args.plain:
            args.course = args.course_id
            return run_tui(args)
        from netquest.commands.course import run_course

        return run_course(args)
    if command == "review":
        from netquest.commands.review import run_review

        return run_review(args)
    if command in _AUTHORING:
        module, function = _AUTHORING[command]
        return _optional(module, function, args)
    if command == "play" and args.plain:
        from netquest.commands.plain import run_plain

        return run_plain(args)
    return run_tui(args)


_AUTHORING = {
    "randomtest": ("netquest.commands.randomtest", "run_randomtest"),
    "schema": ("netquest.commands.schema", "run_schema"),
    "import": ("netquest.commands.twee", "run_import"),
    "studio": ("netquest.commands.studio", "run_studio_command"),
    "export": ("netquest.commands.twee", "run_export"),
}


def _optional(module: str, function: str, args: argparse.Namespace) -> int:
    import importlib

    try:
        handler = getattr(importlib.import_module(module), function)
    except ModuleNotFoundError as error:
        if error.name and error.name.startswith("netquest"):
            raise CommandError(f"'{args.command}' is not available in this build") from None
        raise
    status: int = handler(args)
    return status


def run_tui(args: argparse.Namespace) -> int:
    """Start the full-screen game (or one browser tab's game) for these arguments."""
    if args.web_session:
        # One browser tab of `netquest serve`: pipes, not a terminal, on Textual's web driver.
        from netquest.web.session import run_web_session

        return run_web_session(args)
    course = None
    if getattr(args, "course", None):
        # Before the terminal check: a wrong course name is the more useful thing to hear.
        from netquest.commands.course import resolve_course

        course = resolve_course(args.course, list(args.scenarios))
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise CommandError(
            "the game needs a terminal; use `netquest play SCENARIO --plain` for pipes and scripts"
        )
    from netquest.tui.app import run_app

    run_app(
        saves_dir=saves_dir(args),
        scenario_dirs=tuple(args.scenarios),
        profile=args.profile,
        start_scenario=getattr(args, "scenario", None),
        mode=getattr(args, "mode", None),
        restart=getattr(args, "restart", False),
        course=course,
    )
    return 0
