"""Show data (scenario text, names) exactly as written, never as markup or terminal codes.

Scenario files and profile names are data. Textual's :class:`~textual.content.Content` already
ignores markup when built from a plain string, but it lets most control characters through to
the terminal; an escape sequence in a scenario file could recolour or move the cursor. Every
piece of data shown by the app goes through :func:`printable` (or :func:`literal`), which spells
control characters out (``\\x1b``) so they show literally.
"""

from __future__ import annotations

from textual.content import Content

from netquest.engine.text import printable

__all__ = ["literal", "printable"]


def literal(text: str, style: str = "") -> Content:
    """Data as content: no markup, control characters spelled out, optionally styled."""
    content = Content(printable(text))
    return content.stylize(style) if style else content
