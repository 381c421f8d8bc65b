"""Exports: spreadsheet-safe CSV, minimal columns, and xAPI 1.0.3 statements an LRS accepts."""

from __future__ import annotations

import csv
import json
import uuid

import jsonschema
import pandas as pd
import pytest

from ambassador.progress import exports
from ambassador.progress.pipeline import compute, write_outputs
from ambassador.progress.rule import CompletionRule

RULE = CompletionRule(required_assignments=("a", "b"), min_group_size=2, course_version="1.2.0")
TITLES = {"a": "Opdracht A", "b": "Opdracht B"}


# --- CSV formula neutralisation --------------------------------------------------------

@pytest.mark.parametrize("value", ["=1+1", "+31 6 1234", "-2", "@SUM(A1)", "\tx", "\rx",
                                   '=HYPERLINK("http://example.org","klik")'])
def test_formula_starts_are_neutralised(value):
    assert exports.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Anke", "2026-09-08", "", "a=b", 3, 2.5, "Ελένη"])
def test_other_values_are_untouched(value):
    assert exports.neutralise(value) == value


def test_written_csv_cells_never_start_a_formula(tmp_path):
    path = tmp_path / "x.csv"
    exports.write_csv(path, ("a", "b"), [("=cmd|' /C calc'!A0", "-1"), ("ok", 4)])
    rows = list(csv.reader(open(path, encoding="utf-8-sig")))
    assert rows[1] == ["'=cmd|' /C calc'!A0", "'-1"]
    assert rows[2] == ["ok", "4"]
    assert open(path, "rb").read(3) == b"\xef\xbb\xbf"


# --- a tiny organisation through compute and write --------------------------------------

def _fixture():
    employees = pd.DataFrame([
        {"employee_id": "E1", "name": "Anke Peeters", "email": "e1@vlotwater.example", "department": "ICT",
         "manager": "=HYPERLINK(\"http://example.org\")", "role": "employee"},
        {"employee_id": "E2", "name": "陈静", "email": "e2@vlotwater.example", "department": "ICT",
         "manager": "m@vlotwater.example", "role": "management"},
        {"employee_id": "@E3", "name": "-Zoë", "email": "", "department": "HR", "manager": "m@vlotwater.example",
         "role": "employee"},
    ])

    def row(emp, assignment, raw, when):
        return {"session": "s1", "employee_id": emp, "assignment": assignment, "timestamp": pd.Timestamp(when, tz="UTC"),
                "late": False, "raw": raw, "penalty": 0.0, "max_score": 10.0}

    attempts = pd.DataFrame([
        row("E1", "a", 8.0, "2026-09-08 11:20"), row("E1", "b", 9.5, "2026-09-08 11:40"),
        row("E2", "a", 5.0, "2026-09-08 11:30"), row("E2", "a", 7.5, "2026-09-18 11:30"),
        row("E2", "b", 6.0, "2026-09-18 11:50"),
        row("X1", "a", 9.0, "2026-09-08 11:30"),
    ])
    return employees, attempts


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    employees, attempts = _fixture()
    data = compute(employees, attempts, RULE, TITLES)
    files = write_outputs(tmp_path_factory.mktemp("out"), data, employees, RULE, TITLES)
    return data, files


def _read(path):
    return list(csv.DictReader(open(path, encoding="utf-8-sig", newline="")))


def test_completion_csv_holds_only_the_documented_columns(written):
    _, files = written
    rows = _read(files["completion.csv"])
    assert tuple(rows[0]) == exports.COMPLETION_COLUMNS
    by_id = {r["user_id"]: r for r in rows}
    assert by_id["E1"]["status"] == "completed" and by_id["E1"]["completion_date"] == "2026-09-08"
    assert by_id["E1"]["assignments_passed"] == "a; b" and by_id["E1"]["course_version"] == "1.2.0"
    assert by_id["E2"]["status"] == "in_progress" and by_id["E2"]["completion_date"] == ""
    assert by_id["'@E3"]["status"] == "not_started"  # neutralised id
    # sorted by id, never by score: no ranking
    assert [r["user_id"] for r in rows] == sorted(r["user_id"] for r in rows)
    text = files["completion.csv"].read_text(encoding="utf-8-sig")
    assert "Anke" not in text and "vlotwater.example" not in text and "ICT" not in text


def test_item_csv_has_the_lms_import_shape(written):
    _, files = written
    rows = _read(files["completion_items.csv"])
    assert tuple(rows[0]) == exports.ITEM_COLUMNS
    e2a = next(r for r in rows if r["user_id"] == "E2" and r["item_id"] == "a")
    assert (e2a["status"], e2a["completion_date"], e2a["score"]) == ("passed", "2026-09-18", "75.0")
    assert not any(r["user_id"] == "X1" for r in rows)


def test_reminders_grouped_by_manager_without_scores(written):
    _, files = written
    rows = _read(files["reminders.csv"])
    assert tuple(rows[0]) == exports.REMINDER_COLUMNS
    assert {r["employee_id"] for r in rows} == {"E2", "'@E3"}  # E1 completed
    assert [r["manager"] for r in rows] == sorted(r["manager"] for r in rows)
    e3 = next(r for r in rows if r["employee_id"] == "'@E3")
    assert e3["name"] == "'-Zoë" and e3["missing_assignments"] == "Opdracht A; Opdracht B"
    assert "score" not in rows[0]


def test_unknown_employees_file(written):
    data, files = written
    assert data.unknown == ["X1"]
    assert files["unknown_employees.txt"].read_text(encoding="utf-8") == "X1\n"


# --- xAPI ------------------------------------------------------------------------------------

IRI = {"type": "string", "pattern": r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]+$"}
LANGMAP = {"type": "object", "minProperties": 1,
           "propertyNames": {"pattern": r"^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$"},
           "additionalProperties": {"type": "string"}}
ACTIVITY = {
    "type": "object", "required": ["id"], "additionalProperties": False,
    "properties": {"objectType": {"const": "Activity"}, "id": IRI,
                   "definition": {"type": "object", "additionalProperties": False,
                                  "properties": {"name": LANGMAP, "description": LANGMAP, "type": IRI}}},
}
# The parts of an xAPI 1.0.3 statement (xAPI-Data.md, section 2.4) that these exports use.
STATEMENT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["id", "actor", "verb", "object", "result", "timestamp"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"},
        "version": {"type": "string", "pattern": r"^1\.0(\.\d+)?$"},
        "actor": {
            "type": "object", "required": ["account"], "additionalProperties": False,
            "properties": {
                "objectType": {"const": "Agent"},
                # an Agent has exactly one inverse functional identifier: here the account
                "account": {"type": "object", "required": ["homePage", "name"], "additionalProperties": False,
                            "properties": {"homePage": IRI, "name": {"type": "string", "minLength": 1}}},
            },
        },
        "verb": {"type": "object", "required": ["id"], "additionalProperties": False,
                 "properties": {"id": {"enum": [v[0] for v in exports.ADL_VERBS.values()]}, "display": LANGMAP}},
        "object": ACTIVITY,
        "result": {
            "type": "object", "additionalProperties": False,
            "properties": {
                "score": {"type": "object", "additionalProperties": False,
                          "properties": {"scaled": {"type": "number", "minimum": -1, "maximum": 1},
                                         "raw": {"type": "number"}, "min": {"type": "number"},
                                         "max": {"type": "number"}}},
                "success": {"type": "boolean"}, "completion": {"type": "boolean"},
            },
        },
        "context": {
            "type": "object", "additionalProperties": False,
            "properties": {
                "revision": {"type": "string"}, "platform": {"type": "string"},
                "language": {"type": "string", "pattern": r"^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$"},
                "contextActivities": {"type": "object", "additionalProperties": False,
                                      "properties": {"parent": {"type": "array", "items": ACTIVITY}}},
            },
        },
        # ISO 8601 with an explicit offset
        "timestamp": {"type": "string",
                      "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$"},
    },
}


def _statements(written):
    _, files = written
    return [json.loads(line) for line in files["xapi.jsonl"].read_text(encoding="utf-8").splitlines()]


def test_statements_match_the_xapi_statement_structure(written):
    statements = _statements(written)
    jsonschema.Draft202012Validator.check_schema(STATEMENT_SCHEMA)
    for statement in statements:
        jsonschema.validate(statement, STATEMENT_SCHEMA)
        assert uuid.UUID(statement["id"]).variant == uuid.RFC_4122
        score = statement["result"].get("score")
        if score:  # rules of section 2.4.5.1 that a schema cannot express
            assert score["min"] < score["max"] and score["min"] <= score["raw"] <= score["max"]
            assert score["scaled"] == pytest.approx(score["raw"] / score["max"], abs=1e-4)
        assert "vlotwater.example" not in statement["actor"]["account"]["name"]  # an id, not an address
        assert statement["context"]["revision"] == "1.2.0"


def test_one_statement_per_assignment_handed_in_and_per_completed_course(written):
    statements = _statements(written)
    kinds = sorted((s["actor"]["account"]["name"], s["verb"]["id"].rsplit("/", 1)[1], s["object"]["id"].rsplit("/", 1)[1])
                   for s in statements)
    assert kinds == [("E1", "completed", "course"), ("E1", "passed", "a"), ("E1", "passed", "b"),
                     ("E2", "failed", "b"), ("E2", "passed", "a")]
    e2a = next(s for s in statements if s["actor"]["account"]["name"] == "E2" and s["object"]["id"].endswith("/a"))
    assert e2a["result"] == {"score": {"scaled": 0.75, "raw": 7.5, "min": 0, "max": 10.0},
                             "success": True, "completion": True}
    assert e2a["timestamp"] == "2026-09-18T11:30:00+00:00"  # the retake, the best score
    course = next(s for s in statements if s["verb"]["id"].endswith("/completed"))
    assert course["timestamp"] == "2026-09-08T11:40:00+00:00"
    assert course["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/course"
    assert len({s["id"] for s in statements}) == len(statements)


def test_exporting_twice_gives_the_same_ids(tmp_path, written):
    first = [s["id"] for s in _statements(written)]
    employees, attempts = _fixture()
    data = compute(employees, attempts.sample(frac=1, random_state=3), RULE, TITLES)  # any row order
    path = tmp_path / "again.jsonl"
    exports.write_xapi(path, exports.xapi_statements(data.status, data.results, RULE, TITLES))
    again = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert again == first


def test_a_better_retake_is_a_new_statement(written):
    first = {s["id"] for s in _statements(written)}
    employees, attempts = _fixture()
    retake = attempts.iloc[[4]].assign(raw=9.0, timestamp=pd.Timestamp("2026-09-28 11:00", tz="UTC"))
    data = compute(employees, pd.concat([attempts, retake], ignore_index=True), RULE, TITLES)
    statements = exports.xapi_statements(data.status, data.results, RULE, TITLES)
    new = [s for s in statements if s["id"] not in first]
    assert {(s["actor"]["account"]["name"], s["verb"]["id"].rsplit("/", 1)[1]) for s in new} == {
        ("E2", "passed"), ("E2", "completed")}


def test_scores_can_be_left_out(written, tmp_path):
    """With export_scores: false, do items and statements carry only passed/failed and dates?"""
    from dataclasses import replace

    rule = replace(RULE, export_scores=False)
    data, _ = written
    statements = exports.xapi_statements(data.status, data.results, rule, TITLES)
    assert statements and all("score" not in s["result"] for s in statements)
    for statement in statements:
        jsonschema.validate(statement, STATEMENT_SCHEMA)
    rows = list(exports.item_rows(data.results, set(data.status["employee_id"]), rule))
    assert rows and all(r[-1] == "" for r in rows)
    # a different result is a different statement
    assert {s["id"] for s in statements}.isdisjoint({s["id"] for s in _statements(written)
                                                     if "score" in s["result"]})
