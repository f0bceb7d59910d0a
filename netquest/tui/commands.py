"""The command palette (ctrl+p): the game's own commands first, then Textual's.

Each game command runs an app action (``restart_scenario``, ``help``, …); the app decides what
the action does on the screen showing. An app may hide a command where it makes no sense by
returning ``False`` from ``App.check_action`` for its action (e.g. no run to restart).

Textual's system commands (theme, keys, screenshot, maximize, quit) come from the same provider,
after the game's: with two providers the palette would list whichever answered first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True, slots=True)
class GameCommand:
    """A palette entry: its name, the app action it runs and a line of help."""

    name: str
    action: str
    help: str


GAME_COMMANDS: tuple[GameCommand, ...] = (
    GameCommand("Scenarios", "scenarios", "Pick a scenario to play"),
    GameCommand("New game", "new_game", "Start a scenario from the beginning"),
    GameCommand("Restart scenario", "restart_scenario", "Play the current scenario again"),
    GameCommand("Show debrief", "show_debrief", "Review the last finished run"),
    GameCommand("Progress", "progress", "Your runs, scores and principle mastery over time"),
    GameCommand("Switch profile", "switch_profile", "Play as another player"),
    GameCommand("Settings", "settings", "Theme, default mode and animations"),
    GameCommand(
        "Toggle high contrast",
        "toggle_high_contrast",
        "Switch between the high-contrast theme and your usual one",
    ),
    GameCommand("Help", "help", "Keys, how scoring works, and the principles glossary"),
)
"""Every command the provider offers, in discovery order."""


SYSTEM_BOOST = 0.9
"""Search scores of Textual's commands are scaled by this, so a game command wins a tie."""


class NetquestCommands(Provider):
    """Command palette provider: netquest's game commands, then Textual's system commands."""

    def _available(self) -> list[GameCommand]:
        """The commands whose action the app has not disabled."""
        return [
            command
            for command in GAME_COMMANDS
            if self.app.check_action(command.action, ()) is not False
        ]

    async def discover(self) -> Hits:
        """Show every game command before the player types anything.

        Yields:
            A discovery hit per available command.
        """
        for command in self._available():
            yield DiscoveryHit(
                command.name,
                partial(self.app.run_action, command.action),
                help=command.help,
            )
        system = sorted(self.app.get_system_commands(self.screen), key=lambda command: command[0])
        for name, help_text, callback, discover in system:
            if discover:
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Match the player's input against the command names.

        Args:
            query: What the player typed.

        Yields:
            A hit per matching command, best matches scored highest.
        """
        matcher = self.matcher(query)
        for command in self._available():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.name),
                    partial(self.app.run_action, command.action),
                    text=command.name,
                    help=command.help,
                )
        for name, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score * SYSTEM_BOOST, matcher.highlight(name), callback, help=help_text)
