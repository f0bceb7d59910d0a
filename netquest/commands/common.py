"""What every subcommand shares: the one-line error and the saves folder.

It lives below both ``netquest.cli`` and the command modules (and ``netquest.web``), so none of
them imports the command line back.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


class CommandError(Exception):
    """A problem to report as one line, with an exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def saves_dir(args: argparse.Namespace) -> Path:
    """The saves folder the user asked for, by the documented order."""
    from netquest.saves.paths import resolve_saves_dir

    return resolve_saves_dir(args.saves, os.environ)
