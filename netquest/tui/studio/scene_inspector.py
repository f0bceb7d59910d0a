"""The scene inspector: each choice of the current scene as written, and its score stakes."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from netquest.engine.draft import Draft, Placed, choice_range
from netquest.engine.text import printable


class SceneInspector(Static):
    """Mode, effects, coach note, goto, conditions and score range of each choice."""

    DEFAULT_CSS = """
    SceneInspector {
        padding: 0 1;
    }
    """
    BORDER_TITLE = "Inspector"

    def show(self, draft: Draft, placed: Placed) -> None:
        """Describe the scene at ``placed``."""
        scenario = draft.scenario
        if scenario is None:
            return
        scene = scenario.scenes.get(placed.node)
        if scene is None:
            ending = scenario.endings.get(placed.node)
            outcome = ending.outcome if ending else "?"
            self.update(Text(f"ending '{placed.node}' ({outcome}): no choices", style="dim"))
            return
        parts: list[Text] = []
        head = Text(f"[{scene.id}]", style="bold")
        if scene.calls_for:
            head.append(f" calls for {scene.calls_for}", style="cyan")
        parts.append(head)
        for choice in scene.choices:
            offered = choice.offered(placed.flags)
            title = Text.assemble(
                ("▸ " if offered else "· ", "bold" if offered else "dim"),
                (choice.id, "bold" if offered else "dim"),
                (f"  {choice.mode}", "cyan"),
                ("" if offered else "  (not offered with these flags)", "dim"),
            )
            parts.append(title)
            effects = ", ".join(f"{p} {v:+d}" for p, v in choice.effects.items()) or "no effects"
            net = choice.total
            parts.append(Text(f"  {effects} (net {net:+d}) → {choice.goto}"))
            conditions = [
                f"{key} {', '.join(sorted(getattr(choice, key)))}"
                for key in ("requires", "unless", "sets", "clears")
                if getattr(choice, key)
            ]
            if conditions:
                parts.append(Text("  " + "; ".join(conditions), style="magenta"))
            if offered:
                found = choice_range(draft, choice, placed.flags, placed.total)
                if found is None:
                    parts.append(Text("  no ending can be reached after it", style="bold red"))
                else:
                    low, high = found.points
                    style = "red" if found.best < 100 else "green"
                    verdict = (
                        f"caps the run at {found.best}/100"
                        if found.best < 100
                        else "keeps 100/100 in reach"
                    )
                    parts.append(
                        Text(
                            f"  {verdict} (worst {found.worst}; {low:+d}..{high:+d} from here)",
                            style=style,
                        )
                    )
            parts.append(Text(f"  coach: {printable(choice.coach)}", style="italic dim"))
        self.update(Text("\n").join(parts))
