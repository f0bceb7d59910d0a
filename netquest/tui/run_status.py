"""What a player has done with each scenario, read from their profile.

Pure functions over saves and engine objects (no Textual import), used by the
title screen (what Continue resumes), the picker (new / in progress / scores)
and the app (what New game starts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the title screen uses this before the library has loaded
    from netquest.engine import Entry, Library
    from netquest.saves import Profile, RunRecord


def run_score(run: RunRecord) -> int | None:
    """The 0–100 score of a finished run, if its result records one."""
    if run.result is None:
        return None
    score = run.result.get("score")
    return score if isinstance(score, int) and not isinstance(score, bool) else None


@dataclass(frozen=True, slots=True)
class ScenarioStatus:
    """One player's record with one scenario."""

    runs: int
    finished: int
    unfinished: RunRecord | None
    best: int | None
    last: int | None

    @property
    def is_new(self) -> bool:
        """Never played."""
        return self.runs == 0

    @property
    def label(self) -> str:
        """E.g. ``new``, ``in progress``, ``best 87 · last 70``."""
        parts: list[str] = []
        if self.best is not None:
            parts.append(f"best {self.best}")
        if self.last is not None:
            parts.append(f"last {self.last}")
        if self.unfinished is not None:
            parts.append("in progress")
        if not parts:
            return "new" if self.finished == 0 else "played"
        return " · ".join(parts)


def scenario_status(profile: Profile | None, scenario_id: str) -> ScenarioStatus:
    """Summarise a player's runs of one scenario."""
    if profile is None:
        return ScenarioStatus(0, 0, None, None, None)
    runs = profile.runs_for(scenario_id)
    finished = [run for run in runs if run.is_finished]
    scores = [score for run in finished if (score := run_score(run)) is not None]
    return ScenarioStatus(
        runs=len(runs),
        finished=len(finished),
        unfinished=profile.latest_unfinished(scenario_id),
        best=max(scores) if scores else None,
        last=run_score(finished[-1]) if finished else None,
    )


def continue_target(
    profile: Profile | None, library: Library | None
) -> tuple[RunRecord, Entry] | None:
    """The most recent unfinished run whose scenario is loaded, with its entry."""
    if profile is None or library is None:
        return None
    unfinished = [(index, run) for index, run in enumerate(profile.runs) if not run.is_finished]
    for _, run in sorted(unfinished, key=lambda item: (item[1].updated, item[0]), reverse=True):
        entry = library.get(run.scenario_id)
        if entry is not None:
            return run, entry
    return None


def latest_finished(
    profile: Profile | None, library: Library | None
) -> tuple[RunRecord, Entry] | None:
    """The most recently finished run whose scenario is loaded, with its entry."""
    if profile is None or library is None:
        return None
    finished = [(index, run) for index, run in enumerate(profile.runs) if run.finished]
    newest_first = sorted(
        finished, key=lambda item: (item[1].finished or "", item[0]), reverse=True
    )
    for _, run in newest_first:
        entry = library.get(run.scenario_id)
        if entry is not None:
            return run, entry
    return None


FIRST_SCENARIO = "conference"
"""The scenario recommended to a player who has never played (when it is loaded)."""


def new_game_scenario(profile: Profile | None, library: Library | None) -> Entry | None:
    """What New game starts.

    A first-time player (no runs yet) gets :data:`FIRST_SCENARIO`; a returning one, the
    suggestion of the Progress screen (the scenario that works on their weakest principle).
    Otherwise (neither loaded): :func:`next_new_scenario`.

    The suggestion explores scenarios (cached per scenario): call this from a worker thread.
    """
    if library is None:
        return None
    if profile is None or not profile.runs:
        first = library.get(FIRST_SCENARIO)
        if first is not None:
            return first
    elif profile is not None:
        from netquest.play.progress import summarise

        suggestion = summarise(profile, library).suggestion
        entry = library.get(suggestion.scenario_id) if suggestion is not None else None
        if entry is not None:
            return entry
    return next_new_scenario(profile, library)


def next_new_scenario(profile: Profile | None, library: Library | None) -> Entry | None:
    """What New game starts.

    The first scenario (in library order) never played, else the first never finished, else
    the first.
    """
    if library is None or not library.entries:
        return None
    statuses = [(entry, scenario_status(profile, entry.scenario.id)) for entry in library.entries]
    for entry, status in statuses:
        if status.is_new:
            return entry
    for entry, status in statuses:
        if status.finished == 0:
            return entry
    return library.entries[0]
