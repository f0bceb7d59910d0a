"""``netquest schema [--out FILE]``: the JSON Schema editors use to check and complete files."""

from __future__ import annotations

import argparse
import json
import sys

from netquest.commands.common import CommandError
from netquest.engine.json_schema import document


def run_schema(args: argparse.Namespace) -> int:
    """Write the schema to ``--out`` or stdout."""
    text = json.dumps(document(args.kind), indent=2, ensure_ascii=False) + "\n"
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"{args.out}: cannot write ({error.strerror or error})", 1) from None
    print(f"wrote {args.out}", file=sys.stderr)
    return 0
