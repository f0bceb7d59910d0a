"""``netquest serve``: one machine serves the game, every student plays in a browser tab.

Each tab gets its own game process: forked from the game launcher (:mod:`netquest.web.zygote`)
or, failing that, ``netquest --web-session`` (:mod:`netquest.web.session`) started as
textual-serve does. Every save lands in this server's saves folder, ready for
``netquest report``. The web extra is imported by this command only.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import shlex
import socket
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

from netquest.commands.common import CommandError, saves_dir

log = logging.getLogger(__name__)

INSTALL_HINT = "netquest serve needs the web extra: pip install 'netquest[web]'"
SPAWN_ENV = "NETQUEST_SERVE_SPAWN"
"""Set to ``exec`` to start every game as a new process instead of forking a loaded one."""
WEB_MODULES = frozenset({"textual_serve", "aiohttp", "aiohttp_jinja2", "jinja2", "yarl"})


def run_serve(args: argparse.Namespace) -> int:
    """Serve the game until interrupted; returns the exit status."""
    try:
        from netquest.web.launcher import GameLauncher
        from netquest.web.server import ClassroomServer, ListenError, is_loopback
        from netquest.web.teacher import TeacherDesk
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] in WEB_MODULES:
            print(INSTALL_HINT, file=sys.stderr)
            return 2
        raise
    _check_options(args)
    saves = _writable_saves(saves_dir(args))
    scenario_dirs = [Path(folder).resolve() for folder in args.scenarios]
    _check_scenarios(scenario_dirs, getattr(args, "group", None))
    # Every game the server starts (forked or exec'd) inherits the environment.
    from netquest.web.session import COURSE_ENV

    course = getattr(args, "course", None)
    if course:
        os.environ[COURSE_ENV] = str(_check_course(course, scenario_dirs))
    else:
        os.environ.pop(COURSE_ENV, None)
    if "NETQUEST_LOG" not in os.environ:
        logging.getLogger("netquest.web").setLevel(logging.INFO)
    if not is_loopback(args.host):
        log.warning(
            "listening on %s: anyone who can reach port %d can play and write saves; "
            "use it only on a network you trust",
            args.host,
            args.port,
        )
    forking = os.environ.get(SPAWN_ENV) != "exec"
    desk = TeacherDesk(scenario_dirs)
    server = ClassroomServer(
        tab_command(saves, scenario_dirs),
        host=args.host,
        port=args.port,
        max_sessions=args.max_sessions,
        max_per_client=getattr(args, "max_per_client", 4),
        public_url=args.public_url,
        launcher=GameLauncher(saves, scenario_dirs) if forking else None,
        desk=desk,
    )

    def ready(addresses: list[tuple[str, int]]) -> None:
        port = addresses[0][1] if addresses else args.port
        urls = [args.public_url] if args.public_url else _urls(args.host, port)
        print(f"netquest: serving the game at {urls[0]}", flush=True)
        for url in urls[1:]:
            print(f"          also at {url}", flush=True)
        teacher = urls[0].rstrip("/") + desk.path
        print(f"netquest: teacher's dashboard at {teacher}", flush=True)
        if getattr(args, "group", None):
            print(f"          group play of {args.group}: students vote, you lead", flush=True)
        print("          (keep that address to yourself: it shows the whole class)", flush=True)
        print(
            f"Open that address in a browser (up to {args.max_sessions} players at once). "
            f"Saves go to {saves}. Press Ctrl+C to stop.",
            flush=True,
        )

    try:
        server.run(ready)
    except ListenError as error:
        raise CommandError(f"cannot listen on {args.host} port {args.port}: {error}") from None
    print(f"netquest: stopped. Results: netquest report --saves {shlex.quote(str(saves))}")
    return 0


def tab_command(saves: Path, scenario_dirs: list[Path]) -> str:
    """The shell command that runs the game for one browser tab."""
    argv = [sys.executable, "-m", "netquest", "--saves", str(saves)]
    for folder in scenario_dirs:
        argv += ["--scenarios", str(folder)]
    argv.append("--web-session")
    if os.name != "posix":
        return subprocess.list2cmdline(argv)
    # exec: the game replaces the shell, so stopping the tab stops the game itself.
    return "exec " + shlex.join(argv)


def _check_options(args: argparse.Namespace) -> None:
    if args.max_sessions < 1:
        raise CommandError("--max-sessions must be at least 1")
    if getattr(args, "max_per_client", 0) < 0:
        raise CommandError("--max-per-client must be 0 (no limit) or more")
    if not 0 <= args.port <= 65535:
        raise CommandError("--port must be between 0 and 65535")
    if args.public_url:
        from urllib.parse import urlsplit

        url = urlsplit(args.public_url)
        if url.scheme not in ("http", "https") or not url.netloc:
            raise CommandError("--public-url must start with http:// or https://")
        if url.path not in ("", "/") or url.query or url.fragment:
            raise CommandError("--public-url must be an address without a path, like https://host")


def _writable_saves(folder: Path) -> Path:
    folder = folder.resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"cannot create the saves folder {folder}: {error.strerror}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CommandError(f"cannot write to the saves folder {folder}; pass --saves DIR")
    return folder


def _check_scenarios(scenario_dirs: list[Path], group: str | None = None) -> None:
    """Refuse to start a class with nothing to play; warn about scenario errors.

    With ``group`` (``--group SCENARIO``), that scenario must be playable; every game and
    dashboard started from now on plays it together (``NETQUEST_CLASS_GROUP``).
    """
    from netquest.engine.library import load_library
    from netquest.play.class_group import GROUP_ENV

    library = load_library(scenario_dirs)
    for diagnostic in library.diagnostics:
        if diagnostic.is_error:
            log.warning("%s", diagnostic.format())
    if not library.entries:
        raise CommandError("there is no playable scenario; run `netquest check` to see why")
    if group is not None:
        if library.get(group) is None:
            known = ", ".join(library.ids)
            raise CommandError(f"--group: no playable scenario {group!r} (playable: {known})")
        os.environ[GROUP_ENV] = group


def _check_course(name: str, scenario_dirs: list[Path]) -> Path:
    """The file of course ``name``, checked once for the whole class (one line if it is wrong)."""
    from netquest.commands.course import resolve_course

    course = resolve_course(name, scenario_dirs)
    if course.path is None:  # resolve_course always loads from a file
        raise CommandError(f"the course '{name}' has no file")
    return course.path.resolve()


def _urls(host: str, port: int) -> list[str]:
    """Addresses to open: the host itself, or this machine's addresses for a wildcard."""
    if host not in ("0.0.0.0", "::", ""):
        shown = f"[{host}]" if ":" in host else host
        return [f"http://{shown}:{port}/"]
    names = _local_addresses()
    with suppress(OSError):
        names.append(socket.gethostname())
    return [f"http://{name}:{port}/" for name in names] or [f"http://localhost:{port}/"]


def _local_addresses() -> list[str]:
    """This machine's IPv4 addresses that other machines can use (no packet is sent)."""
    found: set[str] = set()
    with suppress(OSError):
        for item in socket.getaddrinfo(socket.gethostname(), None, family=socket.AF_INET):
            found.add(str(item[4][0]))
    with suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # UDP connect only picks the outgoing address
        found.add(str(probe.getsockname()[0]))
    usable = {address for address in found if not ipaddress.ip_address(address).is_loopback}
    return sorted(usable - {"0.0.0.0"})
