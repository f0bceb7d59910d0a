"""``netquest check``: every problem in the scenarios, one line each."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from netquest.engine.checker import Coverage, check_library, coverage
from netquest.engine.course import course_files, is_course_file, known_courses, load_course
from netquest.engine.diagnostics import Diagnostic, sort_key, summary, to_json
from netquest.engine.library import Library, load_library


def load_targets(args: argparse.Namespace) -> tuple[Library, bool]:
    """The library to check, and whether it is a whole curriculum (folders, not single files)."""
    paths: list[Path] = list(args.paths)
    if not paths:
        return load_library(folders=list(args.scenarios)), True
    folders = [p for p in paths if p.is_dir()]
    files = [p for p in paths if not p.is_dir() and not is_course_file(p)]
    library = load_library(folders=[*folders, *args.scenarios], files=files, include_bundled=False)
    return library, bool(folders)


def course_targets(args: argparse.Namespace) -> list[Path]:
    """The course files to check: those named, those in named folders, else the bundled ones."""
    paths: list[Path] = list(args.paths)
    if not paths:
        return known_courses(list(args.scenarios))
    found = [p for p in paths if not p.is_dir() and is_course_file(p)]
    for folder in (p for p in paths if p.is_dir()):
        found.extend(course_files(folder))
    return found


def check_courses(
    courses: list[Path], library: Library, args: argparse.Namespace
) -> list[Diagnostic]:
    """Every diagnostic of the course files, their scenarios checked against what can be played."""
    if not courses:
        return []
    known = set(library.ids)
    if args.paths:  # only files were checked: courses may name any playable scenario
        known |= set(load_library(folders=list(args.scenarios)).ids)
    found: list[Diagnostic] = []
    for path in courses:
        found.extend(load_course(path, known).diagnostics)
    return found


def run_check(args: argparse.Namespace) -> int:
    """Check, print, and return 0 (clean), 1 (errors) or 2 (warnings with --strict)."""
    library, whole = load_targets(args)
    courses = course_targets(args)
    found = check_library(library, whole_curriculum=whole)
    found = sorted([*found, *check_courses(courses, library, args)], key=sort_key)
    files = library.files + len(courses)
    report = coverage(library.entries) if args.coverage else None
    if args.format == "json":
        document = json.loads(to_json(found, files))
        if report is not None:
            document["coverage"] = _coverage_dict(report)
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        for diagnostic in found:
            sys.stdout.write(diagnostic.format() + "\n")
        if report is not None:
            sys.stdout.write(format_coverage(report))
        sys.stdout.write(summary(found, files) + "\n")
    if any(d.is_error for d in found):
        return 1
    if args.strict and found:
        return 2
    return 0


def _coverage_dict(report: Coverage) -> dict[str, object]:
    return {
        "principles": {
            principle: {
                "choices": count,
                "scenarios": sorted(report.principle_scenarios.get(principle, ())),
            }
            for principle, count in sorted(report.principle_choices.items())
        },
        "modes_called_for": dict(sorted(report.mode_calls.items())),
        "modes_chosen": dict(sorted(report.mode_uses.items())),
        "shortfalls": report.shortfalls(),
    }


def format_coverage(report: Coverage) -> str:
    """A plain-text coverage table."""
    lines = ["Coverage: principles (choices that move them, scenarios they appear in)"]
    width = max((len(p) for p in report.principle_choices), default=10)
    for principle, count in sorted(report.principle_choices.items()):
        spread = len(report.principle_scenarios.get(principle, ()))
        lines.append(f"  {principle:<{width}}  {count:>3} choices  {spread:>2} scenarios")
    lines.append("Coverage: modes (moments that call for them, choices that are them)")
    for mode in sorted(set(report.mode_calls) | set(report.mode_uses)):
        called = report.mode_calls.get(mode)
        called_text = "  —" if called is None else f"{called:>3}"
        lines.append(
            f"  {mode:<{width}}  {called_text} called for  "
            f"{report.mode_uses.get(mode, 0):>3} chosen"
        )
    shortfalls = report.shortfalls()
    lines.append(
        "Coverage targets: " + ("all met" if not shortfalls else f"{len(shortfalls)} missed")
    )
    lines.extend(f"  missed: {line}" for line in shortfalls)
    return "\n".join(lines) + "\n"
