"""Export learning records for ``netquest report --format xapi``.

The statements recorded live (each save's journal) come first; a run with no recorded
statements (played before recording existed, or a save copied without its journal) is rebuilt
from the save with stable ids, marked with the ``reconstructed`` context extension.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from netquest.engine import Library
from netquest.reports.collect import LearnerSaves
from netquest.reports.model import Skipped
from netquest.xapi.config import XapiSettings
from netquest.xapi.journal import encode_lines, journal_for, read_statements
from netquest.xapi.statements import RunContext, registration_for, run_statements
from netquest.xapi.vocab import EXT_SCENARIO


@dataclass(frozen=True, slots=True)
class Export:
    """Statements to export and what could not be read.

    Attributes:
        statements: Oldest first (by timestamp), each once.
        recorded: How many came from journals.
        rebuilt: How many were rebuilt from saves.
        problems: Journals or lines that could not be read.
    """

    statements: tuple[dict[str, Any], ...]
    recorded: int
    rebuilt: int
    problems: tuple[Skipped, ...]

    def jsonl(self) -> str:
        """The statements as JSON Lines."""
        return encode_lines(self.statements).decode("utf-8")


def _scenario_of(statement: dict[str, Any]) -> str | None:
    context = statement.get("context")
    extensions = context.get("extensions") if isinstance(context, dict) else None
    value = extensions.get(EXT_SCENARIO) if isinstance(extensions, dict) else None
    return value if isinstance(value, str) else None


def _registration_of(statement: dict[str, Any]) -> str | None:
    context = statement.get("context")
    value = context.get("registration") if isinstance(context, dict) else None
    return value if isinstance(value, str) else None


def export_statements(
    learners: Sequence[LearnerSaves],
    library: Library | None,
    settings: XapiSettings,
    scenario: str | None = None,
) -> Export:
    """Gather every statement for ``learners`` (optionally of one scenario)."""
    seen: set[str] = set()
    recorded: list[dict[str, Any]] = []
    problems: list[Skipped] = []
    registrations: set[str] = set()
    for learner in learners:
        for save in learner.files:
            journal = journal_for(save)
            try:
                statements, bad = read_statements(journal)
            except FileNotFoundError:
                continue
            except OSError as error:
                problems.append(Skipped(str(journal), f"cannot be read: {error.strerror}"))
                continue
            if bad:
                problems.append(Skipped(str(journal), f"{bad} unreadable line(s) left out"))
            for statement in statements:
                key = str(statement.get("id", ""))
                if key in seen or (scenario is not None and _scenario_of(statement) != scenario):
                    continue
                seen.add(key)
                recorded.append(statement)
                registration = _registration_of(statement)
                if registration:
                    registrations.add(registration)
    rebuilt: list[dict[str, Any]] = []
    for learner in learners:
        for run in learner.runs:
            if scenario is not None and run.scenario_id != scenario:
                continue
            if registration_for(run.id) in registrations:
                continue
            entry = library.get(run.scenario_id) if library is not None else None
            ctx = RunContext.for_run(
                learner.name,
                learner.machine,
                run.id,
                run.scenario_id,
                run.mode,
                run.content_hash,
                settings,
                reconstructed=True,
            )
            history = run.state.get("history")
            result = run.result
            path = result.get("path") if result is not None else history
            rebuilt += run_statements(
                ctx,
                entry.scenario if entry is not None else None,
                path if isinstance(path, list) else [],
                result,
                run.seconds,
                started=run.started,
                updated=run.updated,
                finished=run.finished,
            )
    everything = sorted([*recorded, *rebuilt], key=lambda s: str(s.get("timestamp", "")))
    return Export(tuple(everything), len(recorded), len(rebuilt), tuple(problems))
