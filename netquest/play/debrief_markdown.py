"""A run's debrief as Markdown: what the TUI exports and what reports can reuse.

Pure text formatting over engine objects: no Textual or Rich import here. The
small sentence helpers (:func:`reading_sentence`, :func:`delta_label`, …) are
shared with the TUI so the screen and the exported file always say the same
thing.
"""

from __future__ import annotations

from collections.abc import Iterable

from netquest.engine import Catalogue, Choice, Debrief, Decision, Scenario, Scene
from netquest.engine.scoring import AxisReading, PrincipleScore, Reading, read_moment

OUTCOME_LABELS = {
    "great": "Great outcome",
    "good": "Good outcome",
    "mixed": "Mixed outcome",
    "poor": "Poor outcome",
}
"""How each ending outcome is named to the player."""

MINUS = "\u2212"

UNKNOWN_RANGE = "score range unknown"
"""Shown instead of a score when the engine could not explore every path (never a guess)."""


def score_text(debrief: Debrief) -> str:
    """``72 / 100``, or :data:`UNKNOWN_RANGE` when the engine has no score for the run."""
    return UNKNOWN_RANGE if debrief.score is None else f"{debrief.score} / 100"


def range_sentence(debrief: Debrief, unit: str = " points") -> str:
    """What the run added up to, and the range of totals the scenario allows (if known)."""
    added = f"Your choices added up to {signed(debrief.total)}{unit}"
    if debrief.worst is None or debrief.best is None:
        return (
            f"{added}; this scenario has too many paths to explore, so its score range is "
            "unknown and no score is given."
        )
    return f"{added}; paths here range from {signed(debrief.worst)} to {signed(debrief.best)}."


READING_RULE = (
    "A moment is read right when your move is the kind it calls for and loses no points. "
    "The right kind of move that loses points is the right kind of moment, wrong move."
)
"""How the debrief explains its count of moments read right (every front end shows it)."""


def signed(value: int) -> str:
    """An integer with its sign, using a real minus sign: ``+2``, ``−1``, ``0``."""
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"{MINUS}{-value}"
    return "0"


def principle_title(catalogue: Catalogue, principle: str) -> str:
    """A principle's title, or its id when the catalogue does not know it."""
    found = catalogue.principles.get(principle)
    return found.title if found else principle


def axis_title(catalogue: Catalogue, axis: str) -> str:
    """An axis title, or its id when the catalogue does not know it."""
    found = catalogue.axes.get(axis)
    return found.title if found else axis


def mode_title(catalogue: Catalogue, mode: str | None) -> str:
    """A mode's title (``networking`` → ``Networking``)."""
    if mode is None:
        return ""
    found = catalogue.modes.get(mode)
    return found.title if found else mode


def scene_heading(scene: Scene, limit: int = 60) -> str:
    """A scene's title, or the start of its text when it has none."""
    if scene.title:
        return scene.title
    words = " ".join(scene.text.split())
    if len(words) <= limit:
        return words or scene.id
    return words[: limit - 1].rsplit(" ", 1)[0] + "…"


def choice_deltas(choice: Choice, catalogue: Catalogue) -> list[tuple[int, str]]:
    """A choice's effects as ``(value, principle title)``, largest first."""
    items = sorted(choice.effects.items(), key=lambda item: (-abs(item[1]), item[0]))
    return [(value, principle_title(catalogue, principle)) for principle, value in items]


def delta_label(value: int, title: str) -> str:
    """E.g. ``+2 Give and take``."""
    return f"{signed(value)} {title}"


def deltas_text(choice: Choice, catalogue: Catalogue) -> str:
    """Every delta of a choice on one line, or ``no points either way``."""
    parts = [delta_label(value, title) for value, title in choice_deltas(choice, catalogue)]
    return ", ".join(parts) if parts else "no points either way"


def reading_sentence(reading: AxisReading, catalogue: Catalogue) -> str:
    """E.g. ``Networking vs socializing: you read 5 of 6 moments``."""
    title = axis_title(catalogue, reading.axis)
    if reading.total == 0:
        return f"{title}: no moments on this axis in your path"
    noun = "moment" if reading.total == 1 else "moments"
    return f"{title}: you read {reading.right} of {reading.total} {noun}"


def outcome_label(outcome: str | None) -> str:
    """The player-facing name of an ending outcome."""
    if outcome is None:
        return "Unfinished"
    return OUTCOME_LABELS.get(outcome, outcome.capitalize())


def moment_text(calls_for: str | None, choice: Choice, catalogue: Catalogue) -> str:
    """How ``choice`` read a moment that calls for ``calls_for`` ('' when it calls for nothing).

    One sentence per :class:`~netquest.engine.scoring.Reading`: read right; right kind of
    moment, wrong move (naming the points it lost); or another kind of move.
    """
    reading = read_moment(calls_for, choice)
    if reading is None:
        return ""
    wanted = mode_title(catalogue, calls_for)
    if reading is Reading.RIGHT:
        return f"The moment called for {wanted}: you read it right."
    if reading is Reading.WRONG_MOVE:
        deltas = choice_deltas(choice, catalogue)
        lost = ", ".join(delta_label(value, title) for value, title in deltas if value < 0)
        return (
            f"Right kind of moment, wrong move: the moment called for {wanted}, "
            f"but this move lost points ({lost})."
        )
    taken = mode_title(catalogue, choice.mode)
    return f"The moment called for {wanted}; your move was {taken}."


def moment_mark(reading: Reading | None) -> str:
    """``✓ `` for a moment read right, ``✗ `` otherwise, '' when the moment called for nothing."""
    if reading is None:
        return ""
    return "✓ " if reading is Reading.RIGHT else "✗ "


def moment_line(calls_for: str | None, choice: Choice, catalogue: Catalogue) -> str:
    """The moment sentence with its ✓/✗ mark, as every front end shows it after a choice."""
    text = moment_text(calls_for, choice, catalogue)
    return moment_mark(read_moment(calls_for, choice)) + text if text else ""


def moment_sentence(decision: Decision, catalogue: Catalogue) -> str:
    """What a moment called for and how it was read ('' when it called for nothing)."""
    return moment_text(decision.calls_for, decision.choice, catalogue)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _principle_rows(scores: Iterable[PrincipleScore], catalogue: Catalogue) -> list[str]:
    rows = ["| Principle | Points | Possible |", "|---|---:|---|"]
    for score in scores:
        title = _cell(principle_title(catalogue, score.principle))
        possible = (
            "unknown"
            if score.low is None or score.high is None
            else f"{signed(score.low)} to {signed(score.high)}"
        )
        rows.append(f"| {title} | {signed(score.total)} | {possible} |")
    return rows


def _decision_lines(decision: Decision, catalogue: Catalogue) -> list[str]:
    heading = scene_heading(decision.scene)
    lines = [f"### {decision.step + 1}. {heading}", ""]
    lines.append(f"- **You chose:** {decision.choice.text}")
    lines.append(f"- **Points:** {deltas_text(decision.choice, catalogue)}")
    lines.append(f"- **Coach:** {decision.choice.coach}")
    moment = moment_line(decision.calls_for, decision.choice, catalogue)
    if moment:
        lines.append(f"- **Reading the moment:** {moment}")
    if decision.better is not None:
        better = decision.better
        lines.append(
            f"- **Better move:** {better.text} ({deltas_text(better, catalogue)}). {better.coach}"
        )
    lines.append("")
    return lines


def render_debrief(
    debrief: Debrief,
    scenario: Scenario,
    catalogue: Catalogue,
    *,
    player: str | None = None,
    played: str | None = None,
    course: str | None = None,
) -> str:
    """Render a debrief as a Markdown document.

    Args:
        debrief: The engine's review of the run.
        scenario: The scenario that was played.
        catalogue: The principles catalogue it was scored against.
        player: The profile name, if any.
        played: When the run was played (free text, e.g. an ISO date), if wanted.
        course: What the run meant for the course being followed (the debrief's course
            note), if any.

    Returns:
        The Markdown text, ending with a newline.
    """
    lines = [f"# Debrief: {scenario.title}", ""]
    facts = []
    if player:
        facts.append(f"**Player:** {player}")
    facts.append(f"**Mode:** {debrief.mode}")
    if played:
        facts.append(f"**Played:** {played}")
    lines += [" · ".join(facts), ""]
    if course:
        lines += [f"**Course:** {course}", ""]

    ending = debrief.ending
    lines.append(f"## Score: {score_text(debrief)}")
    lines.append("")
    if ending is not None:
        lines.append(f"**Ending:** {ending.title} ({outcome_label(ending.outcome)})")
        lines.append("")
        if ending.text.strip():
            lines += [f"> {line}" if line else ">" for line in ending.text.strip().splitlines()]
            lines.append("")
    else:
        lines += ["**Ending:** not reached yet", ""]
    if debrief.worst is None or debrief.best is None:
        lines.append(range_sentence(debrief))
    else:
        lines.append(
            f"Your choices added up to {signed(debrief.total)} points; the paths through this "
            f"scenario range from {signed(debrief.worst)} to {signed(debrief.best)}."
        )
    lines.append("")

    if debrief.principles:
        lines += ["## Principles", ""]
        lines += _principle_rows(debrief.principles, catalogue)
        lines.append("")

    if debrief.readings:
        lines += ["## Reading the moment", ""]
        lines += [f"- {reading_sentence(r, catalogue)}" for r in debrief.readings]
        lines += ["", READING_RULE, ""]

    if debrief.decisions:
        lines += ["## Decision by decision", ""]
        for decision in debrief.decisions:
            lines += _decision_lines(decision, catalogue)

    return "\n".join(lines).rstrip("\n") + "\n"
