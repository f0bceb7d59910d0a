"""The pure domain core of netquest: model, loader, game state, explorer, scoring.

Nothing in this package imports Textual or Rich (a test proves it), so the same
engine drives the TUI, the plain line mode, the checker and the reports.
"""

from typing import TYPE_CHECKING

from netquest._lazy import lazy_exports

if TYPE_CHECKING:
    from netquest.engine.diagnostics import CODES, Diagnostic, Severity
    from netquest.engine.explorer import Analysis, analyse
    from netquest.engine.library import Entry, Library, Unavailable, bundled_dir, load_library
    from netquest.engine.loader import Loaded, load_catalogue, load_scenario, scenario_from_bytes
    from netquest.engine.model import (
        Axis,
        Catalogue,
        Choice,
        Ending,
        GoldenTest,
        Mode,
        Principle,
        Scenario,
        Scene,
    )
    from netquest.engine.scoring import (
        Debrief,
        Decision,
        Reading,
        Tally,
        debrief,
        read_moment,
        scaled_score,
        tally,
    )
    from netquest.engine.state import ChoiceError, Game, PlayMode, Resume, RunState, Step

# Importing a single submodule (e.g. ``netquest.engine.text`` from the TUI's first screen)
# must not pull in the loader, explorer and scoring: names resolve on first use instead.
_LAZY: dict[str, str] = {
    "analyse": "netquest.engine.explorer",
    "Analysis": "netquest.engine.explorer",
    "Axis": "netquest.engine.model",
    "bundled_dir": "netquest.engine.library",
    "Catalogue": "netquest.engine.model",
    "Choice": "netquest.engine.model",
    "ChoiceError": "netquest.engine.state",
    "CODES": "netquest.engine.diagnostics",
    "Debrief": "netquest.engine.scoring",
    "debrief": "netquest.engine.scoring",
    "Decision": "netquest.engine.scoring",
    "Diagnostic": "netquest.engine.diagnostics",
    "Ending": "netquest.engine.model",
    "Entry": "netquest.engine.library",
    "Game": "netquest.engine.state",
    "GoldenTest": "netquest.engine.model",
    "Library": "netquest.engine.library",
    "load_catalogue": "netquest.engine.loader",
    "load_library": "netquest.engine.library",
    "load_scenario": "netquest.engine.loader",
    "Loaded": "netquest.engine.loader",
    "Mode": "netquest.engine.model",
    "PlayMode": "netquest.engine.state",
    "Reading": "netquest.engine.scoring",
    "read_moment": "netquest.engine.scoring",
    "Principle": "netquest.engine.model",
    "Resume": "netquest.engine.state",
    "RunState": "netquest.engine.state",
    "scaled_score": "netquest.engine.scoring",
    "Scenario": "netquest.engine.model",
    "scenario_from_bytes": "netquest.engine.loader",
    "Scene": "netquest.engine.model",
    "Severity": "netquest.engine.diagnostics",
    "Step": "netquest.engine.state",
    "Tally": "netquest.engine.scoring",
    "tally": "netquest.engine.scoring",
    "Unavailable": "netquest.engine.library",
}


__getattr__ = lazy_exports(__name__, _LAZY)

__all__ = [
    "CODES",
    "Analysis",
    "Axis",
    "Catalogue",
    "Choice",
    "ChoiceError",
    "Debrief",
    "Decision",
    "Diagnostic",
    "Ending",
    "Entry",
    "Game",
    "GoldenTest",
    "Library",
    "Loaded",
    "Mode",
    "PlayMode",
    "Principle",
    "Reading",
    "Resume",
    "RunState",
    "Scenario",
    "Scene",
    "Severity",
    "Step",
    "Tally",
    "Unavailable",
    "analyse",
    "bundled_dir",
    "debrief",
    "load_catalogue",
    "load_library",
    "load_scenario",
    "read_moment",
    "scaled_score",
    "scenario_from_bytes",
    "tally",
]
