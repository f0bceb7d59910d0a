"""A player's progress across sessions: runs per scenario, principle mastery, what to play next.

Pure Python (no Textual or Rich): the Progress screen, the plain mode and reports can all use it.
It reads the runs a profile holds and the scenarios the library loaded; it never scores a run
itself, it only reads the results the engine stored (``RunRecord.result``).

Mastery of a principle in one finished run is where its total lies between the lowest and the
highest total that scenario allows for it (found by the explorer), as 0–100. Exploring can be
slow for large scenarios, so call :func:`summarise` from a worker thread in the UI.

A low mastery alone does not make a principle weak: the best path through a scenario may leave
a principle at its lowest because an equally good move worked on another one. The weakest
principles are those the player actually lost or missed points on lately (see
:attr:`MasteryPoint.shortfall`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock

from netquest.engine import (
    Catalogue,
    ChoiceError,
    Entry,
    Game,
    Library,
    Principle,
    Scenario,
    scaled_score,
)
from netquest.engine.scoring import decisions
from netquest.play.session import analysis_for
from netquest.saves import Profile, RunRecord, parse_timestamp

RECENT_RUNS = 3
"""How many of a principle's latest finished runs its recent mastery averages."""

MASTERY_TARGET = 60
"""Recent mastery below this counts as a weakness before principles never practised."""

WEAKEST_COUNT = 3
"""How many principles :attr:`ProgressSummary.weakest` lists."""


@dataclass(frozen=True, slots=True)
class ScenarioProgress:
    """One scenario's line in the history.

    Attributes:
        id: Scenario id.
        title: Scenario title (the id when the scenario is no longer loaded).
        runs: Runs started, finished or not.
        finished: Runs that reached an ending.
        best: Best score of a finished run, 0–100.
        last: Score of the most recently finished run.
        in_progress: Whether an unfinished run can be continued.
        available: Whether the scenario is loaded now (it may have been removed since).
    """

    id: str
    title: str
    runs: int
    finished: int
    best: int | None
    last: int | None
    in_progress: bool
    available: bool = True

    @property
    def status(self) -> str:
        """One word for the table: ``new``, ``in progress``, ``played`` or ``unavailable``."""
        if not self.available:
            return "unavailable"
        if self.in_progress:
            return "in progress"
        return "played" if self.finished else "new"


@dataclass(frozen=True, slots=True)
class MasteryPoint:
    """A principle's mastery in one finished run.

    Attributes:
        run_id: The run.
        scenario_id: The scenario played.
        finished: When the run finished (ISO-8601 UTC).
        total: The principle's total in that run.
        low: The lowest total the scenario allows for it.
        high: The highest total the scenario allows for it.
        value: Where ``total`` lies between ``low`` and ``high``, 0–100.
        shortfall: Points the run actually lost or missed on this principle: the sizes of its
            negative effects, plus, at each decision where a better move existed, what that
            move would have given it beyond the choice taken. ``None`` when the run's path
            cannot be replayed on the scenario as it is now (then ``value`` is all we know).
    """

    run_id: str
    scenario_id: str
    finished: str
    total: int
    low: int
    high: int
    value: int
    shortfall: int | None = None


@dataclass(frozen=True, slots=True)
class PrincipleMastery:
    """A principle's mastery over time, oldest run first.

    Attributes:
        principle: Principle id.
        title: Principle title.
        axis: Id of the axis it belongs to.
        points: One point per finished run that could move this principle.
        taught_by: Ids of loaded scenarios whose choices affect it.
    """

    principle: str
    title: str
    axis: str
    points: tuple[MasteryPoint, ...]
    taught_by: tuple[str, ...]

    @property
    def practised(self) -> bool:
        """Whether any finished run counted for this principle."""
        return bool(self.points)

    @property
    def values(self) -> tuple[int, ...]:
        """The mastery values, oldest first (what a chart plots)."""
        return tuple(point.value for point in self.points)

    @property
    def latest(self) -> int | None:
        """Mastery in the most recent run, if any."""
        return self.points[-1].value if self.points else None

    @property
    def recent(self) -> int | None:
        """Mean mastery over the last :data:`RECENT_RUNS` runs, if any."""
        if not self.points:
            return None
        values = self.values[-RECENT_RUNS:]
        return round(sum(values) / len(values))

    @property
    def short_lately(self) -> bool:
        """Whether the last :data:`RECENT_RUNS` runs lost or missed points on it (or may have)."""
        return any(point.shortfall != 0 for point in self.points[-RECENT_RUNS:])

    @property
    def trend(self) -> int | None:
        """Change from the previous run to the latest (``None`` with fewer than two runs)."""
        if len(self.points) < 2:
            return None
        return self.points[-1].value - self.points[-2].value


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The scenario to play next and why.

    Attributes:
        scenario_id: The scenario suggested.
        title: Its title.
        principle: Id of the weak principle it works on.
        principle_title: That principle's title.
        reason: One line for the player.
    """

    scenario_id: str
    title: str
    principle: str
    principle_title: str
    reason: str


@dataclass(frozen=True, slots=True)
class ProgressSummary:
    """Everything the Progress screen shows.

    Attributes:
        profile: The player's name.
        scenarios: One line per loaded scenario (library order), then any scenario played
            before but no longer loaded.
        mastery: Every principle some loaded scenario teaches or some run practised, in
            catalogue order.
        weakest: Up to :data:`WEAKEST_COUNT` principles to work on, weakest first: ones the
            player lost or missed points on lately, or never practised.
        suggestion: What to play next, or ``None`` when nothing is loaded.
        runs: Runs started in all.
        finished: Runs finished in all.
        seconds: Time played over all runs.
    """

    profile: str
    scenarios: tuple[ScenarioProgress, ...]
    mastery: tuple[PrincipleMastery, ...]
    weakest: tuple[PrincipleMastery, ...]
    suggestion: Suggestion | None
    runs: int
    finished: int
    seconds: float


# --- reading results -----------------------------------------------------------------------


def _int(value: object) -> int | None:
    """An integer from stored JSON, or ``None`` for anything else (bools included)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _score(run: RunRecord) -> int | None:
    return None if run.result is None else _int(run.result.get("score"))


def _principle_totals(run: RunRecord) -> dict[str, int]:
    raw = run.result.get("principles") if run.result is not None else None
    if not isinstance(raw, Mapping):
        return {}
    totals: dict[str, int] = {}
    for key, value in raw.items():
        number = _int(value)
        if isinstance(key, str) and number is not None:
            totals[key] = number
    return totals


def _moment(stamp: str | None) -> datetime:
    if stamp is None:
        return datetime.min.replace(tzinfo=UTC)
    try:
        return parse_timestamp(stamp)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _finished_in_order(runs: Iterable[RunRecord]) -> list[RunRecord]:
    """Finished runs with a result, oldest first (ties keep stored order)."""
    done = [run for run in runs if run.finished is not None and run.result is not None]
    return sorted(done, key=lambda run: _moment(run.finished))


# --- principle ranges (cached: exploring is the expensive part) -------------------------------

_ranges: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
_ranges_lock = Lock()


def principle_ranges(scenario: Scenario) -> Mapping[str, tuple[int, int]]:
    """The lowest and highest total each principle can reach in ``scenario``, computed once."""
    key = (scenario.id, scenario.content_hash)
    with _ranges_lock:
        found = _ranges.get(key)
    if found is None:
        found = analysis_for(scenario).principle_ranges(scenario.principles_used)
        with _ranges_lock:
            _ranges[key] = found
    return found


def mastery_value(total: int, low: int, high: int) -> int:
    """Where ``total`` lies between ``low`` and ``high``, as 0–100 (clamped).

    The same scale as a run's score, so mastery and scores read alike.
    """
    return scaled_score(total, low, high)


def teaching_weight(scenario: Scenario, principle: str) -> int:
    """How much a scenario's choices work on a principle: the sum of their effects' sizes."""
    return sum(
        abs(choice.effects.get(principle, 0))
        for scene in scenario.scenes.values()
        for choice in scene.choices
    )


# --- the summary -----------------------------------------------------------------------------


def _scenario_lines(profile: Profile, library: Library) -> tuple[ScenarioProgress, ...]:
    lines: list[ScenarioProgress] = []
    known = set()
    ids = [entry.scenario.id for entry in library.entries]
    titles = {entry.scenario.id: entry.scenario.title for entry in library.entries}
    for run in profile.runs:
        if run.scenario_id not in titles and run.scenario_id not in known:
            known.add(run.scenario_id)
            ids.append(run.scenario_id)
    for scenario_id in ids:
        runs = profile.runs_for(scenario_id)
        finished = _finished_in_order(runs)
        scores = [score for run in finished if (score := _score(run)) is not None]
        lines.append(
            ScenarioProgress(
                id=scenario_id,
                title=titles.get(scenario_id, scenario_id),
                runs=len(runs),
                finished=sum(1 for run in runs if run.is_finished),
                best=max(scores) if scores else None,
                last=scores[-1] if scores else None,
                in_progress=any(not run.is_finished for run in runs),
                available=scenario_id in titles,
            )
        )
    return tuple(lines)


def _principles(library: Library) -> dict[str, Principle]:
    """Every principle of the loaded scenarios' catalogues, first catalogue wins, in order."""
    catalogues: list[Catalogue] = []
    for entry in library.entries:
        if all(entry.catalogue is not seen for seen in catalogues):
            catalogues.append(entry.catalogue)
    found: dict[str, Principle] = {}
    for catalogue in catalogues:
        for principle_id, principle in catalogue.principles.items():
            found.setdefault(principle_id, principle)
    return found


_shortfall_cache: dict[tuple[str, str | None, str, str], dict[str, int] | None] = {}


def _shortfalls(run: RunRecord, entry: Entry) -> dict[str, int] | None:
    """Points each principle lost or missed in ``run`` (``None``: its path cannot be replayed).

    A finished run never changes, so each is worked out once per scenario version.
    """
    path = run.result.get("path") if run.result is not None else None
    key = (run.id, run.finished, entry.scenario.content_hash, repr(path))
    with _ranges_lock:
        if key in _shortfall_cache:
            return _shortfall_cache[key]
    found = _replay_shortfalls(run, entry)
    with _ranges_lock:
        _shortfall_cache[key] = found
    return found


def _replay_shortfalls(run: RunRecord, entry: Entry) -> dict[str, int] | None:
    raw = run.result.get("path") if run.result is not None else None
    if not isinstance(raw, list) or not raw:
        return None
    game = Game(entry.scenario)
    state = game.start("assessment" if run.mode == "assessment" else "practice")
    try:
        for step in raw:
            if not (isinstance(step, list) and len(step) == 2 and step[0] == state.node):
                return None
            state = game.choose(state, str(step[1]))
    except ChoiceError:
        return None
    short: dict[str, int] = {}
    for decision in decisions(entry.scenario, entry.catalogue, state, analysis_for(entry.scenario)):
        taken = decision.choice.effects
        for principle, value in taken.items():
            if value < 0:
                short[principle] = short.get(principle, 0) - value
        if decision.better is not None:
            for principle, value in decision.better.effects.items():
                gap = value - taken.get(principle, 0)
                if gap > 0:
                    short[principle] = short.get(principle, 0) + gap
    return short


def _points(profile: Profile, library: Library) -> dict[str, list[MasteryPoint]]:
    points: dict[str, list[MasteryPoint]] = {}
    for run in _finished_in_order(profile.runs):
        entry = library.get(run.scenario_id)
        if entry is None or run.finished is None:
            continue
        ranges = principle_ranges(entry.scenario)
        short = _shortfalls(run, entry)
        for principle, total in _principle_totals(run).items():
            low, high = ranges.get(principle, (0, 0))
            if high <= low:  # this scenario cannot move it: no evidence either way
                continue
            points.setdefault(principle, []).append(
                MasteryPoint(
                    run_id=run.id,
                    scenario_id=run.scenario_id,
                    finished=run.finished,
                    total=total,
                    low=low,
                    high=high,
                    value=mastery_value(total, low, high),
                    shortfall=None if short is None else short.get(principle, 0),
                )
            )
    return points


def _rank_key(mastery: PrincipleMastery) -> tuple[int, int]:
    """Weak (points lost or missed lately, below target), then unpractised, then the rest;
    a principle nothing was lost or missed on lately comes last, whatever its mastery."""
    recent = mastery.recent
    if recent is None:
        return (1, 0)
    if not mastery.short_lately:
        return (3, -recent)
    return (0 if recent < MASTERY_TARGET else 2, recent)


def _suggest(
    weakest: Iterable[PrincipleMastery], profile: Profile, library: Library
) -> Suggestion | None:
    order = {entry.scenario.id: index for index, entry in enumerate(library.entries)}
    for mastery in weakest:
        candidates: list[tuple[bool, int, int, int, Entry]] = []
        for scenario_id in mastery.taught_by:
            entry = library.get(scenario_id)
            if entry is None:
                continue
            runs = profile.runs_for(scenario_id)
            completed = any(run.is_finished for run in runs)
            weight = teaching_weight(entry.scenario, mastery.principle)
            candidates.append((completed, -weight, len(runs), order[scenario_id], entry))
        if not candidates:
            continue
        completed, _, _, _, entry = min(candidates, key=lambda item: item[:4])
        scenario = entry.scenario
        if mastery.recent is None:
            why = f"You have not practised {mastery.title} yet"
        elif not mastery.short_lately:
            why = f"You lost no points on {mastery.title} lately"
        else:
            why = f"{mastery.title} is your weakest principle ({mastery.recent}/100 lately)"
        where = "works on it most"
        if completed:
            where += "; replay it and try new moves"
        return Suggestion(
            scenario_id=scenario.id,
            title=scenario.title,
            principle=mastery.principle,
            principle_title=mastery.title,
            reason=f"{why}: {scenario.title} {where}.",
        )
    return None


def summarise(profile: Profile, library: Library) -> ProgressSummary:
    """Summarise a profile's history against the scenarios loaded now.

    Runs of scenarios no longer loaded still count in the scenario lines, but give no mastery
    points (the range of a principle needs the scenario). A run of a scenario edited since is
    measured against the scenario as it is now.
    """
    principles = _principles(library)
    points = _points(profile, library)
    taught: dict[str, list[str]] = {}
    for entry in library.entries:
        for principle in entry.scenario.principles_used:
            if teaching_weight(entry.scenario, principle):
                taught.setdefault(principle, []).append(entry.scenario.id)
    mastery = tuple(
        PrincipleMastery(
            principle=principle_id,
            title=principle.title,
            axis=principle.axis,
            points=tuple(points.get(principle_id, ())),
            taught_by=tuple(taught.get(principle_id, ())),
        )
        for principle_id, principle in principles.items()
        if principle_id in taught or principle_id in points
    )
    ranked = sorted((m for m in mastery if m.taught_by), key=_rank_key)
    # Only what was lost or missed (or never practised) is a weakness.
    weakest = tuple(m for m in ranked if not m.practised or m.short_lately)[:WEAKEST_COUNT]
    finished = [run for run in profile.runs if run.is_finished]
    return ProgressSummary(
        profile=profile.name,
        scenarios=_scenario_lines(profile, library),
        mastery=mastery,
        weakest=weakest,
        suggestion=_suggest(ranked, profile, library),
        runs=len(profile.runs),
        finished=len(finished),
        seconds=sum(run.seconds for run in profile.runs),
    )


def format_duration(seconds: float) -> str:
    """A short human duration: ``45s``, ``12 min``, ``1 h 05 min``."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


__all__ = [
    "MASTERY_TARGET",
    "RECENT_RUNS",
    "WEAKEST_COUNT",
    "MasteryPoint",
    "PrincipleMastery",
    "ProgressSummary",
    "ScenarioProgress",
    "Suggestion",
    "format_duration",
    "mastery_value",
    "principle_ranges",
    "summarise",
    "teaching_weight",
]
