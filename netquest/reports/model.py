"""The report's data model: frozen dataclasses, plain values, no behaviour beyond lookups.

Every renderer (Markdown, CSV, JSON, HTML) reads a :class:`Report` and nothing else.
Scores are the 0-100 run scores the player saw; mastery is where a principle's total lies
between the lowest and highest total the scenario allows for it, also 0-100.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from netquest.reports.course_section import CourseSection

Status = Literal["not started", "in progress", "completed"]
STATUSES: tuple[Status, ...] = ("completed", "in progress", "not started")


@dataclass(frozen=True, slots=True)
class Attempt:
    """One run of one scenario by one learner.

    Attributes:
        run_id: The run's id (its xAPI registration).
        scenario: Scenario id.
        mode: ``practice``, ``assessment``, or ``group`` (played by the class together).
        started: When it started (ISO-8601 UTC).
        updated: When it was last saved.
        finished: When it reached an ending, or None while in progress.
        seconds: Time played.
        score: The 0-100 score, once finished.
        outcome: The ending's outcome (great, good, mixed, poor), once finished.
        ending: The ending's id, once finished.
        path: [scene, choice] of each decision so far, as stored (entries of another shape
            are skipped by every reader).
        principles: Principle -> total, once finished, as stored.
        readings: Axis -> [moments read right, moments], once finished, as stored.

    The last three are the engine's data, read-only and never copied: a report over ten
    thousand saves must not rebuild every path.
    """

    run_id: str
    scenario: str
    mode: str
    started: str
    updated: str
    finished: str | None
    seconds: float
    score: int | None
    outcome: str | None
    ending: str | None
    path: Sequence[Sequence[str]] = ()
    principles: Mapping[str, int] = field(default_factory=dict)
    readings: Mapping[str, Sequence[int]] = field(default_factory=dict)

    @property
    def is_finished(self) -> bool:
        """Whether the run reached an ending."""
        return self.finished is not None


@dataclass(frozen=True, slots=True)
class Learner:
    """One player: a profile name on one machine.

    Attributes:
        key: Opaque stable id from name and machine (also the xAPI account name).
        name: The profile name as typed.
        machine: Anonymous id of the machine the profile was created on.
        label: How the report names them: the name, plus the machine when two learners
            share a name.
        files: The save files read for this learner.
        attempts: Every run, oldest first.
    """

    key: str
    name: str
    machine: str
    label: str
    files: tuple[str, ...]
    attempts: tuple[Attempt, ...]


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    """A scenario the report covers.

    Attributes:
        id: Scenario id.
        title: Its title (the id when it is not in the library).
        available: Whether the library has it now (needed for mastery and decision texts).
        teaches: Axis ids it teaches.
    """

    id: str
    title: str
    available: bool
    teaches: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cell:
    """One learner on one scenario: the grid's cell and the CSV's row.

    Attributes:
        learner: Learner key.
        scenario: Scenario id.
        status: ``not started``, ``in progress`` or ``completed`` (at least one run finished).
        attempts: Runs started.
        completed: Runs finished.
        best: Best score of a finished run.
        first: Score of the first finished run.
        latest: Score of the latest finished run.
        latest_outcome: The latest finished run's outcome.
        seconds: Time spent over all runs.
        assessment: Score of the first finished assessment run (the scored one).
        assessment_outcome: That run's outcome.
        assessment_pending: An assessment run is started but not finished, and none is.
        first_started: When the first run started.
        last_activity: When a run was last saved.
    """

    learner: str
    scenario: str
    status: Status
    attempts: int = 0
    completed: int = 0
    best: int | None = None
    first: int | None = None
    latest: int | None = None
    latest_outcome: str | None = None
    seconds: float = 0.0
    assessment: int | None = None
    assessment_outcome: str | None = None
    assessment_pending: bool = False
    first_started: str | None = None
    last_activity: str | None = None

    @property
    def gain(self) -> int | None:
        """Latest minus first score, once two runs are finished."""
        if self.completed < 2 or self.first is None or self.latest is None:
            return None
        return self.latest - self.first


@dataclass(frozen=True, slots=True)
class Spread:
    """Mean and spread of one value over learners.

    Attributes:
        count: How many learners have a value.
        mean: Their mean.
        stdev: Population standard deviation.
        low: Lowest value.
        high: Highest value.
    """

    count: int = 0
    mean: float | None = None
    stdev: float | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class PrincipleStat:
    """The cohort on one principle (mastery in each learner's latest finished runs).

    Attributes:
        principle: Principle id.
        title: Its title.
        axis: The axis it belongs to.
        mastery: Spread of per-learner mastery, 0-100.
        scenarios: Scenarios in the report whose choices move it.
    """

    principle: str
    title: str
    axis: str
    mastery: Spread
    scenarios: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AxisStat:
    """The cohort on one axis.

    Attributes:
        axis: Axis id.
        title: Its title.
        reading: Spread of per-learner reading accuracy (% of moments read right).
        mastery: Spread of per-learner mean mastery of the axis's principles.
        moments: Moments on this axis in the runs counted.
    """

    axis: str
    title: str
    reading: Spread
    mastery: Spread
    moments: int


@dataclass(frozen=True, slots=True)
class Gain:
    """A learner's first-versus-latest scores over the scenarios they finished twice or more.

    Attributes:
        learner: Learner key.
        repeated: Scenarios finished at least twice.
        first: Mean first score over those scenarios.
        latest: Mean latest score over those scenarios.
        gain: ``latest - first``.
    """

    learner: str
    repeated: int
    first: float
    latest: float
    gain: float


@dataclass(frozen=True, slots=True)
class ChoiceCount:
    """How often one choice was taken.

    Attributes:
        choice: Choice id.
        text: What the player does or says (the id when unknown).
        mode: What the action is (networking, socializing, ...), if known.
        points: The choice's total principle effect, if known.
        reads_right: Whether it reads the moment right: the called-for mode, losing no points
            (None: the scene calls for nothing).
        learners: Learners who took it in their first run.
        share: ``learners`` as a fraction of learners whose first run reached the scene.
        runs: Times it was taken over all runs.
        reading: How it reads the moment: ``right``, ``wrong_move`` (the called-for mode, but it
            loses points) or ``missed`` (another mode); None when the scene calls for nothing.
    """

    choice: str
    text: str
    mode: str | None
    points: int | None
    reads_right: bool | None
    learners: int
    share: float
    runs: int
    reading: str | None = None


@dataclass(frozen=True, slots=True)
class SceneCount:
    """The choices made at one scene.

    Attributes:
        scene: Scene id.
        title: Scene title (the id when it has none or is unknown).
        calls_for: The mode the moment calls for, if any.
        reached: Learners whose first run made a decision here.
        choices: Every choice of the scene (library order), then unknown ones taken.
        calls_for_title: The title of the mode it calls for ('' when none).
    """

    scene: str
    title: str
    calls_for: str | None
    reached: int
    choices: tuple[ChoiceCount, ...]
    calls_for_title: str = ""


@dataclass(frozen=True, slots=True)
class DecisionView:
    """Per-decision view of one scenario: where the group's choices went.

    Attributes:
        scenario: Scenario id.
        title: Scenario title.
        learners: Learners who started it.
        scenes: Scenes in story order (scenes nobody reached included, with zero counts).
    """

    scenario: str
    title: str
    learners: int
    scenes: tuple[SceneCount, ...]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that could not be used, and why (one line)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Summary:
    """Headline numbers.

    Attributes:
        learners: Learners in the report.
        runs: Runs in all.
        finished: Finished runs.
        completed_cells: Learner-scenario pairs completed.
        in_progress_cells: Learner-scenario pairs in progress.
        cells: Learner-scenario pairs in all (learners × scenarios).
        mean_best: Mean best score over completed pairs.
        seconds: Time played in all.
    """

    learners: int = 0
    runs: int = 0
    finished: int = 0
    completed_cells: int = 0
    in_progress_cells: int = 0
    cells: int = 0
    mean_best: float | None = None
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a trainer report shows.

    Attributes:
        title: The report's heading.
        generated: When it was made (ISO-8601 UTC).
        files: Save files read successfully.
        skipped: Files that could not be read.
        scenario_filter: The one scenario the report is limited to, if any.
        learners: Learners, sorted by label.
        scenarios: Scenarios covered, library order then unknown ids.
        grid: A cell for every learner and scenario with at least one run, learner-major
            (a pair without one is ``not started``: see :meth:`cell`).
        summary: Headline numbers.
        principles: Cohort per principle, catalogue order.
        weakest: Ids of up to three weakest principles, weakest first (none at 100).
        axes: Cohort per axis.
        gains: First-versus-latest gains, per learner who repeated a scenario.
        decisions: Per-decision views, one per scenario covered.
        course: The course view, when the report was asked for one (``--course``).
    """

    title: str
    generated: str
    files: int
    skipped: tuple[Skipped, ...]
    scenario_filter: str | None
    learners: tuple[Learner, ...]
    scenarios: tuple[ScenarioInfo, ...]
    grid: tuple[Cell, ...]
    summary: Summary
    principles: tuple[PrincipleStat, ...] = ()
    weakest: tuple[str, ...] = ()
    axes: tuple[AxisStat, ...] = ()
    gains: tuple[Gain, ...] = ()
    decisions: tuple[DecisionView, ...] = ()
    course: CourseSection | None = None
    _cells: dict[tuple[str, str], Cell] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def started(self, learner: str, scenario: str) -> Cell | None:
        """The cell of a learner (key) and a scenario (id), or None if not started."""
        if not self._cells and self.grid:
            self._cells.update(((c.learner, c.scenario), c) for c in self.grid)
        return self._cells.get((learner, scenario))

    def cell(self, learner: str, scenario: str) -> Cell:
        """The cell of a learner (key) and a scenario (id), ``not started`` included."""
        found = self.started(learner, scenario)
        return found if found is not None else Cell(learner, scenario, "not started")

    def learner(self, key: str) -> Learner | None:
        """The learner with this key."""
        return next((learner for learner in self.learners if learner.key == key), None)

    def principle(self, principle_id: str) -> PrincipleStat | None:
        """The cohort statistics of one principle."""
        return next((p for p in self.principles if p.principle == principle_id), None)
