"""Generate scenarios whose flags stress the explorer (issue 10, item 6).

    python bench/flag_gen.py local 22 22 OUT.toml      # 22 scenes, 22 independent flags
    python bench/flag_gen.py local 1000 30 OUT.toml    # 1,000 scenes, 30 flags
    python bench/flag_gen.py exploding 24 20 OUT.toml  # 20 flags all read at the last scene

A chain of scenes, each with a good move (+2), a poor one (-2, transactional) and, on the
scenes given a flag, a move that notes it (``sets``). In ``local`` stories each flag is read by
a "recall" move a few scenes later and never again: without liveness analysis every flag ever
set would split the states (2^22 at the end of the 22-flag story), with it a scene keeps only
the flags still to be read. In ``exploding`` stories every flag is read at the last scene, so
all of them are live together: 2^flags states that no sound merging can avoid.
"""

from __future__ import annotations

import argparse
from pathlib import Path

SPAN = 3
"""How many scenes after a flag is set it is read (``local`` stories)."""


def _choice(scene: int, cid: str, goto: str, mode: str, effects: str, extra: str = "") -> list[str]:
    return [
        f"[[scenes.s{scene}.choices]]",
        f'id = "{cid}"',
        f'text = "Move {cid} at moment {scene}."',
        f'mode = "{mode}"',
        f"effects = {{ {effects} }}",
        f'coach = "Why {cid} works or not at moment {scene}."',
        f'goto = "{goto}"',
        *([extra] if extra else []),
        "",
    ]


def flag_story(kind: str, scenes: int, flags: int) -> str:
    """A scenario file: ``kind`` is ``local`` or ``exploding``."""
    if kind not in ("local", "exploding"):
        raise ValueError(f"unknown kind {kind!r}")
    setter: dict[int, int] = {}  # scene -> flag it can set
    readers: dict[int, list[int]] = {}  # scene -> flags it reads
    for flag in range(flags):
        at = flag * (scenes - 1) // flags if kind == "local" else flag
        setter[at] = flag
        read_at = min(at + SPAN, scenes - 1) if kind == "local" else scenes - 1
        readers.setdefault(read_at, []).append(flag)
    out = [
        "format = 1",
        "",
        "[scenario]",
        f'id = "flags-{kind}-{scenes}-{flags}"',
        f'title = "{flags} flags over {scenes} moments ({kind})"',
        'summary = "A synthetic scenario that stresses the explorer."',
        'setting = "A long day of meetings."',
        'teaches = ["networking_vs_socializing"]',
        "minutes = 10",
        'start = "s0"',
        "",
    ]
    for scene in range(scenes):
        goto = f"s{scene + 1}" if scene + 1 < scenes else "done"
        out += [f"[scenes.s{scene}]", f'text = "Moment {scene} of the day."', ""]
        out += _choice(scene, "ask", goto, "networking", "focused_conversation = 2")
        out += _choice(scene, "pitch", goto, "transactional", "give_and_take = -2")
        if scene in setter:
            flag = setter[scene]
            out += _choice(
                scene, "note", goto, "networking", "build_rapport = 1", f'sets = ["f{flag}"]'
            )
        for flag in readers.get(scene, []):
            out += _choice(
                scene,
                f"recall{flag}",
                goto,
                "networking",
                "follow_up = 3, give_and_take = 1",
                f'requires = ["f{flag}"]',
            )
    path = ", ".join(['"ask"'] * scenes)
    out += [
        "[endings.done]",
        'title = "The day ends"',
        'text = "You head home."',
        'outcome = "good"',
        "",
        "[[tests]]",
        'name = "ask all day"',
        f"choices = [{path}]",
        'ending = "done"',
        "",
    ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=("local", "exploding"))
    parser.add_argument("scenes", type=int)
    parser.add_argument("flags", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(flag_story(args.kind, args.scenes, args.flags), encoding="utf-8")


if __name__ == "__main__":
    main()
