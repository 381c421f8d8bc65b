"""The synthetic organisation behind the demo and the benchmark."""

from __future__ import annotations

from ambassador.progress.demo import EXTERNALS, synthetic_attempts, synthetic_roster, write_roster
from ambassador.progress.roster import load_roster


def test_synthetic_roster_is_a_valid_roster(tmp_path):
    frame = synthetic_roster(300, seed=1)
    roster = load_roster(write_roster(frame, tmp_path / "roster.csv"))
    assert roster.problems == [] and len(roster.employees) == 300
    sizes = roster.employees["department"].value_counts()
    assert (sizes < 5).sum() >= 2  # small departments, so the report has to merge them
    assert set(roster.employees["role"]) == {"management", "conversation_team", "employee"}
    assert any(not name.isascii() for name in roster.employees["name"])
    assert all(email.endswith("@vlotwater.example") for email in roster.employees["email"])


def test_synthetic_attempts_have_retakes_late_hand_ins_and_strangers():
    roster = synthetic_roster(400, seed=2)
    attempts = synthetic_attempts(roster, 5, seed=2)
    assert set(EXTERNALS) <= set(attempts["employee_id"])
    per_person = attempts.groupby(["employee_id", "assignment"]).size()
    assert (per_person > 1).any()  # retakes
    assert attempts.groupby(["session", "employee_id", "assignment"]).size().max() == 1  # nbgrader: one per session
    assert attempts["pending"].any()
    assert attempts["percent"].between(0, 100).all()


def test_same_seed_same_organisation():
    assert synthetic_roster(120, seed=5).equals(synthetic_roster(120, seed=5))
