"""``ambassador workshop ...``: a trainer's lunch session from start to feedback."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("workshop", help="run a lunch session: new, release, collect, grade, feedback, status")
    group.set_defaults(group_parser=group)
    group.add_subparsers(dest="workshop_command", metavar="SUBCOMMAND")
