"""Everything the picker says about one scenario: summary, setting, what it teaches, record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from netquest.tui.literal import literal, printable

if TYPE_CHECKING:
    from netquest.engine import Entry
    from netquest.tui.run_status import ScenarioStatus


def status_content(status: ScenarioStatus) -> Content:
    """``new``, ``in progress`` or ``best 87 · last 70``, coloured."""
    if status.is_new:
        return Content.styled("new", "bold $text-success")
    if status.unfinished is not None and status.best is None:
        return Content.styled("in progress", "bold $text-warning")
    return Content.styled(status.label, "$text-accent")


def details_content(entry: Entry, status: ScenarioStatus) -> Content:
    """The details of a scenario as literal text with styled labels."""
    scenario, catalogue = entry.scenario, entry.catalogue
    teaches = ", ".join(
        catalogue.axes[axis].title if axis in catalogue.axes else axis for axis in scenario.teaches
    )

    def field(label: str, value: str) -> Content:
        return Content.assemble((f"{label}  ", "bold $text-muted"), literal(value))

    lines: list[Content] = [
        literal(scenario.title, "bold $text-accent"),
        Content.assemble(
            status_content(status), (f" · about {scenario.minutes} min", "$text-muted")
        ),
        Content(""),
        literal(" ".join(scenario.summary.split())),
        Content(""),
        field("Setting", " ".join(scenario.setting.split())),
    ]
    if scenario.attire:
        lines.append(field("Attire ", " ".join(scenario.attire.split())))
    if scenario.stakes:
        lines.append(field("Stakes ", " ".join(scenario.stakes.split())))
    lines.append(field("Teaches", teaches or "—"))
    # The id is what `netquest play ID` and the reports use.
    lines.append(
        Content.assemble(
            ("Id       ", "bold $text-muted"),
            literal(scenario.id),
            (f"  (netquest play {printable(scenario.id)})", "$text-muted"),
        )
    )
    return Content("\n").join(lines)


class ScenarioDetails(VerticalScroll, can_focus=False):
    """A scrolling panel describing the highlighted scenario."""

    DEFAULT_CSS = """
    ScenarioDetails {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        & > #details-body { width: 1fr; }
    }
    """

    def compose(self) -> ComposeResult:
        """The text."""
        yield Static(id="details-body")

    def show(self, entry: Entry | None, status: ScenarioStatus | None) -> None:
        """Describe ``entry`` (or nothing)."""
        body = self.query_one("#details-body", Static)
        if entry is None or status is None:
            body.update(Content.styled("Choose a scenario to see what it is about.", "$text-muted"))
        else:
            body.update(details_content(entry, status))
        self.scroll_home(animate=False)
