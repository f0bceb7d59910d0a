"""What a blind reviewer sees: scenario, scene and choice text, and a blank labels file.

Nothing that gives a score away is written: no scenario, scene or choice ids, no modes, no
effects, no coach notes, no consequences, no flags. Each choice carries its opaque key and a
number; choices within a scene are in key order (see :func:`~netquest.review.items.review_items`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from netquest.engine.text import paragraphs
from netquest.review.items import ReviewItem

LABEL_COLUMNS = ("key", "direction", "mode", "note", "choice")
"""The labels file's columns: the reviewer fills in direction, mode and (optionally) note;
``choice`` repeats the choice text so the file reads on its own."""

INSTRUCTIONS = """\
Read the three source articles first. Then, for every choice below, decide from the sources
alone (not from what you think a game would reward):

- **direction**: `good` if the sources recommend the move in this situation, `poor` if they
  reject or warn against it, `neutral` if they do neither (a missed chance, a polite boundary,
  a rest or a legitimate personal choice is `neutral`);
- **mode**: what kind of action the choice *is* (not what the setting is), one of the modes
  listed below.

Write your labels in the labels file, one row per key (`direction`, `mode`, and a short `note`
where you hesitated). Label every choice on its own; two choices may read alike.
"""


def render_markdown(items: Sequence[ReviewItem], modes: Sequence[tuple[str, str, str]]) -> str:
    """The review as one Markdown document."""
    lines = ["# netquest blind review", "", INSTRUCTIONS, "## Modes", ""]
    lines += [f"- `{mode}` ({title}): {gist}." for mode, title, gist in modes]
    lines.append("")
    scenario_number = scene_number = 0
    current_scenario = current_scene = None
    for number, item in enumerate(items, start=1):
        scenario, scene = item.scenario, item.scene
        if scenario is not current_scenario:
            current_scenario, current_scene = scenario, None
            scenario_number, scene_number = scenario_number + 1, 0
            lines += [f"## {scenario_number}. {_one_line(scenario.title)}", ""]
            lines += [f"**Setting:** {_one_line(scenario.setting)}", ""]
            if scenario.attire:
                lines += [f"**Attire:** {_one_line(scenario.attire)}", ""]
        if scene is not current_scene:
            current_scene = scene
            scene_number += 1
            heading = f" {_one_line(scene.title)}" if scene.title else ""
            lines += [f"### {scenario_number}.{scene_number}{heading}", ""]
            for paragraph in paragraphs(scene.text):
                lines += [f"> {paragraph}", ">"]
            lines[-1] = ""
        lines.append(f"- **{number}** `{item.key}`: {_one_line(item.choice.text)}")
        if _last_of_scene(items, number - 1):
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_jsonl(items: Sequence[ReviewItem]) -> str:
    """The review as JSON lines, one choice per line (for a reviewer that is a program)."""
    out = []
    for number, item in enumerate(items, start=1):
        scenario, scene = item.scenario, item.scene
        record = {
            "number": number,
            "key": item.key,
            "scenario": scenario.title,
            "setting": scenario.setting,
            "attire": scenario.attire,
            "scene_title": scene.title,
            "scene": "\n\n".join(paragraphs(scene.text)),
            "choice": item.choice.text,
        }
        out.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(out) + ("\n" if out else "")


def blank_labels(items: Sequence[ReviewItem]) -> str:
    """A labels file with one row per key and the direction and mode left blank (CSV)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LABEL_COLUMNS)
    for item in items:
        writer.writerow([item.key, "", "", "", _one_line(item.choice.text)])
    return buffer.getvalue()


def _last_of_scene(items: Sequence[ReviewItem], index: int) -> bool:
    return index + 1 == len(items) or items[index + 1].scene is not items[index].scene


def _one_line(text: str) -> str:
    return " ".join(text.split())
