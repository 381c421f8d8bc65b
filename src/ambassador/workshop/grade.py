"""Grade every hand-in in parallel with nbgrader's own autograde, resumably.

A small pool of long-lived worker processes (one per core by default) each
runs nbgrader's ``Autograde`` in-process for one hand-in at a time: nbgrader
is imported once per worker, not once per participant. Only the steps that
read or write the gradebook hold the session's gradebook lock (see
executor.py), so notebooks convert and execute in parallel while gradebook
writes stay one at a time: no "database is locked", no lost grades.

The main process alone records results: one line per graded hand-in in
.workshop/grade-log.jsonl (flushed to disk first; the log is the record) and
a readable copy in .workshop/graded.json. A hand-in is graded again only
when its files changed (or with ``force``): kill grading at any point, run
it again, and it carries on with what is left.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timezone
from multiprocessing import get_context
from pathlib import Path
from typing import Callable

from ambassador.workshop.session import Session, SessionError, open_session, write_json


@dataclass(frozen=True)
class Submission:
    participant: str
    assignment: str
    folder: Path

    @property
    def key(self) -> str:
        return f"{self.participant}/{self.assignment}"


@dataclass
class GradeOutcome:
    key: str
    ok: bool
    score: float | None = None
    max_score: float | None = None
    needs_manual: bool = False
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class GradeReport:
    graded: list[GradeOutcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already graded, unchanged
    seconds: float = 0.0

    @property
    def failed(self) -> list[GradeOutcome]:
        return [o for o in self.graded if not o.ok]


def fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def state_path(session: Session) -> Path:
    return session.state_dir / "graded.json"


def log_path(session: Session) -> Path:
    return session.state_dir / "grade-log.jsonl"


def load_state(session: Session) -> dict:
    """What has been graded: the grading log replayed (graded.json is a readable copy).

    The log line is written (and flushed to disk) before anything else, so a
    kill at any moment leaves either no record (the hand-in is graded again)
    or a complete one (it is not).
    """
    path = log_path(session)
    if not path.exists():
        return {}
    state = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut off by a kill
        state[entry.pop("key")] = entry
    return state


def submissions(session: Session) -> list[Submission]:
    found = []
    names = {a.name for a in session.assignments}
    if session.submitted_dir.is_dir():
        for folder in sorted(session.submitted_dir.glob("*/*")):
            if folder.is_dir() and folder.name in names:
                found.append(Submission(folder.parent.name, folder.name, folder))
    return found


# -- worker process ----------------------------------------------------------

_WORKER: dict = {}


def _worker_init(root: str, sandbox: bool, memory_mb: int, timeout: int) -> None:
    import atexit
    import shutil
    import tempfile
    from multiprocessing.util import Finalize

    from ambassador.paths import ensure_venv_on_path
    from ambassador.workshop import executor

    ensure_venv_on_path()
    import warnings

    # nbgrader's gradebook code trips SQLAlchemy 2 warnings that mean nothing to a trainer.
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*not in session.*")
    # A private, short folder for connection files and ipc sockets (paths <108 chars).
    runtime = tempfile.mkdtemp(prefix="amb-")
    # Removed when the worker exits normally (multiprocessing runs Finalize callbacks, not always atexit).
    Finalize(None, shutil.rmtree, args=(runtime, True), exitpriority=10)
    atexit.register(shutil.rmtree, runtime, True)
    tempfile.tempdir = runtime
    os.environ["JUPYTER_RUNTIME_DIR"] = runtime
    session = open_session(root)
    config = session.nbgrader_config()
    config.Execute.timeout = timeout
    # The kernel's work is done once the last cell ran: stop it at once instead of waiting politely.
    config.Execute.shutdown_kernel = "immediate"
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, DeduplicateIds, IgnorePattern, LimitOutput

    config.Autograde.sanitize_preprocessors = [
        ClearOutput, DeduplicateIds, executor.LockedOverwriteKernelspec, executor.LockedOverwriteCells,
        CheckCellMetadata,
    ]
    config.Autograde.autograde_preprocessors = [
        executor.GuardedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
        executor.LockedSaveAutoGrades, executor.LockedAssignLatePenalties, CheckCellMetadata,
    ]
    if sandbox:
        from ambassador.workshop.sandbox import GRADER_PID_ENV, KERNEL_NAME, MEMORY_ENV, write_kernelspec

        spec_root = write_kernelspec(Path(runtime) / "jupyter")
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(spec_root), os.environ.get("JUPYTER_PATH", "")]).rstrip(os.pathsep)
        os.environ[MEMORY_ENV] = str(memory_mb)
        os.environ[GRADER_PID_ENV] = str(os.getpid())  # the kernels' launcher checks its parent is alive
        config.Execute.kernel_name = KERNEL_NAME
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = os.path.join(runtime, "kernel-ipc")
    executor.LOCK["hold"] = session.gradebook_lock
    _WORKER.update(session=session, api=session.api(config), released=_released(session), timeout=timeout)


def _released(session: Session) -> dict:
    result = {}
    for a in session.assignments:
        path = session.release_dir / a.name / a.notebook
        result[a.name] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"cells": []}
    return result


def _error_line(outcome: dict) -> str:
    lines = [l for l in (outcome.get("log") or "").splitlines() if l.startswith("[ERROR]")]
    for line in lines:
        if "There was an error processing" not in line and "Please see" not in line:
            return line.replace("[ERROR] ", "").strip()
    error = (outcome.get("error") or "").strip().splitlines()
    return error[-1] if error else "nbgrader could not grade this hand-in"


def grade_one(participant: str, assignment: str) -> GradeOutcome:
    """Autograde one hand-in in this worker (runs in a pool process)."""
    from ambassador.workshop import checks, executor

    start = time.monotonic()
    session: Session = _WORKER["session"]
    key = f"{participant}/{assignment}"
    a = session.assignment(assignment)
    released = _WORKER["released"]
    notes: list[str] = []
    nb, problem = checks.load_notebook(session.submitted_dir / participant / assignment / a.notebook)
    if nb is None and "missing" not in (problem or ""):
        return GradeOutcome(key, False, problems=[problem], seconds=time.monotonic() - start)
    if problem:
        notes.append(problem)
    if nb is not None:
        ids = {name: checks.grade_ids(r) for name, r in released.items()}
        other = checks.other_assignment(nb, assignment, ids)
        if other:
            return GradeOutcome(key, False, problems=[f"this is the notebook of '{other}', not of '{assignment}'"],
                                seconds=time.monotonic() - start)
        notes += checks.changed_locked_cells(nb, released[assignment])

    if nb is None:  # hand-in without its notebook: zero, as nbgrader does for a missing notebook
        return _score_zero(session, participant, assignment, notes, start)
    executor.EVENTS.clear()
    outcome = _autograde(assignment, participant)
    if not outcome["success"]:
        return GradeOutcome(key, False, problems=notes + [_error_line(outcome)], seconds=time.monotonic() - start)
    with session.gradebook() as gb:
        sub = gb.find_submission(assignment, participant)
        score, max_score, manual = sub.score, sub.max_score, sub.needs_manual_grade
    for kind, index in dict.fromkeys(executor.EVENTS):
        if kind == "timeout":
            notes.append(f"cell {index + 1} hit the {session_timeout(session)} s time limit (endless loop?); it counts as failed")
        else:
            notes.append(f"cell {index + 1} printed more than {executor.MAX_OUTPUT_CHARS} characters; the output was cut off")
    return GradeOutcome(key, True, score, max_score, manual, notes, time.monotonic() - start)


def _score_zero(session: Session, participant: str, assignment: str, notes: list[str], start: float) -> GradeOutcome:
    with session.gradebook() as gb:
        gb.update_or_create_student(participant)
        sub = gb.update_or_create_submission(assignment, participant)
        for notebook in sub.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
        gb.db.commit()
        sub = gb.find_submission(assignment, participant)
        return GradeOutcome(f"{participant}/{assignment}", True, sub.score, sub.max_score, False, notes,
                            time.monotonic() - start)


def _autograde(assignment: str, participant: str) -> dict:
    """What ``NbGraderAPI.autograde`` does, with the gradebook-locking Autograde class."""
    from nbgrader.utils import capture_log, temp_attrs

    from ambassador.workshop.executor import LockedAutograde

    api = _WORKER["api"]
    with temp_attrs(api.coursedir, assignment_id=assignment, student_id=participant):
        app = LockedAutograde(coursedir=api.coursedir, parent=api)
        app.force = True
        app.create_student = True
        return capture_log(app)


def session_timeout(session: Session) -> int:
    return _WORKER.get("timeout", session.timeout)


# -- main process ------------------------------------------------------------

class Progress:
    """A one-line progress bar on a terminal; one line per hand-in otherwise."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.start = total, 0, time.monotonic()
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()

    def step(self, outcome: GradeOutcome) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.start
        mark = "ok" if outcome.ok else "needs attention"
        if self.tty:
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total}  {elapsed:5.0f} s  {outcome.key:<40.40}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.done}/{self.total}] {outcome.key}: {mark} ({elapsed:.0f} s)\n")
        self.stream.flush()


def _record(session: Session, state: dict, sub: Submission, print_: str, outcome: GradeOutcome) -> None:
    entry = {
        "fingerprint": print_,
        "ok": outcome.ok,
        "score": outcome.score,
        "max_score": outcome.max_score,
        "needs_manual": outcome.needs_manual,
        "problems": outcome.problems,
        "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(outcome.seconds, 2),
    }
    with open(log_path(session), "a", encoding="utf-8") as log:
        log.write(json.dumps({"key": sub.key, **entry}) + "\n")
        log.flush()
        os.fsync(log.fileno())
    state[sub.key] = entry
    write_json(state_path(session), state)


def grade(
    session: Session,
    *,
    jobs: int | None = None,
    timeout: int | None = None,
    sandbox: bool = True,
    memory_mb: int = 2048,
    force: bool = False,
    on_progress: Callable[[int], Progress] | None = None,
) -> GradeReport:
    """Grade every hand-in that is new or changed since it was last graded."""
    from ambassador.workshop.sandbox import check_sandbox

    unreleased = [a.name for a in session.assignments if not (session.release_dir / a.name / a.notebook).exists()]
    if unreleased:
        raise SessionError(f"run `ambassador workshop release` first (not generated yet: {', '.join(unreleased)})")
    if sandbox:
        check_sandbox()  # SandboxError says why and what to do
    started = time.monotonic()
    state = load_state(session)
    report = GradeReport()
    todo: list[tuple[Submission, str]] = []
    for sub in submissions(session):
        print_ = fingerprint(sub.folder)
        if not force and state.get(sub.key, {}).get("fingerprint") == print_:
            report.skipped.append(sub.key)
        else:
            todo.append((sub, print_))
    if not todo:
        report.seconds = time.monotonic() - started
        return report
    jobs = max(1, min(jobs or len(os.sched_getaffinity(0)) or 1, len(todo)))
    progress = on_progress(len(todo)) if on_progress else None
    attempts: dict[str, int] = {}
    while todo:
        retry: list[tuple[Submission, str]] = []
        context = get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init,
                                 initargs=(str(session.root), sandbox, memory_mb, timeout or session.timeout)) as pool:
            futures = {pool.submit(grade_one, sub.participant, sub.assignment): (sub, p) for sub, p in todo}
            for future in as_completed(futures):
                sub, print_ = futures[future]
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    attempts[sub.key] = attempts.get(sub.key, 0) + 1
                    if attempts[sub.key] < 2:
                        retry.append((sub, print_))
                        continue
                    outcome = GradeOutcome(sub.key, False, problems=["grading this hand-in crashed the grader (memory?)"])
                except Exception as error:  # one hand-in's trouble must not stop the others
                    outcome = GradeOutcome(sub.key, False, problems=[f"could not be graded: {error}"])
                _record(session, state, sub, print_, outcome)
                report.graded.append(outcome)
                if progress:
                    progress.step(outcome)
        todo = retry
    report.seconds = time.monotonic() - started
    return report
