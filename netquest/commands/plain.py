"""``netquest play SCENARIO --plain``: line mode for screen readers, pipes and scripts.

Scene text, then numbered choices, on stdout; one answer per line on stdin. Every
choice is saved as it is made, so the end of input simply stops the run.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from netquest.commands.common import CommandError, saves_dir
from netquest.engine import ChoiceError, Debrief, Entry, Scene, load_library
from netquest.engine.text import paragraphs, printable
from netquest.engine.toml_source import resolved
from netquest.play.debrief_markdown import READING_RULE, moment_line, reading_sentence
from netquest.play.session import PlaySession
from netquest.saves import Profile, SaveError, SaveStore
from netquest.xapi.recorder import default_listener

WIDTH = 78
DEFAULT_PROFILE = "player"
LONG_TEXT = 20_000
"""Past this many characters a paragraph is wrapped by :func:`fill_linear`, not ``textwrap``."""


def fill(text: str, width: int, first: str = "", hanging: str = "") -> str:
    """Wrap one paragraph: ``textwrap`` for ordinary text, a linear wrapper for huge text.

    ``textwrap`` breaks an over-long word by slicing what is left of it again and again,
    which takes time quadratic in the word's length (52 s for one 10 MB word).
    """
    if len(text) <= LONG_TEXT:
        return textwrap.fill(text, width, initial_indent=first, subsequent_indent=hanging)
    return fill_linear(text, width, first, hanging)


def fill_linear(text: str, width: int, first: str = "", hanging: str = "") -> str:
    """Greedy wrapping in one pass; a word longer than a line is cut into line-sized pieces."""
    lines: list[str] = []
    words: list[str] = []
    indent, used = first, len(first)
    for word in text.split():
        start, size = 0, len(word)
        while start < size:
            gap = 1 if words else 0
            if used + gap + size - start <= width:
                words.append(word[start:] if start else word)
                used += gap + size - start
                break
            if words:
                lines.append(indent + " ".join(words))
                indent, words, used = hanging, [], len(hanging)
                continue
            room = max(width - used, 1)
            lines.append(indent + word[start : start + room])
            start += room
            indent, used = hanging, len(hanging)
    if words or not lines:
        lines.append(indent + " ".join(words))
    return "\n".join(lines)


def find_entry(args: argparse.Namespace) -> Entry:
    """The scenario named by id or by the path of a .toml file."""
    name: str = args.scenario
    path = Path(name)
    if name.endswith(".toml") or path.is_file():
        # Only this file: a draft may share its id with a bundled scenario it was copied from.
        library = load_library(files=[path], include_bundled=False)
        for entry in library.entries:
            if entry.scenario.path and resolved(entry.scenario.path) == resolved(path):
                return entry
        for missing in library.unavailable:
            if resolved(missing.path) == resolved(path):
                raise CommandError(f"{missing.error.format()}", 1)
        raise CommandError(f"{name}: not a scenario file (check the path)", 1)
    library = load_library(folders=list(args.scenarios))
    found = library.get(name)
    if found is not None:
        return found
    for missing in library.unavailable:
        if missing.name == name:
            raise CommandError(f"scenario '{name}' cannot be loaded: {missing.error.format()}", 1)
    known = ", ".join(library.ids) or "none"
    raise CommandError(f"no scenario '{name}' (known: {known}; see `netquest list`)", 1)


class Plain:
    """The line-mode conversation with the player."""

    def __init__(self, out: TextIO, lines: Iterator[str], echo: bool = False) -> None:
        self.out = out
        self.lines = lines
        self.echo = echo
        """Repeat each answer after the prompt, so a piped transcript reads like a session."""

    def say(self, text: str = "", indent: str = "") -> None:
        """Print wrapped, literal text; blank lines separate paragraphs."""
        if not text:
            self.out.write("\n")
            return
        hanging = " " * len(indent)
        for number, block in enumerate(paragraphs(printable(text))):
            if number:
                self.out.write("\n")
            first = indent if number == 0 else hanging
            self.out.write(fill(block, WIDTH, first, hanging) + "\n")

    def line(self, text: str = "") -> None:
        """Print one preformatted line as is (control characters made visible)."""
        self.out.write(printable(text) + "\n")

    def ask(self, prompt: str) -> str | None:
        """Prompt and read one line; ``None`` at end of input."""
        self.out.write(prompt)
        self.out.flush()
        try:
            line = next(self.lines)
        except StopIteration:
            self.out.write("\n")
            return None
        if self.echo:
            self.out.write(printable(line.rstrip("\n"), one_line=True) + "\n")
        return line.strip()


def run_plain(args: argparse.Namespace) -> int:
    """Play one scenario in line mode."""
    entry = find_entry(args)
    store = SaveStore(saves_dir(args))
    profile_name = getattr(args, "profile", None) or _last_profile(store) or DEFAULT_PROFILE
    profile: Profile
    session_store: SaveStore | None = store
    try:
        loaded = store.load(profile_name)
    except SaveError as error:
        # The saves folder cannot be read (not a folder, no permission): play without saving,
        # and never write over a save file that exists but could not be read.
        _warn(str(error))
        profile, session_store = Profile.new(profile_name), None
    else:
        if loaded.notice:
            print(f"netquest: {loaded.notice}", file=sys.stderr)
        profile = loaded.profile
        try:
            store.set_last_profile(profile_name)
        except SaveError as error:
            _warn(str(error))
    ui = Plain(sys.stdout, iter(sys.stdin), echo=not sys.stdin.isatty())
    session = _open_session(entry, profile, args, session_store, ui)
    return _play(session, ui, args)


def _last_profile(store: SaveStore) -> str | None:
    try:
        return store.last_profile()
    except SaveError:
        return None


def _open_session(
    entry: Entry, profile: Profile, args: argparse.Namespace, store: SaveStore | None, ui: Plain
) -> PlaySession:
    mode = args.mode or profile.settings.default_mode
    if mode not in ("practice", "assessment"):
        mode = "practice"
    unfinished = None if args.restart else profile.latest_unfinished(entry.scenario.id)
    if unfinished is not None and (args.mode is None or unfinished.mode == args.mode):
        session, notice = PlaySession.resume(
            entry, profile, unfinished, store, listener=default_listener(store)
        )
        if session is not None:
            ui.say(
                f"Continuing your {session.mode} run of {entry.scenario.title} "
                f"({session.step_number} choices made)."
            )
            if notice:
                ui.say(f"Note: {notice}")
            return session
        ui.say(f"Your saved run could not be continued: {notice}. Starting over.")
    session = PlaySession.new(
        entry,
        profile,
        "assessment" if mode == "assessment" else "practice",
        store,
        listener=default_listener(store),
    )
    _save(session)
    return session


_warned: set[str] = set()


def _warn(error: str) -> None:
    """Say once per run that progress is not being saved (the first reason is enough)."""
    if not _warned:
        _warned.add(error)
        print(f"netquest: warning: progress not saved: {error}", file=sys.stderr)


def _save(session: PlaySession) -> bool:
    """Save now; whether the progress is safely on disk."""
    error = session.save()
    if error:
        _warn(error)
    for notice in session.take_notices():
        print(f"netquest: {notice}", file=sys.stderr)
    return session.store is not None and not error


def _play(session: PlaySession, ui: Plain, args: argparse.Namespace) -> int:
    scenario = session.scenario
    ui.say(f"== {scenario.title} ({session.mode} mode) ==")
    ui.say(scenario.setting)
    if scenario.attire:
        ui.say(f"Attire: {scenario.attire}")
    if scenario.stakes:
        ui.say(f"At stake: {scenario.stakes}")
    while not session.is_over:
        scene = session.scene
        assert scene is not None
        offered = session.offered
        ui.say()
        ui.say(f"-- {scene_name(scene)} (decision {session.step_number + 1}) --")
        ui.say(scene.text)
        ui.say()
        for number, choice in enumerate(offered, start=1):
            ui.say(choice.text, indent=f"  {number}. ")
        extra = ", b to step back" if session.can_step_back else ""
        while True:
            numbers = "1" if len(offered) == 1 else f"1-{len(offered)}"
            answer = ui.ask(f"Choose {numbers}{extra}, q to stop: ")
            if answer is None or answer.lower() in ("q", "quit"):
                if not _save(session):
                    ui.say("Stopped. Progress could not be saved (see the warning).")
                    return 0
                profile_hint = f" --profile {shlex.quote(session.profile.name)}"
                ui.say("Progress saved. Continue later with:")
                # One unwrapped line, so the command can be copied as it is.
                ui.line(f"  netquest play {scenario.id}{profile_hint} --plain")
                return 0
            if answer.lower() in ("b", "back") and session.can_step_back:
                session.step_back()
                _save(session)
                ui.say("Stepped back one choice.")
                break
            picked = choice_number(answer, len(offered))
            if picked is not None:
                try:
                    outcome = session.choose(offered[picked - 1].id)
                except ChoiceError as error:  # pragma: no cover - offered choices always work
                    ui.say(str(error))
                    continue
                _save(session)
                if outcome.consequence:
                    ui.say()
                    ui.say(outcome.consequence)
                if session.mode == "practice":
                    ui.say()
                    ui.say(f"Coach: {outcome.coach}")
                    if outcome.deltas:
                        ui.say(
                            "Points: "
                            + ", ".join(f"{d.value:+d} {d.title}" for d in outcome.deltas)
                        )
                    moment = moment_line(scene.calls_for, outcome.choice, session.catalogue)
                    if moment:
                        ui.say(moment)
                break
            ui.say(
                f"Please answer with a number from 1 to {len(offered)}"
                f"{' or b' if session.can_step_back else ''}."
            )
    _ending(session, ui)
    return 0


def choice_number(answer: str, count: int) -> int | None:
    """The choice number typed, if it is one from 1 to ``count``.

    Only ASCII digits count: ``"¹"`` is a digit to ``str.isdigit`` but not to ``int``, and a
    number thousands of digits long is too long for ``int`` to read; both are just wrong answers.
    """
    if not (answer.isascii() and answer.isdigit()) or len(answer) > len(str(count)) + 2:
        return None
    number = int(answer)
    return number if 1 <= number <= count else None


def _ending(session: PlaySession, ui: Plain) -> None:
    ending = session.ending
    assert ending is not None
    report = session.debrief()
    ui.say()
    ui.say(f"== Ending: {ending.title} ({ending.outcome}) ==")
    ui.say(ending.text)
    for line in debrief_lines(report, session):
        ui.line(line)


def scene_name(scene: Scene) -> str:
    """A scene's title, or a readable form of its id when it has none."""
    return scene.title or scene.id.replace("_", " ").capitalize()


def _score_line(report: Debrief) -> str:
    if report.score is None or report.worst is None or report.best is None:
        return (
            f"Score: unknown (total {report.total:+d}; score range unknown: this scenario "
            "has too many paths to explore)"
        )
    return (
        f"Score: {report.score}/100 "
        f"(total {report.total:+d}; this scenario allows {report.worst:+d} to {report.best:+d})"
    )


def debrief_lines(report: Debrief, session: PlaySession) -> list[str]:
    """The debrief as plain lines."""
    catalogue = session.catalogue
    lines = [
        "",
        "== Debrief ==",
        _score_line(report),
        "",
        "Principles:",
    ]
    in_play = [item for item in report.principles if item.contributions]
    for item in in_play:
        title = catalogue.principles[item.principle].title
        span = (
            "range unknown"
            if item.low is None or item.high is None
            else f"range {item.low:+d} to {item.high:+d}"
        )
        lines.append(f"  {title}: {item.total:+d} ({span})")
    untouched = len(report.principles) - len(in_play)
    if untouched:
        others = "principle" if untouched == 1 else "principles"
        lines.append(f"  ({untouched} other {others} did not come up on your path.)")
    read = [reading for reading in report.readings if reading.total]
    if read:
        lines += ["", "Reading the moment:"]
        lines += [f"  {reading_sentence(reading, catalogue)}" for reading in read]
        lines.append(f"  ({READING_RULE})")
    lines += ["", "Decisions:"]
    for decision in report.decisions:
        points = (
            ", ".join(
                f"{v:+d} {catalogue.principles[p].title}"
                for p, v in decision.choice.effects.items()
            )
            or "no points"
        )
        lines.append(
            f"  {decision.step + 1}. {scene_name(decision.scene)}: "
            f"{decision.choice.text} [{points}]"
        )
        lines.append(f"     Coach: {decision.choice.coach}")
        moment = moment_line(decision.calls_for, decision.choice, catalogue)
        if moment:
            lines.append(f"     {moment}")
        if decision.better is not None:
            lines.append(f"     Better move: {decision.better.text}")
    return lines
