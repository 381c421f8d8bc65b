"""Files for HR's systems: completion.csv, completion_items.csv, reminders.csv, xapi.jsonl.

CSV files are UTF-8 with a byte-order mark (so spreadsheet programs show
names in every script correctly) and every text value that a spreadsheet
would run as a formula is neutralised. They hold only what HR needs; see
``COMPLETION_COLUMNS`` and friends, documented in the book's "Voor HR" part.
"""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path

import pandas as pd

from ambassador.progress.rule import CompletionRule

#: One row per employee: who, status, when, which assignments, which course version.
COMPLETION_COLUMNS = ("user_id", "course_id", "course_version", "status", "completion_date",
                      "assignments_passed", "assignments_passed_count", "assignments_required_count")
#: One row per employee and required assignment handed in: the shape of LMS item imports.
ITEM_COLUMNS = ("user_id", "item_id", "course_id", "course_version", "status", "completion_date", "score")
#: One row per employee who has not completed, grouped by manager.
REMINDER_COLUMNS = ("manager", "employee_id", "name", "email", "department", "status", "missing_assignments")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

XAPI_VERSION = "1.0.3"
ADL_VERBS = {
    "passed": ("http://adlnet.gov/expapi/verbs/passed", "geslaagd"),
    "failed": ("http://adlnet.gov/expapi/verbs/failed", "niet geslaagd"),
    "completed": ("http://adlnet.gov/expapi/verbs/completed", "afgerond"),
}
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
}


def neutralise(value):
    """Prefix a text that a spreadsheet would treat as a formula with an apostrophe.

    Covers the characters OWASP lists for CSV injection (= + - @, tab, carriage
    return). Numbers stay numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path: Path, columns: tuple[str, ...], rows) -> int:
    """Write rows (sequences in ``columns`` order) with every value neutralised."""
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
            count += 1
    return count


def _days(values: pd.Series) -> pd.Series:
    """Dates as YYYY-MM-DD (UTC), empty where there is none; vectorised for big rosters."""
    return pd.to_datetime(values, utc=True).dt.strftime("%Y-%m-%d").fillna("")


def completion_rows(status: pd.DataFrame, rule: CompletionRule):
    frame = status.sort_values("employee_id")
    for row, day in zip(frame.itertuples(index=False), _days(frame["completed_at"])):
        yield (row.employee_id, rule.course_id, rule.course_version, row.status, day,
               "; ".join(row.passed), row.n_passed, row.n_required)


def item_rows(results: pd.DataFrame, employee_ids: set[str], rule: CompletionRule):
    part = results[results["employee_id"].isin(employee_ids)
                   & results["assignment"].isin(rule.required_assignments)]
    part = part.sort_values(["employee_id", "assignment"])
    # a pass is dated by the first passing hand-in, a fail by the best one
    days = _days(part["passed_at"].where(part["passed"], part["best_at"]))
    for row, day in zip(part.itertuples(index=False), days):
        yield (row.employee_id, row.assignment, rule.course_id, rule.course_version,
               "passed" if row.passed else "failed", day, f"{row.percent:.1f}" if rule.export_scores else "")


def reminder_rows(status: pd.DataFrame, employees: pd.DataFrame, titles: dict[str, str]):
    open_ = status[~status["completed"]].merge(
        employees[["employee_id", "name", "email", "manager"]], on="employee_id", how="left")
    open_["manager"] = open_["manager"].fillna("").replace("", "(geen leidinggevende)")
    for row in open_.sort_values(["manager", "employee_id"]).itertuples(index=False):
        yield (row.manager, row.employee_id, row.name, row.email, row.department, row.status,
               "; ".join(titles.get(a, a) for a in row.missing))


# --- xAPI -------------------------------------------------------------------------

def statement_id(rule: CompletionRule, *parts: str, _namespaces: dict = {}) -> str:
    """A UUID derived from the statement's content: the same record always gets the same id.

    A learning record store refuses (or ignores) a statement whose id it
    already holds, so exporting twice does not create duplicates; a changed
    result (a better retake) is a new statement with a new id.
    """
    base = rule.xapi_activity_base
    if base not in _namespaces:  # cached: computed once, not once per statement
        _namespaces[base] = uuid.uuid5(uuid.NAMESPACE_URL, base)
    return str(uuid.uuid5(_namespaces[base], "|".join([rule.xapi_home_page, *parts])))


def _timestamps(values: pd.Series) -> pd.Series:
    """ISO 8601 with an explicit UTC offset, e.g. 2026-09-08T11:30:00+00:00."""
    return pd.to_datetime(values, utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _activity(iri: str, kind: str, title: str) -> dict:
    return {"objectType": "Activity", "id": iri,
            "definition": {"type": ACTIVITY_TYPES[kind], "name": {"nl-NL": title}}}


class _StatementMaker:
    """Builds statements; the parts every statement shares are made once and reused."""

    def __init__(self, rule: CompletionRule):
        self.rule = rule
        self.verbs = {v: {"id": i, "display": {"en-US": v, "nl-NL": label}} for v, (i, label) in ADL_VERBS.items()}
        base = {"revision": rule.course_version, "platform": "nbgrader", "language": "nl-NL"}
        self.context_course = base
        self.context_assignment = {**base, "contextActivities": {
            "parent": [{"objectType": "Activity", "id": rule.course_iri()}]}}

    def __call__(self, employee_id: str, verb: str, activity: dict, result: dict, timestamp: str) -> dict:
        score = result.get("score") or {}
        verb_obj = self.verbs[verb]
        return {
            "id": statement_id(self.rule, employee_id, verb_obj["id"], activity["id"], self.rule.course_version,
                               timestamp, f"{score.get('raw', '')}/{score.get('max', '')}"),
            "version": XAPI_VERSION,
            "actor": {"objectType": "Agent", "account": {"homePage": self.rule.xapi_home_page, "name": employee_id}},
            "verb": verb_obj,
            "object": activity,
            "result": result,
            "context": self.context_assignment if verb != "completed" else self.context_course,
            "timestamp": timestamp,
        }


def xapi_statements(status: pd.DataFrame, results: pd.DataFrame, rule: CompletionRule,
                    titles: dict[str, str]) -> list[dict]:
    """One statement per required assignment handed in (passed/failed) and per completed course.

    The assignment statements report the best attempt (its score and time);
    the course statement is dated when the last required assignment was
    first passed. Statement ids are derived from this content.
    """
    make = _StatementMaker(rule)
    activities = {a: _activity(rule.assignment_iri(a), "assessment", titles.get(a, a))
                  for a in rule.required_assignments}
    statements = []
    ids = set(status["employee_id"])
    part = results[results["employee_id"].isin(ids) & results["assignment"].isin(rule.required_assignments)]
    part = part.sort_values(["employee_id", "assignment"])
    for row, timestamp in zip(part.itertuples(index=False), _timestamps(part["best_at"])):
        maximum = float(row.max_score)
        raw = min(max(float(row.score), 0.0), maximum)  # xAPI: min <= raw <= max
        result = {"success": bool(row.passed), "completion": True}
        if rule.export_scores:
            result = {"score": {"scaled": round(raw / maximum, 4), "raw": round(raw, 4), "min": 0,
                                "max": round(maximum, 4)}, **result}
        verb = "passed" if row.passed else "failed"
        statements.append(make(row.employee_id, verb, activities[row.assignment], result, timestamp))
    course = _activity(rule.course_iri(), "course", "Ambassadeur op sociale media")
    done = status[status["completed"]].sort_values("employee_id")
    for row, timestamp in zip(done.itertuples(index=False), _timestamps(done["completed_at"])):
        statements.append(make(row.employee_id, "completed", course, {"success": True, "completion": True}, timestamp))
    return statements


def write_xapi(path: Path, statements: list[dict]) -> int:
    # key order is fixed by construction, so the file is byte-identical on re-export
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(encode(statement) + "\n" for statement in statements)
    return len(statements)


def write_unknown(path: Path, ids: list[str]) -> None:
    """Ids of people who handed in work but are not on the roster, one per line."""
    path.write_text("".join(f"{i}\n" for i in ids), encoding="utf-8")
