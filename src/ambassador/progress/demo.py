"""A synthetic organisation for the demo, the benchmark and the tests.

``synthetic_roster`` invents Vlotwater's staff (fictional names in several
scripts, departments of very different sizes including two too small to
show alone), ``synthetic_attempts`` invents what they handed in over a
number of lunch sessions (management earlier and more often, some late
hand-ins, failed assignments retaken later, a few hand-ins waiting for
manual grading, three external participants missing from the roster), and
``write_session`` stores one session as a real nbgrader gradebook.

Gradebooks start from an empty one created by nbgrader's own ``Gradebook``
API (so schema and migration stamp are nbgrader's); the rows are then
written with ``executemany``, because the ORM needs minutes for 100,000
employees.
"""

from __future__ import annotations

import csv
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from ambassador.paths import ensure_venv_on_path

#: Departments of Vlotwater with a relative size; the last two are tiny on purpose.
DEPARTMENTS = [
    ("Klantenservice", 14), ("Facturatie", 8), ("Meteropname", 9), ("Storingsdienst", 10),
    ("Netbeheer", 12), ("Leidingvernieuwing", 11), ("Productie Lindebeek", 9), ("Waterlabo", 5),
    ("Communicatie", 3), ("ICT", 5), ("HR", 3), ("Financiën", 4), ("Aankoop", 2),
    ("Directie", 0), ("Juridische zaken", 0), ("Interne audit", 0),
]
TINY = {"Directie": 4, "Juridische zaken": 3, "Interne audit": 2}
TOWNS = ["Lindebeek", "Oosterlinde", "Kleibeek", "Waterdonk", "Heidebroek", "Zandhoven-West", "Molenveld"]
FIRST = ["Anke", "Bram", "Charlotte", "Dries", "Els", "Femke", "Gijs", "Hanne", "Ilias", "Jasper",
         "Kaat", "Lotte", "Maarten", "Nora", "Olivier", "Pieter", "Roos", "Sander", "Tine", "Wout",
         "Yasmina", "Zoë", "Søren", "Ayşe", "Łukasz", "Ελένη", "Юлия", "سارة", "陈静", "Ngozi"]
LAST = ["Peeters", "Janssens", "de Vries", "Maes", "Jacobs", "Willems", "Claes", "Goossens", "Visser",
        "van Dijk", "Bakker", "Wouters", "De Smet", "Mertens", "Öztürk", "Nowak", "Παπαδοπούλου",
        "Иванова", "الحسن", "王", "Okafor", "Dubois"]

#: Assignments of the course with the maximum score of each grade cell and how hard they are.
CELLS = {"privacycheck": (2, 3, 5), "posten-of-niet": (3, 3, 4), "luisterrapport": (4, 6),
         "ambassadeursmodel": (2, 2, 2, 4)}
DIFFICULTY = {"privacycheck": 0, "posten-of-niet": 2, "luisterrapport": 8, "ambassadeursmodel": 3}
FIRST_SESSION = datetime(2026, 9, 8, 11, 0)  # a Tuesday, 12:00 in Brussels (UTC+1 in winter, +2 now)
SESSION_EVERY = timedelta(days=10)
EXTERNALS = ("EXT-001", "EXT-002", "EXT-003")


def synthetic_roster(employees: int, *, seed: int = 2026) -> pd.DataFrame:
    """A roster of ``employees`` people (columns as ``roster.REQUIRED`` + ``OPTIONAL``)."""
    rng = np.random.default_rng(seed)
    names = [d for d, w in DEPARTMENTS if w]
    weights = np.array([w for d, w in DEPARTMENTS if w], dtype=float)
    # Big organisations have regional teams too, so the chart has more bars.
    extra = max(0, employees // 400 - 2)
    for k in range(extra):
        names.append(f"Distributie {TOWNS[k % len(TOWNS)]}" + (f" {k // len(TOWNS) + 1}" if k >= len(TOWNS) else ""))
        weights = np.append(weights, 6.0)
    tiny_total = sum(TINY.values()) if employees >= 60 else 0
    rest = employees - tiny_total
    departments = list(rng.choice(names, size=rest, p=weights / weights.sum()))
    if tiny_total:
        departments += [d for d, n in TINY.items() for _ in range(n)]
    ids = [f"VW{i:06d}" for i in range(1, employees + 1)]
    first = rng.choice(FIRST, size=employees)
    last = rng.choice(LAST, size=employees)
    frame = pd.DataFrame({
        "employee_id": ids,
        "name": [f"{f} {l}" for f, l in zip(first, last)],
        "email": [f"{i.lower()}@vlotwater.example" for i in ids],
        "department": departments,
    })
    # Each department's first person leads it; the Directie is management too.
    frame["role"] = "employee"
    leads = frame.groupby("department").head(1).index
    frame.loc[leads, "role"] = "management"
    frame.loc[frame["department"] == "Directie", "role"] = "management"
    conversation = (frame["role"] == "employee") & (
        (frame["department"] == "Communicatie") | (rng.random(employees) < 0.04))
    frame.loc[conversation, "role"] = "conversation team"
    lead_mail = frame.loc[leads].set_index("department")["email"]
    director = frame.loc[frame["department"] == "Directie", "email"]
    top = director.iloc[0] if len(director) else frame["email"].iloc[0]
    frame["manager"] = frame["department"].map(lead_mail)
    frame.loc[leads, "manager"] = top
    frame.loc[frame["email"] == top, "manager"] = ""
    start = pd.Timestamp("2008-01-01") + pd.to_timedelta(rng.integers(0, 6500, employees), unit="D")
    frame["start_date"] = start.strftime("%Y-%m-%d")
    return frame[["employee_id", "name", "email", "department", "manager", "role", "start_date"]]


def write_roster(frame: pd.DataFrame, path: Path) -> Path:
    """Write a roster CSV as HR's spreadsheet would: UTF-8 with a byte-order mark."""
    frame.to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_MINIMAL)
    return path


def synthetic_attempts(roster: pd.DataFrame, sessions: int, *, seed: int = 2026) -> pd.DataFrame:
    """Hand-ins over ``sessions`` lunch sessions.

    Columns: session (0-based), employee_id, assignment, timestamp (naive UTC),
    percent (0-100), pending (waits for manual grading).
    """
    rng = np.random.default_rng(seed + 1)
    n = len(roster)
    departments = roster["department"].unique()
    keenness = dict(zip(departments, rng.uniform(0.45, 0.95, len(departments))))
    p_join = roster["department"].map(keenness).to_numpy()
    is_lead = (roster["role"] == "management").to_numpy()
    p_join = np.where(is_lead, np.minimum(p_join + 0.25, 0.97), p_join)
    joins = rng.random(n) < p_join
    # Leaders tend to come early (walk the talk), the rest spread over the sessions.
    first = np.floor(sessions * np.where(is_lead, rng.beta(1.0, 3.0, n), rng.beta(1.3, 1.6, n))).astype(int)
    first = np.minimum(first, sessions - 1)

    frames = []
    people = np.flatnonzero(joins)
    for assignment in CELLS:
        takes = people[rng.random(len(people)) < 0.96]
        session = first[takes]
        mean = 85 - DIFFICULTY[assignment] + 3 * is_lead[takes]
        percent = np.clip(rng.normal(mean, 15, len(takes)), 0, 100)
        frames.append(pd.DataFrame({"person": takes, "session": session, "assignment": assignment,
                                    "percent": percent}))
        # Retakes: most who failed come back to a later session and usually do better.
        failed = (percent < 70) & (session < sessions - 1) & (rng.random(len(takes)) < 0.65)
        again = takes[failed]
        later = session[failed] + 1 + rng.integers(0, 2, failed.sum())
        keep = later < sessions
        frames.append(pd.DataFrame({"person": again[keep], "session": later[keep], "assignment": assignment,
                                    "percent": np.clip(percent[failed][keep] + rng.normal(15, 8, keep.sum()), 0, 100)}))
    frame = pd.concat(frames, ignore_index=True)
    frame["employee_id"] = roster["employee_id"].to_numpy()[frame["person"]]
    minutes = rng.integers(10, 55, len(frame))
    late = rng.random(len(frame)) < 0.05
    delay = np.where(late, rng.integers(24 * 60, 5 * 24 * 60, len(frame)), minutes)
    frame["timestamp"] = (pd.Timestamp(FIRST_SESSION) + frame["session"] * SESSION_EVERY
                          + pd.to_timedelta(delay, unit="min"))
    frame["pending"] = rng.random(len(frame)) < 0.01
    externals = pd.DataFrame({"session": 0, "employee_id": list(EXTERNALS), "assignment": "privacycheck",
                              "percent": [88.0, 64.0, 91.0],
                              "timestamp": pd.Timestamp(FIRST_SESSION) + timedelta(minutes=30),
                              "pending": False})
    frame = pd.concat([frame.drop(columns="person"), externals], ignore_index=True)
    return frame[["session", "employee_id", "assignment", "timestamp", "percent", "pending"]]


# --- nbgrader gradebooks -----------------------------------------------------------

_TEMPLATE: Path | None = None


def empty_gradebook() -> Path:
    """An empty gradebook made by nbgrader's Gradebook API (once per process, then copied)."""
    global _TEMPLATE
    if _TEMPLATE is None or not _TEMPLATE.is_file():
        ensure_venv_on_path()  # nbgrader runs a bare `alembic`
        from nbgrader.api import Gradebook

        folder = Path(tempfile.mkdtemp(prefix="ambassador-gradebook-"))
        path = folder / "gradebook.db"
        Gradebook(f"sqlite:///{path}").close()
        _TEMPLATE = path
    return _TEMPLATE


def _stamp(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass(frozen=True)
class SessionInfo:
    folder: Path
    date: datetime
    handins: int


def write_session(folder: Path, attempts: pd.DataFrame, roster: pd.DataFrame, *, date: datetime,
                  index: int = 0) -> SessionInfo:
    """Write one session's hand-ins as ``folder/gradebook.db`` (nbgrader 0.9.6 schema)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "gradebook.db"
    shutil.copyfile(empty_gradebook(), db)
    prefix = f"{index:04x}"
    counter = iter(range(1, 1 << 40))

    def new_id() -> str:
        return f"{prefix}{next(counter):028x}"

    due = _stamp(date.replace(hour=17, minute=0))
    con = sqlite3.connect(db)
    try:
        cell_ids: dict[str, list[tuple[str, float]]] = {}
        notebook_ids: dict[str, str] = {}
        assignment_ids: dict[str, str] = {}
        for name, maxima in CELLS.items():
            a_id, nb_id = new_id(), new_id()
            assignment_ids[name], notebook_ids[name] = a_id, nb_id
            con.execute("INSERT INTO assignment (id, name, duedate, course_id) VALUES (?, ?, ?, 'default_course')",
                        (a_id, name, due))
            con.execute("INSERT INTO notebook (id, name, assignment_id, kernelspec) VALUES (?, ?, ?, NULL)",
                        (nb_id, name, a_id))
            cell_ids[name] = []
            for k, maximum in enumerate(maxima, start=1):
                c_id = new_id()
                con.execute("INSERT INTO base_cell (id, name, notebook_id, type) VALUES (?, ?, ?, 'GradeCell')",
                            (c_id, f"test-{k}", nb_id))
                con.execute("INSERT INTO grade_cells (id, max_score, cell_type) VALUES (?, ?, 'code')",
                            (c_id, float(maximum)))
                cell_ids[name].append((c_id, float(maximum)))

        people = roster.set_index("employee_id")
        students = []
        for employee_id in attempts["employee_id"].unique():
            if employee_id in people.index:
                first, _, last = str(people.at[employee_id, "name"]).partition(" ")
                students.append((employee_id, first, last, people.at[employee_id, "email"], None))
            else:
                students.append((employee_id, None, None, None, None))
        con.executemany("INSERT INTO student (id, first_name, last_name, email, lms_user_id) VALUES (?, ?, ?, ?, ?)",
                        students)

        subs, nbs, grades = [], [], []
        for row in attempts.itertuples(index=False):
            s_id, n_id = new_id(), new_id()
            subs.append((s_id, assignment_ids[row.assignment], row.employee_id, _stamp(row.timestamp), None))
            nbs.append((n_id, s_id, notebook_ids[row.assignment], 0, 0.0))
            fraction = row.percent / 100.0
            for c_id, maximum in cell_ids[row.assignment]:
                score = round(fraction * maximum * 2) / 2  # half points, as a trainer would give
                grades.append((new_id(), n_id, c_id, score, None, None, 1 if row.pending else 0))
        con.executemany("INSERT INTO submitted_assignment (id, assignment_id, student_id, timestamp, extension) "
                        "VALUES (?, ?, ?, ?, ?)", subs)
        con.executemany("INSERT INTO submitted_notebook (id, assignment_id, notebook_id, flagged, "
                        "late_submission_penalty) VALUES (?, ?, ?, ?, ?)", nbs)
        con.executemany("INSERT INTO grade (id, notebook_id, cell_id, auto_score, manual_score, extra_credit, "
                        "needs_manual_grade) VALUES (?, ?, ?, ?, ?, ?, ?)", grades)
        con.commit()
    finally:
        con.close()
    return SessionInfo(folder, date, len(subs))


def build_organisation(out: Path, *, employees: int = 300, sessions: int = 5, seed: int = 2026
                       ) -> tuple[Path, list[Path]]:
    """Write ``out/roster.csv`` and ``out/sessions/sessie-NN/gradebook.db``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    roster = synthetic_roster(employees, seed=seed)
    roster_path = write_roster(roster, out / "roster.csv")
    attempts = synthetic_attempts(roster, sessions, seed=seed)
    folders = []
    for index in range(sessions):
        folder = out / "sessions" / f"sessie-{index + 1:02d}"
        date = FIRST_SESSION + index * SESSION_EVERY
        write_session(folder, attempts[attempts["session"] == index], roster, date=date, index=index)
        folders.append(folder)
    return roster_path, folders


def run_demo(out: Path, *, employees: int = 300, sessions: int = 5, seed: int = 2026):
    """Build the synthetic organisation in ``out`` and write the report into ``out/report``."""
    from ambassador.progress.pipeline import run_report
    from ambassador.progress.rule import load_rule

    roster_path, folders = build_organisation(out, employees=employees, sessions=sessions, seed=seed)
    return run_report(roster=roster_path, sessions=folders, out_dir=out / "report", rule=load_rule())
