"""The class feed, game side: tell the classroom server what this student is doing.

``netquest serve`` runs a small event hub (:mod:`netquest.web.class_hub`) on a Unix socket in a
private folder and gives every game it starts the socket's path in ``NETQUEST_CLASS_FEED``.
Each game then sends one JSON line per event: who is playing, the run they are in (scenario,
mode, scene, the path so far) after every choice, and their group votes. The teacher's
dashboard reads the same hub.

Nothing here may slow play: an event is built from data the session already has and written
to the socket without waiting (microseconds); a daemon thread connects, and writes whatever
the socket could not take at once. If the hub is missing or gone the events are dropped: the
dashboard is a live view, the saves stay the record. Every event carries the student's whole
position, so a dropped or repeated one never leaves the dashboard wrong for longer than the
next event.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import socket
import threading
from collections.abc import Callable
from typing import Any

from netquest.engine import Scene
from netquest.play.session import ChoiceOutcome, PlaySession, SessionListener

log = logging.getLogger(__name__)

FEED_ENV = "NETQUEST_CLASS_FEED"
"""Path of the class hub's Unix socket (set by ``netquest serve`` for its games)."""

MAX_BACKLOG = 4 * 1024 * 1024
"""Most bytes of events kept while the hub does not read them (then new ones are dropped)."""

Event = dict[str, Any]


class ClassFeed:
    """One game's connection to the class hub: events out, group messages in."""

    def __init__(self, path: str) -> None:
        """Send to the hub listening on ``path`` (connects on first use)."""
        self.path = path
        self._lock = threading.Lock()
        """Guards the fields below; never held across a call that can wait."""
        self._backlog = bytearray()
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()
        self._closing = False
        self._gone = False
        """The hub cannot be reached (or went away): events are dropped."""
        self._on_message: Callable[[Event], None] | None = None
        self.name: str | None = None

    def post(self, event: Event) -> None:
        """Send ``event`` to the hub; never blocks, never raises.

        Once connected, the event is written from the calling thread if the socket takes it at
        once (it almost always does): handing it to the feed's thread instead would wait for
        that thread to get the CPU, tens to hundreds of milliseconds on a machine busy with a
        class's games. What the socket does not take waits in a backlog the thread writes.
        """
        try:
            line = json.dumps(event, separators=(",", ":")).encode("utf-8") + b"\n"
        except (TypeError, ValueError):
            return
        with self._lock:
            if self._gone or self._closing:
                return
            if len(self._backlog) + len(line) > MAX_BACKLOG:
                log.debug("class feed: the hub is not reading; an event was dropped")
                return
            self._backlog += line
            if self._socket is not None and not self._flush():
                self._wake.set()
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

    def _flush(self) -> bool:
        """Write what the socket takes without waiting (``_lock`` held); whether all went."""
        connection = self._socket
        assert connection is not None
        while self._backlog:
            try:
                sent = connection.send(self._backlog, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                return False
            except OSError:  # the hub went away: the dashboard is a live view, drop the rest
                self._gone = True
                self._backlog.clear()
                return True
            del self._backlog[:sent]
        return True

    def _run(self) -> None:
        try:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.connect(self.path)
        except OSError as error:
            log.debug("class feed: cannot reach the hub at %s: %s", self.path, error)
            with self._lock:
                self._gone = True
                self._backlog.clear()
            return
        threading.Thread(target=self._read, args=(connection,), daemon=True).start()
        with self._lock:
            self._socket = connection
            if not self._flush():
                self._wake.set()
        while True:
            self._wake.wait()
            self._wake.clear()
            with self._lock:
                waiting, closing = bool(self._backlog), self._closing
            if waiting:  # the socket was full: wait until it takes more, outside the lock
                with contextlib.suppress(OSError, ValueError):
                    select.select([], [connection], [], 1.0)
                with self._lock:
                    if not self._flush() or self._closing:
                        self._wake.set()
                continue
            if closing:
                break
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
        """Stop sending (what is waiting is still written), then leave the hub."""
        with self._lock:
            self._closing = True
        self._wake.set()


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
