"""The pure domain core of netquest: model, loader, game state, explorer, scoring.

Nothing in this package imports Textual or Rich (a test proves it), so the same
engine drives the TUI, the plain line mode, the checker and the reports.
"""

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
from netquest.engine.scoring import Debrief, Decision, Tally, debrief, scaled_score, tally
from netquest.engine.state import ChoiceError, Game, PlayMode, Resume, RunState, Step

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
    "scaled_score",
    "scenario_from_bytes",
    "tally",
]
