"""The scenario picker: every scenario with the player's record, and the mode to play in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from netquest.tui.literal import literal, printable
from netquest.tui.run_status import ScenarioStatus, scenario_status
from netquest.tui.widgets.game_footer import GameFooter
from netquest.tui.widgets.mode_switch import ModeSwitch
from netquest.tui.widgets.scenario_details import ScenarioDetails, status_content

if TYPE_CHECKING:
    from netquest.engine import Entry, Library, PlayMode, Unavailable
    from netquest.saves import Profile


WIDE = 76
"""From this many columns the details sit beside the list rather than under it."""


@dataclass(frozen=True, slots=True)
class Pick:
    """What the player picked: a scenario, a mode, and whether to start over."""

    scenario_id: str
    mode: PlayMode
    fresh: bool = False
    """Start a new run even when one is in progress."""


def scenario_row(entry: Entry, status: ScenarioStatus) -> Content:
    """The picker's row for a playable scenario: its title, then its record (shown literally)."""
    return Content.assemble(
        (printable(entry.scenario.title), "bold"),
        "\n",
        status_content(status),
        (f" · {entry.scenario.minutes} min", "$text-muted"),
    )


def unavailable_row(unavailable: Unavailable) -> Content:
    """The greyed-out row of a scenario that failed to load, with its first error."""
    return literal(f"{unavailable.path.name} (unavailable)\n{unavailable.error.format()}")


class PickerScreen(Screen["Pick | None"]):
    """Choose a scenario and a mode; dismisses with a :class:`Pick`, or ``None`` to go back."""

    AUTO_FOCUS = "#scenarios"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "play", "Play", id="picker.play", show=True),
        Binding("m", "toggle_mode", "Mode", id="picker.mode"),
        Binding("n", "start_over", "Start over", id="picker.start_over"),
        Binding("escape", "back", "Back", id="picker.back"),
    ]

    def __init__(
        self,
        library: Library,
        profile: Profile | None,
        mode: PlayMode = "practice",
        *,
        focus: str | None = None,
    ) -> None:
        """List ``library`` with ``profile``'s record; start on ``mode``, highlighting ``focus``."""
        super().__init__()
        self.library = library
        self.profile = profile
        self.initial_mode: PlayMode = mode
        self.focus_id = focus

    def compose(self) -> ComposeResult:
        """Heading, mode switch, the scenarios and a hint line."""
        yield Static(Content("Choose a scenario"), classes="screen-title")
        yield ModeSwitch(self.initial_mode, id="mode")
        options: list[Option | None] = []
        for entry in self.library.entries:
            status = scenario_status(self.profile, entry.scenario.id)
            options.append(Option(scenario_row(entry, status), id=entry.scenario.id))
        for index, broken in enumerate(self.library.unavailable):
            if options:
                options.append(None)
            row = unavailable_row(broken)
            options.append(Option(row, id=f"unavailable-{index}", disabled=True))
        with Container(id="picker-body"):
            yield OptionList(*options, id="scenarios")
            yield ScenarioDetails(id="details")
        yield Static(id="picker-hint")
        yield GameFooter()

    def on_mount(self) -> None:
        """Highlight the requested scenario."""
        scenarios = self.query_one("#scenarios", OptionList)
        if self.focus_id is not None and self.library.get(self.focus_id) is not None:
            scenarios.highlighted = scenarios.get_option_index(self.focus_id)
        elif not self.library.entries:
            self.query_one("#picker-hint", Static).update(
                Content("No scenario can be played: see the errors above.")
            )
        self._update_hint()

    @property
    def mode(self) -> PlayMode:
        """The mode chosen in the switch."""
        return self.query_one("#mode", ModeSwitch).mode

    @property
    def highlighted_id(self) -> str | None:
        """The id of the highlighted playable scenario, if any."""
        option = self.query_one("#scenarios", OptionList).highlighted_option
        if option is None or option.disabled or option.id is None:
            return None
        return option.id if self.library.get(option.id) is not None else None

    def _in_progress(self, scenario_id: str | None) -> bool:
        if scenario_id is None:
            return False
        return scenario_status(self.profile, scenario_id).unfinished is not None

    def _update_hint(self) -> None:
        scenario_id = self.highlighted_id
        hint = self.query_one("#picker-hint", Static)
        entry = self.library.get(scenario_id) if scenario_id is not None else None
        status = scenario_status(self.profile, scenario_id) if scenario_id is not None else None
        self.query_one("#details", ScenarioDetails).show(entry, status)
        if status is None:
            if self.library.entries:
                hint.update("")
            return
        if status.unfinished is not None:
            hint.update(
                Content.assemble(
                    ("Enter", "bold"),
                    f" continues your {status.unfinished.mode} run · ",
                    ("n", "bold"),
                    " starts over",
                )
            )
        else:
            hint.update(Content.assemble(("Enter", "bold"), f" plays in {self.mode} mode"))
        self.refresh_bindings()

    @on(OptionList.OptionHighlighted, "#scenarios")
    @on(ModeSwitch.Changed)
    def _changed(self) -> None:
        self._update_hint()

    @on(OptionList.OptionSelected, "#scenarios")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_play()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only offer 'Start over' for a run in progress, and 'Play' for a playable row."""
        if not self.is_mounted:
            return True
        if action == "start_over":
            return self._in_progress(self.highlighted_id)
        if action == "play":
            return self.highlighted_id is not None
        return True

    def action_play(self) -> None:
        """Play (or continue) the highlighted scenario."""
        scenario_id = self.highlighted_id
        if scenario_id is not None:
            self.dismiss(Pick(scenario_id, self.mode))

    def action_start_over(self) -> None:
        """Start the highlighted scenario again, leaving the unfinished run behind."""
        scenario_id = self.highlighted_id
        if scenario_id is not None:
            self.dismiss(Pick(scenario_id, self.mode, fresh=True))

    def action_toggle_mode(self) -> None:
        """Switch between practice and assessment."""
        self.query_one("#mode", ModeSwitch).action_switch()

    def action_back(self) -> None:
        """Back to the title screen."""
        self.dismiss(None)
