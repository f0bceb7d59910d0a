"""Errors raised by the saves package. Every message is a single line."""

from __future__ import annotations


def one_line(text: str) -> str:
    """Escape line breaks and other unprintable characters so ``text`` shows as one line.

    Paths and profile names are free text; a newline or a terminal escape in one must not break
    a message shown in a status line or a log.
    """
    return "".join(char if char.isprintable() or char == " " else repr(char)[1:-1] for char in text)


class SaveError(Exception):
    """A save folder or file cannot be used; the message names it and says how to fix it."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class SaveFormatError(ValueError):
    """Data does not have the shape of a netquest save; the message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class SaveVersionError(SaveFormatError):
    """A save file written by a newer netquest than this one."""
