"""Messages the studio's panes send to the app."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from netquest.engine.draft import Draft


@dataclass
class DraftLoaded(Message):
    """A load of the file finished (in a worker)."""

    draft: Draft


@dataclass
class JumpRequested(Message):
    """The author picked a scene or ending on the story map."""

    node: str


@dataclass
class ChoiceTaken(Message):
    """The author took a choice in the play pane."""

    choice_id: str


@dataclass
class OpenLine(Message):
    """The author wants to edit the file at this line."""

    line: int
