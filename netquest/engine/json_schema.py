"""JSON Schemas of the file formats, generated from the loader's own key tables.

Editors (taplo, Even Better TOML, any TOML language server) use them to complete keys and flag
typos as an author types. The set of keys of every table comes from the loader's constants
(``SCENARIO_KEYS``, ``CHOICE_KEYS`` …): :func:`_table` refuses a key the loader does not read
or a loader key it has no type for, so the schema cannot drift from what ``netquest check``
accepts. Each format is one entry in :data:`FORMATS`; a new file format adds its builder there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from netquest.engine import loader
from netquest.engine.model import OUTCOMES
from netquest.engine.schema import FLAG_PATTERN, ID_PATTERN

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://netquest.invalid/schema/netquest.schema.json"

Json = dict[str, Any]


class SchemaDrift(RuntimeError):
    """The loader reads a key the schema does not describe, or the reverse."""


def _string(description: str) -> Json:
    return {"type": "string", "minLength": 1, "description": description}


def _id(description: str) -> Json:
    return {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$", "description": description}


def _flags(description: str) -> Json:
    return {
        "type": "array",
        "items": {"type": "string", "pattern": f"^{FLAG_PATTERN.pattern}$"},
        "uniqueItems": True,
        "description": description,
    }


def _table(
    name: str, keys: frozenset[str], types: Mapping[str, Json], required: tuple[str, ...]
) -> Json:
    """An object schema for one table of the format; its keys must be exactly ``keys``."""
    missing, extra = keys - types.keys(), types.keys() - keys
    if missing or extra or not set(required) <= keys:
        raise SchemaDrift(
            f"schema for {name} is out of step with the loader: "
            f"no type for {sorted(missing)}, not read by the loader {sorted(extra)}, "
            f"required but unknown {sorted(set(required) - keys)}"
        )
    return {
        "type": "object",
        "properties": {key: types[key] for key in sorted(keys)},
        "required": list(required),
        "additionalProperties": False,
    }


def _keyed(item: Json, description: str) -> Json:
    """A table of ``[name.<id>]`` sub-tables."""
    return {
        "type": "object",
        "propertyNames": {"pattern": f"^{ID_PATTERN.pattern}$"},
        "additionalProperties": item,
        "description": description,
    }


def _format_version() -> Json:
    return {
        "const": loader.FORMAT_VERSION,
        "description": f"The file format version: {loader.FORMAT_VERSION}.",
    }


def scenario_schema() -> Json:
    """The scenario file format (``scenarios/<id>.toml``)."""
    low, high = loader.EFFECT_RANGE
    shortest, longest = loader.MINUTES_RANGE
    header = _table(
        "[scenario]",
        loader.SCENARIO_KEYS,
        {
            "id": _id("The scenario id, unique in the curriculum."),
            "title": _string("The title shown in the picker."),
            "summary": _string("One or two sentences shown in the picker."),
            "setting": _string("Where and when the story happens."),
            "attire": {"type": "string", "description": "What people wear there (optional)."},
            "stakes": {"type": "string", "description": "What is at stake (optional)."},
            "teaches": {
                "type": "array",
                "items": {"type": "string"},
                "description": "The axes (distinctions) this scenario teaches.",
            },
            "minutes": {
                "type": "integer",
                "minimum": shortest,
                "maximum": longest,
                "description": "About how long a run takes.",
            },
            "start": _id("The id of the first scene."),
        },
        ("id", "title", "summary", "setting", "teaches", "minutes", "start"),
    )
    choice = _table(
        "[[scenes.<id>.choices]]",
        loader.CHOICE_KEYS,
        {
            "id": _id("The choice id, unique in its scene."),
            "text": _string("What the player does or says."),
            "mode": _string("What the action is: a mode id from principles.toml."),
            "effects": {
                "type": "object",
                "additionalProperties": {"type": "integer", "minimum": low, "maximum": high},
                "description": f"principle_id = points ({low}..{high}); {{}} for none.",
            },
            "consequence": {"type": "string", "description": "What happens next (optional)."},
            "coach": _string("The coach's note: which principle, and why."),
            "goto": _id("The next scene or ending."),
            "requires": _flags("Offered only when all these flags are set."),
            "unless": _flags("Hidden when any of these flags is set."),
            "sets": _flags("Flags this choice sets."),
            "clears": _flags("Flags this choice clears."),
        },
        ("id", "text", "mode", "effects", "coach", "goto"),
    )
    scene = _table(
        "[scenes.<id>]",
        loader.SCENE_KEYS,
        {
            "title": {"type": "string", "description": "A short title (optional)."},
            "text": _string("What the player reads."),
            "calls_for": _string("The mode this moment calls for (optional)."),
            "axis": _string("The axis the moment is read on (optional)."),
            "choices": {"type": "array", "items": choice, "minItems": 1},
        },
        ("text", "choices"),
    )
    ending = _table(
        "[endings.<id>]",
        loader.ENDING_KEYS,
        {
            "title": _string("The ending's title."),
            "text": _string("What the player reads at the end."),
            "outcome": {"enum": list(OUTCOMES), "description": "How well it went."},
        },
        ("title", "text", "outcome"),
    )
    test = _table(
        "[[tests]]",
        loader.TEST_KEYS,
        {
            "name": _string("What this golden path shows."),
            "choices": {"type": "array", "items": {"type": "string"}},
            "ending": _id("The ending the path must reach."),
        },
        ("name", "choices", "ending"),
    )
    document = _table(
        "scenario file",
        loader.TOP_KEYS,
        {
            "format": _format_version(),
            "scenario": header,
            "scenes": _keyed(scene, "The scenes, one [scenes.<id>] table each."),
            "endings": _keyed(ending, "The endings, one [endings.<id>] table each."),
            "tests": {"type": "array", "items": test, "description": "Golden paths."},
        },
        ("format", "scenario", "scenes", "endings"),
    )
    return {"title": "netquest scenario", **document}


def principles_schema() -> Json:
    """The catalogue format (``principles.toml``)."""
    axis = _table(
        "[axes.<id>]",
        loader.AXIS_KEYS,
        {"title": _string("The axis's title."), "summary": _string("What it distinguishes.")},
        ("title", "summary"),
    )
    mode = _table(
        "[modes.<id>]",
        loader.MODE_KEYS,
        {
            "title": _string("The mode's title."),
            "description": _string("What an action of this mode is."),
            "axis": _id("The axis it is read on."),
            "misstep": {"type": "boolean", "description": "A misconception: never called for."},
        },
        ("title", "description", "axis"),
    )
    principle = _table(
        "[principles.<id>]",
        loader.PRINCIPLE_KEYS,
        {
            "axis": _id("The axis it belongs to."),
            "title": _string("The principle's title."),
            "statement": _string("The principle in one sentence."),
            "source": _string("Which source document it comes from."),
            "quote": _string("The words of the source."),
        },
        ("axis", "title", "statement", "source", "quote"),
    )
    document = _table(
        "principles file",
        loader.CATALOGUE_TOP_KEYS,
        {
            "format": _format_version(),
            "axes": _keyed(axis, "The distinctions taught."),
            "modes": _keyed(mode, "What actions can be."),
            "principles": _keyed(principle, "What choices are scored against."),
        },
        ("format", "axes", "modes", "principles"),
    )
    return {"title": "netquest principles catalogue", **document}


#: Every file format, by name: the builder of its schema.
FORMATS: dict[str, Callable[[], Json]] = {
    "scenario": scenario_schema,
    "principles": principles_schema,
}


def document(kind: str = "all") -> Json:
    """One format's schema, or (``all``) a schema that accepts any netquest file."""
    if kind != "all":
        return {"$schema": SCHEMA_DRAFT, **FORMATS[kind]()}
    return {
        "$schema": SCHEMA_DRAFT,
        "$id": SCHEMA_ID,
        "title": "netquest files",
        "description": "Generated by `netquest schema` from the loader's key tables.",
        "$defs": {name: build() for name, build in FORMATS.items()},
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in FORMATS],
    }
