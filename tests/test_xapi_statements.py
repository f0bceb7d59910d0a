"""Every xAPI statement the game emits is valid against Ralph's xAPI models, and says what
the issue asks: attempted, answered per choice, completed with a scaled score."""

from __future__ import annotations

import json
import random
import re
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement
from ralph.models.xapi.base.unnested_objects import BaseXapiActivityInteractionDefinition
from ralph.models.xapi.concepts.verbs.adl_vocabulary import AnsweredVerb
from ralph.models.xapi.concepts.verbs.scorm_profile import CompletedVerb
from report_fixtures import MINI, Cohort, best, cohort, copy_cohort, no_lrs, play

from netquest.cli import main
from netquest.engine import load_library
from netquest.saves import Profile, SaveStore, read_profile
from netquest.xapi import learner_id
from netquest.xapi.config import XapiSettings, load_config
from netquest.xapi.journal import read_statements
from netquest.xapi.statements import actor, iso_duration
from netquest.xapi.vocab import (
    ACTIVITY_INTERACTION,
    ACTIVITY_SIMULATION,
    EXT_CALLS_FOR,
    EXT_CHOICE_MODE,
    EXT_DELTAS,
    EXT_PATH,
    EXT_PRINCIPLES,
    EXT_RECONSTRUCTED,
    EXT_SCORE,
    EXT_STEP,
    VERB_ANSWERED,
    VERB_ATTEMPTED,
    VERB_COMPLETED,
)

Statement = dict[str, Any]


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory) -> Cohort:
    return cohort(tmp_path_factory)


@pytest.fixture(autouse=True)
def _no_lrs(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NETQUEST_LRS_ENDPOINT", "NETQUEST_LRS_KEY", "NETQUEST_LRS_SECRET"):
        monkeypatch.delenv(name, raising=False)


def journals(folder: Path) -> dict[Path, list[Statement]]:
    found = {}
    for path in sorted(folder.glob("*.xapi.jsonl")):
        statements, bad = read_statements(path)
        assert bad == 0
        found[path] = statements
    return found


def validate(statement: Statement) -> BaseXapiStatement:
    model = BaseXapiStatement.model_validate(statement)
    verb = statement["verb"]["id"]
    if verb == VERB_ANSWERED:
        AnsweredVerb.model_validate(statement["verb"])
        definition = BaseXapiActivityInteractionDefinition.model_validate(
            statement["object"]["definition"]
        )
        assert definition.interactionType == "choice"
        assert str(definition.type) == ACTIVITY_INTERACTION
    elif verb == VERB_COMPLETED:
        CompletedVerb.model_validate(statement["verb"])
    return model


def test_every_statement_of_the_cohort_is_valid_xapi(group: Cohort) -> None:
    found = journals(group.folder)
    assert len(found) == 24  # one per profile that played (Xavi never did), the copy included
    count = 0
    for statements in found.values():
        for statement in statements:
            validate(statement)
            count += 1
    assert count > 200


def test_each_run_has_attempted_answers_and_completed(group: Cohort) -> None:
    for path, statements in journals(group.folder).items():
        save = path.with_name(path.name.removesuffix(".xapi.jsonl") + ".json")
        profile = read_profile(save)
        by_run: dict[str, list[Statement]] = {}
        for statement in statements:
            by_run.setdefault(statement["context"]["registration"], []).append(statement)
        assert len(by_run) == len(profile.runs)
        for record in profile.runs:
            got = by_run[str(uuid.UUID(record.id))]
            verbs = [s["verb"]["id"] for s in got]
            steps = len(record.state["history"])
            finished = record.result is not None
            assert verbs == [VERB_ATTEMPTED] + [VERB_ANSWERED] * steps + (
                [VERB_COMPLETED] if finished else []
            )
            account = got[0]["actor"]["account"]
            assert account["name"] == learner_id(profile.name, profile.machine)
            assert "mbox" not in got[0]["actor"]
            assert got[0]["object"]["definition"]["type"] == ACTIVITY_SIMULATION
            answers = got[1 : 1 + steps]
            history = record.state["history"]
            for number, (answer, (scene, choice)) in enumerate(
                zip(answers, history, strict=True), 1
            ):
                assert answer["result"]["response"] == choice
                assert answer["object"]["id"].endswith(f"/scenes/{scene}")
                assert answer["context"]["extensions"][EXT_STEP] == number
                assert isinstance(answer["result"]["extensions"][EXT_DELTAS], dict)
            if finished:
                check_completed(got[-1], record.result, record.seconds)


def check_completed(statement: Statement, result: Any, seconds: float) -> None:
    body = statement["result"]
    score = body["score"]
    assert 0 <= score["scaled"] <= 1
    assert score["min"] == result["worst"] and score["max"] == result["best"]
    assert score["raw"] == result["total"]
    if result["best"] > result["worst"]:
        expected = (result["total"] - result["worst"]) / (result["best"] - result["worst"])
        assert score["scaled"] == pytest.approx(expected, abs=1e-4)
    assert body["completion"] is True
    assert body["success"] is (result["score"] >= 60)
    model = BaseXapiStatement.model_validate(statement)
    assert model.result is not None and model.result.duration is not None
    assert model.result.duration.total_seconds() == pytest.approx(seconds, abs=0.006)
    extensions = body["extensions"]
    assert extensions[EXT_SCORE] == result["score"]
    assert extensions[EXT_PRINCIPLES] == result["principles"]
    assert extensions[EXT_PATH] == result["path"]


def test_answered_carries_the_scene_choices_and_principle_deltas(tmp_path: Path) -> None:
    entry = load_library(folders=[MINI], include_bundled=False).get("mixer")
    assert entry is not None
    store = SaveStore(tmp_path)
    with no_lrs():
        play(entry, Profile.new("Mo"), store, "practice", best, random.Random(3))
    (journal,) = tmp_path.glob("*.xapi.jsonl")
    statements, _ = read_statements(journal)
    door = statements[1]
    definition = door["object"]["definition"]
    assert [c["id"] for c in definition["choices"]] == ["introduce", "ask_job"]
    assert definition["name"] == {"en": "At the door"}
    assert door["result"] == {
        "response": "introduce",
        "success": True,
        "extensions": {
            EXT_DELTAS: {"focus": 2, "rapport": 1},
            EXT_CHOICE_MODE: "networking",
            EXT_CALLS_FOR: "networking",
        },
    }
    parent = door["context"]["contextActivities"]["parent"][0]["id"]
    assert parent == statements[0]["object"]["id"]


def test_actor_is_opaque_unless_email_is_configured() -> None:
    default = actor("ada@corp.example", "m1", XapiSettings())
    assert set(default) == {"objectType", "account", "name"}
    assert default["account"]["homePage"] == "https://netquest.invalid"
    assert "@" not in default["account"]["name"]
    email = actor("ada@corp.example", "m1", XapiSettings(identify_by="email", send_name=False))
    assert email == {"objectType": "Agent", "mbox": "mailto:ada@corp.example"}
    not_an_email = actor("Ada L.", "m1", XapiSettings(identify_by="email"))
    assert "account" in not_an_email and "mbox" not in not_an_email
    assert (
        actor("Ada", "m1", XapiSettings())["account"]["name"]
        != actor("Ada", "m2", XapiSettings())["account"]["name"]
    )


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "PT0S"), (5.5, "PT5.5S"), (60, "PT1M"), (3725.25, "PT1H2M5.25S"), (0.004, "PT0S")],
)
def test_durations_are_iso_8601(seconds: float, text: str) -> None:
    assert iso_duration(seconds) == text


def export(capsys: pytest.CaptureFixture[str], folder: Path, *options: str) -> list[Statement]:
    status = main(["report", str(folder), "--scenarios", str(MINI), "--format", "xapi", *options])
    out, _ = capsys.readouterr()
    assert status == 0
    return [json.loads(line) for line in out.splitlines()]


def test_export_gives_recorded_statements_and_rebuilds_missing_ones(
    group: Cohort, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_cohort(group, tmp_path / "saves")
    recorded = sum(len(s) for s in journals(folder).values())
    exported = export(capsys, folder)
    assert len(exported) == recorded
    assert len({s["id"] for s in exported}) == recorded
    # Lose one learner's journal: their runs are rebuilt from the save, the same way twice.
    maya = next(folder.glob("maya-*.xapi.jsonl"))
    lost = len(read_statements(maya)[0])
    maya.unlink()
    first = export(capsys, folder)
    again = export(capsys, folder)
    assert [s["id"] for s in first] == [s["id"] for s in again]
    rebuilt = [s for s in first if s["context"]["extensions"].get(EXT_RECONSTRUCTED)]
    assert len(rebuilt) == lost and len(first) == recorded
    for statement in first:
        validate(statement)
    only_mixer = export(capsys, folder, "--scenario", "mixer")
    assert only_mixer and all(
        s["object"]["id"].split("/scenarios/")[1].startswith("mixer") for s in only_mixer
    )
    shutil.rmtree(folder)


DOCS = Path(__file__).resolve().parent.parent / "docs" / "reports.md"


def test_the_documented_example_statement_and_config_are_valid(tmp_path: Path) -> None:
    text = DOCS.read_text("utf-8")
    (example,) = re.findall(r"```json\n(.*?)```", text, re.S)
    statement = json.loads(example)
    validate(statement)
    assert statement["verb"]["id"] == VERB_COMPLETED
    (config_text,) = [b for b in re.findall(r"```toml\n(.*?)```", text, re.S) if "[lrs]" in b]
    (tmp_path / "netquest-lrs.toml").write_text(config_text, "utf-8")
    (tmp_path / "netquest-lrs.toml").chmod(0o600)  # as the page says: it holds a secret
    config = load_config(tmp_path, {})
    assert config.problems == ()
    assert config.lrs is not None and config.lrs.batch_size == 50
    assert config.settings.homepage == "https://learn.example.com"
