"""The checker: golden-path tests, whole-curriculum checks, coverage, and library loading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netquest.engine import toml_source
from netquest.engine.checker import check_entry, check_library, coverage
from netquest.engine.library import load_library

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
MIXER_TEXT = (MINI / "mixer.toml").read_text(encoding="utf-8")
TESTS_BLOCK = MIXER_TEXT[MIXER_TEXT.index("[[tests]]") :]


def folder(tmp_path: Path, mixer: str = MIXER_TEXT, principles: str = "") -> Path:
    """A scenario folder holding the mini catalogue (plus ``principles``) and ``mixer``."""
    target = tmp_path / "scenarios"
    target.mkdir()
    catalogue = (MINI / "principles.toml").read_text(encoding="utf-8")
    (target / "principles.toml").write_text(catalogue + principles, encoding="utf-8")
    (target / "mixer.toml").write_text(mixer, encoding="utf-8")
    return target


def codes(found: list) -> list[tuple[str, int, int]]:  # type: ignore[type-arg]
    return sorted((d.code, d.line, d.column) for d in found)


def test_the_mini_curriculum_is_clean(mini_dir: Path) -> None:
    library = load_library(folders=[mini_dir], include_bundled=False)
    assert library.ids == ["mixer"] and library.files == 1
    assert check_library(library) == []


def test_golden_paths_that_pass_say_nothing(mini_dir: Path) -> None:
    (entry,) = load_library(folders=[mini_dir], include_bundled=False).entries
    analysis, found = check_entry(entry)
    assert found == []
    assert analysis.complete and (analysis.best, analysis.worst) == (8, -2)


@pytest.mark.parametrize(
    ("tests", "expected"),
    [
        (
            '[[tests]]\nname = "t"\nchoices = ["introduce", "chat", "nothing"]\n'
            'ending = "coffee"\n',
            ("NQ026", "test 't' ends at 'quiet', not 'coffee'"),
        ),
        (
            '[[tests]]\nname = "t"\nchoices = ["ask_job", "chat", "email_host"]\n'
            'ending = "coffee"\n',
            ("NQ026", "test 't': choice 'email_host' is not offered in scene 'follow'"),
        ),
        (
            '[[tests]]\nname = "t"\nchoices = ["ask_job", "chat", "nothing", "chat"]\n'
            'ending = "quiet"\n',
            ("NQ026", "test 't': the story already ended at 'quiet' before choice 'chat'"),
        ),
    ],
)
def test_golden_paths_that_fail(tmp_path: Path, tests: str, expected: tuple[str, str]) -> None:
    mixer = MIXER_TEXT.replace(TESTS_BLOCK, tests)
    library = load_library(folders=[folder(tmp_path, mixer)], include_bundled=False)
    (entry,) = library.entries
    _analysis, found = check_entry(entry)
    assert [(d.code, d.message) for d in found] == [expected]
    assert found[0].file == str(entry.scenario.path)
    # the line of the test in the file: the failing choice, or the 'ending' key
    line = found[0].line
    assert mixer.splitlines()[line - 1].startswith(("choices", "ending"))


def test_principle_never_taught_is_a_curriculum_warning(tmp_path: Path) -> None:
    extra = (
        '\n[principles.listen]\naxis = "nvs"\ntitle = "Listen"\nstatement = "Listen."\n'
        'source = "Test source"\nquote = "Listen more."\n'
    )
    target = folder(tmp_path, principles=extra)
    library = load_library(folders=[target], include_bundled=False)
    found = check_library(library)
    catalogue_lines = (target / "principles.toml").read_text().splitlines()
    line = catalogue_lines.index("[principles.listen]") + 1
    assert codes(found) == [("NQ027", line, 1)]
    assert found[0].file == str((target / "principles.toml").resolve())
    assert not found[0].is_error
    # single files are not a curriculum: no NQ027
    single = load_library(files=[target / "mixer.toml"], include_bundled=False)
    assert check_library(single, whole_curriculum=False) == []


def test_state_limit_is_reported(mini_dir: Path) -> None:
    (entry,) = load_library(folders=[mini_dir], include_bundled=False).entries
    analysis, found = check_entry(entry, max_states=3)
    assert not analysis.complete
    # only what an incomplete search can prove: no "unreachable" or "no way out" claims
    assert [d.code for d in found] == ["NQ032"]
    limit = found[0]
    assert limit.is_error and "more than 3 states" in limit.message
    assert "score range unknown" in limit.message
    assert limit.line == MIXER_TEXT.splitlines().index("[scenario]") + 1


def test_coverage_figures(mini_dir: Path) -> None:
    report = coverage(load_library(folders=[mini_dir], include_bundled=False).entries)
    assert report.principle_choices == {"focus": 3, "give": 2, "rapport": 3}
    assert report.principle_scenarios == {
        "focus": {"mixer"},
        "give": {"mixer"},
        "rapport": {"mixer"},
    }
    assert report.mode_calls == {"networking": 2, "socializing": 1}  # misstep modes are never due
    assert report.mode_uses == {"networking": 3, "transactional": 1, "socializing": 2}
    shortfalls = report.shortfalls()
    assert len(shortfalls) == 5
    assert "principle 'give' is taught by 2 choices in 1 scenarios (target: 3 in 2)" in shortfalls
    assert "mode 'socializing' is called for 1 times (target: 3)" in shortfalls
    assert coverage([]).principle_choices == {}


def test_empty_folder_and_missing_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = tmp_path / "missing"
    library = load_library(folders=[empty, missing], include_bundled=False)
    assert library.entries == () and library.files == 0
    assert [(d.code, d.file, d.message) for d in library.diagnostics] == [
        ("NQ028", str(empty), "no scenario files (*.toml) here"),
        ("NQ002", str(missing), "scenario folder does not exist"),
    ]


def test_folder_without_catalogue_uses_the_bundled_one(tmp_path: Path) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "mixer.toml").write_text(MIXER_TEXT, encoding="utf-8")
    library = load_library(folders=[alone], include_bundled=False)
    assert all(c.path is not None and c.path.parent.name != "alone" for c in library.catalogues)


def test_broken_scenarios_are_kept_as_unavailable(tmp_path: Path) -> None:
    target = folder(tmp_path)
    (target / "broken.toml").write_text("format = 1\n[scenario\n", encoding="utf-8")
    shutil.copy(target / "mixer.toml", target / "twin.toml")
    library = load_library(folders=[target], include_bundled=False)
    assert library.ids == ["mixer"] and library.files == 3
    unavailable = {u.name: u.error.code for u in library.unavailable}
    assert unavailable == {"broken": "NQ001", "twin": "NQ029"}


def test_the_same_file_twice_is_loaded_once(mini_dir: Path) -> None:
    path = mini_dir / "mixer.toml"
    library = load_library(folders=[mini_dir], files=[path, path], include_bundled=False)
    assert library.files == 1 and library.ids == ["mixer"]


def test_unreadable_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = folder(tmp_path)
    big = target / "big.toml"
    big.write_bytes(b"# padding\n" * 10_000)
    monkeypatch.setattr(toml_source, "MAX_FILE_BYTES", 50_000)  # the catalogue still fits
    library = load_library(files=[big, target / "nope.toml", target], include_bundled=False)
    errors = {Path(u.path).name: (u.error.code, u.error.message) for u in library.unavailable}
    assert errors["big.toml"][0] == "NQ002"
    assert errors["big.toml"][1].startswith("file is 0.1 MiB, over the ")
    assert errors["nope.toml"] == ("NQ002", "file not found")
    assert errors["scenarios"] == ("NQ002", "is a directory, not a .toml file")


def test_a_broken_catalogue_makes_its_scenarios_unavailable(tmp_path: Path) -> None:
    target = folder(tmp_path, principles="\n[modes.extra]\ntitle = 3\n")
    library = load_library(folders=[target], include_bundled=False)
    assert library.entries == ()
    (unavailable,) = library.unavailable
    assert unavailable.name == "mixer" and unavailable.error.code == "NQ006"
    assert unavailable.error.file == str((target / "principles.toml").resolve())
    assert any(d.code == "NQ005" for d in library.diagnostics)  # modes.extra lacks description
