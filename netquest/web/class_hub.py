"""The class hub: every game's events, relayed to the teacher's dashboards (in the server).

A Unix socket in a private temporary folder (mode 0700: only the server's own user, i.e. its
own games, can connect). Every connection speaks JSON lines:

- a game sends its events (:mod:`netquest.play.class_feed`): ``joined``, ``run``, ``choice``,
  ``vote``; the hub stamps each with the connection's number (``conn``) and keeps it;
- a dashboard sends ``{"t": "watch"}`` and gets every event kept so far, then each new one;
- a game that sends ``{"t": "listen"}`` (a group-play voting pad) gets the group messages;
- a dashboard's group messages (``group``: the state of the room's vote) go to every listener.

When a connection closes (a student closed the tab, or the game died) the hub adds a ``left``
event for it, so the dashboard keeps the student's choices and marks them gone. The hub keeps
at most ``MAX_EVENTS`` events; what it forgets is only the oldest history of positions.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import tempfile
from collections import deque
from contextlib import suppress
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MAX_EVENTS = 100_000
MAX_LINE = 64 * 1024
"""Longest event line accepted (a path of a few hundred steps fits easily)."""
GAME_EVENTS = frozenset({"joined", "run", "choice", "vote"})

Event = dict[str, Any]


class ClassHub:
    """Relays game events to dashboards, and group messages from dashboards to the games."""

    def __init__(self) -> None:
        """Create the hub (``start`` opens its socket)."""
        self.events: deque[Event] = deque(maxlen=MAX_EVENTS)
        self.group: Event | None = None
        """The latest group-play message, given to every voting pad that connects."""
        self._folder: Path | None = None
        self._server: asyncio.AbstractServer | None = None
        self._watchers: set[asyncio.StreamWriter] = set()
        self._listeners: set[asyncio.StreamWriter] = set()
        self._connections = 0

    @property
    def path(self) -> str:
        """The socket's path (games get it in ``NETQUEST_CLASS_FEED``)."""
        assert self._folder is not None, "the hub is not started"
        return str(self._folder / "events.sock")

    async def start(self) -> None:
        """Listen on a fresh socket in a private folder."""
        self._folder = Path(tempfile.mkdtemp(prefix="netquest-class-"))
        os.chmod(self._folder, 0o700)
        self._server = await asyncio.start_unix_server(self._serve, self.path, limit=MAX_LINE)

    async def close(self) -> None:
        """Stop listening and remove the socket's folder."""
        if self._server is not None:
            self._server.close()
            for writer in list(self._watchers | self._listeners):
                writer.close()
            with suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)

    def publish(self, event: Event) -> None:
        """Keep a game event and pass it to every dashboard."""
        self.events.append(event)
        self._send(self._watchers, event)

    def broadcast(self, message: Event) -> None:
        """Pass a group message to every voting pad and dashboard."""
        self.group = message
        self._send(self._listeners | self._watchers, message)

    def _send(self, writers: set[asyncio.StreamWriter], message: Event) -> None:
        line = json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n"
        for writer in list(writers):
            if writer.is_closing():
                self._watchers.discard(writer)
                self._listeners.discard(writer)
                continue
            writer.write(line)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections += 1
        conn = self._connections
        name: str | None = None
        try:
            while True:
                try:
                    line = await reader.readline()
                except ValueError:  # longer than MAX_LINE: this connection is not ours
                    log.warning("class hub: dropped a connection that sent a huge line")
                    return
                if not line:
                    return
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(event, dict):
                    continue
                kind = event.get("t")
                if kind in GAME_EVENTS:
                    event["conn"] = conn
                    if isinstance(event.get("name"), str):
                        name = event["name"]
                    self.publish(event)
                elif kind == "watch":
                    await self._replay(writer)
                elif kind == "listen":
                    self._listeners.add(writer)
                    if self.group is not None:
                        self._send({writer}, self.group)
                elif kind == "group":
                    self.broadcast(event)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._watchers.discard(writer)
            self._listeners.discard(writer)
            if name is not None:
                self.publish({"t": "left", "conn": conn, "name": name})
            writer.close()

    async def _replay(self, writer: asyncio.StreamWriter) -> None:
        for event in list(self.events):
            writer.write(json.dumps(event, separators=(",", ":")).encode("utf-8") + b"\n")
        if self.group is not None:
            writer.write(json.dumps(self.group, separators=(",", ":")).encode("utf-8") + b"\n")
        writer.write(b'{"t":"live"}\n')
        await writer.drain()
        self._watchers.add(writer)
