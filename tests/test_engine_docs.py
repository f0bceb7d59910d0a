"""docs/diagnostics.md documents every diagnostic code, and its quoted messages are real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netquest.engine.checker import check_library
from netquest.engine.diagnostics import CODES
from netquest.engine.library import load_library

REPO = Path(__file__).resolve().parent.parent
DOC = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
HEADING = re.compile(r"^## (\S+) — (.+)$", re.MULTILINE)


def entries() -> dict[str, str]:
    """Each code's section of the document."""
    found: dict[str, str] = {}
    matches = list(HEADING.finditer(DOC))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(DOC)
        assert match[1] not in found, f"{match[1]} is documented twice"
        found[match[1]] = DOC[match.start() : end]
    return found


def test_every_code_has_one_entry_and_every_entry_a_code() -> None:
    documented = entries()
    assert set(documented) == set(CODES)
    assert list(documented) == sorted(documented), "entries are in code order"


@pytest.mark.parametrize("code", list(CODES))
def test_entry_has_title_severity_example_message_and_fix(code: str) -> None:
    section = entries()[code]
    title = HEADING.match(section)
    assert title is not None and title[2] == CODES[code].title
    assert f"**Severity:** {CODES[code].severity.value}" in section
    assert "```toml\n" in section or code in {"NQ002", "NQ028"}  # those are about paths
    assert "```text\n" in section
    assert f" {code}: " in section  # the message as printed
    assert "**Fix:**" in section


def quoted_corpus_messages() -> list[str]:
    return re.findall(r"^tests/corpus/\S+:\d+:\d+: .*$", DOC, re.MULTILINE)


def test_the_doc_quotes_the_corpus() -> None:
    assert len(quoted_corpus_messages()) >= 25


@pytest.mark.parametrize("line", quoted_corpus_messages())
def test_quoted_messages_are_what_check_prints(line: str) -> None:
    name = line.split(":", 1)[0]
    path = Path(name)
    raw = (REPO / path).read_text(encoding="utf-8", errors="replace")
    others = [path.parent / other for other in re.findall(r"^# with: (\S+)$", raw, re.MULTILINE)]
    library = load_library(files=[*others, path], include_bundled=False)
    # Run from the repository root so file names read as they do in the document.
    printed = {d.format() for d in check_library(library, whole_curriculum=False)}
    assert line in printed


@pytest.fixture(autouse=True)
def _from_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
