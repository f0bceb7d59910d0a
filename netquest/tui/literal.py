"""Show data (scenario text, names) exactly as written, never as markup or terminal codes.

Scenario files and profile names are data. Textual's :class:`~textual.content.Content` already
ignores markup when built from a plain string, but it lets most control characters through to
the terminal; an escape sequence in a scenario file could recolour or move the cursor. Every
piece of data shown by the app goes through :func:`printable` (or :func:`literal`), which spells
control characters out (``\\x1b``) so they show literally.
"""

from __future__ import annotations

import unicodedata

from textual.content import Content

_KEEP = frozenset("\n\t")


def printable(text: str) -> str:
    """``text`` with control characters (other than newline and tab) spelled out."""
    if text.isprintable():
        return text
    return "".join(
        char if char in _KEEP or unicodedata.category(char) != "Cc" else repr(char)[1:-1]
        for char in text
    )


def literal(text: str, style: str = "") -> Content:
    """Data as content: no markup, control characters spelled out, optionally styled."""
    content = Content(printable(text))
    return content.stylize(style) if style else content
