"""The class feed, game side: tell the classroom server what this student is doing.

``netquest serve`` runs a small event hub (:mod:`netquest.web.class_hub`) on a Unix socket in a
private folder and gives every game it starts the socket's path in ``NETQUEST_CLASS_FEED``.
Each game then sends one JSON line per event: who is playing, the run they are in (scenario,
mode, scene, the path so far) after every choice, and their group votes. The teacher's
dashboard reads the same hub.

Nothing here may slow play: an event is built from data the session already has and put on a
queue (microseconds); a daemon thread connects and writes. If the hub is missing or gone the
events are dropped: the dashboard is a live view, the saves stay the record. Every event
carries the student's whole position, so a dropped or repeated one never leaves the
dashboard wrong for longer than the next event.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import socket
import threading
from collections.abc import Callable
from typing import Any

from netquest.engine import Scene
from netquest.play.session import ChoiceOutcome, PlaySession, SessionListener

log = logging.getLogger(__name__)

FEED_ENV = "NETQUEST_CLASS_FEED"
"""Path of the class hub's Unix socket (set by ``netquest serve`` for its games)."""

Event = dict[str, Any]


class ClassFeed:
    """One game's connection to the class hub: events out, group messages in."""

    def __init__(self, path: str) -> None:
        """Send to the hub listening on ``path`` (connects on first use)."""
        self.path = path
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._on_message: Callable[[Event], None] | None = None
        self.name: str | None = None

    def post(self, event: Event) -> None:
        """Queue ``event`` for the hub; never blocks, never raises."""
        try:
            line = json.dumps(event, separators=(",", ":")).encode("utf-8") + b"\n"
        except (TypeError, ValueError):
            return
        self._queue.put(line)
        self._start()

    def listen(self, on_message: Callable[[Event], None]) -> None:
        """Call ``on_message`` (from a background thread) for every message the hub sends."""
        self._on_message = on_message
        self.post({"t": "listen"})

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="class-feed", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        try:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.connect(self.path)
        except OSError as error:
            log.debug("class feed: cannot reach the hub at %s: %s", self.path, error)
            return
        self._socket = connection
        threading.Thread(target=self._read, args=(connection,), daemon=True).start()
        while True:
            line = self._queue.get()
            if line is None:
                break
            try:
                connection.sendall(line)
            except OSError:
                return
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)  # wakes the reader; the hub sees us leave
        connection.close()

    def _read(self, connection: socket.socket) -> None:
        buffer = b""
        while True:
            try:
                data = connection.recv(65536)
            except OSError:
                return
            if not data:
                return
            buffer += data
            *lines, buffer = buffer.split(b"\n")
            handler = self._on_message
            for line in lines:
                if handler is None:
                    continue
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if isinstance(message, dict):
                    try:
                        handler(message)
                    except Exception:  # a display problem must not stop the feed
                        log.exception("class feed: a message handler failed")

    def close(self) -> None:
        """Stop sending (what is queued is still written)."""
        self._queue.put(None)


_feed: ClassFeed | None = None
_feed_lock = threading.Lock()


def class_feed() -> ClassFeed | None:
    """This process's feed to the class hub, or ``None`` when not played in a served class."""
    global _feed
    path = os.environ.get(FEED_ENV)
    if not path:
        return None
    with _feed_lock:
        if _feed is None or _feed.path != path:
            _feed = ClassFeed(path)
        return _feed


def position(session: PlaySession) -> Event:
    """Where a student is in a run: everything the dashboard shows of them."""
    run = session.run
    scene = session.scene
    result = run.result or {}
    score = result.get("score")
    return {
        "name": session.profile.name,
        "run": run.id,
        "scenario": session.scenario.id,
        "mode": session.mode,
        "scene": scene.id if scene is not None else None,
        "ending": result.get("ending") if run.finished else None,
        "score": score if isinstance(score, int) and not isinstance(score, bool) else None,
        "path": [[step.scene, step.choice] for step in session.state.history],
        "finished": run.finished is not None,
    }


def joined(name: str) -> None:
    """Tell the class a student signed in (no run yet)."""
    feed = class_feed()
    if feed is not None:
        feed.name = name
        feed.post({"t": "joined", "name": name})


class ClassFeedListener(SessionListener):
    """Sends the student's position after every event of a run, then tells ``inner``."""

    def __init__(self, feed: ClassFeed, inner: SessionListener | None) -> None:
        """Post to ``feed``; pass every event on to ``inner`` (e.g. the xAPI recorder)."""
        self.feed = feed
        self.inner = inner

    def _post(self, kind: str, session: PlaySession) -> None:
        self.feed.post({"t": kind, **position(session)})

    def run_started(self, session: PlaySession) -> None:
        """A new run: the student's position."""
        self._post("run", session)
        if self.inner is not None:
            self.inner.run_started(session)

    def run_resumed(self, session: PlaySession) -> None:
        """A run continued: the student's position."""
        self._post("run", session)
        if self.inner is not None:
            self.inner.run_resumed(session)

    def choice_made(self, session: PlaySession, scene: Scene, outcome: ChoiceOutcome) -> None:
        """A choice: the student's new position (its path holds the choice)."""
        self._post("choice", session)
        if self.inner is not None:
            self.inner.choice_made(session, scene, outcome)

    def stepped_back(self, session: PlaySession) -> None:
        """A choice undone: the shorter path."""
        self._post("choice", session)
        if self.inner is not None:
            self.inner.stepped_back(session)

    def run_finished(self, session: PlaySession) -> None:
        """The ending, with the score."""
        self._post("choice", session)
        if self.inner is not None:
            self.inner.run_finished(session)


def with_class_feed(inner: SessionListener | None) -> SessionListener | None:
    """``inner``, plus the class feed when this game is played in a served class."""
    feed = class_feed()
    return inner if feed is None else ClassFeedListener(feed, inner)
