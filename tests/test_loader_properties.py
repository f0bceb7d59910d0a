"""Property tests: the loader answers every input with a scenario or diagnostics, never a crash.

Inputs come from three sources: arbitrary bytes; TOML documents written by a tiny emitter
from generated data (shaped like a scenario, or not at all); and the valid fixture scenario
mutated line by line. A tiny emitter (not ``tomli_w``, which is not installed) also records
where it wrote each key, so the position index can be checked against the truth.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netquest.engine.checker import check_entry
from netquest.engine.diagnostics import CODES, Diagnostic
from netquest.engine.library import Entry
from netquest.engine.loader import (
    CHOICE_KEYS,
    ENDING_KEYS,
    SCENARIO_KEYS,
    SCENE_KEYS,
    TEST_KEYS,
    TOP_KEYS,
    Loaded,
    catalogue_from_source,
    load_catalogue,
    load_scenario,
    scenario_from_bytes,
)
from netquest.engine.model import Catalogue, Scenario
from netquest.engine.positions import PositionIndex
from netquest.engine.toml_source import parse

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
MIXER_TEXT = (MINI / "mixer.toml").read_text(encoding="utf-8")
MIXER = tomli.loads(MIXER_TEXT)
_catalogue = load_catalogue(MINI / "principles.toml").value
assert _catalogue is not None
CATALOGUE: Catalogue = _catalogue


# -- the invariants ------------------------------------------------------------------------------


def assert_diagnostic_ok(diagnostic: Diagnostic, lines: int) -> None:
    assert diagnostic.code in CODES
    assert diagnostic.severity is CODES[diagnostic.code].severity
    assert 1 <= diagnostic.line <= lines + 1
    assert diagnostic.column >= 1
    text = diagnostic.format()
    assert "\n" not in text and "\r" not in text
    assert text.startswith(f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: ")
    assert f" {diagnostic.code}: " in text


def assert_loaded_ok(loaded: Loaded[Scenario], raw: bytes) -> None:
    assert isinstance(loaded, Loaded)
    lines = raw.count(b"\n") + 1
    for diagnostic in loaded.diagnostics:
        assert_diagnostic_ok(diagnostic, lines)
    if loaded.value is None:
        assert any(d.is_error for d in loaded.diagnostics), "no value and no error to say why"
        return
    assert not any(d.is_error for d in loaded.diagnostics)
    # A scenario the loader accepts can be explored and checked without crashing.
    _analysis, found = check_entry(Entry(loaded.value, CATALOGUE, loaded.source), max_states=5000)
    for diagnostic in found:
        assert_diagnostic_ok(diagnostic, lines)


def load(raw: bytes) -> Loaded[Scenario]:
    loaded = scenario_from_bytes(raw, CATALOGUE, "doc.toml")
    assert_loaded_ok(loaded, raw)
    return loaded


# -- a tiny TOML emitter that remembers where every key went -----------------------------------

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _string(key)


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _join(base: str, key: str) -> str:
    return f"{base}.{key}" if base else key


class Emitter:
    """Writes data as TOML; ``where`` maps each key path to the offset where it starts."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.where: dict[str, int] = {}

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def mark(self, path: str) -> None:
        self.where.setdefault(path, self.size)

    def value(self, value: Any, path: str) -> None:
        if isinstance(value, bool):
            self.write("true" if value else "false")
        elif isinstance(value, int):
            self.write(str(value))
        elif isinstance(value, float):
            self.write(
                "inf" if value == math.inf else "-inf" if value == -math.inf else repr(value)
            )
        elif isinstance(value, str):
            self.write(_string(value))
        elif isinstance(value, list):
            self.write("[")
            for index, item in enumerate(value):
                if index:
                    self.write(", ")
                self.mark(f"{path}[{index}]")
                self.value(item, f"{path}[{index}]")
            self.write("]")
        else:
            self.write("{")
            for index, (key, item) in enumerate(value.items()):
                self.write(", " if index else " ")
                self.pair(key, item, path)
            self.write(" }" if value else "}")

    def pair(self, key: str, value: Any, base: str) -> None:
        self.mark(_join(base, key))
        self.write(f"{_key(key)} = ")
        self.value(value, _join(base, key))

    def table(self, data: dict[str, Any], path: str, header: str, in_array: bool) -> None:
        """Emit a table body: plain values first, then sub-tables and arrays of tables."""
        tables = {k: v for k, v in data.items() if isinstance(v, dict)}
        arrays = {
            k: v
            for k, v in data.items()
            if not in_array and isinstance(v, list) and v and all(isinstance(i, dict) for i in v)
        }
        for key, value in data.items():
            if key not in tables and key not in arrays:
                self.pair(key, value, path)
                self.write("\n")
        for key, value in tables.items():
            sub_path, sub_header = _join(path, key), _join(header, _key(key))
            self.write("\n")
            self.mark(sub_path)
            self.write(f"[{sub_header}]\n")
            self.table(value, sub_path, sub_header, in_array)
        for key, items in arrays.items():
            sub_header = _join(header, _key(key))
            for index, item in enumerate(items):
                sub_path = f"{_join(path, key)}[{index}]"
                self.write("\n")
                self.mark(sub_path)
                self.write(f"[[{sub_header}]]\n")
                self.table(item, sub_path, sub_header, True)

    @classmethod
    def document(cls, data: dict[str, Any]) -> tuple[str, dict[str, int]]:
        emitter = cls()
        emitter.table(data, "", "", False)
        return "".join(emitter.parts), emitter.where


# -- strategies ------------------------------------------------------------------------------------

REAL_KEYS = sorted(
    TOP_KEYS
    | SCENARIO_KEYS
    | SCENE_KEYS
    | CHOICE_KEYS
    | ENDING_KEYS
    | TEST_KEYS
    # ids from the mini fixture, so generated goto/start/effects sometimes hit real names
    | {"door", "bar", "follow", "coffee", "quiet", "focus", "give", "rapport", "networking"}
)
"""The format's own keys (from the loader) plus names the fixture uses."""
keys = st.one_of(
    st.sampled_from(REAL_KEYS),
    st.text(
        st.characters(exclude_characters=".[]", exclude_categories=["Cs"]), min_size=1, max_size=8
    ),
)
scalars = st.one_of(
    st.text(max_size=20),
    st.sampled_from(REAL_KEYS),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-5, max_value=5),
    st.booleans(),
    st.floats(allow_nan=False),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=12,
)
documents = st.dictionaries(keys, values, max_size=6)


def _paths(data: Any, base: str = "") -> list[str]:
    """Every key path and array index in ``data`` (where a mutation can land)."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            path = _join(base, key)
            found.append(path)
            found.extend(_paths(value, path))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            path = f"{base}[{index}]"
            found.append(path)
            found.extend(_paths(value, path))
    return found


def _mutate(data: Any, path: str, new: Any, delete: bool) -> Any:
    """A copy of ``data`` with ``path`` replaced by ``new`` (or removed)."""
    parts = re.findall(r"\[(\d+)\]|([^.\[\]]+)", path)
    copy = json.loads(json.dumps(data))
    node = copy
    for index, (number, key) in enumerate(parts):
        last = index == len(parts) - 1
        slot: int | str = int(number) if number else key
        if last:
            if delete:
                del node[slot]
            else:
                node[slot] = new
        else:
            node = node[slot]
    return copy


@st.composite
def scenario_shaped(draw: st.DrawFn) -> dict[str, Any]:
    """The fixture scenario with a few keys replaced by other values or removed."""
    data: dict[str, Any] = json.loads(json.dumps(MIXER))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        data = _mutate(data, path, draw(values), draw(st.booleans()))
    return data


@st.composite
def mutated_lines(draw: st.DrawFn) -> str:
    """The fixture scenario's text with lines deleted, duplicated, swapped or retyped."""
    lines = MIXER_TEXT.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "retype", "insert"]))
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "retype" and "=" in lines[index]:
            key = lines[index].split("=", 1)[0]
            new = draw(st.sampled_from(['"text"', "7", "-9", "true", "1.5", "[]", "{}", '["a"]']))
            lines[index] = f"{key}= {new}\n"
        else:
            lines.insert(index, draw(st.text(max_size=30)) + "\n")
    return "".join(lines)


# -- properties -------------------------------------------------------------------------------


@given(st.binary(max_size=600))
def test_any_bytes(raw: bytes) -> None:
    load(raw)


@given(st.binary(max_size=200))
def test_any_bytes_after_a_valid_prefix(tail: bytes) -> None:
    load(MIXER_TEXT.encode() + tail)


@given(st.text(max_size=400))
def test_any_text(text: str) -> None:
    load(text.encode("utf-8", "surrogatepass"))


@given(documents)
def test_any_toml_document(data: dict[str, Any]) -> None:
    text, _ = Emitter.document(data)
    assert tomli.loads(text) == data  # the emitter writes what it was given
    load(text.encode())


@given(scenario_shaped())
def test_scenario_shaped_documents(data: dict[str, Any]) -> None:
    text, _ = Emitter.document(data)
    assert tomli.loads(text) == data
    load(text.encode())


@given(mutated_lines())
def test_mutated_fixture(text: str) -> None:
    load(text.encode())


@given(st.one_of(documents, scenario_shaped()))
def test_any_catalogue_document(data: dict[str, Any]) -> None:
    raw = Emitter.document(data)[0].encode()
    source, problem = parse(raw, "principles.toml")
    assert source is not None and problem is None
    loaded = catalogue_from_source(source)
    lines = raw.count(b"\n") + 1
    for diagnostic in loaded.diagnostics:
        assert_diagnostic_ok(diagnostic, lines)
    assert (loaded.value is None) == any(d.is_error for d in loaded.diagnostics)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(st.binary(max_size=300), mutated_lines().map(str.encode)))
def test_load_scenario_from_a_file(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "doc.toml"
    path.write_bytes(raw)
    loaded = load_scenario(path, CATALOGUE)
    assert_loaded_ok(loaded, raw)
    assert all(d.file == str(path) for d in loaded.diagnostics)


def test_the_fixture_itself_loads_clean() -> None:
    loaded = load(MIXER_TEXT.encode())
    assert loaded.ok and loaded.diagnostics == ()


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"a = " + b"[" * 5000,
        b"a = " + b"{ b = " * 3000,
        b"[" * 5000,
        b'a = "\\e[1m"\n',
        b"format = 1\n" * 2,
        b"\x00",
    ],
)
def test_nasty_inputs(raw: bytes) -> None:
    load(raw)


# -- the position index ------------------------------------------------------------------------


@given(st.text(max_size=400), st.lists(st.sampled_from(REAL_KEYS), max_size=4))
def test_position_index_never_raises(text: str, parts: list[str]) -> None:
    index = PositionIndex(text)
    line, column = index.find(".".join(parts))
    assert 1 <= line <= text.count("\n") + 1 and column >= 1
    assert index.statement(len(text)) >= (1, 1)


@given(st.one_of(documents, scenario_shaped()))
def test_position_index_finds_every_key_the_emitter_wrote(data: dict[str, Any]) -> None:
    text, where = Emitter.document(data)
    index = PositionIndex(text)
    for path, offset in where.items():
        before = text[:offset]
        expected = (before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)
        assert index.exact(path) == expected, path


def test_position_index_on_deep_nesting_and_odd_text() -> None:
    for text in ["a = " + "[" * 10000, '"\\e" = 1', "[[a]]\n[[a.b]]\n[a.b.c]\n", "= = =", "\r\n"]:
        PositionIndex(text).find("a.b")
