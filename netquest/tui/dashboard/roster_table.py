"""Who is in the class and where each student is now."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.content import Content

from netquest.play.class_state import Student
from netquest.tui.dashboard.projector_text import ProjectorText
from netquest.tui.literal import printable

Namer = Callable[[str], str]


def _where(student: Student, titles: Callable[[str], str]) -> str:
    if student.scenario is None:
        return "choosing a scenario"
    if student.finished:
        score = f"{student.score}/100" if student.score is not None else "done"
        return f"{titles(student.scenario)} · end {score}"
    return f"{titles(student.scenario)} · {student.scene or '…'}"


class RosterTable(ProjectorText):
    """One line per student: name, what they play, where, decisions made, mode."""

    DEFAULT_CSS = """
    RosterTable {
        height: auto;
        padding: 0 1;
        color: $text;
    }
    """

    def show(
        self, students: Sequence[Student], name_of: Namer, title_of: Callable[[str], str]
    ) -> None:
        """Draw ``students``; ``name_of`` hides names when asked."""
        here = sum(1 for student in students if student.present)
        parts: list[str | tuple[str, str]] = [
            (f"Class: {here} here", "bold $text-accent"),
            (f" · {len(students) - here} left" if len(students) > here else "", "$text-muted"),
            "\n",
        ]
        if not students:
            parts.append(("Waiting for students to join…", "$text-muted"))
        for student in students:
            mode = {"practice": "P", "assessment": "A"}.get(student.mode or "", " ")
            style = "" if student.present else "$text-muted"
            name = printable(name_of(student.name))[:18].ljust(18)
            parts += [
                (name, f"bold {style}".strip()),
                (f" {mode} {student.decisions:>2} ", "$text-secondary"),
                (printable(_where(student, title_of)), style),
                ("  (left)" if not student.present else "", "$text-warning"),
                "\n",
            ]
        self.show_content(Content.assemble(*parts).rstrip())
