"""The story map: scenes and endings as a tree from the start, marked for the author."""

from __future__ import annotations

from collections import deque
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from netquest.engine.draft import Draft
from netquest.engine.model import Scenario
from netquest.tui.studio.messages import JumpRequested

OUTCOME_STYLE = {
    "great": "bold green",
    "good": "green",
    "mixed": "yellow",
    "poor": "bold red",
}


class StoryMap(Tree[str]):
    """A breadth-first tree of the story: each node once, later links shown as ``↪``.

    Endings are coloured by outcome, traps (no way to an ending) marked ``⚠``, scenes no run
    can reach listed under their own branch, and the current scene shown in reverse.
    """

    DEFAULT_CSS = """
    StoryMap {
        background: $surface;
        & > .tree--guides { color: $foreground-muted; }
    }
    """
    BORDER_TITLE = "Story map"
    ICONS: ClassVar[dict[str, str]] = {"scene": "▪", "ending": "●", "link": "↪"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("story", id=id)
        self.show_root = False
        self.auto_expand = False  # Enter jumps; it must not fold the branch away
        self.guide_depth = 2
        self._by_node: dict[str, TreeNode[str]] = {}
        self._current = ""
        self._draft: Draft | None = None
        self._reachable: frozenset[str] | None = None
        self._trapped: frozenset[str] = frozenset()

    def show(self, draft: Draft, current: str) -> None:
        """Redraw for ``draft``, with ``current`` highlighted."""
        scenario = draft.scenario
        if scenario is None:
            return
        self._draft = draft
        self._current = current
        self.clear()
        self._by_node = {}
        reachable = (
            draft.analysis.reachable_scenes | draft.analysis.reachable_endings
            if draft.analysis
            else frozenset()
        )
        self._reachable = reachable if draft.analysis else None
        self._trapped = draft.trapped_scenes()
        seen = {scenario.start}
        root = self._add(self.root, scenario, scenario.start, expand=True)
        queue: deque[tuple[str, TreeNode[str]]] = deque([(scenario.start, root)])
        while queue:
            node_id, branch = queue.popleft()
            scene = scenario.scenes.get(node_id)
            for choice in scene.choices if scene else ():
                if choice.goto in seen:
                    label = Text.assemble(
                        (f"{self.ICONS['link']} ", "dim"), (choice.goto, "dim italic")
                    )
                    branch.add_leaf(label, data=choice.goto)
                    continue
                seen.add(choice.goto)
                child = self._add(branch, scenario, choice.goto, expand=True)
                queue.append((choice.goto, child))
        lost = [n for n in [*scenario.scenes, *scenario.endings] if n not in reachable]
        if lost:
            orphans = self.root.add(Text("✗ unreachable", style="bold red"), expand=True)
            for node_id in lost:
                if node_id not in self._by_node:
                    self._add(orphans, scenario, node_id, expand=False)
        self.highlight(current)

    def _add(
        self, parent: TreeNode[str], scenario: Scenario, node_id: str, expand: bool
    ) -> TreeNode[str]:
        label = self._label(scenario, node_id)
        scene = scenario.scenes.get(node_id)
        if scene is not None and scene.choices:
            added = parent.add(label, data=node_id, expand=expand)
        else:
            added = parent.add_leaf(label, data=node_id)
        self._by_node[node_id] = added
        return added

    def _label(self, scenario: Scenario, node_id: str) -> Text:
        current = node_id == self._current
        ending = scenario.endings.get(node_id)
        if ending is not None:
            text = Text.assemble(
                (f"{self.ICONS['ending']} ", OUTCOME_STYLE[ending.outcome]),
                (node_id, OUTCOME_STYLE[ending.outcome]),
                (f" {ending.outcome}", "dim"),
            )
        else:
            text = Text.assemble((f"{self.ICONS['scene']} ", "dim"), node_id)
            if node_id in self._trapped:
                text.append(" ⚠ trap", style="bold red")
        if self._reachable is not None and node_id not in self._reachable:
            text.append(" ✗", style="bold red")
        if current:
            text.stylize("reverse")
        return text

    def highlight(self, node_id: str) -> None:
        """Mark ``node_id`` as the current scene and move the cursor to it."""
        previous = self._by_node.get(self._current)
        self._current = node_id
        draft = self._draft
        if draft is None or draft.scenario is None:
            return
        if previous is not None and previous.data is not None:
            previous.set_label(self._label(draft.scenario, previous.data))
        node = self._by_node.get(node_id)
        if node is not None:
            node.set_label(self._label(draft.scenario, node_id))
            self.call_after_refresh(self.move_cursor, node)

    @on(Tree.NodeSelected)
    def _jump(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        if event.node.data:
            self.post_message(JumpRequested(event.node.data))
