"""Teaching-fidelity checks: the ✓ for reading a moment must never contradict the points.

A moment is read right only when the choice is the kind of action the scene calls for and it
loses no points (see :func:`netquest.engine.scoring.read_moment`). These checks find content
where the two signals would still pull apart, or where the ✓ would tell the player nothing:

- NQ040: a choice of the called-for mode that loses points ("right kind, wrong move" is then
  the only honest reading, but content should say so on purpose: usually the mode describes
  the setting instead of the action, e.g. a spam blast marked ``socializing``);
- NQ041: a choice of another mode that earns points (the player sees ✗ beside a gain);
- NQ042: a scene that calls for a mode every one of its choices has (the ✓ is guaranteed).
"""

from __future__ import annotations

from collections.abc import Callable

from netquest.engine.diagnostics import Diagnostic
from netquest.engine.model import Scenario

Place = Callable[[str, str, str, str], Diagnostic]
"""Makes a diagnostic from (code, key path, message, hint), placed in the scenario's file."""


def _net(total: int) -> str:
    return f"{total:+d}".replace("-", "\u2212")


def fidelity_diagnostics(scenario: Scenario, at: Place) -> list[Diagnostic]:
    """NQ040–NQ042 for every scene of ``scenario`` that calls for a mode, in file order."""
    found: list[Diagnostic] = []
    for scene_id, scene in scenario.scenes.items():
        wanted = scene.calls_for
        if wanted is None or not scene.choices:
            continue
        where = f"scenes.{scene_id}"
        for position, choice in enumerate(scene.choices):
            path = f"{where}.choices[{position}].mode"
            net = choice.total
            if choice.mode == wanted and net < 0:
                found.append(
                    at(
                        "NQ040",
                        path,
                        f"choice '{choice.id}' in scene '{scene_id}' is {wanted}, the mode the "
                        f"moment calls for, but loses points (net {_net(net)})",
                        "give it the mode of what it really does, e.g. transactional for a "
                        "spam blast, or score it 0 or more",
                    )
                )
            elif choice.mode != wanted and net > 0:
                found.append(
                    at(
                        "NQ041",
                        path,
                        f"choice '{choice.id}' in scene '{scene_id}' earns points "
                        f"(net {_net(net)}) but is {choice.mode} where the moment calls for "
                        f"{wanted}",
                        f"make it {wanted} if that is what it does, score it 0, "
                        "or change calls_for",
                    )
                )
        if all(choice.mode == wanted for choice in scene.choices):
            found.append(
                at(
                    "NQ042",
                    f"{where}.calls_for",
                    f"every choice in scene '{scene_id}' is {wanted}, the mode the moment "
                    "calls for, so reading it right tells the player nothing",
                    "add a choice of another kind, or remove calls_for",
                )
            )
    return found
