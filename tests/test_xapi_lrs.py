"""End to end with a real LRS: Ralph, on 127.0.0.1, with its file-system backend.

The test starts the server itself (a subprocess on a free loopback port, data in tmp_path),
plays a full run while the LRS is still down (statements queue on disk), starts the LRS,
sends the queue with ``netquest report --send``, reads the run back with GET, and stops the
server in a ``finally``. Nothing here talks to any address but 127.0.0.1.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import MINI, best, play

from netquest.cli import main
from netquest.engine import load_library
from netquest.saves import Profile, SaveStore
from netquest.xapi.journal import read_statements
from netquest.xapi.sender import stop_senders
from netquest.xapi.vocab import VERB_ANSWERED, VERB_ATTEMPTED, VERB_COMPLETED

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("ralph") is None or importlib.util.find_spec("uvicorn") is None,
    reason="needs the dev extra: ralph-malph[lrs]",
)

USER, SECRET = "netquest", "lrs-test-secret"
STARTUP = 45.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def loopback(url: str, *, auth: bool = True, timeout: float = 5.0) -> Any:
    """GET from the local LRS (no proxies, whatever the environment says)."""
    assert url.startswith("http://127.0.0.1:")
    headers = {"X-Experience-API-Version": "1.0.3"}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{USER}:{SECRET}".encode()).decode()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(urllib.request.Request(url, headers=headers), timeout=timeout) as response:
        return json.loads(response.read())


APPENDING = (
    "import sys, uvicorn\n"
    "from ralph.backends.data.base import BaseOperationType\n"
    "from ralph.backends.data.fs import FSDataBackend\n"
    "FSDataBackend.default_operation_type = BaseOperationType.APPEND\n"
    "sys.argv[0] = 'uvicorn'\n"
    "sys.exit(uvicorn.main())\n"
)
"""Ralph's file-system backend creates its one file per write, so only the first POST
succeeds; this runs uvicorn with the backend appending instead (several hosts, several POSTs)."""


def start_ralph(root: Path, port: int, *, append: bool = False) -> subprocess.Popen[bytes]:
    """Ralph on 127.0.0.1:``port`` with its data in ``root``; ``append``: accept many POSTs."""
    import bcrypt

    digest = bcrypt.hashpw(SECRET.encode(), bcrypt.gensalt(rounds=4)).decode()
    auth = [{"agent": {"mbox": "mailto:trainer@example.com"}, "scopes": ["all"],
             "hash": digest, "username": USER}]  # fmt: skip
    (root / "auth.json").write_text(json.dumps(auth), "utf-8")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),
        "RALPH_APP_DIR": str(root / "app"),
        "RALPH_AUTH_FILE": str(root / "auth.json"),
        "RALPH_HISTORY_FILE": str(root / "history.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(root / "statements"),
    }
    launch = ["-c", APPENDING] if append else ["-m", "uvicorn"]
    command = [
        sys.executable, *launch, "ralph.api:app", "--host", "127.0.0.1",
        "--port", str(port), "--ws", "none", "--lifespan", "off", "--no-access-log",
    ]  # fmt: skip
    with (root / "ralph.log").open("wb") as log:  # the server keeps its own copy of the file
        return subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_up(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"Ralph exited ({server.returncode}):\n{log.read_text(errors='replace')}")
        try:
            loopback(f"http://127.0.0.1:{port}/__heartbeat__", auth=False, timeout=1.0)
            return
        except (urllib.error.URLError, OSError, ValueError):
            time.sleep(0.2)
    pytest.fail(f"Ralph did not start in {STARTUP:.0f} s:\n{log.read_text(errors='replace')}")


def test_a_full_run_reaches_a_real_lrs_and_reads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("NETQUEST_LRS_ENDPOINT", "NETQUEST_LRS_KEY", "NETQUEST_LRS_SECRET"):
        monkeypatch.delenv(name, raising=False)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/xAPI/"
    saves = tmp_path / "saves"
    saves.mkdir()
    (saves / "netquest-lrs.toml").write_text(
        f'[lrs]\nendpoint = "{endpoint}"\nkey = "{USER}"\nsecret = "{SECRET}"\n', "utf-8"
    )
    entry = load_library(folders=[MINI], include_bundled=False).get("mixer")
    assert entry is not None

    # 1. Play while the LRS is down: the game goes on, statements queue beside the save.
    profile = play(entry, Profile.new("Grace"), SaveStore(saves), "assessment", best,
                   random.Random(5))  # fmt: skip
    stop_senders()
    (run,) = profile.runs
    (journal,) = saves.glob("*.xapi.jsonl")
    recorded, _ = read_statements(journal)
    assert [s["verb"]["id"] for s in recorded] == (
        [VERB_ATTEMPTED] + [VERB_ANSWERED] * 3 + [VERB_COMPLETED]
    )

    # 2. The LRS comes up; the queue goes out in one batch.
    root = tmp_path / "lrs"
    root.mkdir()
    server = start_ralph(root, port)
    try:
        wait_until_up(server, port, root / "ralph.log")
        status = main(["report", "--send", "--saves", str(saves)])
        _, err = capsys.readouterr()
        assert status == 0, err
        assert f"sent 5 statement(s) from 1 journal(s) to {endpoint}statements" in err
        assert "0 rejected, 0 still queued" in err

        # 3. Read the run back.
        registration = str(uuid.UUID(run.id))
        found = loopback(f"{endpoint}statements?registration={registration}&limit=50")
        stored = {s["id"]: s for s in found["statements"]}
        assert set(stored) == {s["id"] for s in recorded}
        completed = next(s for s in stored.values() if s["verb"]["id"] == VERB_COMPLETED)
        assert completed["result"]["score"]["scaled"] == 1.0
        assert completed["result"]["success"] is True
        assert completed["actor"]["account"] == recorded[0]["actor"]["account"]
        answered = [s for s in stored.values() if s["verb"]["id"] == VERB_ANSWERED]
        assert sorted(s["result"]["response"] for s in answered) == [
            "chat", "email_host", "introduce",
        ]  # fmt: skip

        # 4. Sending again sends nothing new.
        assert main(["report", "--send", "--saves", str(saves)]) == 0
        _, err = capsys.readouterr()
        assert "sent 0 statement(s)" in err
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
