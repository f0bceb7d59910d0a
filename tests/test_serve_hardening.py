"""What a browser or any network client can do to ``netquest serve`` (issue 10, items 16-18).

Most tests run the real :class:`~netquest.web.server.ClassroomServer` application in this
process on 127.0.0.1 (aiohttp's test server), with a stand-in game: a tiny process that speaks
the first line of the game protocol and quits when asked, so seats, messages and headers can
be tested in a second each. The last test runs the real ``netquest serve`` with real games and
throws every bad request of the issue at it at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shlex
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("textual_serve", reason="needs the web extra: pip install 'netquest[web]'")
aiohttp = pytest.importorskip("aiohttp")

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from netquest.web.server import ClassroomServer  # noqa: E402

STAND_IN = (
    "import os, sys\n"
    "sys.stdout.write('__GANGLION__\\n'); sys.stdout.flush()\n"
    "seen = b''\n"
    "while b'quit' not in seen:\n"
    "    chunk = os.read(0, 65536)\n"
    "    if not chunk: break\n"
    "    seen = (seen + chunk)[-64:]\n"
)
"""A game that starts (the protocol's first line) and waits until it is asked to quit."""
COMMAND = f"exec {shlex.quote(sys.executable)} -c {shlex.quote(STAND_IN)}"


class Server(TestServer):
    """aiohttp's test server, without cancelling a handler when its client goes away (as
    ``netquest serve`` runs: a tab's handler must get to stop its game)."""

    async def _make_runner(self, **kwargs: Any) -> aiohttp.web.BaseRunner:
        kwargs["handler_cancellation"] = False
        return await super()._make_runner(**kwargs)


Body = Callable[[TestClient[aiohttp.web.Request, aiohttp.web.Application]], Awaitable[None]]


def serve(body: Body, *, host: str = "127.0.0.1", **options: object) -> None:
    """Run ``body`` against a classroom server listening (as far as it knows) on ``host``."""

    async def main() -> None:
        server = ClassroomServer(
            COMMAND, host=host, port=0, max_sessions=int(str(options.pop("max_sessions", 10))),
            **options,  # type: ignore[arg-type]
        )  # fmt: skip
        server._ready.set()  # no game launcher: each tab runs COMMAND
        app = await server._make_app()
        async with Server(app, host="127.0.0.1") as test_server:
            async with TestClient(test_server) as client:
                await body(client)
                for _ in range(200):  # every tab's game has stopped
                    if not server.sessions:
                        break
                    await asyncio.sleep(0.05)
            await asyncio.gather(*(tab.stop() for tab in list(server.tabs)))

    asyncio.run(main())


async def alive(websocket: aiohttp.ClientWebSocketResponse, token: str = "still here") -> None:
    """The tab's relay still answers: a ping comes back as a pong."""
    await websocket.send_json(["ping", token])
    while True:
        message = await websocket.receive(timeout=10)
        assert message.type == aiohttp.WSMsgType.TEXT, message
        if json.loads(message.data) == ["pong", token]:
            return


async def closed(websocket: aiohttp.ClientWebSocketResponse) -> aiohttp.WSMessage:
    """The close message the server sent (frames before it skipped)."""
    while True:
        message = await websocket.receive(timeout=10)
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            return message


def assert_one_line_logs(caplog: pytest.LogCaptureFixture) -> None:
    """No traceback and no ERROR: every record is one line a teacher can read."""
    for record in caplog.records:
        assert record.exc_info is None, record.getMessage()
        assert record.levelno < logging.ERROR, record.getMessage()
        assert "\n" not in record.getMessage()
    assert "Traceback" not in caplog.text


# -- item 16: no traceback for what a client gets wrong -----------------------------------------


def test_plain_get_of_the_websocket_address_is_answered_in_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def body(client: TestClient[aiohttp.web.Request, aiohttp.web.Application]) -> None:
        async with client.get("/ws") as response:
            assert response.status == 426
            assert "websocket" in await response.text()
        async with client.get("/") as page:  # the server carries on
            assert page.status == 200

    with caplog.at_level(logging.DEBUG, logger="netquest"):
        serve(body)
    assert_one_line_logs(caplog)
    assert len([r for r in caplog.records if "/ws" in r.getMessage()]) == 1


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n",
        b"GET /\x00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
def test_a_malformed_request_is_one_warning_line(
    request_bytes: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    async def body(client: TestClient[aiohttp.web.Request, aiohttp.web.Application]) -> None:
        reader, writer = await asyncio.open_connection(client.host, client.port)
        writer.write(request_bytes)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 10)
        writer.close()
        assert answer.startswith(b"HTTP/1.") and b" 400 " in answer.split(b"\r\n")[0]
        async with client.get("/") as page:
            assert page.status == 200

    with caplog.at_level(logging.DEBUG):
        serve(body)
    assert_one_line_logs(caplog)
    refused = [r for r in caplog.records if "malformed request" in r.getMessage()]
    assert len(refused) == 1 and refused[0].levelno == logging.WARNING


def test_a_deeply_nested_message_is_ignored_and_the_tab_carries_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def body(client: TestClient[aiohttp.web.Request, aiohttp.web.Application]) -> None:
        websocket = await client.ws_connect("/ws")
        await alive(websocket)
        nested = "[" * 5000 + "]" * 5000  # within the size limit, too deep for json.loads
        assert len(nested) < 16 * 1024  # MAX_MESSAGE
        await websocket.send_str(nested)
        await websocket.send_str('["stdin", "\\ud800"]')  # a lone surrogate: not UTF-8
        await websocket.send_str('["resize", {"width": "9' + "9" * 5000 + '"}]')
        await alive(websocket, "after the bad messages")
        await websocket.close()

    with caplog.at_level(logging.DEBUG, logger="netquest"):
        serve(body)
    assert_one_line_logs(caplog)
    assert "session failed" not in caplog.text


# -- item 17: message size and seats per client ------------------------------------------------


def test_an_oversized_message_closes_only_its_own_tab(caplog: pytest.LogCaptureFixture) -> None:
    async def body(client: TestClient[aiohttp.web.Request, aiohttp.web.Application]) -> None:
        other = await client.ws_connect("/ws")
        flood = await client.ws_connect("/ws", max_msg_size=0)
        await alive(flood)
        await flood.send_str(json.dumps(["stdin", "x" * 3_000_000]))
        message = await closed(flood)
        assert message.data == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
        await alive(other)  # the other tab carries on
        await other.close()

    with caplog.at_level(logging.DEBUG, logger="netquest"):
        serve(body)
    assert_one_line_logs(caplog)
    assert len([r for r in caplog.records if "exceeds limit" in r.getMessage()]) == 1


def test_one_client_cannot_take_every_seat(caplog: pytest.LogCaptureFixture) -> None:
    async def body(client: TestClient[aiohttp.web.Request, aiohttp.web.Application]) -> None:
        first = await client.ws_connect("/ws")  # no Origin header: not a browser
        second = await client.ws_connect("/ws")
        await alive(first)
        await alive(second)
        third = await client.ws_connect("/ws")
        message = await closed(third)
        assert message.data == aiohttp.WSCloseCode.TRY_AGAIN_LATER
        assert "from your computer" in message.extra
        await first.close()
        for _ in range(100):  # the seat comes back once the first tab's game has stopped
            again = await client.ws_connect("/ws")
            with contextlib.suppress(ConnectionError):
                await again.send_json(["ping", "seat?"])
            reply = await again.receive(timeout=10)
            if reply.type == aiohttp.WSMsgType.TEXT:  # the pong: this tab got a game
                break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("the client's seat never came back")
        await alive(again)
        await again.close()
        await second.close()

    with caplog.at_level(logging.INFO, logger="netquest"):
        serve(body, host="0.0.0.0", max_per_client=2)
    assert_one_line_logs(caplog)
    assert "--max-per-client" in caplog.text


def test_on_loopback_every_client_is_this_computer_so_only_the_class_cap_applies() -> None:
    async def body(client: TestClient[aiohttp.web.Request, aiohttp.web.Application]) -> None:
        tabs = [await client.ws_connect("/ws") for _ in range(3)]
        for tab in tabs:
            await alive(tab)
        full = await client.ws_connect("/ws")
        assert "class is full" in (await closed(full)).extra
        for tab in tabs:
            await tab.close()

    serve(body, host="127.0.0.1", max_per_client=2, max_sessions=3)


# -- item 18: the Host header ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("rebound.example", 403),
        ("rebound.example.", 403),
        ("localhost", 200),
        ("127.0.0.1", 200),
        ("192.168.1.20", 200),  # an address: no name to rebind
        ("[fe80::1]", 200),
        (socket.gethostname(), 200),
        ("quest.example.org", 200),  # --public-url's host
        ("QUEST.example.org.", 200),
    ],
)
def test_every_interface_answers_only_to_its_own_names(
    host: str, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    async def body(client: TestClient[aiohttp.web.Request, aiohttp.web.Application]) -> None:
        async with client.get("/", headers={"Host": f"{host}:{client.port}"}) as page:
            assert page.status == status
        socket_url = "/ws"
        if status == 403:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect(socket_url, headers={"Host": host})
            assert refused.value.status == 403

    with caplog.at_level(logging.INFO, logger="netquest"):
        serve(body, host="0.0.0.0", public_url="https://quest.example.org")
    assert_one_line_logs(caplog)
    if status == 403:
        assert "DNS rebinding" in caplog.text


def test_on_loopback_an_outside_address_is_refused_too() -> None:
    async def body(client: TestClient[aiohttp.web.Request, aiohttp.web.Application]) -> None:
        async with client.get("/", headers={"Host": "192.168.1.20"}) as page:
            assert page.status == 403
        async with client.get("/", headers={"Host": "[::1]"}) as page:
            assert page.status == 200

    serve(body, host="127.0.0.1")


# -- item 16, end to end: real server, real games ----------------------------------------------


def test_the_real_server_shrugs_off_bad_clients_and_dropped_tabs(tmp_path: Path) -> None:
    """Everything of item 16 against ``netquest serve`` with real games; then a game still
    starts, and the server's log has no traceback."""
    from test_serve_e2e import _open_game, running_server

    log: list[str] = []

    async def scenario(url: str) -> None:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        async with aiohttp.ClientSession() as session:
            async with session.get(url + "ws") as response:
                assert response.status == 426
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET /\x00 HTTP/1.1\r\n\r\n")
            await asyncio.wait_for(reader.read(), 10)
            writer.close()
            socket_url = url.replace("http", "ws", 1) + "ws?width=100&height=30"
            for delay in (0, 0.05, 0.1, 0.2, 0.4, 0.8):  # tabs that drop while the game starts
                dropped = await session.ws_connect(socket_url)
                await asyncio.sleep(delay)
                await dropped.close()
            game = await _open_game(session, url)
            await game.send_str("[" * 5000 + "]" * 5000)
            await alive_on(game)
            await game.close()
            await asyncio.sleep(3)  # the dropped games finish quitting and log what they say

    async def alive_on(websocket: aiohttp.ClientWebSocketResponse) -> None:
        await websocket.send_json(["ping", "ok"])
        while True:
            message = await websocket.receive(timeout=10)
            if message.type == aiohttp.WSMsgType.TEXT and json.loads(message.data)[0] == "pong":
                return

    with running_server(tmp_path / "saves", log=log) as url:
        asyncio.run(scenario(url))
    text = "".join(log)
    assert "Traceback" not in text and "NoMatches" not in text, text
    assert "ERROR" not in text, text


def test_max_per_client_is_an_option_and_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from netquest.cli import main

    assert main(["serve", "--saves", str(tmp_path), "--max-per-client", "-1"]) == 2
    assert capsys.readouterr().err == ("netquest: --max-per-client must be 0 (no limit) or more\n")
    assert ClassroomServer(COMMAND, host="0.0.0.0", port=0, max_sessions=9).max_per_client == 4
    unlimited = ClassroomServer(COMMAND, host="::", port=0, max_sessions=9, max_per_client=0)
    assert unlimited.max_per_client == 0
