"""Reading scores from real nbgrader gradebooks (made with nbgrader's own Gradebook API)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pandas as pd
import pytest

from ambassador.paths import ensure_venv_on_path
from ambassador.progress.gradebooks import GradebookError, load_sessions

# nbgrader starts alembic for every new gradebook; its ORM warns about its own autoflush
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Object of type")]


def _session(folder, due, hand_ins):
    """hand_ins: (student, timestamp, {cell: (auto, manual, extra)}, needs_manual, extension_minutes)."""
    ensure_venv_on_path()
    from nbgrader.api import Gradebook

    folder.mkdir(parents=True)
    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gb:
        gb.add_assignment("privacycheck", duedate=due)
        gb.add_notebook("privacycheck", "privacycheck")
        gb.add_grade_cell("test-1", "privacycheck", "privacycheck", max_score=4, cell_type="code")
        gb.add_grade_cell("test-2", "privacycheck", "privacycheck", max_score=6, cell_type="code")
        gb.add_task_cell("taak", "privacycheck", "privacycheck", max_score=2, cell_type="markdown")
        for student, when, cells, needs_manual, extension in hand_ins:
            gb.update_or_create_student(student, first_name="Ελένη")
            gb.add_submission("privacycheck", student, timestamp=when)
            if extension:
                gb.grant_extension("privacycheck", student, minutes=extension)
            for cell, (auto, manual, extra) in cells.items():
                grade = gb.find_grade(cell, "privacycheck", "privacycheck", student)
                grade.auto_score, grade.manual_score, grade.extra_credit = auto, manual, extra
                grade.needs_manual_grade = needs_manual
            gb.db.commit()


FULL = {"test-1": (4, None, None), "test-2": (3, None, None), "taak": (None, 2, None)}


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    root = tmp_path_factory.mktemp("sessions")
    _session(root / "sessie-1", "2026-09-08 17:00:00", [
        ("E1", "2026-09-08 11:30:00", FULL, False, 0),
        ("E2", "2026-09-09 10:00:00", FULL, False, 0),             # late
        ("E3", "2026-09-09 10:00:00", FULL, False, 60 * 24),      # late, but within an extension
        ("E4", "2026-09-08 11:30:00", FULL, True, 0),             # waits for manual grading
        ("E5", "2026-09-08 11:30:00", {"test-1": (1, 4, 1), "test-2": (6, None, None), "taak": (None, 2, None)}, False, 0),
    ])
    _session(root / "sessie-2", "2026-09-18 17:00:00", [
        ("E1", "2026-09-18 11:30:00", {"test-1": (2, None, None), "test-2": (0, None, None), "taak": (None, 0, None)},
         False, 0),
    ])
    return [root / "sessie-1", root / "sessie-2"]


def test_scores_follow_nbgraders_rules(sessions):
    data = load_sessions(sessions)
    assert data.sessions == ["sessie-1", "sessie-2"]
    assert data.pending == 1  # E4
    frame = data.attempts.set_index(["session", "employee_id"])
    assert set(data.attempts["employee_id"]) == {"E1", "E2", "E3", "E5"}
    # max score = grade cells + task cell
    assert (data.attempts["max_score"] == 12).all()
    assert frame.loc[("sessie-1", "E1"), "raw"] == 9
    # manual score replaces the auto score; extra credit is added
    assert frame.loc[("sessie-1", "E5"), "raw"] == 4 + 1 + 6 + 2
    assert frame.loc[("sessie-2", "E1"), "raw"] == 2


def test_late_is_after_the_due_date_plus_extension(sessions):
    frame = load_sessions(sessions).attempts.set_index(["session", "employee_id"])
    assert not frame.loc[("sessie-1", "E1"), "late"]
    assert frame.loc[("sessie-1", "E2"), "late"]
    assert not frame.loc[("sessie-1", "E3"), "late"]
    assert frame.loc[("sessie-1", "E2"), "timestamp"] == pd.Timestamp("2026-09-09 10:00", tz="UTC")


def test_a_retake_is_a_second_attempt(sessions):
    attempts = load_sessions(sessions).attempts
    assert (attempts["employee_id"] == "E1").sum() == 2


def test_gradebooks_are_opened_read_only(sessions):
    db = sessions[0] / "gradebook.db"
    before = db.stat().st_mtime_ns
    load_sessions(sessions)
    assert db.stat().st_mtime_ns == before


def test_a_folder_without_gradebook_is_named(tmp_path):
    with pytest.raises(GradebookError, match=r"empty.*no gradebook.db"):
        load_sessions([tmp_path / "empty"])
    (tmp_path / "junk").mkdir()
    sqlite3.connect(tmp_path / "junk" / "gradebook.db").execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(GradebookError, match="not an nbgrader gradebook"):
        load_sessions([tmp_path / "junk"])


def test_synthetic_sessions_round_trip(tmp_path):
    """Does the demo's fast writer produce gradebooks this reader understands (and nbgrader too)?"""
    from ambassador.progress.demo import write_session

    attempts = pd.DataFrame({
        "session": 0, "employee_id": ["VW1", "VW2", "VW3"], "assignment": ["privacycheck", "luisterrapport", "privacycheck"],
        "timestamp": [pd.Timestamp("2026-09-08 11:20"), pd.Timestamp("2026-09-10 09:00"), pd.Timestamp("2026-09-08 11:40")],
        "percent": [80.0, 50.0, 100.0], "pending": [False, False, True]})
    roster = pd.DataFrame({"employee_id": ["VW1", "VW2", "VW3"], "name": ["Anke Peeters", "陈 静", "Bram Maes"],
                           "email": ["a@vlotwater.example", "b@vlotwater.example", "c@vlotwater.example"]})
    write_session(tmp_path / "s", attempts, roster, date=datetime(2026, 9, 8, 11, 0))
    data = load_sessions([tmp_path / "s"])
    frame = data.attempts.set_index("employee_id")
    assert data.pending == 1
    assert frame.loc["VW1", "raw"] / frame.loc["VW1", "max_score"] == 0.8
    assert frame.loc["VW2", "late"] and not frame.loc["VW1", "late"]

    ensure_venv_on_path()
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{tmp_path / 's' / 'gradebook.db'}") as gb:
        submission = gb.find_submission("privacycheck", "VW1")
        assert submission.score == 8.0 and submission.max_score == 10.0
        assert gb.find_student("VW2").first_name == "陈"
