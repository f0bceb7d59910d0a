"""Group play on the projector: the scene, the live vote, the choice played, the class debrief."""

from __future__ import annotations

from textual.content import Content

from netquest.play.class_group import GroupGame, best_path
from netquest.tui.dashboard.projector_text import ProjectorText
from netquest.tui.literal import printable

BAR = "█"
KEYS = {
    "waiting": "o: open the vote   t: open with a 30 s timer",
    "open": "c: close the vote   Enter: play the majority   1–9: play that choice",
    "closed": "Enter: play the majority   1–9: play that choice instead",
    "played": "Enter: next scene",
    "debrief": "The class debrief",
}


class GroupPanel(ProjectorText):
    """What the room sees during group play."""

    DEFAULT_CSS = """
    GroupPanel {
        height: auto;
        padding: 0 1;
    }
    """

    def show(self, group: GroupGame, revealed: bool, width: int) -> None:
        """Draw ``group`` as it is now in ``width`` cells."""
        scenario = group.entry.scenario
        parts: list[str | tuple[str, str]] = [
            (f"Group play: {printable(scenario.title)}", "bold $text-accent"),
            (f" · decision {group.round}", "$text-muted"),
            "\n",
            (KEYS[group.phase], "$text-secondary"),
            "\n\n",
        ]
        if group.phase == "debrief":
            parts += self._debrief(group)
        elif group.phase == "played":
            parts += self._played(group)
        else:
            parts += self._vote(group, revealed, width)
        self.show_content(Content.assemble(*parts).rstrip())

    @staticmethod
    def _vote(group: GroupGame, revealed: bool, width: int) -> list[str | tuple[str, str]]:
        from netquest.play.class_state import best_moves

        scene = group.scene
        if scene is None:
            return []
        counts = group.counts
        total = sum(counts.values())
        state = {"waiting": "vote not open yet", "open": "VOTE OPEN", "closed": "vote closed"}
        label = state.get(group.phase, "")
        if group.phase == "open" and group.seconds_left is not None:
            label += f" · {group.seconds_left} s"
        parts: list[str | tuple[str, str]] = [
            (printable(scene.title or scene.id), "bold underline"),
            (f"   {label} · {total} vote{'s' if total != 1 else ''}", "bold $text-warning"),
            "\n",
            (printable(scene.text), ""),
            "\n\n",
        ]
        best = best_moves(group.entry.scenario, scene.id) if revealed else frozenset()
        most = max(counts.values(), default=0) or 1
        text_width = max(10, min(44, width // 2))
        room = max(4, width - text_width - 14)
        majority = group.majority if group.phase == "closed" else None
        for number, choice in enumerate(group.offered, start=1):
            text = printable(choice.text)
            if len(text) > text_width:
                text = text[: text_width - 1] + "…"
            count = counts.get(choice.id, 0)
            mark = "★ " if choice.id in best else ("▶ " if choice.id == majority else "  ")
            parts += [
                (mark, "bold $text-success"),
                (f"{number} {text.ljust(text_width)} ", "bold" if choice.id == majority else ""),
                (BAR * round(room * count / most) if count else "", "$text-primary"),
                (f" {count}", "bold"),
                "\n",
            ]
        return parts

    @staticmethod
    def _played(group: GroupGame) -> list[str | tuple[str, str]]:
        last = group.rounds[-1]
        scene = group.entry.scenario.scenes.get(last.scene)
        choice = scene.choice(last.played) if scene is not None else None
        if choice is None:
            return []
        how = "the majority" if last.played == last.majority else "the teacher's pick"
        parts: list[str | tuple[str, str]] = [
            ("The class played: ", "bold"),
            (printable(choice.text), "bold $text-accent"),
            (f"  ({how})", "$text-muted"),
            "\n\n",
        ]
        if choice.consequence:
            parts += [(printable(choice.consequence), ""), "\n\n"]
        if choice.coach:
            parts += [("Coach: ", "bold $text-success"), (printable(choice.coach), "bold"), "\n"]
        return parts

    @staticmethod
    def _debrief(group: GroupGame) -> list[str | tuple[str, str]]:
        scenario = group.entry.scenario
        ending = group.game.ending(group.run_state)
        parts: list[str | tuple[str, str]] = [
            ("Class debrief", "bold underline"),
            "\n",
            ("Ending: ", "bold"),
            (printable(ending.title) if ending else "—", "bold $text-accent"),
            "\n\n",
            ("Decision", "bold"),
            ("  class played (votes)  ·  best move", "$text-muted"),
            "\n",
        ]
        for played, top in group.debrief_rows():
            scene = scenario.scenes.get(played.scene)
            if scene is None:
                continue
            votes = ", ".join(f"{choice} {n}" for choice, n in played.counts.items())
            good = top is None or top == played.played
            parts += [
                (printable(scene.title or scene.id)[:24].ljust(24), "bold"),
                (f" {played.played}", "$text-success" if good else "$text-warning"),
                (f" ({votes})", "$text-muted"),
                (f"  ·  {top}" if top and not good else "  ·  ✓", "$text-success"),
                "\n",
            ]
        on_best = best_path(group.entry)
        parts += [
            "\n",
            ("Best path: ", "bold"),
            (" → ".join(choice for _, choice in on_best), "$text-success"),
            "\n",
            ("Class path: ", "bold"),
            (" → ".join(choice for _, choice in group.path), "$text-accent"),
        ]
        return parts
