"""Scenario text is data: make it safe to show literally, anywhere."""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""Bidirectional controls: they reorder what a terminal or an editor shows (the "Trojan Source"
trick), so a name could display as something it is not."""
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """The one rule for text that leaves the program for a terminal, a log or a status line.

    C0 and C1 control characters (ANSI escapes included), DEL, the bidirectional controls
    (U+202A-U+202E, U+2066-U+2069, U+200E/F, U+061C) and the Unicode line and paragraph
    separators become visible escapes: ``\\xNN`` below U+0100, ``\\uNNNN`` above. Tab and newline
    are kept, unless ``one_line`` is set (log lines, one-line messages), when they are escaped
    too. Nothing else changes, so text without such characters is returned as it is.

    Markup such as ``[bold]`` needs no treatment here: it is only text until a
    renderer interprets it, and our renderers never do.
    """
    return (_UNSAFE_ONE_LINE if one_line else _UNSAFE).sub(_visible, text)


def paragraphs(text: str) -> list[str]:
    """Split on blank lines; each paragraph's lines are joined with single spaces."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [" ".join(block.split()) for block in blocks if block.strip()]
