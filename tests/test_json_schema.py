"""`netquest schema`: generated from the loader's tables, accepts the curriculum, rejects errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli

from netquest.cli import main
from netquest.engine import json_schema, load_catalogue, loader, scenario_from_bytes
from netquest.engine.json_schema import SchemaDrift, document

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "scenarios").glob("*.toml"))
MINI = ROOT / "tests" / "fixtures" / "mini"


def validator(kind: str = "all") -> jsonschema.Draft202012Validator:
    schema = document(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def read(path: Path) -> dict[str, Any]:
    return tomli.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_file_is_valid(path: Path) -> None:
    errors = [error.message for error in validator().iter_errors(read(path))]
    assert errors == []


def test_mini_fixture_is_valid_for_its_own_kind() -> None:
    assert not list(validator("scenario").iter_errors(read(MINI / "mixer.toml")))
    assert not list(validator("principles").iter_errors(read(MINI / "principles.toml")))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["scenes"]["door"]["choices"][0].update(goto_="bar"), "goto_"),
        (lambda d: d["scenes"]["door"]["choices"][0]["effects"].update(focus=5), "5"),
        (lambda d: d["endings"]["coffee"].update(outcome="splendid"), "splendid"),
        (lambda d: d["scenario"].pop("start"), "start"),
        (lambda d: d["scenario"].update(minutes="ten"), "ten"),
        (lambda d: d["scenes"]["door"]["choices"][0].update(sets=["bad flag!"]), "bad flag!"),
        (lambda d: d.update(format=2), "1 was expected"),
    ],
    ids=["key typo", "effect range", "outcome", "missing start", "minutes type", "flag", "format"],
)
def test_a_broken_file_fails(change: Any, expected: str) -> None:
    data = read(MINI / "mixer.toml")
    change(data)
    messages = [e.message for e in validator("scenario").iter_errors(data)]
    assert messages and any(expected in message for message in messages)
    assert not validator().is_valid(data)


def test_the_loader_agrees_with_the_required_keys() -> None:
    """Dropping a key the schema requires is an error for the loader; an optional one is not."""
    catalogue = load_catalogue(MINI / "principles.toml").value
    assert catalogue is not None
    choice_schema = document("scenario")["properties"]["scenes"]["additionalProperties"][
        "properties"
    ]["choices"]["items"]
    for key in sorted(loader.CHOICE_KEYS):
        data = read(MINI / "mixer.toml")
        data["scenes"]["door"]["choices"][0].pop(key, None)
        raw = _toml(data).encode()
        loaded = scenario_from_bytes(raw, catalogue)
        assert loaded.ok is (key not in choice_schema["required"]), key


def test_a_key_the_loader_reads_but_the_schema_lacks_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(loader, "ENDING_KEYS", loader.ENDING_KEYS | {"music"})
    with pytest.raises(SchemaDrift, match="music"):
        json_schema.scenario_schema()


def test_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "netquest.schema.json"
    assert main(["schema", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == document()


def _toml(data: dict[str, Any]) -> str:
    """Just enough TOML writing for the mixer fixture (JSON values are valid TOML values)."""
    lines = [f"format = {data['format']}", "[scenario]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in data["scenario"].items()]
    for scene_id, scene in data["scenes"].items():
        lines.append(f"[scenes.{scene_id}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in scene.items() if k != "choices"]
        for choice in scene["choices"]:
            lines.append(f"[[scenes.{scene_id}.choices]]")
            for k, v in choice.items():
                value = (
                    "{" + ", ".join(f"{p} = {n}" for p, n in v.items()) + "}"
                    if k == "effects"
                    else json.dumps(v)
                )
                lines.append(f"{k} = {value}")
    for ending_id, ending in data["endings"].items():
        lines.append(f"[endings.{ending_id}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in ending.items()]
    for test in data.get("tests", []):
        lines.append("[[tests]]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in test.items()]
    return "\n".join(lines) + "\n"
