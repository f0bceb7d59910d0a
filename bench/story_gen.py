"""Generate one synthetic story as a netquest scenario (TOML) and as ink, the same graph in both.

Every scene has three choices with effects like the real curriculum's: one plain, one that sets a
flag, one offered only while that flag is set (and clearing it), so flags shape the state space
the way they do in the bundled scenarios. Modes and points agree as ``netquest check`` wants
(NQ040-NQ042): the called-for mode never loses points, another mode never earns any.
"""

from __future__ import annotations

import argparse
from pathlib import Path

PRINCIPLES = (
    "focused_conversation",
    "give_and_take",
    "clear_purpose",
    "build_rapport",
    "two_way_conversation",
    "researched_outreach",
)
MODES = ("networking", "socializing", "social_networking")
ENDINGS = (("great_end", "great"), ("mixed_end", "mixed"), ("poor_end", "poor"))
TEXT = (
    "You are at the {n}th moment of a long day of meetings. Someone you have not met yet "
    "catches your eye across the room, and the conversation could go several ways."
)


def _target(index: int, step: int, count: int, choice: int) -> str:
    """The next scene, or past the last one, the ending that choice number ``choice`` earns."""
    nxt = index + step
    return f"s{nxt}" if nxt < count else ENDINGS[choice][0]


def toml_story(count: int) -> str:
    """The story as a format-1 scenario file."""
    out = [
        "format = 1",
        "",
        "[scenario]",
        'id = "generated"',
        f'title = "Generated story of {count}"',
        'summary = "A synthetic scenario for benchmarks."',
        'setting = "A very long conference."',
        'teaches = ["networking_vs_socializing"]',
        "minutes = 10",
        'start = "s0"',
        "",
    ]
    for index in range(count):
        p1, p2 = PRINCIPLES[index % 6], PRINCIPLES[(index + 2) % 6]
        out += [
            f"[scenes.s{index}]",
            f'title = "Moment {index}"',
            f'text = """{TEXT.format(n=index)}"""',
            f'calls_for = "{MODES[index % 3]}"',
            "",
            f"[[scenes.s{index}.choices]]",
            'id = "ask"',
            'text = "Ask what brought them here and listen to the answer."',
            f'mode = "{MODES[index % 3]}"',
            f"effects = {{ {p1} = 2, {p2} = 1 }}",
            'consequence = "They tell you about their work."',
            'coach = "A focused question invites a real exchange."',
            f'goto = "{_target(index, 1, count, 0)}"',
            "",
            f"[[scenes.s{index}.choices]]",
            'id = "card"',
            'text = "Offer your card and mention a talk they might like."',
            f'mode = "{MODES[(index + 1) % 3]}"',
            f"effects = {{ {p2} = 1, {p1} = -1 }}",
            'coach = "Offering something useful is give and take."',
            f'goto = "{_target(index, 1, count, 1)}"',
            'sets = ["offered"]',
            "",
        ]
        if index == 0:
            out.append("")
            continue
        out += [
            f"[[scenes.s{index}.choices]]",
            'id = "follow"',
            'text = "Follow up on what you offered earlier."',
            f'mode = "{MODES[index % 3]}"',
            f"effects = {{ follow_up = 2, {p1} = -1 }}",
            'coach = "Following up keeps the exchange going."',
            f'goto = "{_target(index, 2, count, 2)}"',
            'requires = ["offered"]',
            'clears = ["offered"]',
            "",
        ]
    for ending, outcome in ENDINGS:
        out += [
            f"[endings.{ending}]",
            f'title = "{ending}"',
            'text = "The day ends."',
            f'outcome = "{outcome}"',
            "",
        ]
    path = ", ".join(['"ask"'] * count)
    out += [
        "[[tests]]",
        'name = "straight through"',
        f"choices = [{path}]",
        f'ending = "{ENDINGS[0][0]}"',
        "",
    ]
    return "\n".join(out)


def ink_story(count: int) -> str:
    """The same story in ink (inkle's scripting language)."""
    out = ["VAR offered = false", "-> s0", ""]
    for index in range(count):
        out += [
            f"=== s{index} ===",
            TEXT.format(n=index),
            "+ [Ask what brought them here and listen to the answer.]",
            "    They tell you about their work.",
            f"    -> {_target(index, 1, count, 0)}",
            "+ [Offer your card and mention a talk they might like.]",
            "    ~ offered = true",
            f"    -> {_target(index, 1, count, 1)}",
        ]
        if index:
            out += [
                "+ {offered} [Follow up on what you offered earlier.]",
                "    ~ offered = false",
                f"    -> {_target(index, 2, count, 2)}",
            ]
        out.append("")
    for ending, _ in ENDINGS:
        out += [f"=== {ending} ===", "The day ends.", "-> END", ""]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenes", type=int)
    parser.add_argument("out", type=Path, help="folder for generated.toml and generated.ink")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "generated.toml").write_text(toml_story(args.scenes), encoding="utf-8")
    (args.out / "generated.ink").write_text(ink_story(args.scenes), encoding="utf-8")


if __name__ == "__main__":
    main()
