"""``netquest studio FILE``: the authoring view in this terminal."""

from __future__ import annotations

import argparse
import importlib.util
import sys

from netquest.commands.common import CommandError


def run_studio_command(args: argparse.Namespace) -> int:
    """Check the file and the terminal, then run the studio."""
    path = args.file
    if path.is_dir():
        raise CommandError(f"{path}: is a folder; give the studio one scenario .toml file", 2)
    if not path.parent.is_dir():
        raise CommandError(f"{path}: its folder does not exist (check the path)", 2)
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise CommandError("the studio needs a terminal; try `netquest check FILE` in scripts")
    if importlib.util.find_spec("watchfiles") is None:
        print(
            "netquest: live reload needs watchfiles: pip install 'netquest[studio]' "
            "(ctrl+r reloads by hand)",
            file=sys.stderr,
        )
    from netquest.tui.studio.studio_app import run_studio

    run_studio(path)
    return 0
