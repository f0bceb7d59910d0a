"""Record a session's xAPI statements as it is played, and hand them to the sender.

The recorder is the session's listener (see :class:`netquest.play.session.SessionListener`). Each
event appends its statements to the profile's journal beside the save, then nudges the
background sender when an LRS is configured. Disk or network trouble is logged once and never
reaches the player.
"""

from __future__ import annotations

import atexit
import errno
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netquest.engine import Scene
from netquest.engine.course import Course
from netquest.play.session import ChoiceOutcome, PlaySession, SessionListener
from netquest.saves import SaveStore
from netquest.saves.records import utc_timestamp
from netquest.xapi.config import XapiConfig, load_config
from netquest.xapi.journal import flush_unwritten, is_journal, journal_for
from netquest.xapi.journal_writer import shared_writer, write_now
from netquest.xapi.sender import BackgroundSender, sender_for
from netquest.xapi.statements import RunContext, answered, attempted, completed

log = logging.getLogger("netquest.xapi")

_warned: set[str] = set()
_warned_lock = threading.Lock()
_swept: set[Path] = set()


def _warn_once(message: str) -> None:
    with _warned_lock:
        if message in _warned:
            return
        _warned.add(message)
    log.warning("%s", message)


class XapiRecorder(SessionListener):
    """Writes ``attempted``, ``answered`` and ``completed`` statements for every run."""

    def __init__(
        self,
        config: XapiConfig,
        sender: BackgroundSender | None = None,
        now: Callable[[], str] = utc_timestamp,
        course: Course | None = None,
        background: bool = False,
    ) -> None:
        self.config = config
        self.sender = sender
        self._now = now
        self.course = course
        """The course being followed: finished assessment attempts are judged against it."""
        self.background = background
        """Append from the shared background writer (the TUI: a key never waits for the disk);
        otherwise each event's statements are on disk when the event returns."""

    # -- events -----------------------------------------------------------------------------
    def run_started(self, session: PlaySession) -> None:
        """Record ``attempted``."""
        statement = attempted(self._context(session), session.scenario, timestamp=self._now())
        self._write(session, [statement])

    def run_resumed(self, session: PlaySession) -> None:
        """Nothing to record; statements still queued from before get another chance."""
        journal = self._journal(session)
        if journal is not None and self.sender is not None and journal.exists():
            self.sender.nudge(journal)

    def choice_made(self, session: PlaySession, scene: Scene, outcome: ChoiceOutcome) -> None:
        """Record ``answered`` for the choice just taken."""
        statement = answered(
            self._context(session),
            session.step_number,
            scene.id,
            outcome.choice.id,
            scene,
            timestamp=self._now(),
            vote=_vote(session, scene.id),
        )
        self._write(session, [statement])

    def run_finished(self, session: PlaySession) -> None:
        """Record ``completed`` with the score, outcome, duration and result extensions."""
        run = session.run
        if run.result is None:
            return
        context = self._context(session)
        now = self._now()
        statements = [completed(context, session.scenario, run.result, run.seconds, timestamp=now)]
        if self.course is not None:
            from netquest.xapi.course_statements import live_statements

            profile = session.profile
            statements += live_statements(
                context,
                session.scenario,
                self.course,
                profile.runs,
                run,
                profile.name,
                profile.machine,
                now,
            )
        self._write(session, statements)

    # -- plumbing ---------------------------------------------------------------------------
    def _context(self, session: PlaySession) -> RunContext:
        profile, run = session.profile, session.run
        group = (run.group or {}).get("session")
        return RunContext.for_run(
            profile.name,
            profile.machine,
            run.id,
            run.scenario_id,
            run.mode,
            run.content_hash,
            self.config.settings,
            group=group if isinstance(group, str) else None,
        )

    @staticmethod
    def _journal(session: PlaySession) -> Path | None:
        store = session.store
        return None if store is None else journal_for(store.path_for(session.profile.name))

    def _write(self, session: PlaySession, statements: list[dict[str, Any]]) -> None:
        journal = self._journal(session)
        if journal is None:
            return
        if self.background:
            shared_writer().submit(journal, statements, self._written, _not_written)
            return
        try:
            write_now(journal, statements)
        except OSError as error:
            _not_written(journal, error)
            return
        self._written(journal)

    def _written(self, journal: Path) -> None:
        if self.sender is not None:
            self.sender.nudge(journal)


def _vote(session: PlaySession, scene_id: str) -> str | None:
    """In a group run, the student's vote at ``scene_id`` (the last one saved there)."""
    votes = (session.run.group or {}).get("votes")
    found = None
    for item in votes if isinstance(votes, list) else ():
        if isinstance(item, list) and len(item) == 2 and item[0] == scene_id:
            found = str(item[1])
    return found


def _why(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "it is a symbolic link, which netquest never follows; remove it"
    return str(error.strerror or error)


atexit.register(flush_unwritten)


def _not_written(journal: Path, error: OSError) -> None:
    _warn_once(
        f"learning records not written to {journal} yet (they are kept and written with the "
        f"next ones): {_why(error)}"
    )


def recorder_for(
    directory: Path, course: Course | None = None, *, background: bool = False
) -> XapiRecorder | None:
    """A recorder for sessions saving in ``directory``, configured from its
    ``netquest-lrs.toml`` and the environment; None when recording is turned off.

    ``background``: append from the shared journal writer (see :class:`XapiRecorder`)."""
    config = load_config(directory)
    for problem in config.problems:
        _warn_once(problem)
    if not config.recording:
        return None
    sender = None
    if config.lrs is not None:
        sender = sender_for(config.lrs, directory)
        _sweep(directory, sender)
    return XapiRecorder(config, sender, course=course, background=background)


def _sweep(directory: Path, sender: BackgroundSender) -> None:
    """Once per process and folder, queue every journal there: earlier runs may have left
    statements unsent (offline, or played before the LRS was configured)."""
    key = directory.resolve()
    with _warned_lock:
        if key in _swept:
            return
        _swept.add(key)
    try:
        journals = [path for path in directory.iterdir() if is_journal(path)]
    except OSError:
        return
    for journal in journals:
        sender.nudge(journal)


def default_listener(
    store: SaveStore | None, course: Course | None = None, *, background: bool = False
) -> SessionListener | None:
    """The listener a session gets unless told otherwise: xAPI recording beside the saves
    (judging assessment attempts against ``course``, when one is followed).

    Sessions without a store (nothing saved) record nothing either. ``background``: journal
    appends leave the caller's thread (call
    :func:`~netquest.xapi.journal_writer.flush_journals` before reading the journal).
    """
    if store is None:
        return None
    try:
        return recorder_for(store.directory, course, background=background)
    except Exception as error:  # recording must never stop play
        log.warning("xAPI recording is off: it could not be set up (%r)", error)
        log.debug("xAPI recorder set-up failed", exc_info=True)
        return None
