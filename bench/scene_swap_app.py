"""The scene-swap anchor: the least a Textual app can do to show the next scene of a story.

A title, three paragraphs and an OptionList of three choices, laid out one under the other.
Pressing ``2`` (with the list focused, as a choice key would be) replaces all of it: the title,
the three paragraphs and the three options. Nothing is loaded, scored or saved: what is left is
Textual's own cost of swapping a scene's worth of widgets' content, the floor for
netquest's choice key → next scene. ``ctrl+q`` quits (Textual's default binding).

    python bench/scene_swap_app.py
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static

CHOICES = (
    "Ask what brought them here and listen to the answer.",
    "Offer your card and mention a talk they might like.",
    "Follow up on what you offered earlier.",
)
"""The three options of every scene (the same texts as the generated story's)."""


def title_text(scene: int) -> str:
    """The title of scene ``scene``."""
    return f"Scene {scene} of the anchor"


def paragraph_text(scene: int, paragraph: int) -> str:
    """Paragraph ``paragraph`` (0-2) of scene ``scene``: a sentence or two, as a story's are."""
    return (
        f"Paragraph {paragraph} of the {scene}th scene. Someone you have not met yet catches "
        "your eye across the room, and the conversation could go several ways."
    )


READY_TEXT = title_text(0)
"""The title shown at start-up."""


class SceneSwapApp(App[None]):
    """A title, three paragraphs and three options; ``2`` swaps them all for the next scene."""

    CSS = """
    #title { text-style: bold; margin-bottom: 1; }
    .paragraph { margin-bottom: 1; }
    #story { height: 1fr; }
    #choices { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("2", "next_scene", "Next scene")]

    def __init__(self) -> None:
        super().__init__()
        self.scene = 0

    def compose(self) -> ComposeResult:
        """The scene: title and paragraphs (scrollable), then the choices."""
        with VerticalScroll(id="story"):
            yield Static(title_text(0), id="title")
            for index in range(3):
                yield Static(paragraph_text(0, index), id=f"p{index}", classes="paragraph")
        yield OptionList(*(f"{n}  {text}" for n, text in enumerate(CHOICES, 1)), id="choices")

    def on_mount(self) -> None:
        """The choices take the keys, as a game's do."""
        self.query_one("#choices", OptionList).focus()

    def action_next_scene(self) -> None:
        """Replace the title, the three paragraphs and the three options."""
        self.scene += 1
        self.query_one("#title", Static).update(title_text(self.scene))
        for index in range(3):
            self.query_one(f"#p{index}", Static).update(paragraph_text(self.scene, index))
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options([f"{n}  {text}" for n, text in enumerate(CHOICES, 1)])
        choices.highlighted = 0


def main() -> None:
    """Run the app full-screen."""
    SceneSwapApp().run()


if __name__ == "__main__":
    main()
