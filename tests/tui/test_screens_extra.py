"""Pilot tests for the Progress, Help and Settings screens, the palette commands and our theme.

Each screen runs in the tiny :class:`ScreenHost` app, not the game app.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from extra_fixtures import (
    DEFAULT_SETTINGS,
    ScreenHost,
    history,
    mini_library,
    profile,
    two_library,
)
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit
from textual.content import Content
from textual.widgets import Button, DataTable, Input, RadioSet, Select, Static, Switch

from netquest.engine import Catalogue, Library
from netquest.saves import Settings
from netquest.tui.commands import GAME_COMMANDS, NetquestCommands
from netquest.tui.screens.help import KEYS, HelpScreen, PrincipleEntry
from netquest.tui.screens.progress import ProgressScreen, mastery_mark
from netquest.tui.screens.settings import SettingsScreen
from netquest.tui.themes import HIGH_CONTRAST, HIGH_CONTRAST_NAME, THEME_NAMES, theme_names


def plain(widget: Static) -> str:
    """The text a Static shows."""
    visual = widget.visual
    return visual.plain if isinstance(visual, Content) else str(visual)


@pytest.fixture
def two(tmp_path: Path) -> Library:
    return two_library(tmp_path / "scenarios")


def catalogue_of(library: Library) -> Catalogue:
    entry = library.entries[0]
    return entry.catalogue


# --- Progress -----------------------------------------------------------------------------------


async def test_progress_shows_the_runs_per_scenario(two: Library) -> None:
    app = ScreenHost(lambda: ProgressScreen(history(), two))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        table = screen.query_one("#scenario-table", DataTable)
        rows = {
            str(key.value): [str(cell).strip() for cell in table.get_row(key)] for key in table.rows
        }
        assert rows["mixer"] == ["The Mixer", "4", "3", "70", "70", "in progress"]
        # Scenario text is data: markup in a title shows literally.
        assert rows["gala"] == ["The Gala [bold]night[/bold]", "1", "1", "25", "25", "played"]
        assert plain(screen.query_one("#overview", Static)) == (
            "5 runs, 4 finished, 21 min played."
        )


async def test_progress_shows_mastery_over_time(two: Library) -> None:
    app = ScreenHost(lambda: ProgressScreen(history(), two))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        lines = "\n".join(plain(s) for s in app.screen.query(".mastery-lines").results(Static))
        axes = [plain(s) for s in app.screen.query("#mastery .axis-title").results(Static)]
        assert axes == ["Networking vs socializing", "What is not networking"]
        assert "Focused conversation         ▁▁▅▅██                50 ▲" in lines
        assert "Give and take                ▁▁▅▅▁▁▁▁              17" in lines
        assert "Listen first                 ██                   100" in lines


async def test_progress_suggests_a_scenario_and_play_it_dismisses_with_its_id(
    two: Library,
) -> None:
    app = ScreenHost(lambda: ProgressScreen(history(), two))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert plain(screen.query_one("#suggested-title", Static)) == "The Gala [bold]night[/bold]"
        reason = plain(screen.query_one("#suggested-reason", Static))
        assert reason.startswith("Give and take is your weakest principle (17/100 lately)")
        weakest = plain(screen.query_one("#weakest", Static))
        assert weakest.startswith("Weakest: Give and take 17")
        assert screen.focused is screen.query_one("#play-it", Button)
        await pilot.click("#play-it")
        await pilot.pause()
        assert app.results == ["gala"]
        assert not isinstance(app.screen, ProgressScreen)


async def test_progress_p_plays_the_suggestion_and_escape_goes_back(two: Library) -> None:
    app = ScreenHost(lambda: ProgressScreen(history(), two))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("p")
        await pilot.pause()
        assert app.results == ["gala"]
        app.push_screen(ProgressScreen(history(), two), callback=app.results.append)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == ["gala", None]


async def test_progress_for_a_new_player(two: Library) -> None:
    app = ScreenHost(lambda: ProgressScreen(profile(), two))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert plain(screen.query_one("#overview", Static)).startswith("No runs yet")
        assert not screen.query_one("#weakest", Static).display
        assert plain(screen.query_one("#suggested-reason", Static)) == (
            "You have not practised Focused conversation yet: The Mixer works on it most."
        )
        lines = "\n".join(plain(s) for s in screen.query(".mastery-lines").results(Static))
        assert lines.count("not practised yet") == 4


async def test_progress_with_nothing_loaded_offers_nothing_to_play() -> None:
    empty = Library(entries=(), unavailable=(), diagnostics=(), files=0)
    app = ScreenHost(lambda: ProgressScreen(history(), empty))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.query_one("#play-it", Button).display
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        assert app.results == []


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_progress_table_fits_the_width(two: Library, size: tuple[int, int]) -> None:
    app = ScreenHost(lambda: ProgressScreen(history(), two))
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#scenario-table", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.max_scroll_x == 0


def test_mastery_marks_are_on_an_absolute_scale() -> None:
    assert [mastery_mark(v) for v in (0, 14, 50, 86, 100)] == ["▁", "▂", "▅", "▇", "█"]


# --- Help ---------------------------------------------------------------------------------------


async def test_help_lists_every_principle_grouped_by_axis(two: Library) -> None:
    catalogue = catalogue_of(two)
    app = ScreenHost(lambda: HelpScreen(catalogue))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        entries = list(screen.query(PrincipleEntry).results())
        assert [e.principle.id for e in entries] == ["focus", "rapport", "listen", "give"]
        assert {e.principle.id for e in entries} == set(catalogue.principles)
        for entry in entries:
            text = plain(entry)
            principle = entry.principle
            for part in (principle.title, principle.statement, principle.source, principle.quote):
                assert part in text
        axes = [plain(s) for s in screen.query("#glossary .axis-title").results(Static)]
        assert axes == ["Networking vs socializing", "What is not networking"]
        # Principle text is data: markup shows literally.
        listen = next(e for e in entries if e.principle.id == "listen")
        assert "Let the other person talk [i]first[/i]." in plain(listen)
        await pilot.pause()


async def test_help_glossary_of_the_bundled_catalogue_is_complete() -> None:
    from netquest.engine import bundled_dir, load_catalogue

    catalogue = load_catalogue(bundled_dir() / "principles.toml").value
    if catalogue is None:
        pytest.skip("the bundled catalogue does not load right now")
    app = ScreenHost(lambda: HelpScreen(catalogue))
    async with app.run_test(size=(80, 24)):
        shown = {e.principle.id for e in app.screen.query(PrincipleEntry).results()}
        assert shown == set(catalogue.principles)


async def test_help_glossary_filter(two: Library) -> None:
    app = ScreenHost(lambda: HelpScreen(catalogue_of(two)))
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#help-tabs").active = "help-principles"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.click("#glossary-filter")
        await pilot.press(*"trust")
        await pilot.pause()
        visible = [e.principle.id for e in app.screen.query(PrincipleEntry) if e.display]
        assert visible == ["listen"]
        app.screen.query_one("#glossary-filter", Input).value = ""
        await pilot.pause()
        assert all(e.display for e in app.screen.query(PrincipleEntry))


async def test_help_lists_keys_scoring_and_modes(two: Library) -> None:
    app = ScreenHost(lambda: HelpScreen(catalogue_of(two)))
    async with app.run_test(size=(80, 24)):
        keys = [plain(s) for s in app.screen.query("#keys-grid .key").results(Static)]
        assert keys == [key for _, section in KEYS for key, _ in section]
        headings = [plain(s) for s in app.screen.query("#keys-grid .keys-heading").results(Static)]
        assert headings == ["In a scene", "Everywhere"]
        for key in ("1 – 9", "b", "F1", "Ctrl+P", "Ctrl+Q", "Mouse"):
            assert key in keys
        modes = [plain(s) for s in app.screen.query("#modes .mode").results(Static)]
        assert len(modes) == 3
        assert modes[2].startswith("Transactional  What is not networking  misstep\n")


async def test_help_without_a_catalogue(tmp_path: Path) -> None:
    app = ScreenHost(lambda: HelpScreen(None))
    async with app.run_test(size=(80, 24)):
        assert not app.screen.query(PrincipleEntry)
        assert not app.screen.query("#glossary-filter")
        empty = [plain(s) for s in app.screen.query("#glossary .empty").results(Static)]
        assert empty == ["The glossary appears once the scenarios have loaded."]


@pytest.mark.parametrize("key", ["escape", "f1"])
async def test_help_closes_with_escape_or_f1(key: str) -> None:
    app = ScreenHost(lambda: HelpScreen(mini_library().entries[0].catalogue))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.results == [None]


# --- Settings -----------------------------------------------------------------------------------


def settings_app(settings: Settings = DEFAULT_SETTINGS) -> ScreenHost:
    def make() -> SettingsScreen:
        return SettingsScreen(settings, sorted(app.available_themes))

    app = ScreenHost(make)
    return app


async def test_settings_returns_the_chosen_settings() -> None:
    app = settings_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#theme", Select).value = "nord"
        await pilot.pause()
        assert app.theme == "nord"  # previewed live
        await pilot.click("#mode-assessment")
        await pilot.click("#animations")
        await pilot.pause()
        await pilot.click("#save")
        await pilot.pause()
        assert app.results == [Settings(theme="nord", default_mode="assessment", animations=False)]
        assert app.theme == "nord"


async def test_settings_by_keyboard() -> None:
    app = settings_app(Settings(theme="textual-dark", default_mode="assessment", animations=False))
    async with app.run_test(size=(60, 20)) as pilot:
        assert isinstance(app.focused, Select)
        await pilot.press("enter")  # open the theme list
        await pilot.press("down", "enter")  # the next theme after textual-dark
        await pilot.pause()
        await pilot.press("tab")
        assert isinstance(app.focused, RadioSet)
        await pilot.press("enter")  # the cursor starts on the first mode, Practice
        await pilot.press("tab", "space")
        await pilot.pause()
        assert app.screen.query_one("#animations", Switch).value
        await pilot.press("ctrl+s")
        await pilot.pause()
        themes = sorted(app.available_themes)
        expected = themes[themes.index("textual-dark") + 1]
        assert app.results == [Settings(theme=expected, default_mode="practice", animations=True)]


async def test_settings_cancel_returns_none_and_restores_the_theme() -> None:
    app = settings_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#theme", Select).value = HIGH_CONTRAST_NAME
        await pilot.pause()
        assert app.theme == HIGH_CONTRAST_NAME
        await pilot.click("#cancel")
        await pilot.pause()
        assert app.results == [None]
        assert app.theme == "textual-dark"


async def test_settings_escape_returns_none() -> None:
    app = settings_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_settings_keep_a_theme_the_app_does_not_know() -> None:
    odd = Settings(theme="someone-elses-theme", default_mode="sideways", animations=True)
    app = settings_app(odd)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.query_one("#theme", Select).value == "someone-elses-theme"
        assert app.screen.query_one("#mode-practice").value  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [
            Settings(theme="someone-elses-theme", default_mode="practice", animations=True)
        ]


# --- Command palette ----------------------------------------------------------------------------


async def test_commands_provider_searches_and_discovers() -> None:
    app = ScreenHost()
    async with app.run_test(size=(80, 24)) as pilot:
        provider = NetquestCommands(app.screen)
        hits = [hit async for hit in provider.search("contrast")]
        assert [hit.text for hit in hits] == ["Toggle high contrast"]
        assert isinstance(hits[0], Hit) and hits[0].help
        found = [hit async for hit in provider.discover()]
        assert all(isinstance(hit, DiscoveryHit) for hit in found)
        names = [hit.text for hit in found]
        # The game's commands first, then Textual's own (Keys, Theme, …).
        assert names[: len(GAME_COMMANDS)] == [command.name for command in GAME_COMMANDS]
        assert "Keys" in names[len(GAME_COMMANDS) :]
        await hits[0].command()
        await pilot.pause()
        assert app.actions == ["toggle_high_contrast"]


async def test_commands_hide_what_the_app_disables() -> None:
    app = ScreenHost()
    app.disabled_actions = {"restart_scenario", "show_debrief"}
    async with app.run_test(size=(80, 24)):
        provider = NetquestCommands(app.screen)
        names = [hit.text async for hit in provider.discover()]
        assert "Restart scenario" not in names and "Show debrief" not in names
        assert not [hit async for hit in provider.search("restart")]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("contrast", "Toggle high contrast"),
        ("restart", "Restart scenario"),
        ("debrief", "Show debrief"),
        ("switch profile", "Switch profile"),
        ("progress", "Progress"),
        ("settings", "Settings"),
        ("scenarios", "Scenarios"),
        ("new game", "New game"),
        ("help", "Help"),
    ],
)
async def test_palette_runs_the_game_action(query: str, name: str) -> None:
    action = next(command.action for command in GAME_COMMANDS if command.name == name)
    app = ScreenHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await pilot.press(*query)
        command_list = palette.query_one(CommandList)
        for _ in range(100):  # the palette gathers hits in a worker
            await pilot.pause(0.02)
            if palette.has_class("-ready") and command_list.option_count:
                break
        texts = [
            command_list.get_option_at_index(index).hit.text  # type: ignore[attr-defined]
            for index in range(command_list.option_count)
        ]
        assert texts[0] == name  # the game's command is the best match
        command_list.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert app.actions == [action]
        assert not isinstance(app.screen, CommandPalette)


async def test_palette_help_command() -> None:
    app = ScreenHost()
    async with app.run_test(size=(80, 24)) as pilot:
        provider = NetquestCommands(app.screen)
        hits = [hit async for hit in provider.search("help")]
        assert hits[0].text == "Help"
        await hits[0].command()
        await pilot.pause()
        assert app.actions == ["help"]


# --- Theme --------------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


async def test_high_contrast_theme_registers_and_applies() -> None:
    app = ScreenHost()
    async with app.run_test(size=(80, 24)) as pilot:
        assert HIGH_CONTRAST_NAME in app.available_themes
        app.theme = HIGH_CONTRAST_NAME
        await pilot.pause()
        assert app.current_theme is HIGH_CONTRAST
        variables = app.get_css_variables()
        assert variables["background"].upper() == "#000000"
        assert variables["text"].upper() == "#FFFFFF"
        assert app.screen.styles.background.hex.upper() == "#000000"
        text_colours = (
            "text",
            "text-muted",
            "text-disabled",
            "text-primary",
            "text-accent",
            "text-error",
            "text-warning",
            "text-success",
            "footer-key-foreground",
        )
        for name in text_colours:
            assert contrast(variables[name][:7], "#000000") >= 7, name
        assert (
            contrast(variables["block-cursor-foreground"], variables["block-cursor-background"])
            >= 7
        )
        assert variables["border"] != variables["border-blurred"]


def test_theme_names() -> None:
    assert HIGH_CONTRAST_NAME in THEME_NAMES
    assert {"textual-dark", "textual-light", "nord"} <= set(THEME_NAMES)
    assert list(THEME_NAMES) == sorted(THEME_NAMES)
    assert theme_names(["nord", "textual-dark"]) == [
        "netquest-high-contrast",
        "nord",
        "textual-dark",
    ]


async def test_progress_reports_a_failure_instead_of_crashing(
    two: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import netquest.tui.screens.progress as progress_screen

    def broken(*_: object) -> None:
        raise ValueError("bad data")

    monkeypatch.setattr(progress_screen, "summarise", broken)
    app = ScreenHost(lambda: ProgressScreen(history(), two))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        overview = plain(app.screen.query_one("#overview", Static))
        assert overview == "Your progress could not be worked out: ValueError: bad data"
        await pilot.press("p")
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
