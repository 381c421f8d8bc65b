"""``ambassador quiz ...``: the question bank."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("quiz", help="validate the question bank")
    group.set_defaults(group_parser=group)
    group.add_subparsers(dest="quiz_command", metavar="SUBCOMMAND")
