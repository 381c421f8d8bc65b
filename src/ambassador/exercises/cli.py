"""``ambassador exercises ...``: the catalogue of graded exercises."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("exercises", help="list the graded exercises and prepare them for the book")
    group.set_defaults(group_parser=group)
    commands = group.add_subparsers(dest="exercises_command", metavar="SUBCOMMAND")

    listing = commands.add_parser("list", help="list the assignments in exercises/assignments.yaml")
    listing.set_defaults(func=_list)


def _list(args: argparse.Namespace) -> int:
    from ambassador.exercises.catalog import load_assignments

    for a in load_assignments():
        print(f"{a.name:20} {a.minutes:3d} min  {a.title}")
    return 0
