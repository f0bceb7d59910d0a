"""Twine interoperability: Twee 3 source to a netquest scenario skeleton, and back.

Import (:func:`parse_twee` then :func:`to_toml`): passages become scenes, their links choices,
passages without links endings. What has no netquest equivalent (macros, variables, story-format
code, special passages) is reported as a :class:`TweeWarning` with its line and kept in the TOML
as a comment. Choices get placeholder scoring (``effects = {}``, a ``TODO`` coach note, which
``netquest check`` names as NQ050) for the author to fill in.

Export (:func:`to_twee`): one passage per scene and ending; each passage's Twee 3 metadata holds
what Twine cannot show (choice ids, modes, effects, coach notes, flags, outcomes) and its tags a
readable summary, so importing the file again restores the scenario.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from netquest.engine.model import OUTCOMES, Choice, Scenario

#: The coach note an imported choice gets until the author writes one (NQ050 finds it).
PLACEHOLDER_COACH = "TODO: say which principle this choice shows and why."
PLACEHOLDER_OUTCOME = "mixed"
META_KEY = "netquest"

_HEADER = re.compile(r"^::(?!:)\s*(.*)$")
_LINK = re.compile(r"\[\[(.*?)\]\](\[[^\]]*\])?")
_MACRO = re.compile(r"<<.*?>>", re.DOTALL)
_HARLOWE = re.compile(r"\((?:set|if|else-if|else|put|link|goto|display|print|unless|either)\s*:")
_VARIABLE = re.compile(r"(?<![\w$])\$[A-Za-z_][\w.]*")
_CHAPBOOK_MODIFIER = re.compile(r"^\[(?:if|else|unless|cont'?d?|continue|after|note|align)\b")
_CHAPBOOK_INSERT = re.compile(r"\{[a-z][a-z ]*(?::[^}]*)?\}")
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|www\.)", re.IGNORECASE)
_SPECIAL_TAGS = frozenset(("script", "stylesheet", "widget", "twee2", "Twine.image", "annotation"))
_SPECIAL_NAMES = frozenset(
    (
        "StoryTitle",
        "StoryData",
        "StoryInit",
        "StoryCaption",
        "StoryBanner",
        "StoryMenu",
        "StoryInterface",
        "StoryIncludes",
        "StoryAuthor",
        "StorySubtitle",
        "StoryShare",
        "StorySettings",
        "StoryScript",
        "StoryStylesheet",
        "PassageReady",
        "PassageDone",
        "PassageHeader",
        "PassageFooter",
    )
)


class NothingToImport(ValueError):
    """The story has no passage with a link to another: nothing becomes a scene."""


@dataclass(frozen=True, slots=True)
class TweeWarning:
    """Something of the Twee source that has no netquest equivalent."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Link:
    """A ``[[…]]`` link: what the reader sees and the passage it goes to."""

    text: str
    target: str
    line: int


@dataclass(frozen=True)
class Passage:
    """One ``:: Name [tags] {metadata}`` passage."""

    name: str
    tags: tuple[str, ...]
    metadata: dict[str, Any]
    text: str
    line: int
    """The line of the ``::`` header."""


@dataclass(frozen=True)
class TweeStory:
    """A parsed Twee file."""

    title: str
    data: dict[str, Any]
    passages: tuple[Passage, ...]
    warnings: tuple[TweeWarning, ...] = field(default=())

    def passage(self, name: str) -> Passage | None:
        """The passage called ``name``."""
        return next((p for p in self.passages if p.name == name), None)


# -- parsing -----------------------------------------------------------------------------------


def _split_header(rest: str) -> tuple[str, tuple[str, ...], dict[str, Any], str]:
    """Name, tags, metadata and a problem (``""``) from what follows ``::``."""
    rest = rest.rstrip()
    metadata: dict[str, Any] = {}
    problem = ""
    if rest.endswith("}") and "{" in rest:
        start = _unescaped_index(rest, "{")
        if start >= 0:
            try:
                loaded = json.loads(rest[start:])
                metadata = loaded if isinstance(loaded, dict) else {}
            except ValueError:
                problem = "passage metadata is not valid JSON; ignored"
            rest = rest[:start].rstrip()
    tags: tuple[str, ...] = ()
    if rest.endswith("]") and "[" in rest:
        start = _unescaped_index(rest, "[")
        if start >= 0:
            tags = tuple(rest[start + 1 : -1].split())
            rest = rest[:start].rstrip()
    name = re.sub(r"\\(.)", r"\1", rest.strip())
    return name, tags, metadata, problem


def _unescaped_index(text: str, char: str) -> int:
    for index, found in enumerate(text):
        if found == char and (index == 0 or text[index - 1] != "\\"):
            return index
    return -1


def parse_twee(text: str) -> TweeStory:
    """Parse Twee 3 (and the ``::Name`` spelling of Twee 2); never raises."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    warnings: list[TweeWarning] = []
    raw: list[tuple[int, str, list[str]]] = []
    for number, line in enumerate(lines, 1):
        match = _HEADER.match(line)
        if match:
            raw.append((number, match.group(1), []))
        elif raw:
            raw[-1][2].append(line)
    passages: list[Passage] = []
    title, data = "", {}
    for number, header, body in raw:
        name, tags, metadata, problem = _split_header(header)
        if problem:
            warnings.append(TweeWarning(number, problem))
        content = "\n".join(body).strip("\n")
        if name == "StoryTitle":
            title = content.strip()
            continue
        if name == "StoryData":
            try:
                loaded = json.loads(content or "{}")
                data = loaded if isinstance(loaded, dict) else {}
            except ValueError:
                warnings.append(TweeWarning(number, "StoryData is not valid JSON; ignored"))
            continue
        passages.append(Passage(name, tags, metadata, content, number))
    return TweeStory(title, data, tuple(passages), tuple(warnings))


def links(passage: Passage) -> list[Link]:
    """The passage's links to other passages, in order (external URLs excluded)."""
    found = []
    for offset, line in enumerate(passage.text.split("\n")):
        for match in _LINK.finditer(line):
            parsed = parse_link(match.group(1))
            if parsed is not None and not _EXTERNAL.match(parsed[1]):
                found.append(Link(parsed[0], parsed[1], passage.line + 1 + offset))
    return found


def parse_link(inner: str) -> tuple[str, str] | None:
    """``(text, target)`` of the inside of a ``[[…]]`` link, in any of the four forms."""
    if "|" in inner:
        text, target = inner.rsplit("|", 1)
    elif "->" in inner:
        text, target = inner.rsplit("->", 1)
    elif "<-" in inner:
        target, text = inner.split("<-", 1)
    else:
        text = target = inner
    text, target = text.strip(), target.strip()
    if not target:
        return None
    return text or target, target


# -- import ------------------------------------------------------------------------------------


def slug(name: str) -> str:
    """A netquest id (``[a-z0-9_-]+``) for a passage name or link text."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9_-]+", "_", folded.lower()).strip("_-")
    return value[:48].rstrip("_-") or "passage"


def _unique(base: str, taken: set[str]) -> str:
    value, number = base, 2
    while value in taken:
        value = f"{base}_{number}"
        number += 1
    taken.add(value)
    return value


@dataclass
class _Node:
    id: str
    passage: Passage
    text: str
    comments: list[str]
    choices: list[dict[str, Any]] = field(default_factory=list)


def _special(passage: Passage) -> bool:
    return passage.name in _SPECIAL_NAMES or bool(_SPECIAL_TAGS & set(passage.tags))


def _clean_text(passage: Passage, warnings: list[TweeWarning]) -> tuple[str, list[str]]:
    """The readable text of a passage, and comments for what was taken out of it."""
    comments: list[str] = []
    body = passage.text
    lines = body.split("\n")
    # Chapbook: a vars section (``name: value`` lines) ends at a line of ``--``.
    if "--" in (line.strip() for line in lines):
        cut = next(i for i, line in enumerate(lines) if line.strip() == "--")
        if all(":" in line for line in lines[:cut] if line.strip()):
            for offset, line in enumerate(lines[:cut]):
                if line.strip():
                    _note(passage, offset, f"Chapbook variable: {line.strip()}", warnings, comments)
            lines = [""] * (cut + 1) + lines[cut + 1 :]
    kept: list[str] = []
    for offset, line in enumerate(lines):
        if line.startswith("\\::"):
            line = line[1:]  # an escaped passage header inside the text
        stripped = line.strip()
        if _CHAPBOOK_MODIFIER.match(stripped):
            _note(passage, offset, f"Chapbook modifier {stripped}", warnings, comments)
            continue
        for pattern, what in (
            (_SCRIPT, "script"),
            (_MACRO, "macro"),
            (_HARLOWE, "Harlowe macro"),
            (_CHAPBOOK_INSERT, "Chapbook insert"),
        ):
            for match in pattern.finditer(line):
                _note(passage, offset, f"{what} {match.group()}", warnings, comments)
            if what != "Harlowe macro":
                line = pattern.sub("", line)
        for match in _VARIABLE.finditer(line):
            _note(passage, offset, f"variable {match.group()}", warnings, comments)
        for match in _LINK.finditer(line):
            if match.group(2):
                _note(passage, offset, f"link setter {match.group(2)}", warnings, comments)
            parsed = parse_link(match.group(1))
            if parsed and _EXTERNAL.match(parsed[1]):
                _note(passage, offset, f"external link to {parsed[1]}", warnings, comments)
        kept.append(_LINK.sub(lambda m: (parse_link(m.group(1)) or ("", ""))[0], line).rstrip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return text, comments


def _note(
    passage: Passage, offset: int, what: str, warnings: list[TweeWarning], comments: list[str]
) -> None:
    line = passage.line + 1 + offset
    what = " ".join(what.split())
    if len(what) > 100:
        what = what[:99] + "…"
    warnings.append(
        TweeWarning(line, f"passage '{passage.name}': {what} has no netquest equivalent")
    )
    comments.append(f"twee line {line}: {what}")


def _meta(passage: Passage) -> dict[str, Any]:
    value = passage.metadata.get(META_KEY)
    return value if isinstance(value, dict) else {}


def import_twee(
    story: TweeStory, mode: str, name: str = "imported"
) -> tuple[str, list[TweeWarning]]:
    """The scenario TOML for a parsed story, and every warning (parse and conversion)."""
    warnings = list(story.warnings)
    story_meta = story.data.get(META_KEY) if isinstance(story.data.get(META_KEY), dict) else {}
    header: dict[str, Any] = dict(story_meta.get("scenario", {})) if story_meta else {}
    playable: list[Passage] = []
    for passage in story.passages:
        if _special(passage):
            warnings.append(
                TweeWarning(
                    passage.line,
                    f"special passage '{passage.name}' ({' '.join(passage.tags) or 'story format'})"
                    " has no netquest equivalent; skipped",
                )
            )
        else:
            playable.append(passage)
    taken: set[str] = set()
    ids = {p.name: _unique(p.name if _is_id(p.name) else slug(p.name), taken) for p in playable}
    by_name = {p.name: p for p in playable}
    nodes: list[_Node] = []
    for passage in playable:
        text, comments = _clean_text(passage, warnings)
        node = _Node(ids[passage.name], passage, text, comments)
        seen: set[tuple[str, str]] = set()
        choice_meta = list(_meta(passage).get("choices", []))
        choice_ids: set[str] = set()
        for link in links(passage):
            if link.target not in by_name:
                message = f"passage '{passage.name}': link to missing passage '{link.target}'"
                warnings.append(TweeWarning(link.line, message + "; dropped"))
                node.comments.append(f"twee line {link.line}: link [[{link.text}]] dropped")
                continue
            saved = next(
                (
                    m
                    for m in choice_meta
                    if isinstance(m, dict)
                    and m.get("link") == link.text
                    and m.get("goto") == link.target
                ),
                None,
            )
            if saved is not None:
                choice_meta.remove(saved)
            elif (link.text, link.target) in seen:
                continue  # the same link twice (e.g. in both branches of an if): one choice
            seen.add((link.text, link.target))
            node.choices.append(_choice(link, saved, ids, choice_ids, mode))
        nodes.append(node)
    scenes = [n for n in nodes if n.choices]
    endings = [n for n in nodes if not n.choices]
    start_name = str(header.pop("start", "") or story.data.get("start", "") or "")
    if start_name not in ids:
        start_name = next(
            (p.name for p in playable if p.name == "Start"), playable[0].name if playable else ""
        )
    if not scenes:
        raise NothingToImport(
            "no passage links to another passage with [[…]]: the story navigates with "
            "macros or code, which netquest cannot read"
        )
    start = ids.get(start_name, "")
    if start not in {n.id for n in scenes}:
        line = by_name[start_name].line if start_name in by_name else 1
        start = scenes[0].id
        warnings.append(
            TweeWarning(
                line,
                f"the start passage '{start_name}' has no links; the story starts at "
                f"'{scenes[0].passage.name}' instead",
            )
        )
    title = story.title or name
    scenario = {
        "id": slug(title).replace("-", "_"),
        "title": title,
        "summary": f"Imported from the Twine story {title!r}: write a one-line summary.",
        "setting": "TODO: where and when this happens.",
        "teaches": [],
        "minutes": max(1, min(240, len(scenes) // 2 or 1)),
        **{k: v for k, v in header.items() if k in _HEADER_KEYS},
        "start": start,
    }
    tests = story_meta.get("tests") if story_meta else None
    if not isinstance(tests, list):
        tests = _golden(scenes, endings, start)
    return _render(scenario, scenes, endings, tests, warnings), warnings


_HEADER_KEYS = ("id", "title", "summary", "setting", "attire", "stakes", "teaches", "minutes")


def _is_id(name: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9_-]+", name))


def _choice(
    link: Link,
    saved: dict[str, Any] | None,
    ids: dict[str, str],
    taken: set[str],
    mode: str,
) -> dict[str, Any]:
    saved = saved or {}
    wanted = str(saved.get("id") or slug(link.text))
    choice: dict[str, Any] = {
        "id": _unique(wanted if _is_id(wanted) else slug(wanted), taken),
        "text": str(saved.get("text") or link.text),
        "mode": str(saved.get("mode") or mode),
        "effects": saved.get("effects") if isinstance(saved.get("effects"), dict) else {},
        "coach": str(saved.get("coach") or PLACEHOLDER_COACH),
        "goto": ids[link.target],
    }
    for key in ("consequence", "requires", "unless", "sets", "clears"):
        if saved.get(key):
            choice[key] = saved[key]
    return choice


def _golden(scenes: list[_Node], endings: list[_Node], start: str) -> list[dict[str, Any]]:
    """The shortest path from the start to any ending, as one golden path."""
    by_id = {n.id: n for n in scenes}
    ending_ids = {n.id for n in endings}
    queue: deque[tuple[str, list[str]]] = deque([(start, [])])
    seen = {start}
    while queue:
        node, path = queue.popleft()
        if node in ending_ids:
            return [
                {"name": "imported: shortest path to an ending", "choices": path, "ending": node}
            ]
        for choice in by_id[node].choices if node in by_id else []:
            if choice["goto"] not in seen:
                seen.add(choice["goto"])
                queue.append((choice["goto"], [*path, choice["id"]]))
    return []


# -- TOML writing ------------------------------------------------------------------------------


def toml_string(value: str) -> str:
    """A TOML string for ``value``: literal multi-line when that is safe, else basic."""
    if (
        "\n" in value
        and "'''" not in value
        and not value.endswith("'")
        and not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", value)
    ):
        return "'''\n" + value + "'''"
    text = json.dumps(value, ensure_ascii=False)
    return re.sub(r"[\x7f\u2028\u2029]", lambda m: f"\\u{ord(m.group()):04x}", text)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
            if value
            else "{}"
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return toml_string(str(value))


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _comment(text: str) -> str:
    return "# " + re.sub(r"[\x00-\x1f\x7f]", " ", text)


def _render(
    scenario: dict[str, Any],
    scenes: list[_Node],
    endings: list[_Node],
    tests: list[dict[str, Any]],
    warnings: list[TweeWarning],
) -> str:
    out = [
        "# Imported from Twine by `netquest import twee`. Still to do: every choice's mode,",
        "# effects and coach note (placeholders; `netquest check` lists them as NQ050), each",
        "# ending's outcome, the summary, setting and teaches. See docs/authoring.md.",
        "format = 1",
        "",
        "[scenario]",
    ]
    out += [f"{key} = {_value(value)}" for key, value in scenario.items()]
    for node in scenes:
        out += ["", *map(_comment, node.comments), f"[scenes.{node.id}]"]
        meta = _meta(node.passage)
        out.append(f"title = {toml_string(str(meta.get('title') or node.passage.name))}")
        out.append(f"text = {toml_string(node.text or node.passage.name)}")
        for key in ("calls_for", "axis"):
            if meta.get(key):
                out.append(f"{key} = {toml_string(str(meta[key]))}")
        for choice in node.choices:
            out += ["", f"[[scenes.{node.id}.choices]]"]
            out += [f"{key} = {_value(value)}" for key, value in choice.items()]
    for node in endings:
        meta = _meta(node.passage)
        outcome = str(
            meta.get("outcome") or next((t for t in node.passage.tags if t in OUTCOMES), "")
        )
        out += ["", *map(_comment, node.comments), f"[endings.{node.id}]"]
        out.append(f"title = {toml_string(str(meta.get('title') or node.passage.name))}")
        out.append(f"text = {toml_string(node.text or node.passage.name)}")
        if outcome in OUTCOMES:
            out.append(f"outcome = {toml_string(outcome)}")
        else:
            out.append(
                f"outcome = {toml_string(PLACEHOLDER_OUTCOME)}  # TODO: great, good, mixed or poor"
            )
    for test in tests:
        out += ["", "[[tests]]"]
        out += [f"{key} = {_value(test.get(key))}" for key in ("name", "choices", "ending")]
    return "\n".join(out) + "\n"


# -- export ------------------------------------------------------------------------------------


def _link_text(text: str) -> str:
    """Link text Twee can carry: no ``]]``, ``|``, ``->``, ``<-`` or line breaks."""
    cleaned = " ".join(text.replace("]", ")").replace("[", "(").replace("|", "/").split())
    cleaned = cleaned.replace("->", "→").replace("<-", "←")
    return cleaned or "continue"


def _choice_meta(choice: Choice, link: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": choice.id,
        "link": link,
        "goto": choice.goto,
        "text": choice.text,
        "mode": choice.mode,
        "effects": dict(choice.effects),
        "coach": choice.coach,
    }
    if choice.consequence:
        data["consequence"] = choice.consequence
    for key in ("requires", "unless", "sets", "clears"):
        flags = getattr(choice, key)
        if flags:
            data[key] = sorted(flags)
    return data


def _header(name: str, tags: Iterable[str], metadata: dict[str, Any]) -> str:
    tag_list = " ".join(tags)
    return (
        f":: {name}"
        + (f" [{tag_list}]" if tag_list else "")
        + " "
        + json.dumps(metadata, ensure_ascii=False, separators=(",", ":"))
    )


def _passage_text(text: str) -> str:
    """Scene text that cannot be read back as a passage header or a link."""
    lines = [("\\" + line if line.startswith("::") else line) for line in text.split("\n")]
    return "\n".join(lines).replace("[[", "[ [").replace("]]", "] ]")


def to_twee(scenario: Scenario, ifid: str = "") -> str:
    """The scenario as Twee 3, with everything Twine cannot show kept in passage metadata."""
    data = {
        "ifid": ifid or _ifid(scenario),
        "format": "Harlowe",
        "format-version": "3.3.9",
        "start": scenario.start,
        META_KEY: {
            "scenario": {
                "id": scenario.id,
                "title": scenario.title,
                "summary": scenario.summary,
                "setting": scenario.setting,
                "attire": scenario.attire,
                "stakes": scenario.stakes,
                "teaches": list(scenario.teaches),
                "minutes": scenario.minutes,
                "start": scenario.start,
            },
            "tests": [
                {"name": t.name, "choices": list(t.choices), "ending": t.ending}
                for t in scenario.tests
            ],
        },
    }
    out = [":: StoryTitle", scenario.title, "", ":: StoryData"]
    out += [json.dumps(data, indent=2, ensure_ascii=False), ""]
    positions = _layout(scenario)
    for scene in scenario.scenes.values():
        linked = [(choice, _link_text(choice.text)) for choice in scene.choices]
        metadata: dict[str, Any] = {"position": positions.get(scene.id, "0,0")}
        metadata[META_KEY] = {
            "title": scene.title,
            "calls_for": scene.calls_for,
            "axis": scene.axis,
            "choices": [_choice_meta(choice, link) for choice, link in linked],
        }
        tags = ["scene", *([f"calls-for:{scene.calls_for}"] if scene.calls_for else [])]
        out += [_header(scene.id, tags, metadata), _passage_text(scene.text), ""]
        for choice, link in linked:
            out.append(f"[[{link}->{choice.goto}]]" if link != choice.goto else f"[[{link}]]")
        out.append("")
    for ending in scenario.endings.values():
        metadata = {
            "position": positions.get(ending.id, "0,0"),
            META_KEY: {"title": ending.title, "outcome": ending.outcome},
        }
        out += [
            _header(ending.id, ["ending", ending.outcome], metadata),
            _passage_text(ending.text),
        ]
        out.append("")
    return "\n".join(out)


def _ifid(scenario: Scenario) -> str:
    import hashlib

    digest = hashlib.sha256(scenario.id.encode()).hexdigest().upper()
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"


def _layout(scenario: Scenario) -> dict[str, str]:
    """Twine map positions: one row per distance from the start."""
    depth = {scenario.start: 0}
    queue = deque([scenario.start])
    while queue:
        node = queue.popleft()
        scene = scenario.scenes.get(node)
        for choice in scene.choices if scene else ():
            if choice.goto not in depth:
                depth[choice.goto] = depth[node] + 1
                queue.append(choice.goto)
    rows: dict[int, int] = {}
    positions = {}
    last = max(depth.values(), default=0) + 1
    for node in [*scenario.scenes, *scenario.endings]:
        row = depth.get(node, last)
        column = rows.get(row, 0)
        rows[row] = column + 1
        positions[node] = f"{100 + 150 * column},{100 + 150 * row}"
    return positions
