"""How long `ambassador progress report` takes for 1,000, 10,000 and 100,000 employees.

Each organisation has 8 lunch sessions' nbgrader gradebooks (built first and
not timed). The timed part is what HR runs: load the roster and gradebooks,
compute, draw the charts and write every output. Target: under 10 s at
10,000 employees. Wall-clock time depends on what else the machine does, so
CPU time of the process is printed beside it (on an idle machine the two
are close: the report is single-threaded). The last column is how much the
total grew since the previous size. With ``--cli`` the real
``ambassador progress report`` command is also timed end to end (Python
start-up and imports included). Run on demand:

    .venv/bin/python benchmarks/bench_progress.py [--sizes 1000 10000 100000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ambassador.paths import ensure_venv_on_path, repo_root

SESSIONS = 8
TARGET = {10_000: 10.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per size (the best counts)")
    parser.add_argument("--out", type=Path, default=repo_root() / "benchmarks" / "out" / "progress")
    parser.add_argument("--cli", action="store_true", help="also time the real command end to end")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when a target is missed")
    args = parser.parse_args(argv)
    ensure_venv_on_path()

    from ambassador.progress import gradebooks, pipeline, roster
    from ambassador.progress.demo import build_organisation
    from ambassador.progress.rule import load_rule

    rule = load_rule()
    # Warm up: matplotlib's first figure (imports, font cache) would otherwise be
    # billed to the smallest organisation and hide how the time grows.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1])
    fig.savefig(os.devnull, format="png")
    plt.close(fig)
    print(f"ambassador progress report, {SESSIONS} sessions per organisation (best of {args.repeat})")
    print(f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the start")
    print(f"{'employees':>10} {'hand-ins':>9} {'load s':>7} {'compute s':>9} {'write s':>8} {'total s':>8} "
          f"{'cpu s':>6} {'x prev':>7}")
    previous, failed = None, False
    for size in args.sizes:
        folder = args.out / f"org-{size}"
        shutil.rmtree(folder, ignore_errors=True)
        t0 = time.perf_counter()
        roster_path, sessions = build_organisation(folder, employees=size, sessions=SESSIONS, seed=size)
        build = time.perf_counter() - t0
        best = None
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            people = roster.load_roster(roster_path)
            grades = gradebooks.load_sessions(sessions)
            t1 = time.perf_counter()
            titles = pipeline.assignment_titles()
            data = pipeline.compute(people.employees, grades.attempts, rule, titles)
            t2 = time.perf_counter()
            pipeline.write_outputs(folder / "report", data, people.employees, rule, titles)
            t3 = time.perf_counter()
            run = (t1 - t0, t2 - t1, t3 - t2, t3 - t0, time.process_time() - c0)
            best = run if best is None or run[3] < best[3] else best
        ratio = f"{best[3] / previous:.1f}" if previous else "-"
        print(f"{size:>10,} {len(grades.attempts):>9,} {best[0]:>7.2f} {best[1]:>9.2f} {best[2]:>8.2f} "
              f"{best[3]:>8.2f} {best[4]:>6.2f} {ratio:>7}   (building the gradebooks took {build:.1f} s, not timed)")
        sys.stdout.flush()
        if args.cli:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([str(Path(sys.executable).parent / "ambassador"), "progress", "report",
                            "--roster", str(roster_path), "--sessions", *map(str, sessions),
                            "--out", str(folder / "report-cli")], check=True, capture_output=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(f"{'':>10} the real command end to end: {time.perf_counter() - t0:.2f} s wall, {cpu:.2f} s CPU")
        if size in TARGET:
            met = best[3] < TARGET[size]
            print(f"{'':>10} target under {TARGET[size]:.0f} s at {size:,} employees: {'met' if met else 'MISSED'}")
            failed = failed or not met
        previous = best[3]
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
