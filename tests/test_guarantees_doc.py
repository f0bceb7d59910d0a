"""Every test that docs/guarantees.md names as proof exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_named_proof_exists() -> None:
    text = (ROOT / "docs" / "guarantees.md").read_text("utf-8")
    named = set(re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", text))
    assert len(named) >= 20
    for path, name in sorted(named):
        tree = ast.parse((ROOT / path).read_text("utf-8"))
        defined = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        assert name in defined, f"{path}::{name} is named in docs/guarantees.md but not defined"
