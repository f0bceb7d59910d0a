"""The teacher's desk: the class hub, and the dashboard's page behind a secret address.

``netquest serve`` makes one random token per server (:func:`secrets.token_urlsafe`) and prints
``/teacher?token=…``. The page and its websocket (``/teacher/ws/<token>``: textual.js adds
its own query string to the address) answer 403 without the right token. Each teacher tab runs
the dashboard in its own process, forked by the game launcher like a student's game.
"""

from __future__ import annotations

import logging
import secrets
import shlex
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

import aiohttp_jinja2
from aiohttp import web
from yarl import URL

from netquest.web.class_hub import ClassHub


class ClassroomServer(Protocol):
    """What the dashboard's routes need of :class:`netquest.web.server.ClassroomServer` (a
    protocol, so this module does not import the server that imports it)."""

    def _page_context(self, request: web.Request) -> dict[str, Any]: ...

    def _origin(self, request: web.Request) -> URL: ...

    def secure(self, response: web.StreamResponse, request: web.Request) -> None: ...

    def _same_origin(self, request: web.Request) -> bool: ...

    async def _play(
        self, request: web.Request, label: str, *, command: str | None = None, app: str = "game"
    ) -> web.WebSocketResponse: ...


log = logging.getLogger(__name__)

TEACHER_TABS = 4
"""Most dashboards at once (they do not take students' seats)."""
FONT_SIZE = 20
"""The dashboard's type size in the browser: 1280×720 gives about 106×30 cells."""


def dashboard_command(scenario_dirs: list[Path]) -> str:
    """The shell command that runs the dashboard for one tab (when there is no launcher)."""
    argv = [sys.executable, "-m", "netquest.web.teacher_session"]
    for folder in scenario_dirs:
        argv += ["--scenarios", str(folder)]
    return "exec " + shlex.join(argv)


class TeacherDesk:
    """The hub every game reports to, and the dashboard's routes."""

    def __init__(self, scenario_dirs: list[Path], token: str | None = None) -> None:
        """A desk with a fresh token (or ``token``, for tests)."""
        self.token = token or secrets.token_urlsafe(18)
        self.hub = ClassHub()
        self.command = dashboard_command(scenario_dirs)
        self.tabs = 0

    @property
    def path(self) -> str:
        """The teacher's address path, token included."""
        return f"/teacher?token={self.token}"

    def allowed(self, token: str | None) -> bool:
        """Whether ``token`` is this server's (compared in constant time)."""
        return token is not None and secrets.compare_digest(token.encode(), self.token.encode())

    def routes(self, server: ClassroomServer) -> list[web.AbstractRouteDef]:
        """The dashboard page and its websocket."""

        async def page(request: web.Request) -> web.StreamResponse:
            if not self.allowed(request.query.get("token")):
                log.warning("refused the teacher's page to %s: wrong token", request.remote)
                raise web.HTTPForbidden(text="the teacher's dashboard needs its address\n")
            context: dict[str, Any] = server._page_context(request)
            socket_url = server._origin(request).with_scheme(
                "wss" if request.scheme == "https" else "ws"
            )
            context["app_websocket_url"] = str(socket_url.with_path(f"/teacher/ws/{self.token}"))
            if "fontsize" not in request.query:  # ?fontsize=N still chooses another size
                context["font_size"] = FONT_SIZE
            context["application"] = {"name": "netquest · class"}
            response = aiohttp_jinja2.render_template("app_index.html", request, context)
            server.secure(response, request)
            response.headers["Referrer-Policy"] = "no-referrer"  # the token stays here
            return response

        async def websocket(request: web.Request) -> web.StreamResponse:
            if not self.allowed(request.match_info.get("token")):
                log.warning("refused a teacher websocket from %s: wrong token", request.remote)
                raise web.HTTPForbidden(text="the teacher's dashboard needs its address\n")
            if not server._same_origin(request):
                raise web.HTTPForbidden(text="netquest only talks to its own page\n")
            if self.tabs >= TEACHER_TABS:
                raise web.HTTPServiceUnavailable(text="too many dashboards open\n")
            self.tabs += 1
            try:
                return await server._play(request, "teacher", command=self.command, app="teacher")
            finally:
                self.tabs -= 1

        handlers: list[tuple[str, Callable[[web.Request], Awaitable[web.StreamResponse]]]] = [
            ("/teacher", page),
            ("/teacher/ws/{token}", websocket),
        ]
        return [web.get(path, handler) for path, handler in handlers]
