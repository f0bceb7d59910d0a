"""netquest's own themes: a high-contrast theme for projectors and low vision.

Textual ships no high-contrast theme. Ours is pure black with white text and bright yellow and
cyan accents. Every text colour has at least 7:1 contrast on the background (WCAG AAA), and focus
is unmistakable: focused borders, cursors and buttons turn yellow, everything else stays grey or
white.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.theme import BUILTIN_THEMES, Theme

HIGH_CONTRAST_NAME = "netquest-high-contrast"
"""The name the high-contrast theme is registered under."""

_BLACK = "#000000"
_WHITE = "#FFFFFF"
_YELLOW = "#FFFF00"  # 19.6:1 on black
_CYAN = "#00FFFF"  # 16.7:1
_GREEN = "#00FF00"  # 15.3:1
_RED = "#FF8080"  # 8.7:1
_ORANGE = "#FFB000"  # 11.5:1
_GREY = "#CCCCCC"  # 13.1:1, muted text
_DIM = "#A6A6A6"  # 8.6:1, disabled text
_RULE = "#808080"  # 5.3:1, unfocused borders (non-text: 3:1 is enough)
_PANEL = "#1A1A1A"  # white on it: 17.4:1

HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST_NAME,
    primary=_YELLOW,
    secondary=_CYAN,
    accent=_CYAN,
    warning=_ORANGE,
    error=_RED,
    success=_GREEN,
    foreground=_WHITE,
    background=_BLACK,
    surface=_BLACK,
    panel=_PANEL,
    boost="#FFFFFF0F",
    dark=True,
    luminosity_spread=0.1,
    text_alpha=1.0,
    variables={
        # Text: solid colours, never alpha blends that would lower the contrast.
        "text": _WHITE,
        "text-muted": _GREY,
        "text-disabled": _DIM,
        "foreground-muted": _GREY,
        "foreground-disabled": _DIM,
        "text-primary": _YELLOW,
        "text-secondary": _CYAN,
        "text-accent": _CYAN,
        "text-warning": _ORANGE,
        "text-error": _RED,
        "text-success": _GREEN,
        # Focus: yellow borders and cursors; unfocused borders grey.
        "border": _YELLOW,
        "border-blurred": _RULE,
        "block-cursor-background": _YELLOW,
        "block-cursor-foreground": _BLACK,
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-background": "#404040",
        "block-cursor-blurred-foreground": _WHITE,
        "block-cursor-blurred-text-style": "none",
        "block-hover-background": "#333333",
        "surface-active": "#262626",
        # Buttons: black text on the bright variants, reverse video when focused.
        "button-foreground": _WHITE,
        "button-color-foreground": _BLACK,
        "button-focus-text-style": "bold reverse",
        # Inputs.
        "input-cursor-background": _WHITE,
        "input-cursor-foreground": _BLACK,
        "input-selection-background": "#005F87",
        "input-selection-foreground": _WHITE,
        # Footer and links.
        "footer-background": _PANEL,
        "footer-foreground": _WHITE,
        "footer-key-foreground": _YELLOW,
        "footer-description-foreground": _WHITE,
        "link-color": _CYAN,
        "link-style": "underline",
        "link-color-hover": _BLACK,
        "link-background-hover": _CYAN,
        # Scrollbars stand out from the black background.
        "scrollbar": _RULE,
        "scrollbar-hover": _YELLOW,
        "scrollbar-active": _YELLOW,
        "scrollbar-background": _PANEL,
        "scrollbar-background-hover": _PANEL,
        "scrollbar-background-active": _PANEL,
        "scrollbar-corner-color": _PANEL,
        "screen-selection-background": "#005F87",
        "screen-selection-foreground": _WHITE,
        "markdown-h1-color": _YELLOW,
        "markdown-h2-color": _YELLOW,
        "markdown-h3-color": _CYAN,
    },
)
"""Black background, white text, yellow and cyan accents; AAA contrast for text."""

NETQUEST_THEMES: tuple[Theme, ...] = (HIGH_CONTRAST,)
"""Every theme netquest registers on top of Textual's own."""

THEME_NAMES: tuple[str, ...] = tuple(
    sorted({*BUILTIN_THEMES, *(theme.name for theme in NETQUEST_THEMES)})
)
"""Every theme a player can pick: Textual's built-in themes plus ours, sorted."""


THEME_LABELS: dict[str, str] = {
    HIGH_CONTRAST_NAME: "High contrast",
    "ansi-dark": "Terminal colours, dark",
    "ansi-light": "Terminal colours, light",
    "catppuccin-frappe": "Catppuccin Frappé",
    "rose-pine": "Rosé Pine",
    "rose-pine-moon": "Rosé Pine Moon",
    "rose-pine-dawn": "Rosé Pine Dawn",
}
"""Names for the themes whose id does not read well with :func:`theme_label`'s rule."""


def theme_label(theme: str) -> str:
    """A theme's name for people: ``nord`` → ``Nord``, ``tokyo-night`` → ``Tokyo Night``."""
    if theme in THEME_LABELS:
        return THEME_LABELS[theme]
    return " ".join(word.capitalize() for word in theme.replace("_", "-").split("-") if word)


def theme_names(available: Iterable[str]) -> list[str]:
    """The themes to offer in Settings: those an app has registered, ours included, sorted.

    Args:
        available: Names of the themes the app knows (``App.available_themes``).
    """
    return sorted({*available, *(theme.name for theme in NETQUEST_THEMES)})
