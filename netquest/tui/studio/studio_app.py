"""The studio app: one scenario file, played live as it is written."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Footer, Header

from netquest.engine.draft import Draft, Placed, Position, changes, load_draft, replay
from netquest.tui.studio.diagnostics_pane import DiagnosticsPane
from netquest.tui.studio.flag_set_picker import FlagSetPicker
from netquest.tui.studio.messages import ChoiceTaken, DraftLoaded, JumpRequested, OpenLine
from netquest.tui.studio.play_pane import PlayPane
from netquest.tui.studio.scene_inspector import SceneInspector
from netquest.tui.studio.source_view import SourceView
from netquest.tui.studio.story_map import StoryMap

#: How long the watcher waits for a burst of writes to settle before reloading (ms).
DEBOUNCE_MS = 150


class StudioApp(App[None]):
    """Live play, diagnostics, story map and inspector for one scenario file.

    The file is loaded, checked and explored in a thread worker; a second worker watches the
    folder with ``watchfiles`` and reloads on every save. A broken save shows its diagnostics
    while the last good version stays playable. Player saves are never read or written.
    """

    CSS_PATH = "studio.tcss"
    TITLE = "netquest studio"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reload", "Reload", id="studio-reload"),
        Binding("ctrl+s", "restart", "Restart", id="studio-restart"),
        Binding("ctrl+b", "step_back", "Back", id="studio-back"),
        Binding("ctrl+e", "edit_here", "Edit scene", id="studio-edit"),
        Binding("ctrl+q", "quit", "Quit", id="studio-quit"),
    ]

    loads: reactive[int] = reactive(0, init=False)
    """How many loads have finished (the first included); tests and the bench wait on it."""

    def __init__(self, path: Path, *, watch: bool = True, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__()
        self.path = path
        self.watching = watch
        self.debounce_ms = debounce_ms
        self.draft: Draft | None = None
        """The latest load, good or broken."""
        self.good: Draft | None = None
        """The latest load that plays."""
        self.position = Position()
        self.placed: Placed | None = None
        self.sub_title = path.name

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="top"):
            yield StoryMap(id="map")
            yield PlayPane(id="play")
            with VerticalScroll(id="inspect") as inspect:
                inspect.border_title = "Inspector"
                yield SceneInspector()
        yield DiagnosticsPane(id="diagnostics")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#diagnostics", DiagnosticsPane).border_title = "Diagnostics"
        self.load()
        if self.watching:
            self._watch()

    # -- loading ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """Load, check and explore the file off the UI thread."""
        self.post_message(DraftLoaded(load_draft(self.path)))

    @work(exclusive=True, group="watch")
    async def _watch(self) -> None:
        try:
            from watchfiles import awatch
        except ModuleNotFoundError:
            self.notify("live reload needs: pip install 'netquest[studio]' (ctrl+r reloads)")
            return
        folder = self.path.resolve().parent
        async for found in awatch(folder, debounce=self.debounce_ms, recursive=False):
            if any(Path(changed).name == self.path.name for _, changed in found):
                self.load()

    @on(DraftLoaded)
    def _loaded(self, event: DraftLoaded) -> None:
        draft = event.draft
        self.draft = draft
        self.query_one(DiagnosticsPane).show(draft.diagnostics)
        scenario = draft.scenario
        if scenario is None:
            errors = draft.errors
            if self.good is None:
                notice = f"the file does not load yet: {errors} error(s) below"
                self.query_one(PlayPane).waiting(notice)
            else:
                self._show(
                    f"this save has {errors} error{'s' * (errors != 1)} (see Diagnostics): "
                    "still playing the last good version",
                    fresh=False,
                )
            self.loads += 1
            return
        previous = self.good.scenario if self.good is not None else None
        self.good = draft
        self.placed = replay(scenario, self.position)
        self.position = self.placed.position
        if previous is None:
            notice = self.placed.notice
        else:
            what = changes(previous, scenario) or "no change to the story"
            kept = self.placed.notice or "position kept"
            notice = f"reloaded: {what}; {kept}"
        self._show(notice, fresh=True)
        self.query_one(StoryMap).show(draft, self.placed.node)
        self.loads += 1

    # -- showing ---------------------------------------------------------------------------
    def _show(self, notice: str, fresh: bool) -> None:
        good, placed = self.good, self.placed
        if good is None or placed is None:
            return
        self.query_one(PlayPane).show(good, placed, notice, fresh)
        self.query_one(SceneInspector).show(good, placed)
        self.query_one(StoryMap).highlight(placed.node)

    def _move(self, position: Position, notice: str = "") -> None:
        good = self.good
        if good is None or good.scenario is None:
            return
        self.placed = replay(good.scenario, position)
        self.position = self.placed.position
        self._show(notice or self.placed.notice, fresh=True)

    # -- playing ---------------------------------------------------------------------------
    @on(ChoiceTaken)
    def _choose(self, event: ChoiceTaken) -> None:
        if event.choice_id == "restart":
            self._move(Position())
            return
        self._move(Position(self.position.base, (*self.position.choices, event.choice_id)))

    def action_restart(self) -> None:
        """Play again from the start."""
        self._move(Position())

    def action_step_back(self) -> None:
        """Undo the last choice."""
        if self.position.choices:
            self._move(Position(self.position.base, self.position.choices[:-1]))

    def action_reload(self) -> None:
        """Load the file again now."""
        self.load()

    @on(JumpRequested)
    def _jump(self, event: JumpRequested) -> None:
        good = self.good
        if good is None or good.scenario is None:
            return
        node = event.node
        sets = good.flag_sets.get(node, ())
        if len(sets) <= 1:
            self.jump(node, sets[0] if sets else frozenset())
            return

        def chosen(flags: frozenset[str] | None) -> None:
            if flags is not None:
                self.jump(node, flags)

        self.push_screen(FlagSetPicker(node, sets), chosen)

    def jump(self, node: str, flags: frozenset[str]) -> None:
        """Play from ``node`` with ``flags`` set."""
        shown = ", ".join(sorted(flags)) or "no flags"
        self._move(Position((node, flags), ()), f"jumped to '{node}' with {shown}")

    # -- editing ---------------------------------------------------------------------------
    @on(OpenLine)
    def _open_line(self, event: OpenLine) -> None:
        self.open_editor(event.line)

    def action_edit_here(self) -> None:
        """Open the editor at the current scene's table."""
        good, placed = self.good, self.placed
        if good is None or placed is None or good.entry is None or good.entry.source is None:
            return
        kind = "scenes" if placed.node in good.entry.scenario.scenes else "endings"
        self.open_editor(good.entry.source.index.find(f"{kind}.{placed.node}")[0])

    def open_editor(self, line: int) -> None:
        """``$VISUAL``/``$EDITOR +LINE FILE``, or the lines around it when that cannot run."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        why = "set $EDITOR to open the file at this line"
        if editor:
            try:
                with self.suspend():
                    subprocess.run([*shlex.split(editor), f"+{line}", str(self.path)], check=False)
            except SuspendNotSupported:
                why = "this terminal cannot hand over to an editor"
            except OSError as error:
                why = f"could not start {editor}: {error.strerror or error}"
            else:
                self.load()
                return
        self._show_source(line, why)

    @work(thread=True, group="source")
    def _show_source(self, line: int, why: str) -> None:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            text = f"(cannot read the file: {error.strerror or error})"
        self.call_from_thread(self.push_screen, SourceView(self.path.name, text, line, why))


def run_studio(path: Path) -> None:
    """Run the studio on ``path`` in this terminal."""
    StudioApp(path).run()
