"""Completion logic on tiny DataFrames: pass mark, missing work, late hand-ins, retakes, small groups."""

from __future__ import annotations

import pandas as pd
import pytest

from ambassador.progress import completion
from ambassador.progress.gradebooks import ATTEMPT_COLUMNS
from ambassador.progress.rule import CompletionRule

RULE = CompletionRule(required_assignments=("a", "b"), pass_mark=70.0, min_group_size=5)


def attempts(*rows) -> pd.DataFrame:
    """Rows of (employee, assignment, raw[, max_score, when, late, penalty])."""
    records = []
    for row in rows:
        emp, assignment, raw, *rest = row
        maximum, when, late, penalty = (list(rest) + [10.0, "2026-09-08 11:00", False, 0.0][len(rest):])
        records.append({"session": "s", "employee_id": emp, "assignment": assignment,
                        "timestamp": pd.Timestamp(when, tz="UTC"), "late": late, "raw": float(raw),
                        "penalty": float(penalty), "max_score": float(maximum)})
    return pd.DataFrame(records, columns=list(ATTEMPT_COLUMNS))


def roster(*rows) -> pd.DataFrame:
    """Rows of (employee, department[, role])."""
    return pd.DataFrame([{"employee_id": r[0], "department": r[1], "role": r[2] if len(r) > 2 else "employee"}
                         for r in rows])


def status_for(frame: pd.DataFrame, employees: pd.DataFrame, rule: CompletionRule = RULE) -> pd.DataFrame:
    results = completion.assignment_results(completion.counted_attempts(frame, rule))
    return completion.employee_status(employees, results, rule).set_index("employee_id")


@pytest.mark.parametrize("raw, passed", [(6.99, False), (7.0, True), (7.01, True)])
def test_pass_mark_boundary(raw, passed):
    """Is 69.9 % a fail and are 70 % and 70.1 % a pass?"""
    counted = completion.counted_attempts(attempts(("e1", "a", raw)), RULE)
    assert bool(counted.loc[0, "passed"]) is passed


def test_exactly_the_pass_mark_with_awkward_floats():
    """Does 2.1 of 3 points (70 % with float noise) pass, and 13.9 of 20 fail?"""
    counted = completion.counted_attempts(attempts(("e1", "a", 2.1, 3.0), ("e2", "a", 13.9, 20.0)), RULE)
    assert list(counted["passed"]) == [True, False]


def test_missing_assignments_keep_the_course_open():
    """Is someone who passed only one of two required assignments in progress, with the other missing?"""
    status = status_for(attempts(("e1", "a", 9), ("e3", "a", 2), ("e3", "b", 3)),
                        roster(("e1", "X"), ("e2", "X"), ("e3", "X")))
    assert status.loc["e1", "status"] == "in_progress"
    assert status.loc["e1", "missing"] == ["b"] and status.loc["e1", "passed"] == ["a"]
    assert status.loc["e2", "status"] == "not_started"
    assert status.loc["e3", "status"] == "in_progress" and status.loc["e3", "n_passed"] == 0
    assert not status["completed"].any()


def test_completion_date_is_when_the_last_required_assignment_was_first_passed():
    status = status_for(attempts(("e1", "a", 8, 10, "2026-09-08 11:00"), ("e1", "b", 9, 10, "2026-10-01 12:00")),
                        roster(("e1", "X")))
    assert status.loc["e1", "status"] == "completed"
    assert status.loc["e1", "completed_at"] == pd.Timestamp("2026-10-01 12:00", tz="UTC")


def test_retake_best_score_counts():
    """After a failed try and a retake, does the better score count, whatever the order?"""
    frame = attempts(("e1", "a", 6, 10, "2026-09-08 11:00"), ("e1", "a", 8, 10, "2026-09-18 11:00"),
                     ("e2", "a", 9, 10, "2026-09-08 11:00"), ("e2", "a", 5, 10, "2026-09-18 11:00"))
    results = completion.assignment_results(completion.counted_attempts(frame, RULE)).set_index("employee_id")
    assert results.loc["e1", "percent"] == 80 and results.loc["e1", "passed"]
    assert results.loc["e1", "passed_at"] == pd.Timestamp("2026-09-18 11:00", tz="UTC")
    assert results.loc["e1", "attempts"] == 2
    # a worse retake does not undo a pass
    assert results.loc["e2", "percent"] == 90 and results.loc["e2", "passed"]
    assert results.loc["e2", "best_at"] == pd.Timestamp("2026-09-08 11:00", tz="UTC")


@pytest.mark.parametrize("policy, passed, counted", [("count", True, 1), ("penalty", False, 1), ("ignore", False, 0)])
def test_late_hand_ins(policy, passed, counted):
    """A late 75 % with a 1-point nbgrader penalty: counts, counts at 65 %, or does not count."""
    rule = CompletionRule(required_assignments=("a",), late_submissions=policy)
    frame = attempts(("e1", "a", 7.5, 10, "2026-09-10 09:00", True, 1.0))
    result = completion.counted_attempts(frame, rule)
    assert len(result) == counted
    if counted:
        assert bool(result.loc[0, "passed"]) is passed
    status = status_for(frame, roster(("e1", "X")), rule)
    assert bool(status.loc["e1", "completed"]) is passed


def test_penalty_only_applies_to_late_hand_ins():
    rule = CompletionRule(required_assignments=("a",), late_submissions="penalty")
    result = completion.counted_attempts(attempts(("e1", "a", 7.5, 10, "2026-09-08 11:00", False, 1.0)), rule)
    assert result.loc[0, "percent"] == 75


def test_scores_are_clamped_to_the_range():
    """Can extra credit not lift a score above 100 % and a penalty not push it below 0?"""
    rule = CompletionRule(required_assignments=("a",), late_submissions="penalty")
    result = completion.counted_attempts(
        attempts(("e1", "a", 12, 10), ("e2", "a", 1, 10, "2026-09-08 11:00", True, 5.0)), rule)
    assert list(result["percent"]) == [100.0, 0.0]


def test_unknown_employees_are_listed_not_dropped_silently():
    assert completion.unknown_employees(attempts(("x9", "a", 9), ("e1", "a", 9), ("x2", "b", 1)),
                                        roster(("e1", "X"))) == ["x2", "x9"]


# --- small groups -------------------------------------------------------------------

def _status(sizes: dict[str, int], completed_in: set[str] = frozenset()) -> pd.DataFrame:
    rows = []
    for dept, n in sizes.items():
        for i in range(n):
            rows.append({"employee_id": f"{dept}{i}", "department": dept, "role": "employee",
                         "completed": dept in completed_in})
    return pd.DataFrame(rows)


def test_small_departments_are_merged_into_other():
    table = completion.completion_by_department(_status({"A": 10, "B": 8, "C": 3, "D": 2}), RULE)
    assert set(table["group"]) == {"A", "B", completion.OTHER_DEPARTMENTS}
    other = table.set_index("group").loc[completion.OTHER_DEPARTMENTS]
    assert other["employees"] == 5 and other["merged"] == 2
    assert table["group"].iloc[-1] == completion.OTHER_DEPARTMENTS


def test_other_group_is_never_smaller_than_the_minimum():
    """With only one small department (3), does the smallest big one join it so it cannot be worked out?"""
    table = completion.completion_by_department(_status({"A": 20, "B": 6, "C": 3}, {"C"}), RULE)
    assert "C" not in set(table["group"]) and "B" not in set(table["group"])
    assert (table["employees"] >= RULE.min_group_size).all()
    assert table.set_index("group").loc[completion.OTHER_DEPARTMENTS, "employees"] == 9


def test_no_department_below_the_minimum_is_ever_shown():
    sizes = {"A": 4, "B": 4, "C": 5, "D": 30, "E": 1, "F": 7}
    table = completion.completion_by_department(_status(sizes), RULE)
    shown = set(table["group"]) - {completion.OTHER_DEPARTMENTS}
    assert all(sizes[g] >= RULE.min_group_size for g in shown)
    assert (table["employees"] >= RULE.min_group_size).all()
    assert table["employees"].sum() == sum(sizes.values())


def test_an_organisation_below_the_minimum_shows_nothing():
    frame = _status({"A": 2, "B": 2})
    assert completion.completion_by_department(frame, RULE).empty
    assert completion.headline(frame.assign(status="not_started"), RULE)["shown"] is False


def test_roles_management_first_and_small_roles_merged():
    rows = ([{"employee_id": f"m{i}", "department": "X", "role": "management", "completed": True} for i in range(5)]
            + [{"employee_id": f"c{i}", "department": "X", "role": "conversation_team", "completed": False} for i in range(2)]
            + [{"employee_id": f"e{i}", "department": "X", "role": "employee", "completed": False} for i in range(20)])
    table = completion.completion_by_role(pd.DataFrame(rows), RULE)
    # conversation team (2) alone would be exposed by the total, so the smallest
    # other role (management, 5) is merged with it
    assert list(table["group"]) == ["Medewerkers", completion.OTHER_ROLES]
    assert (table["employees"] >= RULE.min_group_size).all()
    assert "Conversatieteam" not in set(table["group"])


def test_roles_in_model_order():
    rows = [{"employee_id": f"{r}{i}", "department": "X", "role": r, "completed": i % 2 == 0}
            for r in ("employee", "conversation_team", "management") for i in range(6)]
    table = completion.completion_by_role(pd.DataFrame(rows), RULE)
    assert list(table["group"]) == ["Management", "Conversatieteam", "Medewerkers"]


def test_assignment_summary_hides_small_assignments():
    results = completion.assignment_results(completion.counted_attempts(
        attempts(*[(f"e{i}", "a", 8) for i in range(6)], ("e0", "b", 9), ("e1", "b", 3)), RULE))
    employees = roster(*[(f"e{i}", "X") for i in range(6)])
    summary = completion.assignment_summary(results, employees, RULE).set_index("assignment")
    assert summary.loc["a", "shown"] and summary.loc["a", "pass_rate"] == 100.0
    assert not summary.loc["b", "shown"] and summary.loc["b", "percents"] == []
    assert pd.isna(summary.loc["b", "pass_rate"])


def test_cumulative_completions_per_day():
    frame = attempts(("e1", "a", 9, 10, "2026-09-08 11:00"), ("e1", "b", 9, 10, "2026-09-08 12:00"),
                     ("e2", "a", 9, 10, "2026-09-08 11:00"), ("e2", "b", 9, 10, "2026-09-18 11:00"),
                     ("e3", "a", 9, 10, "2026-09-18 11:00"), ("e3", "b", 9, 10, "2026-09-18 13:00"))
    status = status_for(frame, roster(("e1", "X"), ("e2", "X"), ("e3", "X"), ("e4", "X"))).reset_index()
    cumulative = completion.cumulative_completions(status)
    assert list(cumulative["completed"]) == [1, 2]
    assert list(cumulative["cumulative"]) == [1, 3]
    assert list(cumulative["share"]) == [25.0, 75.0]
