"""The domain model: principles catalogue and scenarios, as frozen dataclasses.

Everything here is immutable and plain: no parsing, no I/O. The loader builds these
objects; the game state, explorer and scoring read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

Outcome = Literal["great", "good", "mixed", "poor"]
OUTCOMES: tuple[Outcome, ...] = ("great", "good", "mixed", "poor")

EMPTY_EFFECTS: MappingProxyType[str, int] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Axis:
    """One of the distinctions the curriculum teaches."""

    id: str
    title: str
    summary: str


@dataclass(frozen=True, slots=True)
class Mode:
    """What an action *is* (networking, socializing, …), and on which axis it is read."""

    id: str
    title: str
    description: str
    axis: str
    misstep: bool = False
    """A misstep names a misconception: a choice may be one, but no moment calls for it."""


@dataclass(frozen=True, slots=True)
class Principle:
    """A principle from the sources that choices are scored against."""

    id: str
    axis: str
    title: str
    statement: str
    source: str
    quote: str


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The shared vocabulary: axes, modes and principles."""

    axes: MappingProxyType[str, Axis]
    modes: MappingProxyType[str, Mode]
    principles: MappingProxyType[str, Principle]
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """Something the player can do or say in a scene."""

    id: str
    text: str
    mode: str
    coach: str
    goto: str
    effects: MappingProxyType[str, int] = field(default_factory=lambda: EMPTY_EFFECTS)
    consequence: str = ""
    requires: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()
    sets: frozenset[str] = frozenset()
    clears: frozenset[str] = frozenset()

    @property
    def total(self) -> int:
        """The sum of this choice's principle effects."""
        return sum(self.effects.values())

    def offered(self, flags: frozenset[str]) -> bool:
        """Whether this choice is on offer when ``flags`` are set."""
        return self.requires <= flags and not (self.unless & flags)

    def apply(self, flags: frozenset[str]) -> frozenset[str]:
        """The flags after taking this choice."""
        if not self.sets and not self.clears:
            return flags
        return (flags - self.clears) | self.sets


@dataclass(frozen=True, slots=True)
class Scene:
    """A moment in the story with choices."""

    id: str
    text: str
    choices: tuple[Choice, ...]
    title: str = ""
    calls_for: str | None = None
    axis: str | None = None

    def choice(self, choice_id: str) -> Choice | None:
        """The choice with this id, if any."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        return None


@dataclass(frozen=True, slots=True)
class Ending:
    """A way the story can end."""

    id: str
    title: str
    text: str
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class GoldenTest:
    """A golden path: choices in order and the ending they must reach."""

    name: str
    choices: tuple[str, ...]
    ending: str


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole branching scenario."""

    id: str
    title: str
    summary: str
    setting: str
    teaches: tuple[str, ...]
    minutes: int
    start: str
    scenes: MappingProxyType[str, Scene]
    endings: MappingProxyType[str, Ending]
    tests: tuple[GoldenTest, ...] = ()
    attire: str = ""
    stakes: str = ""
    path: Path | None = None
    content_hash: str = ""
    principles_used: tuple[str, ...] = field(default=())

    def node_exists(self, node_id: str) -> bool:
        """Whether ``node_id`` names a scene or an ending."""
        return node_id in self.scenes or node_id in self.endings
