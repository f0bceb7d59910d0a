"""THE BUNDLED-CURRICULUM GATE: `netquest check` on the shipped scenarios must exit 0.

This is the only test that reads the bundled curriculum in scenarios/. It is expected to
fail while the curriculum is being written, and to pass once it is done; keep it as it is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_bundled_curriculum_checks_clean(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "netquest", "check", "--saves", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("0 errors, ")
