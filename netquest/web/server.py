"""The classroom server: textual-serve, capped, offline, and answering only its own pages.

What this adds to textual-serve's :class:`~textual_serve.server.Server`:

- a cap on concurrent games: at the cap, a new tab gets a polite "class is full" page
  (HTTP 503 that retries by itself) and a websocket that still slips through is closed
  with code 1013 "try again later", which the page explains;
- a page that needs nothing from the internet (see ``templates/app_index.html``) and a
  Content-Security-Policy that keeps it that way;
- page and websocket addresses taken from the request when no public URL is given, so
  ``--host 0.0.0.0`` works from other machines (textual-serve would send them to
  ``http://0.0.0.0:8000``);
- websockets only from our own page (a browser always sends ``Origin``), so another web
  site cannot start games on the server through a visitor's browser;
- requests only for the names this server is known by (``Host``), so a site whose name is made
  to resolve to the server ("DNS rebinding") is refused;
- at most ``max_per_client`` games per client address when listening beyond this computer, and
  websocket messages of at most :data:`MAX_MESSAGE` bytes;
- one log line, never a traceback, for what a client gets wrong (a malformed request, a plain
  ``GET /ws``, a bad or oversized message, a tab dropped while its game starts);
- logging to stderr; a clean stop (SIGINT/SIGTERM) that lets every game save first.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import os
import signal
import socket
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from aiohttp.http_exceptions import HttpProcessingError
from textual_serve.server import Server
from yarl import URL

from netquest.engine.text import printable
from netquest.web.launcher import GameLauncher
from netquest.web.service import TabService
from netquest.web.teacher import TeacherDesk

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RETRY_SECONDS = 30
"""How soon the "class is full" page tries again."""
SIZE_LIMITS = ((20, 400), (8, 200))
"""Accepted terminal (columns, rows): a browser cannot ask for a gigantic screen."""
MAX_MESSAGE = 16 * 1024
"""Largest websocket message accepted (bytes). Keys, pastes and resizes are far smaller; a
bigger message closes that tab's connection (1009) instead of keeping its game busy."""
MAX_PER_CLIENT = 4
"""Default most games at once from one client address (when listening beyond this computer)."""
WILDCARDS = frozenset({"0.0.0.0", "::", ""})


def _first_line(error: BaseException) -> str:
    """An error in a few words, for one log line."""
    text = getattr(error, "message", None)
    text = text if isinstance(text, str) and text.strip() else str(error)
    text = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return printable(text.rstrip(":"), one_line=True)


class ClientErrorFilter(logging.Filter):
    """aiohttp logs a traceback at ERROR for every malformed request it answers with a 400.

    That is the client's mistake, not the server's: make it one WARNING line naming the client
    and the problem. Anything else (a real bug) is left as it is.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite a client error's record in place; always keep the record."""
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError | web.HTTPClientError | ConnectionError):
            remote = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
            record.msg = "refused a malformed request from %s: %s"
            record.args = (remote, _first_line(error))
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


_CLIENT_ERRORS = ClientErrorFilter()


def quiet_client_errors() -> None:
    """Install :class:`ClientErrorFilter` on aiohttp's server log (once)."""
    server_log = logging.getLogger("aiohttp.server")
    if _CLIENT_ERRORS not in server_log.filters:
        server_log.addFilter(_CLIENT_ERRORS)


def machine_names() -> set[str]:
    """The names this computer goes by (host name, fully qualified name, ``NAME.local``)."""
    names: set[str] = set()
    with suppress(OSError):
        hostname = socket.gethostname()
        names |= {hostname, f"{hostname.split('.')[0]}.local"}
    with suppress(OSError):
        names.add(socket.getfqdn())
    return {name.lower().rstrip(".") for name in names if name}


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) means this computer only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _clamp(value: object, default: int, limits: tuple[int, int]) -> int:
    try:
        number = int(str(value))
    except ValueError:
        number = default
    return max(limits[0], min(limits[1], number))


class ListenError(Exception):
    """The server cannot listen on the address it was given."""

    def __init__(self, error: OSError) -> None:
        """Explain ``error`` in a few words (e.g. "Address already in use")."""
        super().__init__(os.strerror(error.errno) if error.errno else str(error))


def _websocket(origin: URL) -> URL:
    """The websocket origin matching a page origin."""
    return origin.with_scheme("wss" if origin.scheme == "https" else "ws").origin()


class ClassroomServer(Server):
    """Serve one game process per browser tab, up to ``max_sessions`` at a time."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        max_sessions: int,
        public_url: str | None = None,
        title: str = "netquest",
        launcher: GameLauncher | None = None,
        max_per_client: int = MAX_PER_CLIENT,
        desk: TeacherDesk | None = None,
    ) -> None:
        """Run a game for each tab; listen on ``host:port``.

        Args:
            command: Shell command that runs one game (used when there is no launcher).
            host: Address to listen on.
            port: Port to listen on (0: any free one).
            max_sessions: Most games at once.
            public_url: The address browsers use, when it is not the one they asked.
            title: The page title.
            launcher: Forks games from a process with the game loaded (faster, lighter).
            max_per_client: Most games at once from one client address, when listening beyond
                this computer (0: no limit). On loopback every client is this computer.
            desk: The class hub and the teacher's dashboard (``/teacher?token=…``).
        """
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
        self.launcher = launcher
        self.desk = desk
        self.given_public_url = public_url.rstrip("/") if public_url else None
        self.max_sessions = max_sessions
        self.max_per_client = max_per_client if not is_loopback(host) else 0
        self.per_client: Counter[str] = Counter()
        """Games being served now, by client address."""
        self.host_names = self._known_names()
        """The host names (lower case) requests may ask for; addresses are checked apart."""
        self.tabs: set[TabService] = set()
        self.sessions = 0
        """Tabs being served now (counted before their game process starts)."""
        self._opened = 0
        self._closing = False
        self._ready = asyncio.Event()
        """Set once the game launcher is up (a tab that connects sooner waits for it)."""

    # -- serving -----------------------------------------------------------------------------

    def run(self, on_ready: Callable[[list[tuple[str, int]]], None]) -> None:
        """Serve until SIGINT or SIGTERM; ``on_ready`` gets the bound addresses.

        Raises:
            ListenError: if the address cannot be bound (e.g. the port is in use).
        """
        asyncio.run(self._serve(on_ready))

    async def _serve(self, on_ready: Callable[[list[tuple[str, int]]], None]) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError, AttributeError):
                loop.add_signal_handler(signum, stop.set)
        runner = web.AppRunner(await self._make_app(), access_log=None, shutdown_timeout=5.0)
        await runner.setup()
        try:
            try:
                await web.TCPSite(runner, self.host, self.port).start()
            except OSError as error:
                raise ListenError(error) from None
            if self.desk is not None:
                await self.desk.hub.start()
                from netquest.play.class_feed import FEED_ENV

                os.environ[FEED_ENV] = self.desk.hub.path  # every game started from now on
            if self.launcher is not None and not await self.launcher.start():
                self.launcher = None
            self._ready.set()
            on_ready([(str(address[0]), int(address[1])) for address in runner.addresses])
            await stop.wait()
            log.info("stopping: asking %d game(s) to save and quit", len(self.tabs))
            self._closing = True
            await asyncio.gather(*(tab.stop() for tab in list(self.tabs)))
        finally:
            if self.launcher is not None:
                await self.launcher.close()
            await runner.cleanup()
            if self.desk is not None:
                await self.desk.hub.close()

    async def _make_app(self) -> web.Application:
        @web.middleware
        async def known_host(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not self._host_allowed(request):
                log.warning("refused a request for host %r (DNS rebinding?)", request.host[:200])
                raise web.HTTPForbidden(text="netquest does not answer to that host name\n")
            return await handler(request)

        quiet_client_errors()
        app = web.Application(middlewares=[known_host])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        if self.desk is not None:
            app.add_routes(self.desk.routes(self))
        return app

    # -- the page ----------------------------------------------------------------------------

    def _known_names(self) -> frozenset[str]:
        names = {"localhost"}
        if self.given_public_url and URL(self.given_public_url).host:
            names.add(str(URL(self.given_public_url).host).lower())
        if not is_loopback(self.host):
            if self.host not in WILDCARDS:
                names.add(self.host.lower())
            names |= machine_names()
        return frozenset(name.rstrip(".") for name in names)

    def _host_allowed(self, request: web.Request) -> bool:
        """Answer only to the names and addresses this server is reached by.

        Otherwise a web site whose name is made to resolve to this server ("DNS rebinding")
        could drive it from a visitor's browser as if it were its own page. Accepted: this
        computer's names (``localhost``, its host names when listening beyond it), the
        ``--host`` name and ``--public-url``'s host; and an address typed as such, which no
        rebinding can produce (on loopback, only a loopback address).
        """
        host = (request.url.host or "").lower().rstrip(".")
        if not host:
            return "Host" not in request.headers  # an HTTP/1.0 client that names no host
        try:
            address = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return host in self.host_names
        return address.is_loopback or not is_loopback(self.host)

    def _origin(self, request: web.Request) -> URL:
        """The address browsers use for this server (``--public-url``, else the request's)."""
        if self.given_public_url:
            return URL(self.given_public_url)
        return URL.build(
            scheme=request.scheme, host=request.url.host or self.host, port=request.url.port
        )

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The game page, or the "class is full" page at the cap."""
        if self._closing or self.sessions >= self.max_sessions:
            log.warning("class full: a new tab was asked to wait (%d playing)", self.sessions)
            context: Mapping[str, Any] = {
                "max_sessions": self.max_sessions,
                "retry": RETRY_SECONDS,
                "closing": self._closing,
            }
            response = aiohttp_jinja2.render_template(
                "class_full.html", request, context, status=503
            )
            response.headers["Retry-After"] = str(RETRY_SECONDS)
        else:
            response = aiohttp_jinja2.render_template(
                "app_index.html", request, self._page_context(request)
            )
        self.secure(response, request)
        return response

    def secure(self, response: web.StreamResponse, request: web.Request) -> None:
        """The page's security headers: only this server, no caching, no sniffing."""
        websocket = _websocket(self._origin(request))
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
            f"connect-src 'self' {websocket}; frame-ancestors 'self'"
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"

    def _page_context(self, request: web.Request) -> dict[str, Any]:
        origin = self._origin(request)
        return {
            "font_size": _clamp(request.query.get("fontsize", "16"), 16, (8, 48)),
            "app_websocket_url": str(_websocket(origin).with_path("/ws")),
            "config": {"static": {"url": str(origin.with_path("/static/"))}},
            "application": {"name": self.title},
        }

    # -- the game behind each tab ------------------------------------------------------------

    def _same_origin(self, request: web.Request) -> bool:
        """Whether a websocket comes from our own page (or from a non-browser client)."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        try:
            url = URL(origin)
        except ValueError:
            return False
        allowed = {(request.url.host, request.url.port)}
        if self.given_public_url:
            public = URL(self.given_public_url)
            allowed.add((public.host, public.port))
        return (url.host, url.port) in allowed

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Start a game for a tab (or turn it away when the class is full)."""
        if not web.WebSocketResponse().can_prepare(request).ok:
            log.info("answered a plain request for /ws from %s (not a websocket)", request.remote)
            raise web.HTTPUpgradeRequired(text="this address is the game's websocket; open /\n")
        if not self._same_origin(request):
            origin = request.headers["Origin"][:200]
            log.warning("refused a websocket from another site: %s", origin)
            raise web.HTTPForbidden(text="netquest only talks to its own page\n")
        if self._closing or self.sessions >= self.max_sessions:
            return await self._turn_away(request)
        client = request.remote or "?"
        if self.max_per_client and self.per_client[client] >= self.max_per_client:
            return await self._turn_away(request, client=client)
        self.sessions += 1
        self.per_client[client] += 1
        self._opened += 1
        try:
            return await self._play(request, f"tab {self._opened}")
        finally:
            self.sessions -= 1
            self.per_client[client] -= 1
            if self.per_client[client] <= 0:
                del self.per_client[client]

    async def _turn_away(
        self, request: web.Request, *, client: str | None = None
    ) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse()
        await websocket.prepare(request)
        if self._closing:
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"The server is stopping.")
        elif client is not None:
            log.warning(
                "turned a tab away: %s already plays %d game(s) (--max-per-client)",
                client,
                self.per_client[client],
            )
            await websocket.close(
                code=WSCloseCode.TRY_AGAIN_LATER,
                message=b"Too many games are open from your computer: close a tab first.",
            )
        else:
            log.warning("class full: turned a tab away (%d playing)", self.sessions)
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"The class is full.")
        return websocket

    async def _play(
        self, request: web.Request, label: str, *, command: str | None = None, app: str = "game"
    ) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        columns = _clamp(request.query.get("width", "80"), 80, SIZE_LIMITS[0])
        rows = _clamp(request.query.get("height", "24"), 24, SIZE_LIMITS[1])
        tab: TabService | None = None
        try:
            await websocket.prepare(request)
            await self._ready.wait()
            tab = TabService(
                command or self.command,
                label=label,
                app=app,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                launcher=self.launcher,
            )
            await tab.start(columns, rows)
            self.tabs.add(tab)
            log.info("%s: joined from %s (%d playing)", label, request.remote, self.sessions)
            await self._relay_browser(websocket, tab)
        except ConnectionError as error:
            log.info("%s: the connection was lost (%s)", label, _first_line(error))
        except Exception as error:  # one line for the log; the details for NETQUEST_LOG=DEBUG
            log.warning("%s: the session failed: %s", label, _first_line(error))
            log.debug("%s: the session failed", label, exc_info=True)
        finally:
            if tab is not None:
                self.tabs.discard(tab)
                await tab.stop()
                log.info("%s: left (%d playing)", label, self.sessions - 1)
        return websocket

    @staticmethod
    async def _relay_browser(websocket: web.WebSocketResponse, tab: TabService) -> None:
        """Pass keys, resizes and focus from the browser to the game (bad messages are ignored)."""
        async for message in websocket:
            if message.type == WSMsgType.ERROR:  # e.g. bigger than MAX_MESSAGE: aiohttp closes
                log.warning(
                    "%s: closed: %s",
                    tab.label,
                    _first_line(websocket.exception() or ConnectionError("websocket error")),
                )
                return
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except (ValueError, RecursionError):  # not JSON, or nested too deep to decode
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await tab.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await tab.set_terminal_size(
                    _clamp(data.get("width"), 80, SIZE_LIMITS[0]),
                    _clamp(data.get("height"), 24, SIZE_LIMITS[1]),
                )
            elif kind == "ping" and isinstance(data, str):
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await tab.blur()
            elif kind == "focus":
                await tab.focus()
