"""``netquest serve`` and ``netquest --web-session``: messages, options and the tab command."""

from __future__ import annotations

import shlex
import socket
import sys
from pathlib import Path

import pytest

from netquest.cli import main

pytest.importorskip("textual_serve", reason="needs the web extra: pip install 'netquest[web]'")

from netquest.commands.serve import INSTALL_HINT, _urls, tab_command
from netquest.web.server import is_loopback


def test_without_the_web_extra_one_line_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # importing it now fails
    monkeypatch.delitem(sys.modules, "textual_serve.server", raising=False)
    monkeypatch.delitem(sys.modules, "netquest.web.server", raising=False)
    monkeypatch.delitem(sys.modules, "netquest.web.service", raising=False)
    assert main(["serve"]) == 2
    assert capsys.readouterr().err == INSTALL_HINT + "\n"
    assert INSTALL_HINT == "netquest serve needs the web extra: pip install 'netquest[web]'"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--max-sessions", "0"], "--max-sessions must be at least 1"),
        (["--port", "70000"], "--port must be between 0 and 65535"),
        (["--public-url", "ftp://host"], "--public-url must start with http"),
        (["--public-url", "https://host/class"], "without a path"),
    ],
)
def test_bad_options_are_refused_in_one_line(
    options: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--saves", str(tmp_path), *options]) == 2
    error = capsys.readouterr().err
    assert message in error
    assert error.count("\n") == 1


@pytest.mark.skipif(
    sys.platform != "linux", reason="relies on Linux refusing 0.0.0.0 on a busy port"
)
def test_a_busy_port_is_one_line_and_a_public_host_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        # Binding every interface fails while the port is taken on loopback: nothing is exposed.
        status = main(["serve", "--saves", str(tmp_path), "--host", "0.0.0.0", "--port", str(port)])
    assert status == 2
    assert "anyone who can reach port" in caplog.text
    assert capsys.readouterr().err == (
        f"netquest: cannot listen on 0.0.0.0 port {port}: Address already in use\n"
    )


def test_scenario_problems_are_reported_before_the_class_starts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "no such folder"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        status = main(
            ["serve", "--saves", str(tmp_path), "--scenarios", str(missing), "--port", port]
        )
    assert status == 2  # the port was taken, after the warning
    assert "NQ002" in caplog.text
    assert str(missing) in caplog.text


def test_web_session_is_only_for_the_server(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert main(["--web-session"]) == 2
    assert "only for the games that `netquest serve` starts" in capsys.readouterr().err


def test_each_tab_runs_the_game_with_the_servers_folders(tmp_path: Path) -> None:
    saves = tmp_path / "my saves"
    extra = tmp_path / "class scenarios"
    command = tab_command(saves, [extra])
    assert command.startswith("exec ")  # the game replaces the shell: stopping it is direct
    argv = shlex.split(command.removeprefix("exec "))
    assert argv[:3] == [sys.executable, "-m", "netquest"]
    assert argv[3:] == ["--saves", str(saves), "--scenarios", str(extra), "--web-session"]


def test_loopback_and_addresses_to_open() -> None:
    assert is_loopback("127.0.0.1")
    assert is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("classroom.local")
    assert _urls("127.0.0.1", 8000) == ["http://127.0.0.1:8000/"]
    assert _urls("::1", 8000) == ["http://[::1]:8000/"]
    assert all(url.endswith(":8000/") for url in _urls("0.0.0.0", 8000))
