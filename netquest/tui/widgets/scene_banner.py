"""The banner above a scene: scenario title, mode, setting and what is at stake."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalGroup
from textual.content import Content
from textual.widgets import Static

from netquest.tui.literal import literal


class SceneBanner(VerticalGroup):
    """Three short lines that stay put while the story scrolls."""

    DEFAULT_CSS = """
    SceneBanner {
        height: auto;
        background: $panel;
        padding: 0 1;
        & Static {
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        & #banner-title { width: 1fr; text-style: bold; }
        & #banner-mode { width: auto; padding: 0 1; text-style: bold; }
        & #banner-mode.-practice { background: $success-muted; color: $text-success; }
        & #banner-mode.-assessment { background: $warning-muted; color: $text-warning; }
        & .banner-line { color: $text-muted; }
    }
    """

    def __init__(
        self,
        title: str,
        mode: str,
        setting: str,
        stakes: str = "",
        *,
        id: str | None = None,
    ) -> None:
        """A banner for the scenario ``title`` played in ``mode``."""
        super().__init__(id=id)
        self.scenario_title = title
        self.mode = mode
        self.setting = setting
        self.stakes = stakes

    def compose(self) -> ComposeResult:
        """Title and mode, then setting and stakes."""
        with HorizontalGroup():
            yield Static(literal(self.scenario_title), id="banner-title")
            yield Static(Content(self.mode), id="banner-mode", classes=f"-{self.mode}")
        yield Static(
            Content.assemble(("Setting  ", "bold"), literal(self.setting)),
            id="banner-setting",
            classes="banner-line",
        )
        if self.stakes:
            yield Static(
                Content.assemble(("At stake ", "bold"), literal(self.stakes)),
                id="banner-stakes",
                classes="banner-line",
            )
