"""Send journaled statements to an LRS: batched POSTs, a cursor, a background thread.

Only the standard library: ``urllib.request`` with Basic auth and the
``X-Experience-API-Version`` header. Network trouble leaves statements queued (the journal's
cursor does not move) and they go out on a later attempt; a statement the LRS refuses is
isolated by splitting the batch, set aside in ``.xapi.rejected.jsonl`` with the LRS's message,
and reported in one line. Nothing here raises into the game.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import http.client
import ipaddress
import json
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from filelock import FileLock, Timeout

from netquest import __version__
from netquest.engine.text import printable
from netquest.saves.records import utc_timestamp
from netquest.xapi.config import LrsSettings, redact_url
from netquest.xapi.journal import (
    Line,
    append,
    encode_lines,
    lock_path,
    read_cursor,
    read_lines,
    rejected_path,
    write_cursor,
)
from netquest.xapi.vocab import XAPI_VERSION

log = logging.getLogger("netquest.xapi")

LOG_FILENAME = "netquest-xapi.log"
"""Problems with sending are also noted here, in the saves folder, one line each."""

_STATEMENT_PROBLEMS = frozenset({400, 409, 413, 422})
_MESSAGE_MAX = 300


@dataclass(frozen=True, slots=True)
class Response:
    """What came back from one POST: an HTTP status, or 0 and a network error."""

    status: int
    body: str = ""
    error: str = ""


Transport = Callable[[str, bytes, Mapping[str, str], float], Response]
"""Posts ``body`` to a URL with headers and a timeout; never raises."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirected POST would silently become a GET: report the redirect instead.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Deadline:
    """Closes every connection of one request when its overall time is up.

    ``urllib``'s timeout applies to each read: an LRS trickling a byte at a time would hold a
    request open forever. A timer shuts the sockets down at the deadline instead, so whatever
    read is waiting returns at once.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _watched(base: type[http.client.HTTPConnection], deadline: _Deadline) -> Any:
    class Watched(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    return Watched


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self._deadline), req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = _watched(http.client.HTTPSConnection, self._deadline)
        return self.do_open(connection, req, context=self._context)  # type: ignore[attr-defined]


def urllib_transport(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> Response:
    """POST with ``urllib``; proxies from the environment apply except to loopback hosts.

    ``timeout`` bounds the whole request (connecting, sending, every byte of the answer), not
    each read.
    """
    with _Deadline(timeout) as deadline:
        handlers: list[urllib.request.BaseHandler] = [
            _NoRedirect(),
            _DeadlineHTTPHandler(deadline),
            _DeadlineHTTPSHandler(deadline),
        ]
        if _is_loopback(urlsplit(url).hostname):
            handlers.append(urllib.request.ProxyHandler({}))
        opener = urllib.request.build_opener(*handlers)
        response = _post(opener, url, body, headers, timeout)
    if deadline.expired:
        return Response(0, error=f"no complete answer within {timeout:g} seconds")
    return response


def _post(
    opener: urllib.request.OpenerDirector,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float,
) -> Response:
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with opener.open(request, timeout=timeout) as response:
            return Response(response.status, response.read(65536).decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        try:
            text = error.read(65536).decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            text = ""
        return Response(error.code, text)
    except urllib.error.URLError as error:
        return Response(0, error=_flat(str(error.reason)))
    except (OSError, http.client.HTTPException, ValueError) as error:
        return Response(0, error=_flat(str(error) or type(error).__name__))


redact = redact_url


def _flat(text: str) -> str:
    # An LRS's words are not trusted, and credentials never reach a terminal or a log.
    text = printable(" ".join(redact(text).split()), one_line=True)
    return text if len(text) <= _MESSAGE_MAX else text[: _MESSAGE_MAX - 1] + "…"


def lrs_message(body: str) -> str:
    """The LRS's own words from an error body (JSON ``detail``/``message``/``error``, or text)."""
    try:
        data = json.loads(body)
    except ValueError:
        return _flat(body) or "no message"
    if isinstance(data, dict):
        for key in ("detail", "message", "error", "errors"):
            if key in data:
                return _flat(_describe(data[key])) or "no message"
    return _flat(_describe(data)) or "no message"


def _describe(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(_describe(item) for item in value[:5])
    if isinstance(value, dict) and "msg" in value:
        where = ".".join(str(part) for part in value.get("loc", ()) if part != "body")
        return f"{where}: {value['msg']}" if where else str(value["msg"])
    return json.dumps(value, ensure_ascii=False)


def _statement_ids(body: str, count: int) -> bool:
    """Whether ``body`` is what an LRS answers to a POST of ``count`` statements: a JSON array
    of ``count`` statement ids (text)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return False
    return (
        isinstance(data, list)
        and len(data) == count
        and all(isinstance(item, str) and item for item in data)
    )


def _brief_body(body: str) -> str:
    text = _flat(body)
    if not text:
        return "an empty answer"
    return f"it began {text[:60]!r}"


def headers_for(lrs: LrsSettings) -> dict[str, str]:
    """The request headers: JSON, the xAPI version and Basic auth when a key is set."""
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Experience-API-Version": XAPI_VERSION,
        "User-Agent": f"netquest/{__version__}",
    }
    if lrs.key or lrs.secret:
        token = base64.b64encode(f"{lrs.key}:{lrs.secret}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    return headers


@dataclass(frozen=True, slots=True)
class Delivery:
    """The outcome of sending one journal.

    Attributes:
        journal: The journal.
        sent: Statements the LRS accepted.
        rejected: Statements the LRS refused (set aside, not retried).
        pending: Statements still waiting to be sent.
        problem: Why statements are still waiting, in one line, or None.
        busy: Another process was sending this journal.
        unreachable: The LRS could not be reached at all (network down, wrong host).
    """

    journal: Path
    sent: int = 0
    rejected: int = 0
    pending: int = 0
    problem: str | None = None
    busy: bool = False
    unreachable: bool = False


def lrs_host(lrs: LrsSettings) -> str:
    """The LRS's host (and port) for messages: never any credentials."""
    try:
        parts = urlsplit(lrs.endpoint)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return redact(lrs.endpoint)
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}" if port else host or redact(lrs.endpoint)


def _stop_problem(response: Response, lrs: LrsSettings) -> str:
    host = lrs_host(lrs)
    status = response.status
    if status == 0:
        return f"cannot reach the LRS at {host}: {response.error}; statements stay queued"
    message = lrs_message(response.body)
    if status in (401, 403):
        return (
            f"the LRS at {host} refused the credentials (HTTP {status}: {message}); "
            "check the key and secret"
        )
    if status in (404, 405):
        return (
            f"no xAPI statements resource at {redact(lrs.statements_url)} (HTTP {status}); "
            "check the endpoint"
        )
    if 300 <= status < 400:
        return f"the LRS at {host} redirects (HTTP {status}); configure the final endpoint"
    return f"the LRS at {host} is unavailable (HTTP {status}: {message}); statements stay queued"


@dataclass(slots=True)
class _Progress:
    processed: int = 0
    sent: int = 0
    problem: str | None = None
    unreachable: bool = False


class _Batcher:
    """Posts lines, splitting a refused batch until the refused statements are isolated."""

    def __init__(self, lrs: LrsSettings, transport: Transport) -> None:
        self.lrs = lrs
        self.transport = transport
        self.headers = headers_for(lrs)
        self.rejected: list[tuple[Line, str]] = []

    def send(self, lines: Sequence[Line], progress: _Progress) -> None:
        body = b"[" + b",".join(line.raw for line in lines) + b"]"
        response = self.transport(self.lrs.statements_url, body, self.headers, self.lrs.timeout)
        if 200 <= response.status < 300:
            if _statement_ids(response.body, len(lines)):
                progress.processed += len(lines)
                progress.sent += len(lines)
                return
            progress.problem = (
                f"the LRS at {lrs_host(self.lrs)} answered HTTP {response.status} without the "
                f"xAPI list of {len(lines)} statement id(s) ({_brief_body(response.body)}); "
                "statements stay queued; check the endpoint (a login page or proxy?)"
            )
            return
        if response.status in _STATEMENT_PROBLEMS:
            if len(lines) == 1:
                reason = f"HTTP {response.status}: {lrs_message(response.body)}"
                self.rejected.append((lines[0], reason))
                progress.processed += 1
                return
            middle = len(lines) // 2
            self.send(lines[:middle], progress)
            if progress.problem is None:
                self.send(lines[middle:], progress)
            return
        progress.problem = _stop_problem(response, self.lrs)
        progress.unreachable = response.status == 0


def deliver(journal: Path, lrs: LrsSettings, transport: Transport | None = None) -> Delivery:
    """Send a journal's unsent statements to the LRS, in batches; never raises.

    Another process already sending the same journal makes this a no-op (``busy``).
    """
    lock = FileLock(str(lock_path(journal)), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        return Delivery(journal, busy=True)
    except OSError as error:
        return Delivery(journal, problem=f"cannot lock {journal}: {_flat(str(error))}")
    try:
        return _deliver_locked(journal, lrs, transport or urllib_transport)
    finally:
        lock.release()


def _deliver_locked(journal: Path, lrs: LrsSettings, transport: Transport) -> Delivery:
    target = lrs.statements_url
    if journal.is_symlink():
        return Delivery(
            journal, problem=f"{journal} is a symbolic link, which netquest never follows"
        )
    offset = read_cursor(journal, target)
    try:
        if offset > journal.stat().st_size:  # the journal was replaced: start again
            offset = 0
        lines = list(read_lines(journal, offset))
    except FileNotFoundError:
        return Delivery(journal)
    except OSError as error:
        return Delivery(journal, problem=f"cannot read {journal}: {_flat(str(error))}")
    last_end = lines[-1].end if lines else offset
    unreadable = sum(1 for line in lines if line.statement is None)
    if unreadable:
        log.warning("%s: %d unreadable line(s) skipped", journal, unreadable)
    readable = [line for line in lines if line.statement is not None]
    batcher = _Batcher(lrs, transport)
    sent = done = 0
    problem: str | None = None
    unreachable = False
    for start in range(0, len(readable), lrs.batch_size):
        batch = readable[start : start + lrs.batch_size]
        before = len(batcher.rejected)
        progress = _Progress()
        batcher.send(batch, progress)
        sent += progress.sent
        done += progress.processed
        _set_aside(journal, lrs, batcher.rejected[before:], len(batch))
        if progress.problem is not None:
            problem, unreachable = progress.problem, progress.unreachable
            position = batch[progress.processed - 1].end if progress.processed else None
        else:
            position = batch[-1].end
        if position is not None and not _save_cursor(journal, target, position):
            problem = problem or f"cannot update the send position of {journal.name}"
        if problem is not None:
            break
    else:
        if last_end > offset:
            _save_cursor(journal, target, last_end)
    return Delivery(
        journal,
        sent=sent,
        rejected=len(batcher.rejected),
        pending=len(readable) - done,
        problem=problem,
        unreachable=unreachable,
    )


def _save_cursor(journal: Path, target: str, position: int) -> bool:
    try:
        write_cursor(journal, target, position)
    except OSError as error:
        log.warning("cannot update %s: %s", journal.name, error)
        return False
    return True


def _set_aside(
    journal: Path, lrs: LrsSettings, refused: Sequence[tuple[Line, str]], batch: int
) -> None:
    if not refused:
        return
    host = lrs_host(lrs)
    first = refused[0][1]
    log.warning(
        "the LRS at %s rejected %d of %d statement(s) from %s: %s",
        host,
        len(refused),
        batch,
        journal.name,
        first,
    )
    note(journal.parent, f"{host} rejected {len(refused)} of {batch} from {journal.name}: {first}")
    records = [
        {
            "rejected": utc_timestamp(),
            "endpoint": redact(lrs.statements_url),
            "reason": reason,
            "statement": line.statement,
        }
        for line, reason in refused
    ]
    try:
        append(rejected_path(journal), encode_lines(records))
    except OSError as error:
        log.warning("cannot keep rejected statements in %s: %s", rejected_path(journal), error)


def note(directory: Path, message: str) -> None:
    """Add a timestamped line to ``netquest-xapi.log`` in ``directory`` (best effort)."""
    line = f"{utc_timestamp()} {_flat(message)}\n".encode("utf-8", "backslashreplace")
    with contextlib.suppress(OSError):
        append(directory / LOG_FILENAME, line)


class BackgroundSender:
    """Sends journals on a daemon thread so play never waits for the network.

    :meth:`nudge` queues a journal and returns at once. After a failure the thread waits
    (5 s, doubling up to 5 minutes) before trying again; statements stay on disk meanwhile.
    """

    def __init__(
        self, lrs: LrsSettings, directory: Path, transport: Transport | None = None
    ) -> None:
        self.lrs = lrs
        self.directory = directory
        self._transport = transport
        self._pending: set[Path] = set()
        self._active = False
        self._retry_at = 0.0
        self._failures = 0
        self._last_problem: str | None = None
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def nudge(self, journal: Path) -> None:
        """Queue ``journal`` for sending."""
        with self._condition:
            if self._stopped:
                return
            self._pending.add(journal)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="netquest-xapi-sender", daemon=True
                )
                self._thread.start()
            self._condition.notify_all()

    @property
    def last_problem(self) -> str | None:
        """The problem of the last attempt, if it failed."""
        return self._last_problem

    def drain(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for queued journals to be sent; True when done.

        Returns at once while backing off after a failure: the statements wait on disk.
        """
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._pending or self._active:
                left = deadline - time.monotonic()
                if left <= 0 or (not self._active and self._retry_at > time.monotonic()):
                    return False
                self._condition.wait(left)
        return True

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread (after the journal it is sending, if any); queued ones stay on disk."""
        with self._condition:
            self._stopped = True
            self._pending.clear()
            self._condition.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._condition:
                while True:
                    if self._stopped:
                        return
                    if self._pending:
                        delay = self._retry_at - time.monotonic()
                        if delay <= 0:
                            break
                        self._condition.wait(delay)
                    else:
                        self._condition.wait()
                journals = sorted(self._pending)
                self._pending.clear()
                self._active = True
            failed: list[Path] = []
            try:
                failed = self._send(journals)
            finally:
                with self._condition:
                    self._active = False
                    self._pending.update(failed)
                    self._condition.notify_all()

    def _send(self, journals: list[Path]) -> list[Path]:
        failed: list[Path] = []
        for journal in journals:
            try:
                result = deliver(journal, self.lrs, self._transport)
            except Exception as error:  # never let the thread die
                result = Delivery(journal, problem=f"unexpected error: {error!r}")
            if result.problem is not None:
                failed.append(journal)
                self._failed(result.problem)
            elif result.sent or result.rejected:
                self._succeeded()
        return failed

    def _failed(self, problem: str) -> None:
        self._failures += 1
        self._retry_at = time.monotonic() + min(300.0, 5.0 * 2 ** (self._failures - 1))
        if problem != self._last_problem:
            log.warning("%s", problem)
            note(self.directory, problem)
        self._last_problem = problem

    def _succeeded(self) -> None:
        if self._last_problem is not None:
            log.info("the LRS is reachable again; queued statements were sent")
        self._failures = 0
        self._retry_at = 0.0
        self._last_problem = None


_senders: dict[tuple[str, str, Path], BackgroundSender] = {}
_senders_lock = threading.Lock()
_exit_hook: list[bool] = []
EXIT_GRACE = 3.0
"""Seconds the process may wait at exit for statements still being sent."""


def sender_for(lrs: LrsSettings, directory: Path) -> BackgroundSender:
    """The process's background sender for one LRS and saves folder."""
    key = (lrs.statements_url, lrs.key, directory.resolve())
    with _senders_lock:
        sender = _senders.get(key)
        if sender is None or sender.lrs != lrs:
            if not _exit_hook:
                atexit.register(_drain_all)
                _exit_hook.append(True)
            sender = _senders[key] = BackgroundSender(lrs, directory)
        return sender


def stop_senders(timeout: float = 5.0) -> None:
    """Stop every background sender of this process (statements not sent stay queued)."""
    with _senders_lock:
        senders = list(_senders.values())
        _senders.clear()
    for sender in senders:
        sender.stop(timeout)


def _drain_all() -> None:
    deadline = time.monotonic() + EXIT_GRACE
    with _senders_lock:
        senders = list(_senders.values())
    for sender in senders:
        sender.drain(max(0.0, deadline - time.monotonic()))
