"""The settings dialog: theme, default mode and animations, for the current profile."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Switch

from netquest.saves import Settings
from netquest.tui.themes import theme_label

MODES: tuple[tuple[str, str], ...] = (
    ("practice", "Practice: coached as you go"),
    ("assessment", "Assessment: coached at the end"),
)
"""The default modes a player can pick, with their labels."""


class SettingsScreen(ModalScreen[Settings | None]):
    """Edit a profile's settings; dismisses with the new settings, or ``None`` on cancel.

    Picking a theme previews it at once; cancelling puts the previous theme back.
    """

    DEFAULT_CSS = """
    SettingsScreen {
        align: center middle;
        background: $background 60%;
    }
    SettingsScreen #settings-dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $text-primary;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    SettingsScreen #settings-form {
        grid-size: 2;
        grid-columns: 14 1fr;
        grid-rows: auto;
        grid-gutter: 0 1;
        height: auto;
    }
    SettingsScreen .field-label {
        width: 100%;
        height: 3;
        content-align: right middle;
        color: $text-muted;
    }
    SettingsScreen #mode-label {
        height: 4;
    }
    SettingsScreen #theme {
        width: 1fr;
    }
    SettingsScreen #mode {
        width: 1fr;
    }
    SettingsScreen #animations-row {
        height: 3;
    }
    SettingsScreen #export-dir {
        width: 1fr;
    }
    SettingsScreen #animations-hint {
        height: 3;
        content-align: left middle;
        color: $text-muted;
        padding-left: 1;
    }
    SettingsScreen #settings-buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    SettingsScreen #settings-buttons Button {
        margin-left: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="settings.cancel"),
        Binding("ctrl+s", "save", "Save", id="settings.save"),
    ]

    def __init__(self, settings: Settings, themes: list[str], default_export: str = "") -> None:
        """Edit ``settings``, offering ``themes`` (names the app has registered) to pick from.

        ``default_export`` is the folder exports go to when none is chosen (a placeholder).
        """
        super().__init__()
        self.settings = settings
        self.default_export = default_export
        self.themes = list(themes) if settings.theme in themes else [settings.theme, *themes]
        self._previous_theme: str | None = None

    def compose(self) -> ComposeResult:
        mode = self.settings.default_mode if self.settings.default_mode in dict(MODES) else None
        with Vertical(id="settings-dialog") as dialog:
            dialog.border_title = "Settings"
            dialog.border_subtitle = "Ctrl+S save · Esc cancel"
            with Grid(id="settings-form"):
                yield Label("Theme", classes="field-label")
                yield Select(
                    [(theme_label(name), name) for name in self.themes],
                    value=self.settings.theme,
                    allow_blank=False,
                    id="theme",
                )
                yield Label("Default mode", classes="field-label", id="mode-label")
                with RadioSet(id="mode"):
                    for index, (mode_id, label) in enumerate(MODES):
                        yield RadioButton(
                            label,
                            value=mode_id == mode or (mode is None and index == 0),
                            id=f"mode-{mode_id}",
                        )
                yield Label("Animations", classes="field-label")
                with Horizontal(id="animations-row"):
                    yield Switch(value=self.settings.animations, id="animations")
                    yield Label("Scrolling and transitions", id="animations-hint")
                yield Label("Export folder", classes="field-label")
                yield Input(
                    self.settings.export_dir,
                    placeholder=self.default_export or "the downloads folder",
                    id="export-dir",
                    tooltip="Where Export saves a debrief; empty for the default shown",
                )
            with Horizontal(id="settings-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._previous_theme = self.app.theme
        self.query_one("#theme", Select).focus()

    @on(Select.Changed, "#theme")
    def _preview_theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value in self.app.available_themes:
            self.app.theme = event.value

    @on(Input.Submitted, "#export-dir")
    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        """Close with the settings as edited."""
        self.dismiss(self.edited())

    def action_cancel(self) -> None:
        """Close without changes, putting the previous theme back."""
        if self._previous_theme is not None and self.app.theme != self._previous_theme:
            self.app.theme = self._previous_theme
        self.dismiss(None)

    def edited(self) -> Settings:
        """The settings as the form shows them now."""
        theme = self.query_one("#theme", Select).value
        pressed = self.query_one("#mode", RadioSet).pressed_button
        mode = pressed.id.removeprefix("mode-") if pressed and pressed.id else MODES[0][0]
        return dataclasses.replace(
            self.settings,
            theme=theme if isinstance(theme, str) else self.settings.theme,
            default_mode=mode,
            animations=self.query_one("#animations", Switch).value,
            export_dir=self.query_one("#export-dir", Input).value.strip(),
        )
