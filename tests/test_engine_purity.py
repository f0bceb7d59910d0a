"""The engine, saves and session never import Textual or Rich, even through a whole playthrough."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
REPO = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    import netquest.engine
    import netquest.saves
    import netquest.play.session
    from netquest.engine import load_library
    from netquest.engine.checker import check_library
    from netquest.saves import Profile, SaveStore
    from netquest.play.session import PlaySession

    mini, saves = Path(sys.argv[1]), Path(sys.argv[2])
    library = load_library(folders=[mini], include_bundled=False)
    assert check_library(library) == []
    entry = library.get("mixer")
    store = SaveStore(saves)
    session = PlaySession.new(entry, Profile.new("pure"), "practice", store)
    for choice in ("introduce", "chat", "email_host"):
        session.choose(choice)
    assert session.save() is None
    report = session.debrief()
    loaded = [m for m in sys.modules if m.split(".")[0] in ("textual", "rich")]
    print(json.dumps({"score": report.score, "over": session.is_over, "ui": loaded}))
    """
)


def test_engine_imports_no_ui(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(MINI), str(tmp_path / "saves")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["over"] is True and outcome["score"] == 100  # the whole run really happened
    assert outcome["ui"] == []
    assert (tmp_path / "saves").is_dir()
