"""``netquest report --lrs``: the cohort report rebuilt from an LRS, across two hosts.

Two saves folders stand for two ``netquest serve`` hosts. Students play real sessions on each
(the game's own :class:`PlaySession` with the xAPI recorder), both hosts send to one real Ralph
LRS on 127.0.0.1 (``report --send``), and the report built from the LRS must name the same
learners with the same scores, endings and paths as the report built from both saves folders.
Pages are made small so that the ``more`` links are followed.
"""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import MINI, anything, best, play, worst
from test_xapi_lrs import SECRET, USER, free_port, start_ralph, wait_until_up

from netquest.cli import main
from netquest.engine import load_library
from netquest.saves import Profile, SaveStore
from netquest.xapi import lrs_read
from netquest.xapi.config import LrsSettings
from netquest.xapi.sender import stop_senders


def test_statements_follow_more_links_to_the_end() -> None:
    pages = {
        "http://lrs.test/xAPI/statements?limit=500": {
            "statements": [{"id": "1"}],
            "more": "/xAPI/statements?page=2",
        },
        "http://lrs.test/xAPI/statements?page=2": {"statements": [{"id": "2"}], "more": ""},
    }
    asked: list[str] = []

    def fetch(url: str) -> Mapping[str, Any]:
        asked.append(url)
        return pages[url]

    found = list(lrs_read.statements(LrsSettings("http://lrs.test/xAPI/"), fetch))
    assert [item["id"] for item in found] == ["1", "2"]
    assert asked == list(pages)


def test_durations_read_back() -> None:
    assert lrs_read.seconds_of("PT1H2M3.5S") == 3723.5
    assert lrs_read.seconds_of("PT0S") == 0
    assert lrs_read.seconds_of("junk") == 0


def _host(folder: Path, endpoint: str, players: list[tuple[str, str, Any, int | None]]) -> None:
    folder.mkdir()
    (folder / "netquest-lrs.toml").write_text(
        f'[lrs]\nendpoint = "{endpoint}"\nkey = "{USER}"\nsecret = "{SECRET}"\n', "utf-8"
    )
    library = load_library(folders=[MINI])
    store = SaveStore(folder)
    rng = random.Random(folder.name)
    for name, scenario, policy, stop in players:
        entry = library.get(scenario)
        assert entry is not None
        existing = store.load(name).profile if store.path_for(name).exists() else Profile.new(name)
        mode = "assessment" if policy is best else "practice"
        play(entry, existing, store, mode, policy, rng, stop_after=stop)


def _learners(data: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    def run(a: dict[str, Any]) -> tuple[Any, ...]:
        path, principles = json.dumps(a["path"]), json.dumps(a["principles"], sort_keys=True)
        done = a["finished"] is not None
        return (a["run_id"], a["scenario"], a["mode"], a["score"], a["ending"], done, path,
                principles)  # fmt: skip

    return {
        learner["label"]: sorted(run(a) for a in learner["attempts"])
        for learner in data["learners"]
    }


def test_report_from_a_real_lrs_matches_the_saves_of_two_hosts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("NETQUEST_LRS_ENDPOINT", "NETQUEST_LRS_KEY", "NETQUEST_LRS_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(lrs_read, "PAGE_SIZE", 7)  # several pages: `more` links are followed
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/xAPI/"
    host_a, host_b = tmp_path / "host-a", tmp_path / "host-b"
    # Played while the LRS is down: statements queue beside each host's saves.
    _host(host_a, endpoint, [
        ("Ada", "mixer", best, None), ("Bao", "mixer", anything, None),
        ("Chidi", "mixer", worst, 1), ("Ada", "cold_email", best, None),
    ])  # fmt: skip
    _host(host_b, endpoint, [
        ("Dana", "mixer", worst, None), ("Elif", "mixer", anything, None),
        ("Elif", "mixer", best, None),
    ])  # fmt: skip
    stop_senders()

    root = tmp_path / "lrs"
    root.mkdir()
    server = start_ralph(root, port, append=True)
    try:
        wait_until_up(server, port, root / "ralph.log")
        for host in (host_a, host_b):
            assert main(["report", "--send", "--saves", str(host)]) == 0
        capsys.readouterr()

        assert main(["report", str(host_a), str(host_b), "--format", "json",
                     "--scenarios", str(MINI)]) == 0  # fmt: skip
        local = json.loads(capsys.readouterr().out)
        assert main(["report", "--lrs", endpoint, "--saves", str(host_a), "--format", "json",
                     "--scenarios", str(MINI)]) == 0  # fmt: skip
        remote = json.loads(capsys.readouterr().out)
        assert main(["report", "--lrs", endpoint, "--saves", str(host_a)]) == 0
        markdown = capsys.readouterr().out
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)

    assert set(_learners(remote)) == {"Ada", "Bao", "Chidi", "Dana", "Elif"}
    assert _learners(remote) == _learners(local)
    assert remote["summary"]["learners"] == local["summary"]["learners"] == 5
    for key in ("completed_runs", "mean_score"):
        if key in local["summary"]:
            assert remote["summary"][key] == local["summary"][key]
    assert remote["weakest"] == local["weakest"]
    assert "Ada" in markdown and "Elif" in markdown


def test_report_lrs_explains_an_unreachable_lrs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()  # nothing listens there
    status = main(["report", "--lrs", f"http://127.0.0.1:{port}/xAPI/", "--saves", str(tmp_path)])
    assert status != 0
    err = capsys.readouterr().err
    assert "cannot reach the LRS" in err
