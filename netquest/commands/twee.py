"""``netquest import twee FILE`` and ``netquest export twee SCENARIO``: Twine interoperability."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from netquest.commands.common import CommandError
from netquest.commands.plain import find_entry
from netquest.engine.library import CATALOGUE_FILE, bundled_dir
from netquest.engine.loader import load_catalogue, scenario_from_bytes
from netquest.engine.model import Catalogue
from netquest.engine.twee import NothingToImport, import_twee, parse_twee, to_twee


def _catalogue(out: Path | None) -> Catalogue:
    """The catalogue the imported file will be checked against: beside it, else the bundled."""
    path = out.parent / CATALOGUE_FILE if out is not None else None
    if path is None or not path.is_file():
        path = bundled_dir() / CATALOGUE_FILE
    loaded = load_catalogue(path)
    if loaded.value is None:
        raise CommandError(f"{path}: the principles catalogue does not load (run netquest check)")
    return loaded.value


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"{out}: cannot write ({error.strerror or error})", 1) from None
    print(f"wrote {out}", file=sys.stderr)


def run_import(args: argparse.Namespace) -> int:
    """Twee to a scenario skeleton; warnings go to stderr. Exit 0, or 1 when unreadable."""
    path: Path = args.file
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"{path}: file not found (check the path)", 1) from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text (save it as UTF-8)", 1) from None
    except OSError as error:
        raise CommandError(f"{path}: cannot read ({error.strerror or error})", 1) from None
    story = parse_twee(text)
    if not story.passages:
        raise CommandError(f"{path}: no Twee passages (lines starting with '::') found", 1)
    catalogue = _catalogue(args.out)
    mode = next((m for m, info in catalogue.modes.items() if not info.misstep), "")
    try:
        toml, warnings = import_twee(story, mode, name=path.stem)
    except NothingToImport as error:
        raise CommandError(f"{path}: {error}", 1) from None
    for warning in sorted(warnings, key=lambda w: w.line):
        print(f"{path}:{warning.line}: warning: {warning.message}", file=sys.stderr)
    loaded = scenario_from_bytes(toml.encode("utf-8"), catalogue, str(args.out or "<output>"))
    for diagnostic in loaded.diagnostics:
        if diagnostic.is_error:  # pragma: no cover - the importer writes loadable files
            print(f"netquest: {diagnostic.format()}", file=sys.stderr)
    _write(toml, args.out)
    return 0


def run_export(args: argparse.Namespace) -> int:
    """A scenario as Twee 3."""
    entry = find_entry(args)
    _write(to_twee(entry.scenario), args.out)
    return 0
