"""docs/guarantees.md: every test the check section names exists (a promise without a test is
not a promise)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEADING = "## What check promises on any input"


def check_section() -> str:
    text = (REPO / "docs" / "guarantees.md").read_text(encoding="utf-8")
    start = text.index(HEADING)
    following = text.find("\n## ", start + len(HEADING))
    return text[start : following if following >= 0 else len(text)]


def named_tests(section: str) -> list[tuple[str, str]]:
    """(file, test) for every `file::test` and every `::test` that follows one."""
    found, current = [], ""
    for file, test in re.findall(r"`((?:tests/\S+\.py)?)::(test_\w+)`", section):
        current = file or current
        found.append((current, test))
    return found


def test_every_named_test_exists() -> None:
    named = named_tests(check_section())
    assert len(named) >= 20
    for file, test in named:
        tree = ast.parse((REPO / file).read_text(encoding="utf-8"))
        names = {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        assert test in names, f"{file}::{test} is named in docs/guarantees.md but does not exist"
