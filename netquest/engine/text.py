"""Scenario text is data: make it safe to show literally, anywhere."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Replace control characters (ANSI escapes included) with visible ``\\xNN`` forms.

    Markup such as ``[bold]`` needs no treatment here: it is only text until a
    renderer interprets it, and our renderers never do.
    """
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def paragraphs(text: str) -> list[str]:
    """Split on blank lines; each paragraph's lines are joined with single spaces."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [" ".join(block.split()) for block in blocks if block.strip()]
