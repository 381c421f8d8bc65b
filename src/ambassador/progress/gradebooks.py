"""Scores from lunch-session gradebooks (nbgrader 0.9.6 ``gradebook.db``).

Each session folder is an nbgrader course directory with a ``gradebook.db``.
The gradebooks are read with plain SQL on nbgrader's own schema, read-only,
because a report over 100,000 employees must not build an ORM object per
grade. An nbgrader student id must be the employee id from the HR roster.

One row per hand-in (``attempt``):

``session``, ``employee_id``, ``assignment``, ``timestamp`` (UTC), ``late``,
``raw`` (points: manual score if set, else auto score, plus extra credit, as
nbgrader computes it), ``penalty`` (nbgrader's late penalty), ``max_score``.

nbgrader keeps one hand-in per student and assignment in a gradebook, so a
retake is a hand-in in another session's gradebook. Hand-ins that still wait
for manual grading, or were never autograded, are not attempts yet: they are
counted in ``GradebookData.pending``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ATTEMPT_COLUMNS = ("session", "employee_id", "assignment", "timestamp", "late", "raw", "penalty", "max_score")

_SUBMISSIONS = """
SELECT sa.id AS sub_id, sa.student_id AS employee_id, a.name AS assignment,
       sa.timestamp AS timestamp, a.duedate AS duedate, sa.extension AS extension
FROM submitted_assignment sa JOIN assignment a ON sa.assignment_id = a.id
"""
# nbgrader's Grade.score: manual score if set, else auto score, plus extra credit.
_SCORES = """
SELECT sn.assignment_id AS sub_id,
       SUM(CASE WHEN g.manual_score IS NOT NULL THEN g.manual_score + COALESCE(g.extra_credit, 0)
                WHEN g.auto_score IS NOT NULL THEN g.auto_score + COALESCE(g.extra_credit, 0)
                ELSE 0 END) AS raw,
       MAX(g.needs_manual_grade) AS needs_manual_grade
FROM grade g JOIN submitted_notebook sn ON g.notebook_id = sn.id
GROUP BY sn.assignment_id
"""
_PENALTIES = """
SELECT assignment_id AS sub_id, SUM(COALESCE(late_submission_penalty, 0)) AS penalty
FROM submitted_notebook GROUP BY assignment_id
"""
# nbgrader's Assignment.max_score: grade cells plus task cells of its notebooks.
_MAX_SCORES = """
SELECT a.name AS assignment, COALESCE(SUM(c.max_score), 0) AS max_score
FROM assignment a
JOIN notebook n ON n.assignment_id = a.id
JOIN base_cell b ON b.notebook_id = n.id
JOIN (SELECT id, max_score FROM grade_cells UNION ALL SELECT id, max_score FROM task_cells) c ON c.id = b.id
GROUP BY a.name
"""
_EPOCH = pd.Timestamp("1970-01-01")


class GradebookError(ValueError):
    """A session folder has no readable nbgrader gradebook."""


@dataclass
class GradebookData:
    attempts: pd.DataFrame
    pending: int = 0
    sessions: list[str] = field(default_factory=list)


def _session_name(folder: Path, taken: set[str]) -> str:
    name, n = folder.name or str(folder), 2
    while name in taken:  # two folders with the same name in different places
        name, n = f"{folder.name}-{n}", n + 1
    return name


def read_gradebook(db_path: Path, session: str) -> tuple[pd.DataFrame, int]:
    """Attempts in one gradebook and the number of hand-ins not graded yet."""
    try:
        # mode=ro: the report never writes to a trainer's gradebook
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise GradebookError(f"{db_path}: cannot open the gradebook ({error})") from None
    try:
        subs = pd.read_sql_query(_SUBMISSIONS, con)
        scores = pd.read_sql_query(_SCORES, con)
        penalties = pd.read_sql_query(_PENALTIES, con)
        max_scores = pd.read_sql_query(_MAX_SCORES, con)
    except (sqlite3.Error, pd.errors.DatabaseError) as error:
        raise GradebookError(f"{db_path}: not an nbgrader gradebook ({error})") from None
    finally:
        con.close()
    frame = subs.merge(scores, on="sub_id", how="left").merge(penalties, on="sub_id", how="left")
    frame = frame.merge(max_scores, on="assignment", how="left")
    graded = frame["raw"].notna() & (frame["needs_manual_grade"].fillna(1) == 0) & (frame["max_score"] > 0)
    pending = int((~graded).sum())
    frame = frame[graded].copy()

    # nbgrader stores naive UTC datetimes; an extension is an Interval, stored as epoch + delta.
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], format="ISO8601").dt.tz_localize("UTC")
    due = pd.to_datetime(frame["duedate"], format="ISO8601").dt.tz_localize("UTC")
    extension = (pd.to_datetime(frame["extension"], format="ISO8601") - _EPOCH).fillna(pd.Timedelta(0))
    frame["late"] = (due.notna() & (frame["timestamp"] > due + extension)).astype(bool)
    frame["penalty"] = frame["penalty"].fillna(0.0).astype(float)
    frame["session"] = session
    frame["employee_id"] = frame["employee_id"].astype(str).str.strip()
    return frame[list(ATTEMPT_COLUMNS)].reset_index(drop=True), pending


def load_sessions(folders: list[Path]) -> GradebookData:
    """All attempts from the gradebooks of the given session folders."""
    frames, pending, names = [], 0, []
    for folder in folders:
        folder = Path(folder)
        db_path = folder / "gradebook.db" if folder.is_dir() else folder
        if not db_path.is_file():
            raise GradebookError(f"{folder}: no gradebook.db here (is this an nbgrader session folder?)")
        name = _session_name(folder if folder.is_dir() else folder.parent, set(names))
        names.append(name)
        frame, waiting = read_gradebook(db_path, name)
        frames.append(frame)
        pending += waiting
    attempts = (pd.concat(frames, ignore_index=True) if frames
                else pd.DataFrame(columns=list(ATTEMPT_COLUMNS)))
    return GradebookData(attempts=attempts, pending=pending, sessions=names)
