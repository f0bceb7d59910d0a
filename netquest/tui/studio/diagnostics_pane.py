"""Every diagnostic ``check`` gives for the file, with its line; Enter opens the editor there."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from netquest.engine.diagnostics import Diagnostic
from netquest.engine.text import printable
from netquest.tui.studio.messages import OpenLine


class DiagnosticsPane(OptionList):
    """One row per diagnostic: line, severity, code, message (and hint)."""

    DEFAULT_CSS = """
    DiagnosticsPane {
        background: $surface;
    }
    """

    def show(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        """Replace the rows."""
        errors = sum(1 for d in diagnostics if d.is_error)
        self.border_title = (
            f"Diagnostics: {errors} error{'s' * (errors != 1)}, "
            f"{len(diagnostics) - errors} warning{'s' * (len(diagnostics) - errors != 1)}"
        )
        self.clear_options()
        if not diagnostics:
            self.add_option(Option(Text("✓ check finds nothing to fix", style="green"), id="none"))
            return
        options = []
        for number, found in enumerate(diagnostics):
            style = "bold red" if found.is_error else "yellow"
            row = Text.assemble(
                (f"{found.line:>4} ", "dim"),
                (f"{found.severity.value} {found.code} ", style),
                printable(found.message),
            )
            if found.hint:
                row.append(f" ({printable(found.hint)})", style="dim")
            options.append(Option(row, id=f"d{number}:{found.line}"))
        self.add_options(options)

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if ":" in option_id:
            self.post_message(OpenLine(int(option_id.rsplit(":", 1)[1])))
