"""``netquest report`` on hostile or huge inputs (issue 10, items 12 and 15).

A saves tree a thousand folders deep, with a symbolic link looping back, is searched without
recursion and within a depth bound, for saves and for journals to send. ``--format xapi``
writes each learner's statements as they are produced instead of building the whole export in
memory first (its time and memory over 5,000 saves are in ``bench/``:
``python bench/run_all.py --only reports``).
"""

from __future__ import annotations

import io
import json
import os
import random
from pathlib import Path

import pytest
from report_fixtures import MINI, best, no_lrs, play

from netquest.cli import main
from netquest.engine import load_library
from netquest.saves import Profile, SaveStore
from netquest.xapi.journal import journals_in


def test_a_saves_tree_a_thousand_folders_deep_is_searched_without_recursion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "saves"
    near = SaveStore(root / "class" / "term")
    near.save(Profile.new("Ada"))
    (root / "class" / "loop").symlink_to(root, target_is_directory=True)  # not followed
    deep = str(root)
    for _ in range(1200):  # os.makedirs would recurse itself
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    SaveStore(Path(deep)).save(Profile.new("Deep"))
    journal = root / "class" / "term" / "ada.xapi.jsonl"
    journal.write_text("", "utf-8")
    try:
        assert main(["report", str(root), "--format", "json"]) == 0
        assert journals_in([root]) == [journal]  # what `report --send` sends
    finally:  # shutil.rmtree (pytest's clean-up) recurses too: take the tree down by hand
        chain = [str(root / "d")]
        while os.path.isdir(os.path.join(chain[-1], "d")):
            chain.append(os.path.join(chain[-1], "d"))
        for folder in reversed(chain):
            for name in os.listdir(folder):
                os.unlink(os.path.join(folder, name))
            os.rmdir(folder)
    out, err = capsys.readouterr()
    names = {learner["name"] for learner in json.loads(out)["learners"]}
    assert names == {"Ada"}
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "more than 64 folders deep: not searched" in err


def two_learners(tmp_path: Path) -> Path:
    saves = tmp_path / "saves"
    store = SaveStore(saves)
    entry = load_library(folders=[MINI], include_bundled=False).get("mixer")
    assert entry is not None
    with no_lrs():
        for name in ("Ada", "Bea", "Cy"):
            play(entry, Profile.new(name), store, "practice", best, random.Random(1))
    for journal in saves.glob("*.xapi.jsonl"):  # rebuilt from the saves: the heavy path
        journal.unlink()
    return saves


def test_xapi_statements_are_written_as_they_are_produced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import netquest.xapi.export as export

    saves = two_learners(tmp_path)
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    written_before: list[int] = []
    produce = export._learner_statements

    def spy(*args: object, **kwargs: object) -> list[dict[str, object]]:
        written_before.append(len(stdout.buffer.getvalue()))  # type: ignore[attr-defined]
        return produce(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(export, "_learner_statements", spy)
    monkeypatch.setattr("sys.stdout", stdout)
    assert main(["report", str(saves), "--scenarios", str(MINI), "--format", "xapi"]) == 0
    stdout.flush()
    data = stdout.buffer.getvalue()  # type: ignore[attr-defined]
    assert len(written_before) == 3
    # Each learner's statements were already out before the next learner's were built.
    assert written_before[0] == 0 < written_before[1] < written_before[2] < len(data)
    lines = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert len({statement["id"] for statement in lines}) == len(lines) > 3


def test_xapi_to_a_file_is_the_same_and_leaves_no_temporary_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saves = two_learners(tmp_path)
    command = ["report", str(saves), "--scenarios", str(MINI), "--format", "xapi"]
    assert main(command) == 0
    shown = capsys.readouterr().out
    out = tmp_path / "out" / "statements.jsonl"
    out.parent.mkdir()
    out.write_text("old\n", "utf-8")
    assert main([*command, "--out", str(out)]) == 0
    assert capsys.readouterr().err == f"netquest: wrote {out}\n"
    assert out.read_text("utf-8") == shown
    assert sorted(path.name for path in out.parent.iterdir()) == ["statements.jsonl"]
    assert main([*command, "--out", str(tmp_path / "no such folder" / "x.jsonl")]) == 1
    assert capsys.readouterr().err.startswith("netquest: cannot write ")
