"""``ambassador quiz ...``: validate and list the question bank."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("quiz", help="validate and list the question bank")
    group.set_defaults(group_parser=group)
    commands = group.add_subparsers(dest="quiz_command", metavar="SUBCOMMAND")

    validate = commands.add_parser(
        "validate", help="check the bank; list every problem and exit non-zero if there is any")
    validate.add_argument("path", nargs="?", type=Path,
                          help="a bank file or folder (default: data/quizzes/)")
    validate.set_defaults(func=_validate)

    listing = commands.add_parser("list", help="the chapters and how many questions each has")
    listing.add_argument("path", nargs="?", type=Path, help="a bank folder (default: data/quizzes/)")
    listing.set_defaults(func=_list)


def _validate(args: argparse.Namespace) -> int:
    from ambassador.quiz.bank import check_bank
    from ambassador.paths import quiz_dir

    path = args.path or quiz_dir()
    quizzes, problems = check_bank(path)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in the question bank at {path}.", file=sys.stderr)
        return 1
    count = sum(len(q.questions) for q in quizzes.values())
    print(f"Question bank OK: {len(quizzes)} chapter(s), {count} question(s) in {path}.")
    return 0


def _list(args: argparse.Namespace) -> int:
    from collections import Counter

    from ambassador.quiz.bank import check_bank

    quizzes, problems = check_bank(args.path)
    for chapter in sorted(quizzes):
        quiz = quizzes[chapter]
        types = Counter(q.type for q in quiz.questions)
        detail = ", ".join(f"{types[t]} {t}" for t in ("single", "multiple", "scenario") if types[t])
        print(f"{chapter:20} {len(quiz.questions):3d} questions ({detail})  {quiz.title}")
    if problems:
        print(f"{len(problems)} problem(s): run `ambassador quiz validate` to see them.", file=sys.stderr)
        return 1
    return 0
