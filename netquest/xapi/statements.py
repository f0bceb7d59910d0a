"""Build xAPI statements for a run: ``attempted``, ``answered`` per choice, ``completed``.

Pure functions over plain data: the live recorder and the export of old saves share them, so a
statement looks the same however it was made. Every statement of a run carries the run id as its
``context.registration``.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from netquest import __version__
from netquest.engine import Choice, Reading, Scenario, Scene, read_moment
from netquest.xapi.config import XapiSettings
from netquest.xapi.learner import learner_id
from netquest.xapi.vocab import (
    ACTIVITY_INTERACTION,
    ACTIVITY_SIMULATION,
    EXT_CALLS_FOR,
    EXT_CHOICE_MODE,
    EXT_DELTAS,
    EXT_ENDING,
    EXT_GROUP,
    EXT_MACHINE,
    EXT_OUTCOME,
    EXT_PATH,
    EXT_PLAY_MODE,
    EXT_PRINCIPLES,
    EXT_READINGS,
    EXT_RECONSTRUCTED,
    EXT_SCENARIO,
    EXT_SCORE,
    EXT_STEP,
    EXT_VOTE,
    NETQUEST_IRI,
    VERB_ANSWERED,
    VERB_ATTEMPTED,
    VERB_COMPLETED,
    VERB_DISPLAY,
)

Statement = dict[str, Any]

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, NETQUEST_IRI)
"""Namespace of the name-based UUIDs netquest derives (registrations, rebuilt statements)."""

PLATFORM = f"netquest {__version__}"

_EMAIL = re.compile(r"^[^@\s<>()\[\]\\,;:\"]+@[^@\s<>()\[\]\\,;:\"]+\.[^@\s<>()\[\]\\,;:\"]+$")


def actor(name: str, machine: str, settings: XapiSettings) -> Statement:
    """The statement actor for a profile: an ``account`` unless email ids were configured."""
    agent: Statement = {"objectType": "Agent"}
    clean = " ".join(name.split())
    if settings.identify_by == "email" and _EMAIL.match(clean):
        agent["mbox"] = f"mailto:{clean}"
    else:
        agent["account"] = {"homePage": settings.homepage, "name": learner_id(name, machine)}
    if settings.send_name and clean:
        agent["name"] = clean
    return agent


def registration_for(run_id: str) -> str:
    """The run's registration UUID: the run id itself when it is one (as netquest writes them)."""
    try:
        return str(uuid.UUID(run_id))
    except ValueError:
        return str(uuid.uuid5(NAMESPACE, f"run/{run_id}"))


def derived_id(registration: str, *parts: object) -> str:
    """A stable statement id for a rebuilt statement, so exporting twice gives the same ids."""
    return str(uuid.uuid5(NAMESPACE, "/".join([registration, *map(str, parts)])))


def iso_duration(seconds: float) -> str:
    """An ISO-8601 duration with centisecond precision, e.g. ``PT1H2M3.5S``."""
    if not math.isfinite(seconds) or seconds <= 0:
        return "PT0S"
    centis = round(seconds * 100)
    hours, centis = divmod(centis, 360_000)
    minutes, centis = divmod(centis, 6_000)
    whole, fraction = divmod(centis, 100)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if whole or fraction or text == "PT":
        text += f"{whole}.{fraction:02d}".rstrip("0").rstrip(".") + "S"
    return text


def _segment(text: str) -> str:
    return quote(text, safe="-_.~")


def _lang(settings: XapiSettings, text: str) -> dict[str, str] | None:
    text = text.strip()
    return {settings.language: text} if text else None


@dataclass(frozen=True, slots=True)
class RunContext:
    """What every statement of one run shares.

    Attributes:
        actor: The statement actor.
        registration: The run's registration UUID.
        scenario_id: The scenario played.
        play_mode: ``practice`` or ``assessment``.
        revision: The scenario's content hash when the run started.
        machine: The profile's machine id.
        settings: Statement settings.
        reconstructed: Whether statements are rebuilt from a save rather than recorded live.
        group: The group session's id, for a run the class played together.
    """

    actor: Mapping[str, Any]
    registration: str
    scenario_id: str
    play_mode: str
    revision: str
    machine: str
    settings: XapiSettings
    reconstructed: bool = False
    group: str | None = None

    @classmethod
    def for_run(
        cls,
        profile_name: str,
        machine: str,
        run_id: str,
        scenario_id: str,
        play_mode: str,
        revision: str,
        settings: XapiSettings,
        reconstructed: bool = False,
        group: str | None = None,
    ) -> RunContext:
        """The context of one run of one profile."""
        return cls(
            actor=actor(profile_name, machine, settings),
            registration=registration_for(run_id),
            scenario_id=scenario_id,
            play_mode=play_mode,
            revision=revision,
            machine=machine,
            settings=settings,
            reconstructed=reconstructed,
            group=group,
        )

    @property
    def scenario_iri(self) -> str:
        """The scenario's activity id."""
        return f"{self.settings.activity_base}/{_segment(self.scenario_id)}"

    def scene_iri(self, scene_id: str) -> str:
        """A scene's activity id (the interaction answered there)."""
        return f"{self.scenario_iri}/scenes/{_segment(scene_id)}"

    def context(self, *, parent: bool = False, step: int | None = None) -> Statement:
        """The statement ``context``."""
        extensions: Statement = {
            EXT_SCENARIO: self.scenario_id,
            EXT_PLAY_MODE: self.play_mode,
            EXT_MACHINE: self.machine,
        }
        if step is not None:
            extensions[EXT_STEP] = step
        if self.reconstructed:
            extensions[EXT_RECONSTRUCTED] = True
        if self.group is not None:
            extensions[EXT_GROUP] = self.group
        context: Statement = {
            "registration": self.registration,
            "platform": PLATFORM,
            "language": self.settings.language,
            "extensions": extensions,
        }
        if self.revision:
            context["revision"] = self.revision
        if parent:
            context["contextActivities"] = {
                "parent": [{"objectType": "Activity", "id": self.scenario_iri}]
            }
        return context

    def statement(
        self, verb: str, obj: Statement, *, timestamp: str, statement_id: str | None
    ) -> Statement:
        """The common frame of a statement."""
        return {
            "id": statement_id or str(uuid.uuid4()),
            "actor": dict(self.actor),
            "verb": {"id": verb, "display": {"en-US": VERB_DISPLAY[verb]}},
            "object": obj,
            "timestamp": timestamp,
        }


def scenario_activity(ctx: RunContext, scenario: Scenario | None) -> Statement:
    """The scenario as an activity of type simulation."""
    definition: Statement = {"type": ACTIVITY_SIMULATION}
    if scenario is not None:
        name = _lang(ctx.settings, scenario.title)
        description = _lang(ctx.settings, scenario.summary)
        if name:
            definition["name"] = name
        if description:
            definition["description"] = description
    return {"objectType": "Activity", "id": ctx.scenario_iri, "definition": definition}


def scene_activity(ctx: RunContext, scene_id: str, scene: Scene | None) -> Statement:
    """A scene as a ``cmi.interaction`` activity of interaction type ``choice``."""
    definition: Statement = {"type": ACTIVITY_INTERACTION, "interactionType": "choice"}
    if scene is not None:
        name = _lang(ctx.settings, scene.title or scene.id)
        description = _lang(ctx.settings, scene.text)
        if name:
            definition["name"] = name
        if description:
            definition["description"] = description
        choices = []
        for choice in scene.choices:
            component: Statement = {"id": choice.id}
            text = _lang(ctx.settings, choice.text)
            if text:
                component["description"] = text
            choices.append(component)
        if choices:
            definition["choices"] = choices
    return {"objectType": "Activity", "id": ctx.scene_iri(scene_id), "definition": definition}


def attempted(
    ctx: RunContext,
    scenario: Scenario | None,
    *,
    timestamp: str,
    statement_id: str | None = None,
) -> Statement:
    """The learner started the scenario."""
    statement = ctx.statement(
        VERB_ATTEMPTED,
        scenario_activity(ctx, scenario),
        timestamp=timestamp,
        statement_id=statement_id,
    )
    statement["context"] = ctx.context()
    return statement


def answered(
    ctx: RunContext,
    step: int,
    scene_id: str,
    choice_id: str,
    scene: Scene | None,
    *,
    timestamp: str,
    statement_id: str | None = None,
    vote: str | None = None,
) -> Statement:
    """The learner took a choice; ``step`` counts decisions from 1.

    ``result.success`` says whether the choice read the moment right (the called-for mode, losing
    no points), when the scene calls for one; the principle deltas are in a result extension.
    """
    choice: Choice | None = scene.choice(choice_id) if scene is not None else None
    result: Statement = {"response": choice_id}
    extensions: Statement = {}
    if choice is not None:
        extensions[EXT_DELTAS] = dict(choice.effects)
        extensions[EXT_CHOICE_MODE] = choice.mode
        if scene is not None and scene.calls_for is not None:
            extensions[EXT_CALLS_FOR] = scene.calls_for
            result["success"] = read_moment(scene.calls_for, choice) is Reading.RIGHT
    if vote is not None:
        extensions[EXT_VOTE] = vote
    if extensions:
        result["extensions"] = extensions
    statement = ctx.statement(
        VERB_ANSWERED,
        scene_activity(ctx, scene_id, scene),
        timestamp=timestamp,
        statement_id=statement_id,
    )
    statement["result"] = result
    statement["context"] = ctx.context(parent=True, step=step)
    return statement


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def scaled_score_of(result: Mapping[str, Any]) -> Statement:
    """The xAPI ``result.score`` of a stored run result (scaled, raw, min, max)."""
    score = _int(result.get("score"))
    total, best, worst = (_int(result.get(key)) for key in ("total", "best", "worst"))
    out: Statement = {}
    if total is not None and best is not None and worst is not None and worst <= total <= best:
        out["scaled"] = 1.0 if best == worst else round((total - worst) / (best - worst), 4)
        out.update(raw=total, min=worst, max=best)
    elif score is not None and 0 <= score <= 100:
        out["scaled"] = round(score / 100, 4)
    return out


def completed(
    ctx: RunContext,
    scenario: Scenario | None,
    result: Mapping[str, Any],
    seconds: float,
    *,
    timestamp: str,
    statement_id: str | None = None,
) -> Statement:
    """The learner reached an ending; ``result`` is the engine's stored run result.

    ``result.score`` has ``raw`` = the run's principle total and ``min``/``max`` = the worst
    and best totals the scenario allows, so ``scaled`` = where the run lies between them (0..1),
    the same measure as the 0-100 score the player saw (also given as an extension).
    """
    score = _int(result.get("score"))
    body: Statement = {"completion": True, "duration": iso_duration(seconds)}
    scaled = scaled_score_of(result)
    if scaled:
        body["score"] = scaled
    if score is not None:
        body["success"] = score >= ctx.settings.pass_score
    extensions: Statement = {}
    if score is not None:
        extensions[EXT_SCORE] = score
    for key, iri in (("outcome", EXT_OUTCOME), ("ending", EXT_ENDING)):
        value = result.get(key)
        if isinstance(value, str):
            extensions[iri] = value
    for key, iri in (
        ("principles", EXT_PRINCIPLES),
        ("readings", EXT_READINGS),
        ("path", EXT_PATH),
    ):
        value = result.get(key)
        if isinstance(value, dict | list):
            extensions[iri] = value
    if extensions:
        body["extensions"] = extensions
    statement = ctx.statement(
        VERB_COMPLETED,
        scenario_activity(ctx, scenario),
        timestamp=timestamp,
        statement_id=statement_id,
    )
    statement["result"] = body
    statement["context"] = ctx.context()
    return statement


def run_statements(
    ctx: RunContext,
    scenario: Scenario | None,
    path: Sequence[Sequence[str]],
    result: Mapping[str, Any] | None,
    seconds: float,
    *,
    started: str,
    updated: str,
    finished: str | None,
) -> list[Statement]:
    """Rebuild the statements of a saved run, with stable ids derived from its registration.

    Answers carry the run's last-saved time: a save does not keep the time of each choice.
    """
    reg = ctx.registration
    out = [attempted(ctx, scenario, timestamp=started, statement_id=derived_id(reg, "attempted"))]
    for step, pair in enumerate(path, start=1):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        scene_id, choice_id = str(pair[0]), str(pair[1])
        scene = scenario.scenes.get(scene_id) if scenario is not None else None
        out.append(
            answered(
                ctx,
                step,
                scene_id,
                choice_id,
                scene,
                timestamp=updated,
                statement_id=derived_id(reg, "answered", step),
            )
        )
    if finished is not None and result is not None:
        out.append(
            completed(
                ctx,
                scenario,
                result,
                seconds,
                timestamp=finished,
                statement_id=derived_id(reg, "completed"),
            )
        )
    return out
