"""Export learning records for ``netquest report --format xapi``.

For each learner, the statements recorded live (each save's journal) are given; a run with no
recorded statements (played before recording existed, or a save copied without its journal) is
rebuilt from the save with stable ids, marked with the ``reconstructed`` context extension.
Statements are produced learner by learner, so the report writes them as they come: its memory
does not grow with the number of statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from netquest.engine import Library
from netquest.reports.collect import LearnerSaves
from netquest.reports.model import Skipped
from netquest.xapi.config import XapiSettings
from netquest.xapi.journal import journal_for, read_statements
from netquest.xapi.statements import RunContext, registration_for, run_statements
from netquest.xapi.vocab import EXT_SCENARIO


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
    learners: Iterable[LearnerSaves],
    library: Library | None,
    settings: XapiSettings,
    scenario: str | None = None,
    problems: list[Skipped] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every statement for ``learners`` (optionally of one scenario), one learner at a time.

    A generator, so the caller can write each learner's statements as they come: memory holds
    one learner's statements, never the cohort's. Each learner's statements come oldest first
    (by timestamp), each once; learners in the order given. Journals or lines that cannot be
    read are added to ``problems``.
    """
    for learner in learners:
        yield from _learner_statements(
            learner, library, settings, scenario, [] if problems is None else problems
        )


def _learner_statements(
    learner: LearnerSaves,
    library: Library | None,
    settings: XapiSettings,
    scenario: str | None,
    problems: list[Skipped],
) -> list[dict[str, Any]]:
    seen: set[str] = set()
    statements: list[dict[str, Any]] = []
    registrations: set[str] = set()
    for save in learner.files:
        journal = journal_for(save)
        try:
            recorded, bad = read_statements(journal)
        except FileNotFoundError:
            continue
        except OSError as error:
            problems.append(Skipped(str(journal), f"cannot be read: {error.strerror}"))
            continue
        if bad:
            problems.append(Skipped(str(journal), f"{bad} unreadable line(s) left out"))
        for statement in recorded:
            key = str(statement.get("id", ""))
            if key in seen or (scenario is not None and _scenario_of(statement) != scenario):
                continue
            seen.add(key)
            statements.append(statement)
            registration = _registration_of(statement)
            if registration:
                registrations.add(registration)
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
        statements += run_statements(
            ctx,
            entry.scenario if entry is not None else None,
            path if isinstance(path, list) else [],
            result,
            run.seconds,
            started=run.started,
            updated=run.updated,
            finished=run.finished,
        )
    statements.sort(key=lambda s: str(s.get("timestamp", "")))
    return statements
