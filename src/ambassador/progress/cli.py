"""``ambassador progress ...``: completion reports for HR.

    ambassador progress report --roster roster.csv --sessions DIR [DIR ...] --out DIR [--rule FILE]
    ambassador progress demo [--out DIR] [--employees N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("progress", help="report course completion to HR")
    group.set_defaults(group_parser=group)
    commands = group.add_subparsers(dest="progress_command", metavar="SUBCOMMAND")

    report = commands.add_parser(
        "report", help="write report.html, completion.csv, reminders.csv and xapi.jsonl",
        description="Completion report for HR from the HR roster and the lunch sessions' gradebooks.")
    report.add_argument("--roster", type=Path, required=True, help="HR roster CSV (see the book's 'Voor HR' part)")
    report.add_argument("--sessions", type=Path, nargs="+", required=True, metavar="DIR",
                        help="lunch-session folders, each with an nbgrader gradebook.db")
    report.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the outputs")
    report.add_argument("--rule", type=Path, metavar="FILE",
                        help="completion rule YAML (default: data/completion_rule.yaml)")
    report.set_defaults(func=_report)

    demo = commands.add_parser(
        "demo", help="report on a synthetic organisation, to see what HR gets",
        description="Invent an organisation with graded lunch sessions and write its report.")
    demo.add_argument("--out", type=Path, default=Path("demo/progress"), metavar="DIR",
                      help="folder for the synthetic data and the report (default: demo/progress)")
    demo.add_argument("--employees", type=int, default=300, metavar="N", help="size of the organisation (default 300)")
    demo.add_argument("--sessions", type=int, default=5, metavar="N", help="number of lunch sessions (default 5)")
    demo.set_defaults(func=_demo)


def _print_result(result) -> None:
    h = result.headline
    for problem in result.roster_problems:
        print(f"warning: {problem} (row skipped)", file=sys.stderr)
    if result.unknown:
        shown = ", ".join(result.unknown[:10]) + (" ..." if len(result.unknown) > 10 else "")
        print(f"warning: {len(result.unknown)} student id(s) in the gradebooks are not on the roster "
              f"and are not counted: {shown} (all in {result.files['unknown_employees.txt']})", file=sys.stderr)
    if result.ignored_assignments:
        print(f"note: assignments not in the course catalogue were ignored: {', '.join(result.ignored_assignments)}",
              file=sys.stderr)
    if result.pending:
        print(f"note: {result.pending} hand-in(s) still wait for manual grading and do not count yet", file=sys.stderr)
    print(f"{h['completed']} of {h['employees']} employees completed the course ({h['rate']:.1f} %).")
    print(f"Report: {result.files['report.html'].resolve()}")
    print(f"Exports in {result.out_dir.resolve()}: " + ", ".join(
        name for name in result.files if name != "report.html"))


def _report(args: argparse.Namespace) -> int:
    from ambassador.progress.gradebooks import GradebookError
    from ambassador.progress.pipeline import run_report
    from ambassador.progress.roster import RosterError
    from ambassador.progress.rule import RuleError, load_rule

    try:
        rule = load_rule(args.rule)
        result = run_report(roster=args.roster, sessions=args.sessions, out_dir=args.out, rule=rule)
    except (RuleError, RosterError, GradebookError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    _print_result(result)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from ambassador.progress.demo import run_demo

    if args.employees < 20:
        print("error: --employees must be at least 20 for a meaningful demo", file=sys.stderr)
        return 2
    if not 1 <= args.sessions <= 20:
        print("error: --sessions must be between 1 and 20", file=sys.stderr)
        return 2
    result = run_demo(args.out, employees=args.employees, sessions=args.sessions)
    print(f"Synthetic organisation: {args.employees} employees, {args.sessions} sessions "
          f"(roster and gradebooks in {args.out.resolve()})")
    _print_result(result)
    return 0
