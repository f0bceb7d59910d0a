"""``netquest randomtest FILE|ID``: many seeded random runs, coverage and give-away tells."""

from __future__ import annotations

import argparse
import json
import sys

from netquest.commands.common import CommandError
from netquest.commands.plain import find_entry
from netquest.engine.randomtest import Report, randomtest
from netquest.engine.text import printable

BAR_WIDTH = 40


def run_randomtest(args: argparse.Namespace) -> int:
    """Run, print the report; exit 0 (the report is advice, not a verdict)."""
    if args.runs < 1:
        raise CommandError("--runs must be at least 1", 2)
    entry = find_entry(args)
    source = entry.source
    report = randomtest(
        entry.scenario,
        runs=args.runs,
        seed=args.seed,
        locate=source.index.find if source is not None else None,
    )
    file = str(entry.scenario.path or entry.scenario.id)
    if args.format == "json":
        sys.stdout.write(json.dumps(to_dict(report, file), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_text(report, file))
    return 0


def to_dict(report: Report, file: str) -> dict[str, object]:
    """The ``--format json`` document."""
    return {
        "scenario": report.scenario,
        "file": file,
        "runs": report.runs,
        "seed": report.seed,
        "best_total": report.best,
        "worst_total": report.worst,
        "coverage": {
            kind: dict(zip(("hit", "total"), report.coverage(kind), strict=True))
            for kind in ("scene", "choice", "ending")
        },
        "never_hit": [
            {"kind": item.kind, "id": item.id, "line": item.line} for item in report.missed
        ],
        "endings": report.endings_hit,
        "no_ending": report.no_ending,
        "histogram": [
            {"from": low, "to": high, "runs": count} for low, high, count in report.histogram()
        ],
        "strategies": [
            {"name": s.name, "ending": s.ending, "total": s.total, "score": s.score}
            for s in report.strategies
        ],
        "gameable": [s.name for s in report.gameable],
        "tells": [
            {
                "name": tell.name,
                "scenes": tell.scenes,
                "of": tell.of,
                "share": round(tell.share, 3),
                "examples": list(tell.examples),
            }
            for tell in report.tells
        ],
    }


def _percent(count: int, total: int) -> str:
    return f"{100 * count / total:.0f}%" if total else "—"


def format_text(report: Report, file: str) -> str:
    """The human report."""
    out = [
        f"randomtest {printable(report.scenario)}: {report.runs} random runs, seed {report.seed} "
        f"(totals {report.worst:+d}..{report.best:+d} scale to 0..100)",
        "",
        "Coverage",
    ]
    for kind, plural in (("scene", "scenes"), ("choice", "choices"), ("ending", "endings")):
        hit, total = report.coverage(kind)
        out.append(f"  {plural:<8} {hit:>4}/{total:<4} {_percent(hit, total):>5}")
    if report.missed:
        out.append("  never hit:")
        out.extend(
            f"    {file}:{item.line}: {item.kind} {printable(item.id)}" for item in report.missed
        )
    out += ["", "Endings"]
    for ending, count in sorted(report.endings_hit.items(), key=lambda kv: -kv[1]):
        out.append(f"  {printable(ending):<24} {count:>7}  {_percent(count, report.runs):>5}")
    if report.no_ending:
        out.append(
            f"  {'(no ending: stuck or looping)':<24} {report.no_ending:>7}  "
            f"{_percent(report.no_ending, report.runs):>5}"
        )
    out += ["", "Scores (0-100)"]
    histogram = report.histogram()
    peak = max((count for _, _, count in histogram), default=0)
    for low, high, count in histogram:
        bar = "█" * (round(BAR_WIDTH * count / peak) if peak else 0)
        out.append(f"  {low:>3}-{high:<3} {count:>7}  {bar}")
    out += ["", "Fixed strategies"]
    for strategy in report.strategies:
        where = printable(strategy.ending) if strategy.ending else "no ending"
        flag = (
            "  ← scores above 50 without reading the moment" if strategy in report.gameable else ""
        )
        out.append(f"  {strategy.name:<15} {strategy.score:>3}/100  ({where}){flag}")
    out += ["", "Give-away tells (share of decision scenes where the best choice is …)"]
    for tell in report.tells:
        examples = f"  e.g. {', '.join(map(printable, tell.examples))}" if tell.examples else ""
        out.append(
            f"  {tell.name:<15} {tell.scenes:>3}/{tell.of:<3} {_percent(tell.scenes, tell.of):>5}"
            f"{examples}"
        )
    verdict = (
        "a fixed strategy scores above 50: " + ", ".join(s.name for s in report.gameable)
        if report.gameable
        else "no fixed strategy scores above 50"
    )
    out += ["", verdict, ""]
    return "\n".join(out)
