"""``netquest review export`` and ``netquest review compare``: the blind fidelity review.

``export`` writes every choice as a reviewer may see it (scenario, scene and choice text, an
opaque key) and a blank labels file; ``compare`` reads one or more reviewers' labels and prints
how far they agree with the game. The protocol is in docs/fidelity.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from netquest.commands.common import CommandError
from netquest.engine import Library, load_library
from netquest.review.compare import LabelError, compare, read_labels, render_json, render_text
from netquest.review.export import blank_labels, render_jsonl, render_markdown
from netquest.review.items import mode_glossary, review_items


def run_review(args: argparse.Namespace) -> int:
    """Dispatch to the review subcommand."""
    if args.review_command == "export":
        return run_export(args)
    if args.review_command == "compare":
        return run_compare(args)
    raise CommandError("say what to do: `netquest review export` or `netquest review compare`")


def _library(args: argparse.Namespace) -> Library:
    """The bundled curriculum and --scenarios folders, or only the --only files and folders."""
    only: list[Path] = list(args.only or ())
    if only:
        folders = [path for path in only if path.is_dir()]
        files = [path for path in only if not path.is_dir()]
        library = load_library(
            folders=[*folders, *args.scenarios], files=files, include_bundled=False
        )
    else:
        library = load_library(folders=list(args.scenarios))
    for missing in library.unavailable:
        print(
            f"netquest: warning: left out of the review: {missing.error.format()}",
            file=sys.stderr,
        )
    if not library.entries:
        raise CommandError("no scenarios to review (check the paths given)", 1)
    return library


def run_export(args: argparse.Namespace) -> int:
    """Write the review and, next to it (or where --labels says), the blank labels file."""
    library = _library(args)
    items = review_items(library)
    out: Path | None = args.out
    fmt: str = args.format or ("jsonl" if out is not None and out.suffix == ".jsonl" else "md")
    text = render_jsonl(items) if fmt == "jsonl" else render_markdown(items, mode_glossary(library))
    labels: Path | None = args.labels
    if labels is None and out is not None:
        labels = out.with_name(out.stem + ".labels.csv")
    for path in (out, labels):
        if path is not None and path.exists() and not args.force:
            raise CommandError(f"{path} already exists (use --force to overwrite it)")
    try:
        if out is None:
            sys.stdout.write(text)
        else:
            out.write_text(text, encoding="utf-8")
        if labels is not None:
            labels.write_text(blank_labels(items), encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write the review: {error.strerror or error}", 1) from None
    where = [str(path) for path in (out, labels) if path is not None]
    if where:
        print(
            f"netquest: wrote {len(items)} choices to {' and '.join(where)}",
            file=sys.stderr,
        )
    return 0


def run_compare(args: argparse.Namespace) -> int:
    """Compare labels files with the game and print the figures and every disagreement."""
    library = _library(args)
    items = review_items(library)
    modes = {mode for mode, _, _ in mode_glossary(library)}
    paths: list[Path] = args.labels
    try:
        reviewers = [read_labels(path, modes) for path in paths]
    except LabelError as error:
        raise CommandError(str(error), 1) from None
    names = [reviewer.name for reviewer in reviewers]
    if len(set(names)) != len(names):  # same file name in two folders: use the paths
        reviewers = [
            type(reviewer)(str(path), reviewer.labels)
            for reviewer, path in zip(reviewers, paths, strict=True)
        ]
    comparison = compare(items, reviewers)
    sys.stdout.write(render_json(comparison) if args.format == "json" else render_text(comparison))
    return 0
