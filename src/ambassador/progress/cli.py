"""``ambassador progress ...``: completion reports for HR."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("progress", help="report course completion to HR")
    group.set_defaults(group_parser=group)
    group.add_subparsers(dest="progress_command", metavar="SUBCOMMAND")
