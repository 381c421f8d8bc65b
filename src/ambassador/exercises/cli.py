"""``ambassador exercises ...``: the catalogue of graded exercises."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("exercises", help="list the graded exercises and prepare them for the book")
    group.set_defaults(group_parser=group)
    commands = group.add_subparsers(dest="exercises_command", metavar="SUBCOMMAND")

    listing = commands.add_parser("list", help="list the assignments in exercises/assignments.yaml")
    listing.set_defaults(func=_list)

    release = commands.add_parser(
        "release-book",
        help="generate the released notebooks for the book (book/exercises/released/) with nbgrader",
    )
    release.add_argument("--force", action="store_true", help="regenerate even when no source changed")
    release.add_argument("--dest", type=Path, default=None,
                         help="output folder (default: book/exercises/released)")
    release.set_defaults(func=_release_book)

    validate = commands.add_parser(
        "validate",
        help="run each source notebook against its own tests (nbgrader validate, with its data files)",
    )
    validate.add_argument("names", nargs="*", metavar="NAME", help="assignments to check (default: all)")
    validate.set_defaults(func=_validate)


def _list(args: argparse.Namespace) -> int:
    from ambassador.exercises.catalog import load_assignments

    for a in load_assignments():
        print(f"{a.name:20} {a.minutes:3d} min  {a.title}")
    return 0


def _release_book(args: argparse.Namespace) -> int:
    from ambassador.exercises.release import release_book

    result = release_book(args.dest, force=args.force)
    for name in result.generated:
        print(f"{name:20} released")
    for name in result.up_to_date:
        print(f"{name:20} up to date")
    for name, error in result.errors.items():
        print(f"{name:20} FAILED: {error}", file=sys.stderr)
    return 0 if result.ok else 1


def _validate(args: argparse.Namespace) -> int:
    import subprocess
    import tempfile

    from ambassador.exercises.catalog import CatalogError, assemble_source, get_assignment, load_assignments

    try:
        assignments = [get_assignment(n) for n in args.names] if args.names else load_assignments()
    except CatalogError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    failed = []
    with tempfile.TemporaryDirectory(prefix="ambassador-validate-") as tmp:
        for a in assignments:
            # The source folder lacks its data files (data/ keeps the only copy): assemble first.
            notebook = assemble_source(a, Path(tmp)) / a.notebook
            result = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "validate", str(notebook)],
                                    cwd=tmp, capture_output=True, text=True)
            ok = "Success! Your notebook passes all the tests." in result.stdout
            print(f"{a.name:20} {'passes its tests' if ok else 'FAILS'}")
            if not ok:
                failed.append(a.name)
                print(result.stdout[-3000:], result.stderr[-2000:], sep="\n", file=sys.stderr)
    return 1 if failed else 0
