"""The longest scene and the longest coach note of each bundled scenario, and how to reach them.

Computed from the scenarios as loaded, so the small-terminal tests follow the content when it
changes. "Longest" is measured in characters of what the screen shows: a scene's title, text
and choices; a coach panel's chosen text, consequence and coach note.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from netquest.engine import Choice, Game, Library, Scenario, Scene, load_library
from netquest.saves import Profile, RunRecord, SaveStore, Settings

CREATED = "2025-03-01T09:00:00.000Z"


@dataclass(frozen=True)
class Target:
    """A place in a bundled scenario to show: a scene, and a choice to take there (or none)."""

    scenario_id: str
    path: tuple[str, ...]
    """Choice ids from the start scene to the scene."""
    scene_id: str
    choice_id: str | None = None
    """The choice whose coach panel to show."""

    @property
    def name(self) -> str:
        """``scenario:scene`` or ``scenario:scene:choice`` (a test id)."""
        return ":".join(part for part in (self.scenario_id, self.scene_id, self.choice_id) if part)


@cache
def bundled() -> Library:
    """The bundled curriculum, loaded once."""
    return load_library([], include_bundled=True)


def scene_length(scene: Scene) -> int:
    """Characters a scene puts on screen."""
    return len(scene.title) + len(scene.text) + sum(len(choice.text) for choice in scene.choices)


def coach_length(choice: Choice) -> int:
    """Characters a choice's coach panel puts on screen."""
    return len(choice.text) + len(choice.consequence or "") + len(choice.coach or "")


def path_to(scenario: Scenario, arrived: Callable[[str, frozenset[str]], bool]) -> tuple[str, ...]:
    """The shortest list of choice ids from the start to a state where ``arrived`` holds."""
    game = Game(scenario)
    start = (scenario.start, frozenset[str]())
    seen = {start}
    queue: deque[tuple[str, frozenset[str], tuple[str, ...]]] = deque([(*start, ())])
    while queue:
        node, flags, path = queue.popleft()
        if arrived(node, flags):
            return path
        for choice in game.offered_at(node, flags):
            state = (choice.goto, choice.apply(flags))
            if state not in seen:
                seen.add(state)
                queue.append((*state, (*path, choice.id)))
    raise AssertionError(f"{scenario.id}: no path found")


def longest_scenes() -> list[Target]:
    """Each bundled scenario's longest scene."""
    targets = []
    for entry in bundled().entries:
        scenario = entry.scenario
        scene = max(scenario.scenes.values(), key=scene_length)
        path = path_to(scenario, lambda node, _, wanted=scene.id: node == wanted)
        targets.append(Target(scenario.id, path, scene.id))
    return targets


def longest_coach_notes() -> list[Target]:
    """Each bundled scenario's longest coach panel: the scene, and the choice to take there."""
    targets = []
    for entry in bundled().entries:
        scenario = entry.scenario
        scene, choice = max(
            ((scene, choice) for scene in scenario.scenes.values() for choice in scene.choices),
            key=lambda pair: coach_length(pair[1]),
        )

        def offered(
            node: str, flags: frozenset[str], scene: Scene = scene, choice: Choice = choice
        ) -> bool:
            return node == scene.id and choice.offered(flags)

        path = path_to(scenario, offered)
        targets.append(Target(scenario.id, path, scene.id, choice.id))
    return targets


def seed_run_at(saves_dir: Path, target: Target, name: str = "Ada") -> None:
    """Save ``name``'s profile with an unfinished practice run of ``target`` at its scene."""
    entry = bundled().get(target.scenario_id)
    assert entry is not None
    state = Game(entry.scenario).replay(target.path, "practice")
    assert state.node == target.scene_id
    run = RunRecord.new(
        target.scenario_id, entry.scenario.content_hash, "practice", state.to_dict(), now=CREATED
    )
    profile = Profile(
        name=name,
        created=CREATED,
        updated=CREATED,
        settings=Settings(),
        runs=(run,),
        machine="test-machine",
    )
    store = SaveStore(saves_dir)
    store.save(profile)
    store.set_last_profile(name)
