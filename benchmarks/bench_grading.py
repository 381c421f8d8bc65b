"""Grading benchmark: `ambassador workshop grade` against plain sequential `nbgrader autograde`.

A synthetic lunch session of 30 participants hands in every real assignment
with a realistic mix of answers (right, partly right, blank, broken). The same
collected session is copied; one copy is graded by `ambassador workshop grade`
(parallel, sandboxed), the other by one plain `nbgrader autograde "*"` run
(sequential, unprotected). Both times, their ratio, and whether both gave the
same grades are printed.

    make bench                                  # or:
    .venv/bin/python benchmarks/bench_grading.py [--participants 30] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))

from ambassador.paths import ensure_venv_on_path  # noqa: E402

# Per 10 participants: 4 right, 3 partly right, 2 blank, 1 broken.
MIX = ["right", "partly", "right", "blank", "partly", "right", "broken", "partly", "right", "blank"]
TARGET_RATIO = 0.6


def build_session(base: Path, participants: int) -> Path:
    from ambassador.exercises.catalog import load_assignments
    from ambassador.workshop.collect import collect
    from ambassador.workshop.release import release
    from ambassador.workshop.session import create_session
    from ambassador.workshop.synthetic import write_hand_in

    people = base / "participants.csv"
    people.write_text("id,name,e-mail,department\n" + "".join(
        f"p{i:02d},Deelnemer {i},p{i:02d}@vlotwater.example,Afdeling {i % 4}\n" for i in range(1, participants + 1)),
        encoding="utf-8")
    names = [a.name for a in load_assignments()]
    session = create_session(base / "session", assignments=names, participants_csv=people).session
    release(session)
    inbox = base / "inbox"
    for i in range(1, participants + 1):
        for offset, name in enumerate(names):
            kind = MIX[(i + offset) % len(MIX)]
            write_hand_in(session, name, kind, inbox / f"p{i:02d}" / session.assignment(name).notebook)
    result = collect(session, inbox)
    assert not result.unmatched and not result.problems, (result.unmatched, result.problems)
    return session.root


def scores(root: Path) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {(s.student.id, a.name): s.score for a in gb.assignments for s in gb.assignment_submissions(a.name)}


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.monotonic()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=None, help="passed on to `ambassador workshop grade`")
    parser.add_argument("--keep", type=Path, help="build the sessions here and keep them")
    args = parser.parse_args()
    ensure_venv_on_path()

    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-grading-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        print(f"Building a session of {args.participants} participants in {base} ...", flush=True)
        ours = build_session(base, args.participants)
        plain = base / "plain"
        shutil.copytree(ours, plain)
        notebooks = len(list(ours.glob("submitted/*/*/*.ipynb")))
        print(f"{notebooks} hand-ins; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}", flush=True)

        t_plain = timed([str(BIN / "nbgrader"), "autograde", "*"], plain)
        print(f"plain sequential nbgrader autograde: {t_plain:7.1f} s", flush=True)
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        t_ours = timed([str(BIN / "ambassador"), "workshop", "grade", "-s", str(ours), *jobs], ours)
        print(f"ambassador workshop grade:           {t_ours:7.1f} s (sandboxed)", flush=True)
        ratio = t_ours / t_plain
        print(f"ratio: {ratio:.2f} (target <= {TARGET_RATIO})")
        same = scores(ours) == scores(plain)
        print(f"same grades in both runs: {'yes' if same else 'NO'}")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        return 0 if same else 1
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
