"""Twine interoperability: every link form, warnings with lines, real samples, round trips."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netquest.cli import main
from netquest.engine import Catalogue, Scenario, load_catalogue, load_library, scenario_from_bytes
from netquest.engine.checker import check_entry
from netquest.engine.library import Entry, bundled_dir
from netquest.engine.model import OUTCOMES, Choice, Ending, Scene
from netquest.engine.twee import (
    PLACEHOLDER_COACH,
    NothingToImport,
    import_twee,
    links,
    parse_link,
    parse_twee,
    to_twee,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "twee-samples"
if not SAMPLES.is_dir():
    SAMPLES = ROOT / ".." / "shared" / "twee-samples"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    loaded = load_catalogue(bundled_dir() / "principles.toml")
    assert loaded.value is not None
    return loaded.value


def imported(text: str, catalogue: Catalogue) -> tuple[Scenario, list[str], str]:
    toml, warnings = import_twee(parse_twee(text), "networking", name="fixture")
    loaded = scenario_from_bytes(toml.encode(), catalogue, "out.toml")
    assert loaded.value is not None, [d.format() for d in loaded.diagnostics] + [toml]
    assert not any(d.is_error for d in loaded.diagnostics)
    return loaded.value, [f"{w.line}: {w.message}" for w in warnings], toml


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("Go outside->Outside", ("Go outside", "Outside")),
        ("Outside<-Go outside", ("Go outside", "Outside")),
        ("Go outside|Outside", ("Go outside", "Outside")),
        ("Outside", ("Outside", "Outside")),
        ("a->b->c", ("a->b", "c")),
        (" spaced | target ", ("spaced", "target")),
    ],
)
def test_every_link_form(inner: str, expected: tuple[str, str]) -> None:
    assert parse_link(inner) == expected


STORY = """:: StoryTitle
The Lobby

:: StoryData
{"ifid": "X", "format": "SugarCube", "start": "Lobby"}

:: Intro [nobr] {"position":"100,100"}
Not the start.
[[Lobby]]

:: Lobby [hub] {"position":"200,100"}
You enter the lobby. <<set $met to true>>
[[Say hello->Hello]]
[[Bar<-Walk to the bar]]
[[Leave|Gone]]
[[Lobby]]
[[Docs->https://example.org]]

:: Hello
Hi there, $name.
[[Gone]]

:: Bar
(set: $drinks to 1)
The bartender nods.

:: Gone
You leave.

:: StoryInit
<<set $name to "you">>
"""


def test_import_turns_passages_into_scenes_links_into_choices_and_dead_ends_into_endings(
    catalogue: Catalogue,
) -> None:
    scenario, warnings, toml = imported(STORY, catalogue)
    assert scenario.title == "The Lobby" and scenario.start == "lobby"
    assert set(scenario.scenes) == {"intro", "lobby", "hello"}
    assert set(scenario.endings) == {"bar", "gone"}
    lobby = scenario.scenes["lobby"]
    assert [(c.text, c.goto) for c in lobby.choices] == [
        ("Say hello", "hello"),
        ("Walk to the bar", "bar"),
        ("Leave", "gone"),
        ("Lobby", "lobby"),
    ]
    assert all(c.coach == PLACEHOLDER_COACH and not c.effects for c in lobby.choices)
    assert "<<set" not in lobby.text and "[[" not in lobby.text
    assert "Say hello" in lobby.text
    joined = "\n".join(warnings)
    assert "12: passage 'Lobby': macro <<set $met to true>>" in joined
    assert "17: passage 'Lobby': external link to https://example.org" in joined
    assert "20: passage 'Hello': variable $name" in joined
    assert "24: passage 'Bar': Harlowe macro (set:" in joined
    assert "30: special passage 'StoryInit'" in joined
    assert "# twee line 12: macro <<set $met to true>>" in toml
    assert scenario.tests and scenario.tests[0].ending == "bar"


def test_the_import_passes_check_but_for_the_scoring_it_names(catalogue: Catalogue) -> None:
    scenario, _, toml = imported(STORY, catalogue)
    from netquest.engine.toml_source import parse

    source, _ = parse(toml.encode(), "out.toml")
    _, found = check_entry(Entry(scenario, catalogue, source))
    codes = {d.code for d in found}
    # 'intro' is a passage nothing links to: a real finding about the story, not the importer.
    assert codes == {"NQ050", "NQ020"}
    assert sum(d.code == "NQ050" for d in found) == 6


def test_start_without_links_and_link_to_a_missing_passage(catalogue: Catalogue) -> None:
    text = ":: Start\nNothing here.\n\n:: Room\n[[Out->Start]]\n[[Nowhere]]\n"
    scenario, warnings, _ = imported(text, catalogue)
    assert scenario.start == "room"
    assert any("link to missing passage 'Nowhere'" in w for w in warnings)
    assert any("the start passage 'Start' has no links" in w for w in warnings)


def test_a_story_without_links_is_refused() -> None:
    with pytest.raises(NothingToImport):
        import_twee(parse_twee(":: Start\n<<goto 'Next'>>\n:: Next\nEnd."), "networking")


def test_tags_metadata_and_twee2_headers() -> None:
    story = parse_twee(':: A [x y] {"position":"1,2"}\nhi\n::B\n[[A]]\n')
    first, second = story.passages
    assert (first.name, first.tags, first.metadata) == ("A", ("x", "y"), {"position": "1,2"})
    assert (second.name, second.line) == ("B", 3)


SAMPLE_FILES = sorted(SAMPLES.glob("*.tw*")) if SAMPLES.is_dir() else []


@pytest.mark.skipif(not SAMPLE_FILES, reason="../shared/twee-samples is not here")
@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_real_samples_import_to_a_loadable_scenario_or_a_clear_refusal(
    path: Path, catalogue: Catalogue
) -> None:
    story = parse_twee(path.read_text(encoding="utf-8-sig"))
    assert story.passages
    try:
        toml, warnings = import_twee(story, "networking")
    except NothingToImport:
        # These navigate only with macros (e.g. <<PassagePrevNext>>): no [[link]] at all.
        names = {p.name for p in story.passages}
        assert not any(link.target in names for p in story.passages for link in links(p))
        return
    loaded = scenario_from_bytes(toml.encode(), catalogue, "out.toml")
    assert loaded.value is not None, [d.format() for d in loaded.diagnostics]
    assert not any(d.is_error for d in loaded.diagnostics)
    source = loaded.source
    _, found = check_entry(Entry(loaded.value, catalogue, source))
    assert not any(d.is_error for d in found), [d.format() for d in found]
    assert any(d.code == "NQ050" for d in found)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    for warning in warnings:
        assert 1 <= warning.line <= len(lines)


@pytest.mark.skipif(not SAMPLE_FILES, reason="../shared/twee-samples is not here")
def test_chapbook_sample_warnings_point_at_the_right_lines(catalogue: Catalogue) -> None:
    path = SAMPLES / "chapbook_demo__cloak-of-darkness.twee"
    lines = path.read_text(encoding="utf-8").splitlines()
    _, warnings = import_twee(parse_twee("\n".join(lines)), "networking")
    for warning in warnings:
        if "Chapbook variable: " in warning.message:
            variable = warning.message.split("Chapbook variable: ")[1].split(" has no")[0]
            assert lines[warning.line - 1].strip() == variable


def _shape(scenario: Scenario) -> object:
    return (
        scenario.id,
        scenario.start,
        {
            sid: (
                scene.title,
                scene.calls_for,
                [
                    (
                        c.id,
                        c.text,
                        c.goto,
                        c.mode,
                        dict(c.effects),
                        c.coach,
                        c.consequence,
                        c.requires,
                        c.unless,
                        c.sets,
                        c.clears,
                    )
                    for c in scene.choices
                ],
            )
            for sid, scene in scenario.scenes.items()
        },
        {eid: (e.title, e.outcome) for eid, e in scenario.endings.items()},
        scenario.tests,
    )


def _round_trip(scenario: Scenario, catalogue: Catalogue) -> Scenario:
    toml, _ = import_twee(parse_twee(to_twee(scenario)), "networking")
    loaded = scenario_from_bytes(toml.encode(), catalogue, "back.toml")
    assert loaded.value is not None, [d.format() for d in loaded.diagnostics] + [toml]
    return loaded.value


def test_every_bundled_scenario_survives_export_and_import(catalogue: Catalogue) -> None:
    library = load_library()
    assert library.entries
    for entry in library.entries:
        back = _round_trip(entry.scenario, catalogue)
        assert _shape(back) == _shape(entry.scenario), entry.scenario.id


_IDS = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip() != "")


@st.composite
def stories(draw: st.DrawFn, catalogue: Catalogue) -> Scenario:
    names = draw(st.lists(_IDS, min_size=2, max_size=8, unique=True))
    split = draw(st.integers(1, len(names) - 1))
    scene_ids, ending_ids = names[:split], names[split:]
    nodes = scene_ids + ending_ids
    modes = sorted(catalogue.modes)
    principles = sorted(catalogue.principles)
    scenes = {}
    for sid in scene_ids:
        choice_ids = draw(st.lists(_IDS, min_size=1, max_size=4, unique=True))
        choices = tuple(
            Choice(
                id=cid,
                text=draw(_TEXT),
                mode=draw(st.sampled_from(modes)),
                coach=draw(_TEXT),
                goto=draw(st.sampled_from(nodes)),
                effects=MappingProxyType(
                    draw(
                        st.dictionaries(
                            st.sampled_from(principles), st.integers(-3, 3).filter(bool), max_size=2
                        )
                    )
                ),
                sets=frozenset(draw(st.lists(st.sampled_from(["f", "g"]), max_size=1))),
            )
            for cid in choice_ids
        )
        scenes[sid] = Scene(sid, draw(_TEXT), choices, title=draw(st.sampled_from(["", "T"])))
    endings = {
        eid: Ending(eid, draw(_TEXT), draw(_TEXT), draw(st.sampled_from(OUTCOMES)))
        for eid in ending_ids
    }
    return Scenario(
        id="gen",
        title=draw(_TEXT),
        summary="s",
        setting="s",
        teaches=(),
        minutes=5,
        start=scene_ids[0],
        scenes=MappingProxyType(scenes),
        endings=MappingProxyType(endings),
    )


def _facts(scene: Scene) -> list[object]:
    return [(c.id, c.goto, c.text, c.mode, dict(c.effects), c.coach) for c in scene.choices]


def test_generated_stories_round_trip(catalogue: Catalogue) -> None:
    @given(stories(catalogue))
    def check(scenario: Scenario) -> None:
        back = _round_trip(scenario, catalogue)
        assert set(back.scenes) == set(scenario.scenes)
        assert set(back.endings) == set(scenario.endings)
        for sid, scene in scenario.scenes.items():
            assert [
                (c.id, c.goto, c.text, c.mode, dict(c.effects), c.coach) for c in scene.choices
            ] == [
                (c.id, c.goto, c.text, c.mode, dict(c.effects), c.coach)
                for c in back.scenes[sid].choices
            ]
        assert {e: x.outcome for e, x in back.endings.items()} == {
            e: x.outcome for e, x in scenario.endings.items()
        }

    check()


def test_commands_write_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    twee = tmp_path / "mixer.twee"
    mini = ROOT / "tests" / "fixtures" / "mini"
    assert main(["export", "twee", str(mini / "mixer.toml"), "-o", str(twee)]) == 0
    assert twee.read_text(encoding="utf-8").startswith(":: StoryTitle\nThe Mixer")
    back = tmp_path / "back.toml"
    (tmp_path / "principles.toml").write_bytes((mini / "principles.toml").read_bytes())
    assert main(["import", "twee", str(twee), "-o", str(back)]) == 0
    assert main(["check", str(back), "--strict"]) == 0
    capsys.readouterr()
    (tmp_path / "bad.twee").write_text("no passages", encoding="utf-8")
    assert main(["import", "twee", str(tmp_path / "bad.twee")]) == 1
    assert "no Twee passages" in capsys.readouterr().err
