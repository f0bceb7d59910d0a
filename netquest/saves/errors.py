"""Errors raised by the saves package. Every message is a single line."""

from __future__ import annotations

from netquest.engine.text import printable


def one_line(text: str) -> str:
    """``text`` as one line with every control made visible (the one rule: :func:`printable`).

    Paths and profile names are free text; a newline, a terminal escape or a bidirectional
    control in one must not break or disguise a message shown in a status line or a log.
    """
    return printable(text, one_line=True)


class SaveError(Exception):
    """A save folder or file cannot be used; the message names it and says how to fix it."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class SaveFormatError(ValueError):
    """Data does not have the shape of a netquest save; the message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class SaveVersionError(SaveFormatError):
    """A save file written by a newer netquest than this one.

    Attributes:
        needed: The netquest version the file needs (the one that wrote it), or None when the
            file does not say.
    """

    needed: str | None = None

    @classmethod
    def newer(cls, version: str, written_by: object, reads: int) -> SaveVersionError:
        """The error for a file of save format ``version`` written by netquest ``written_by``,
        met by this netquest, which ``reads`` save formats up to that number."""
        from netquest import __version__

        needed = written_by if isinstance(written_by, str) and 0 < len(written_by) <= 40 else None
        wanted = f"netquest \u2265 {needed}" if needed else "a newer netquest"
        error = cls(
            f"needs {wanted}: it has save format {version}, and this netquest {__version__} "
            f"reads format {reads} at most; upgrade netquest to use it "
            "(the file is left as it is)"
        )
        error.needed = needed
        return error
