"""The ``ambassador`` command: a thin layer over the package's Python API.

Each command group lives in its own subpackage and exposes
``register(subparsers)``; it adds its parsers and sets ``func`` on each, a
function taking the parsed ``argparse.Namespace`` and returning an exit status.
Heavy imports (nbgrader, pandas, matplotlib) happen inside those functions so
that ``ambassador --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ambassador import __version__
from ambassador.paths import ensure_venv_on_path

# (module, short help) for each command group, in the order --help shows them.
COMMAND_GROUPS = [
    ("ambassador.quiz.cli", "quiz"),
    ("ambassador.exercises.cli", "exercises"),
    ("ambassador.workshop.cli", "workshop"),
    ("ambassador.progress.cli", "progress"),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ambassador",
        description=(
            "Tools for the employee ambassador course: validate and show quizzes, "
            "generate exercises, run lunch sessions and report completion to HR."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name, _ in COMMAND_GROUPS:
        module = importlib.import_module(module_name)
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    ensure_venv_on_path()
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        # A group without a subcommand: show that group's help, not a traceback.
        (getattr(args, "group_parser", None) or parser).print_help()
        return 2
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        print("Interrupted; everything recorded so far is kept.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
