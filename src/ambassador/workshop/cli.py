"""``ambassador workshop ...``: a trainer's lunch session from start to feedback.

A thin layer: each subcommand calls one function of the workshop package and
prints its result. Run them in order; each can be run again safely.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _session_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-s", "--session", default=".", metavar="DIR",
                        help="the session folder (default: the current folder)")


def _known_errors() -> tuple[type[Exception], ...]:
    from ambassador.exercises.catalog import CatalogError
    from ambassador.workshop.collect import CollectError
    from ambassador.workshop.feedback import FeedbackError
    from ambassador.workshop.participants import ParticipantError
    from ambassador.workshop.release import ReleaseError
    from ambassador.workshop.sandbox import SandboxError
    from ambassador.workshop.session import SessionError

    return (CatalogError, CollectError, FeedbackError, ParticipantError, ReleaseError, SandboxError, SessionError)


def _guarded(func):
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except _known_errors() as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    return run


def _new(args: argparse.Namespace) -> int:
    from ambassador.workshop.session import create_session

    names = [n.strip() for n in args.assignments.split(",") if n.strip()]
    result = create_session(args.directory, assignments=names, participants_csv=args.participants,
                            exchange_root=args.exchange, timeout=args.timeout)
    s = result.session
    print(f"Session {s.course_id} in {s.root}")
    for name in result.added_assignments:
        print(f"  assignment added: {name}")
    for name in result.kept_assignments:
        print(f"  assignment already there (kept): {name}")
    print(f"  participants: {len(s.participants())} on the list"
          + (f" ({len(result.added_participants)} new)" if result.added_participants else ""))
    if s.exchange_root:
        print(f"  exchange: {s.exchange_root}")
    print(f"Next: cd {s.root} && ambassador workshop release")
    return 0


def _release(args: argparse.Namespace) -> int:
    from ambassador.workshop.release import release
    from ambassador.workshop.session import open_session

    s = open_session(args.session)
    result = release(s, force=args.force)
    for name in result.generated:
        print(f"generated learner version: {name}")
    for name in result.kept:
        print(f"already generated (kept): {name}")
    for name in result.exchange:
        print(f"in the exchange: {name}")
    print(f"Notebooks to hand out: {result.share_dir}")
    print(f"  one folder per participant: {result.share_dir / 'participants'} ({result.personal_copies} notebooks)")
    print(f"  everything in one zip: {result.zip_path}")
    return 0


def _collect(args: argparse.Namespace) -> int:
    from ambassador.workshop.collect import collect, collect_exchange
    from ambassador.workshop.session import open_session

    s = open_session(args.session)
    if not args.source and not args.exchange:
        print("error: say where the hand-ins are: --from FOLDER_OR_ZIP, or --exchange", file=sys.stderr)
        return 2
    results = []
    if args.exchange:
        results.append(collect_exchange(s))
    if args.source:
        results.append(collect(s, Path(args.source)))
    for result in results:
        for key in result.placed:
            print(f"collected: {key}")
        for key in result.replaced:
            print(f"collected a newer version: {key} (the earlier one is kept in .workshop/earlier/)")
        if result.unchanged:
            print(f"already collected, unchanged: {len(result.unchanged)}")
        for line in result.unmatched:
            print(f"not matched: {line}")
        for item in result.problems:
            print(f"needs attention: {item.line()}")
    total = sum(len(r.placed) + len(r.replaced) for r in results)
    print(f"{total} new hand-in(s). Next: ambassador workshop grade")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from ambassador.workshop.grade import Progress, grade
    from ambassador.workshop.session import open_session

    s = open_session(args.session)
    if args.no_sandbox:
        print("warning: --no-sandbox: participants' code runs with your rights and can read the solutions",
              file=sys.stderr)
    report = grade(s, jobs=args.jobs, timeout=args.timeout, sandbox=not args.no_sandbox,
                   memory_mb=args.memory, force=args.force, on_progress=Progress)
    if report.skipped:
        print(f"already graded, unchanged: {len(report.skipped)}")
    for outcome in sorted(report.graded, key=lambda o: o.key):
        if outcome.ok:
            score = f"{outcome.score:g}/{outcome.max_score:g}"
            print(f"graded {outcome.key}: {score}" + (" (needs manual grading)" if outcome.needs_manual else ""))
        else:
            print(f"needs attention {outcome.key}: not graded")
        for problem in outcome.problems:
            print(f"    {problem}")
    print(f"{len(report.graded)} graded in {report.seconds:.1f} s, {len(report.failed)} need attention. "
          "Next: ambassador workshop feedback")
    return 0


def _feedback(args: argparse.Namespace) -> int:
    from ambassador.workshop.feedback import generate_feedback
    from ambassador.workshop.session import open_session

    s = open_session(args.session)
    result = generate_feedback(s, force=args.force)
    for key in result.generated:
        print(f"feedback: {key}")
    if result.kept:
        print(f"feedback already made, unchanged: {len(result.kept)}")
    for line in result.problems:
        print(f"needs attention: {line}")
    print(f"Hand back: {result.hand_back} (one folder per participant)")
    return 0


def _status(args: argparse.Namespace) -> int:
    from ambassador.workshop.session import open_session
    from ambassador.workshop.status import format_table, session_status, write_csv

    s = open_session(args.session)
    status = session_status(s)
    print(format_table(status))
    lines = status.attention_lines()
    if lines:
        print("\nNeeds attention:")
        for line in lines:
            print(f"  {line}")
    path = write_csv(status, Path(args.csv) if args.csv else s.root / "status.csv")
    print(f"\nCSV: {path}")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from ambassador.workshop.session import open_session
    from ambassador.workshop.status import format_summary, session_status

    status = session_status(open_session(args.session))
    print(format_summary(status))
    lines = status.attention_lines()
    if lines:
        print(f"{len(lines)} note(s) need attention: see `ambassador workshop status`")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("workshop", help="run a lunch session: new, release, collect, grade, feedback, status",
                                  description="Run a lunch session, step by step: new, release, collect, grade, "
                                              "feedback, status. Every step can be run again safely.")
    group.set_defaults(group_parser=group)
    sub = group.add_subparsers(dest="workshop_command", metavar="SUBCOMMAND")

    p = sub.add_parser("new", help="create a session folder (an nbgrader course) with assignments and participants")
    p.add_argument("directory", metavar="DIR")
    p.add_argument("--assignments", required=True, help="comma-separated assignment names, e.g. privacycheck,posten-of-niet")
    p.add_argument("--participants", type=Path, metavar="CSV", help="CSV with the columns id, name, e-mail, department")
    p.add_argument("--exchange", metavar="DIR", help="nbgrader exchange folder (when the session runs on a JupyterHub)")
    p.add_argument("--timeout", type=int, default=30, help="per-cell time limit in seconds while grading (default 30)")
    p.set_defaults(func=_guarded(_new))

    p = sub.add_parser("release", help="make the learner notebooks: share/ folder, zip, and the exchange")
    _session_arg(p)
    p.add_argument("--force", action="store_true", help="generate the learner versions again")
    p.set_defaults(func=_guarded(_release))

    p = sub.add_parser("collect", help="take in hand-ins from a folder, a zip or the exchange")
    _session_arg(p)
    p.add_argument("--from", dest="source", metavar="FOLDER_OR_ZIP", help="where the handed-in notebooks are")
    p.add_argument("--exchange", action="store_true", help="also collect from the nbgrader exchange")
    p.set_defaults(func=_guarded(_collect))

    p = sub.add_parser("grade", help="autograde every new hand-in, in parallel and in a sandbox")
    _session_arg(p)
    p.add_argument("--jobs", "-j", type=int, default=None, help="hand-ins graded at once (default: one per core)")
    p.add_argument("--timeout", type=int, default=None, help="per-cell time limit in seconds (default: the session's)")
    p.add_argument("--memory", type=int, default=2048, metavar="MB", help="memory limit per notebook (default 2048 MB)")
    p.add_argument("--no-sandbox", action="store_true", help="run participants' code unprotected (trusted hand-ins only)")
    p.add_argument("--force", action="store_true", help="grade everything again, also unchanged hand-ins")
    p.set_defaults(func=_guarded(_grade))

    p = sub.add_parser("feedback", help="feedback pages for participants, gathered in hand-back/")
    _session_arg(p)
    p.add_argument("--force", action="store_true", help="make all feedback again")
    p.set_defaults(func=_guarded(_feedback))

    p = sub.add_parser("status", help="table of hand-ins and scores (and status.csv)")
    _session_arg(p)
    p.add_argument("--csv", metavar="FILE", help="where to write the CSV (default: status.csv in the session)")
    p.set_defaults(func=_guarded(_status))

    p = sub.add_parser("summary", help="one line per assignment: handed in, graded, average, attention")
    _session_arg(p)
    p.set_defaults(func=_guarded(_summary))
