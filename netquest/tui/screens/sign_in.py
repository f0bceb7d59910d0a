"""Signing in to a served class: a name, and the code given when the student first joined.

In a browser tab of ``netquest serve`` the saved players are never listed (anyone in the room
could open a tab): a new student types a name and gets a code; a returning one types the name
and that code. The app checks them (:meth:`netquest.tui.app.NetquestApp.sign_in`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalGroup, VerticalGroup
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from netquest.tui.screens.profile import NAME_LIMIT
from netquest.tui.widgets.game_footer import GameFooter


@dataclass(frozen=True, slots=True)
class SignIn:
    """What the student typed: a name, and a code (empty for a new student)."""

    name: str
    code: str


class SignInScreen(Screen["SignIn | None"]):
    """Name and code; dismisses with a :class:`SignIn`, or ``None`` when cancelled."""

    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    SignInScreen #sign-in-error { color: $text-error; text-style: bold; }
    SignInScreen HorizontalGroup { height: auto; }
    SignInScreen Input { width: 1fr; }
    SignInScreen Button { margin: 1 0 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back", id="sign_in.back"),
    ]

    def __init__(
        self, *, error: str | None = None, name: str = "", can_cancel: bool = False
    ) -> None:
        """Ask again after ``error`` (with ``name`` filled in), or for the first time."""
        super().__init__()
        self.error = error
        self.given_name = name
        self.can_cancel = can_cancel

    def compose(self) -> ComposeResult:
        """Heading, a name box and a code box."""
        with VerticalGroup(id="sign-in-box", classes="dialog"):
            yield Static(Content("Welcome to netquest"), classes="dialog-title")
            yield Static(
                Content(
                    "New here? Type your name and press Enter: you get a code. "
                    "Coming back? Type your name and your code."
                ),
                classes="dialog-text",
            )
            yield Static(Content(self.error or ""), id="sign-in-error")
            yield Static(Content("Your name"), classes="field-label")
            yield Input(
                value=self.given_name,
                placeholder="Type your name and press Enter",
                max_length=NAME_LIMIT,
                id="name",
            )
            yield Static(Content("Your code (if you have one)"), classes="field-label")
            with HorizontalGroup():
                yield Input(placeholder="e.g. K7P-2QX", max_length=12, id="code")
                yield Button("Start", id="start", variant="primary", compact=True)
        yield GameFooter()

    @property
    def AUTO_FOCUS(self) -> str | None:  # type: ignore[override]
        """The box the student needs next (focused before any key can arrive)."""
        return "#code" if self.given_name else "#name"

    def on_mount(self) -> None:
        """Show the error, if any; focus the box needed next (also in a tab not yet focused)."""
        self.query_one("#sign-in-error").display = bool(self.error)
        target = self.AUTO_FOCUS
        if target is not None:
            self.query_one(target, Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def _submit(self) -> None:
        name = " ".join(self.query_one("#name", Input).value.split())
        code = self.query_one("#code", Input).value.strip()
        if not name:
            self.notify("Type your name first.", title="Sign in", severity="warning")
            self.query_one("#name", Input).focus()
            return
        self.dismiss(SignIn(name, code))

    def action_cancel(self) -> None:
        """Go back to the player already signed in, if there is one."""
        if self.can_cancel:
            self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No 'Back' before anyone has signed in."""
        if action == "cancel":
            return self.can_cancel
        return True
