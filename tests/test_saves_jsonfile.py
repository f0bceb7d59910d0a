"""Reading a save's JSON the fast way (orjson) gives exactly what the strict standard way gives.

``decode_json`` tries orjson first and falls back to the standard library for anything orjson
refuses, so the values, and every error and its wording, must be the same either way.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from json_strategies import json_values

from netquest.saves import jsonfile
from netquest.saves.errors import SaveFormatError


def standard(raw: bytes) -> tuple[str, Any]:
    """What the standard-library reading alone makes of ``raw``: a value or an error."""
    saved = jsonfile._fast_loads
    jsonfile._fast_loads = None  # type: ignore[assignment]
    try:
        return outcome(raw)
    finally:
        jsonfile._fast_loads = saved


def outcome(raw: bytes) -> tuple[str, Any]:
    try:
        return "value", jsonfile.decode_json(raw)
    except SaveFormatError as error:
        return "error", str(error)


def same(a: Any, b: Any) -> bool:
    """Equal, with types: 1 and 1.0 and True are different JSON."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def test_the_fast_reader_is_in_use() -> None:
    assert jsonfile._fast_loads is not None


@given(json_values, st.booleans(), st.sampled_from([None, 2]))
def test_any_json_reads_the_same_both_ways(
    value: Any, ascii_only: bool, indent: int | None
) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only, indent=indent).encode("utf-8", "surrogatepass")
    fast, slow = outcome(raw), standard(raw)
    assert fast[0] == slow[0]
    assert same(fast[1], slow[1])


@pytest.mark.parametrize(
    "raw",
    [
        b'\xef\xbb\xbf{"a": 1}',  # a BOM
        b'["\\ud800"]',  # a lone surrogate escape
        b"[123456789012345678901234567890]",  # beyond 64 bits
        b"[1e400]",  # out of range
        b"[NaN]",
        b"[Infinity]",
        b'{"a": 1,}',
        b'{"a": 1, "a": 2}',  # a repeated key: the last one wins
        b"[" * 3000 + b"]" * 3000,  # deeper than orjson goes
        b'["\xff"]',  # not UTF-8
        b"[1, 2",
        b'"\x01"',  # a raw control character
        b"  \n",
    ],
)
def test_edge_cases_read_the_same_both_ways(raw: bytes) -> None:
    fast, slow = outcome(raw), standard(raw)
    assert fast[0] == slow[0]
    assert same(fast[1], slow[1]) if fast[0] == "value" else fast[1] == slow[1]
