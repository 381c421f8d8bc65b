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


def _day(value) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def completion_rows(status: pd.DataFrame, rule: CompletionRule):
    for row in status.sort_values("employee_id").itertuples(index=False):
        yield (row.employee_id, rule.course_id, rule.course_version, row.status, _day(row.completed_at),
               "; ".join(row.passed), row.n_passed, row.n_required)


def item_rows(results: pd.DataFrame, employee_ids: set[str], rule: CompletionRule):
    part = results[results["employee_id"].isin(employee_ids)
                   & results["assignment"].isin(rule.required_assignments)]
    for row in part.sort_values(["employee_id", "assignment"]).itertuples(index=False):
        when = row.passed_at if row.passed else row.best_at
        yield (row.employee_id, row.assignment, rule.course_id, rule.course_version,
               "passed" if row.passed else "failed", _day(when), f"{row.percent:.1f}")


def reminder_rows(status: pd.DataFrame, employees: pd.DataFrame, titles: dict[str, str]):
    open_ = status[~status["completed"]].merge(
        employees[["employee_id", "name", "email", "manager"]], on="employee_id", how="left")
    open_["manager"] = open_["manager"].fillna("").replace("", "(geen leidinggevende)")
    for row in open_.sort_values(["manager", "employee_id"]).itertuples(index=False):
        yield (row.manager, row.employee_id, row.name, row.email, row.department, row.status,
               "; ".join(titles.get(a, a) for a in row.missing))


# --- xAPI -------------------------------------------------------------------------

def statement_id(rule: CompletionRule, *parts: str) -> str:
    """A UUID derived from the statement's content: the same record always gets the same id.

    A learning record store refuses (or ignores) a statement whose id it
    already holds, so exporting twice does not create duplicates; a changed
    result (a better retake) is a new statement with a new id.
    """
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, rule.xapi_activity_base)
    return str(uuid.uuid5(namespace, "|".join([rule.xapi_home_page, *parts])))


def _timestamp(value) -> str:
    return pd.Timestamp(value).tz_convert("UTC").isoformat(timespec="seconds")


def _statement(rule: CompletionRule, employee_id: str, verb: str, activity: dict,
               result: dict, timestamp: str, *, parent: bool) -> dict:
    verb_id, label = ADL_VERBS[verb]
    context = {
        "revision": rule.course_version,
        "platform": "nbgrader",
        "language": "nl-NL",
    }
    if parent:
        context["contextActivities"] = {"parent": [{"objectType": "Activity", "id": rule.course_iri()}]}
    score_key = json.dumps(result.get("score", {}), sort_keys=True)
    return {
        "id": statement_id(rule, employee_id, verb_id, activity["id"], rule.course_version, timestamp, score_key),
        "version": XAPI_VERSION,
        "actor": {"objectType": "Agent",
                  "account": {"homePage": rule.xapi_home_page, "name": employee_id}},
        "verb": {"id": verb_id, "display": {"en-US": verb, "nl-NL": label}},
        "object": activity,
        "result": result,
        "context": context,
        "timestamp": timestamp,
    }


def _activity(iri: str, kind: str, title: str) -> dict:
    return {"objectType": "Activity", "id": iri,
            "definition": {"type": ACTIVITY_TYPES[kind], "name": {"nl-NL": title}}}


def xapi_statements(status: pd.DataFrame, results: pd.DataFrame, rule: CompletionRule,
                    titles: dict[str, str]) -> list[dict]:
    """One statement per required assignment handed in (passed/failed) and per completed course."""
    statements = []
    ids = set(status["employee_id"])
    part = results[results["employee_id"].isin(ids) & results["assignment"].isin(rule.required_assignments)]
    for row in part.sort_values(["employee_id", "assignment"]).itertuples(index=False):
        verb = "passed" if row.passed else "failed"
        maximum = float(row.max_score)
        raw = min(max(float(row.score), 0.0), maximum)
        result = {
            "score": {"scaled": round(raw / maximum, 4), "raw": round(raw, 4), "min": 0, "max": round(maximum, 4)},
            "success": bool(row.passed),
            "completion": True,
        }
        activity = _activity(rule.assignment_iri(row.assignment), "assessment", titles.get(row.assignment, row.assignment))
        statements.append(_statement(rule, row.employee_id, verb, activity, result,
                                     _timestamp(row.best_at), parent=True))
    course = _activity(rule.course_iri(), "course", "Ambassadeur op sociale media")
    for row in status[status["completed"]].sort_values("employee_id").itertuples(index=False):
        statements.append(_statement(rule, row.employee_id, "completed", course,
                                     {"success": True, "completion": True},
                                     _timestamp(row.completed_at), parent=False))
    return statements


def write_xapi(path: Path, statements: list[dict]) -> int:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for statement in statements:
            handle.write(json.dumps(statement, ensure_ascii=False, sort_keys=True) + "\n")
    return len(statements)


def write_unknown(path: Path, ids: list[str]) -> None:
    """Ids of people who handed in work but are not on the roster, one per line."""
    path.write_text("".join(f"{i}\n" for i in ids), encoding="utf-8")
