"""Every choice of a library, keyed opaquely, with the game's own reading of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from netquest.engine import Catalogue, Choice, Library, Scenario, Scene

KEY_LENGTH = 8
"""Hex digits of a key: enough to keep a thousand choices apart, short enough to type."""


class Direction(StrEnum):
    """Which way a choice points: what a reviewer labels, and what the game's net says."""

    GOOD = "good"
    POOR = "poor"
    NEUTRAL = "neutral"


def direction_of(net: int) -> Direction:
    """The game's direction for a net: above 0 good, below 0 poor, 0 neutral."""
    if net > 0:
        return Direction.GOOD
    if net < 0:
        return Direction.POOR
    return Direction.NEUTRAL


def choice_key(scenario_id: str, scene_id: str, choice_id: str) -> str:
    """An opaque, stable key for a choice: it names no id, so it gives no score away."""
    digest = hashlib.sha256(f"{scenario_id}\x1f{scene_id}\x1f{choice_id}".encode()).hexdigest()
    return "k" + digest[:KEY_LENGTH]


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One choice as the review sees it.

    Only ``key``, the scenario's title, setting and attire, the scene's title and text and the
    choice's text are ever shown to a reviewer; the rest is the game's side of the comparison.
    """

    key: str
    scenario: Scenario
    scene: Scene
    choice: Choice

    @property
    def net(self) -> int:
        """The sum of the choice's effects."""
        return self.choice.total

    @property
    def direction(self) -> Direction:
        """The game's direction for this choice."""
        return direction_of(self.net)


def review_items(library: Library) -> list[ReviewItem]:
    """Every choice of every scenario, scenario by scenario and scene by scene in file order.

    Within a scene, choices are ordered by key, not as the file lists them, so a reviewer cannot
    read anything into their position.
    """
    items: list[ReviewItem] = []
    seen: dict[str, ReviewItem] = {}
    for entry in library.entries:
        scenario = entry.scenario
        for scene in scenario.scenes.values():
            in_scene = []
            for choice in scene.choices:
                key = choice_key(scenario.id, scene.id, choice.id)
                if key in seen:  # pragma: no cover - 32 bits over a few hundred choices
                    raise ValueError(f"review key {key} is shared by two choices")
                item = ReviewItem(key, scenario, scene, choice)
                seen[key] = item
                in_scene.append(item)
            items += sorted(in_scene, key=lambda item: item.key)
    return items


def mode_glossary(library: Library) -> list[tuple[str, str, str]]:
    """(id, title, gist) of every mode a reviewer may label, from the libraries' catalogues.

    The gist is the first clause of the mode's description (up to its first colon or full stop):
    what the action is, without the catalogue's view on how it scores.
    """
    catalogues: list[Catalogue] = []
    for entry in library.entries:
        if all(entry.catalogue is not seen for seen in catalogues):
            catalogues.append(entry.catalogue)
    found: dict[str, tuple[str, str, str]] = {}
    for catalogue in catalogues:
        for mode in catalogue.modes.values():
            if mode.id not in found:
                found[mode.id] = (mode.id, mode.title, _gist(mode.description))
    return list(found.values())


def _gist(description: str) -> str:
    text = " ".join(description.split())
    cut = min((i for i in (text.find(":"), text.find(".")) if i >= 0), default=len(text))
    return text[:cut].strip()
