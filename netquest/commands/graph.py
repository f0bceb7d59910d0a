"""``netquest graph SCENARIO``: the story graph as Mermaid or Graphviz DOT."""

from __future__ import annotations

import argparse
import json
import sys

from netquest.commands.plain import find_entry
from netquest.engine.model import Scenario
from netquest.engine.text import printable

_OUTCOME_STYLE = {"great": "#2e7d32", "good": "#558b2f", "mixed": "#f9a825", "poor": "#c62828"}


def _label(text: str, limit: int = 48) -> str:
    text = printable(" ".join(text.split()), one_line=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mermaid_id(node: str) -> str:
    """A Mermaid node id for a scene or ending id, never a Mermaid keyword (``end``, ``graph``…).

    Every id gets an ``n_`` prefix; ``_`` is written ``__`` and ``-`` ``_h``, so distinct ids
    stay distinct and only letters, digits and ``_`` remain.
    """
    return "n_" + node.replace("_", "__").replace("-", "_h")


def mermaid(scenario: Scenario) -> str:
    """A Mermaid flowchart: scenes as boxes, endings as rounded nodes, choices as edges."""

    def quote(text: str) -> str:
        return '"' + _label(text).replace('"', "#quot;") + '"'

    lines = ["flowchart TD"]
    for scene in scenario.scenes.values():
        lines.append(f"  {mermaid_id(scene.id)}[{quote(scene.title or scene.id)}]")
    for ending in scenario.endings.values():
        lines.append(f"  {mermaid_id(ending.id)}([{quote(ending.title + ' · ' + ending.outcome)}])")
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            points = f" ({choice.total:+d})" if choice.effects else ""
            lines.append(
                f"  {mermaid_id(scene.id)} -->|{quote(choice.id + points)}| "
                f"{mermaid_id(choice.goto)}"
            )
    for ending in scenario.endings.values():
        lines.append(
            f"  style {mermaid_id(ending.id)} "
            f"stroke:{_OUTCOME_STYLE[ending.outcome]},stroke-width:3px"
        )
    return "\n".join(lines) + "\n"


def dot(scenario: Scenario) -> str:
    """A Graphviz digraph of the same."""

    def quote(text: str) -> str:
        return json.dumps(_label(text), ensure_ascii=False)

    lines = [f"digraph {json.dumps(scenario.id)} {{", "  rankdir=TB;", "  node [shape=box];"]
    for scene in scenario.scenes.values():
        lines.append(f"  {json.dumps(scene.id)} [label={quote(scene.title or scene.id)}];")
    for ending in scenario.endings.values():
        lines.append(
            f"  {json.dumps(ending.id)} [label={quote(ending.title)}, shape=ellipse, "
            f"color={json.dumps(_OUTCOME_STYLE[ending.outcome])}, penwidth=3];"
        )
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            points = f" ({choice.total:+d})" if choice.effects else ""
            lines.append(
                f"  {json.dumps(scene.id)} -> {json.dumps(choice.goto)} "
                f"[label={quote(choice.id + points)}];"
            )
    lines.append("}")
    return "\n".join(lines) + "\n"


def run_graph(args: argparse.Namespace) -> int:
    """Print the graph."""
    entry = find_entry(args)
    render = dot if args.format == "dot" else mermaid
    sys.stdout.write(render(entry.scenario))
    return 0
