"""`ambassador progress` through the real entry point, as HR would run it."""

from __future__ import annotations

import csv
import os

import pytest

pytestmark = pytest.mark.slow  # builds gradebooks and runs the CLI in subprocesses


@pytest.fixture(scope="module")
def demo(tmp_path_factory, ambassador):
    """The demo, run with a PATH that lacks the venv (nbgrader must still find `alembic`)."""
    out = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    result = ambassador("progress", "demo", "--out", str(out), "--employees", "80", "--sessions", "3",
                            env=env, timeout=900)
    return out, result


def test_demo_writes_the_report_and_says_where(demo):
    out, result = demo
    assert result.returncode == 0, result.stderr
    report = out / "report" / "report.html"
    assert str(report.resolve()) in result.stdout
    for name in ("report.html", "completion.csv", "completion_items.csv", "reminders.csv", "xapi.jsonl"):
        assert (out / "report" / name).stat().st_size > 0
    assert (out / "roster.csv").is_file() and len(list((out / "sessions").glob("*/gradebook.db"))) == 3


def test_demo_reports_people_missing_from_the_roster(demo):
    out, result = demo
    assert "3 student id(s) in the gradebooks are not on the roster" in result.stderr
    assert (out / "report" / "unknown_employees.txt").read_text(encoding="utf-8").split() == [
        "EXT-001", "EXT-002", "EXT-003"]


def test_report_with_a_rule_and_a_roster_with_problems(demo, tmp_path, ambassador):
    out, _ = demo
    roster = tmp_path / "roster.csv"
    text = (out / "roster.csv").read_text(encoding="utf-8-sig").splitlines()
    text.insert(3, ",Zonder Nummer,,ICT,,employee,")           # line 4: empty id
    text.append(text[1].split(",", 1)[0] + ",Dubbel,,ICT,,employee,")  # the id of line 2 again
    roster.write_text("\n".join(text) + "\n", encoding="utf-8")
    rule = tmp_path / "rule.yaml"
    rule.write_text("required_assignments: [privacycheck, posten-of-niet]\npass_mark: 60\n", encoding="utf-8")
    sessions = sorted(str(p) for p in (out / "sessions").iterdir())
    result = ambassador("progress", "report", "--roster", str(roster), "--sessions", *sessions,
                        "--out", str(tmp_path / "r"), "--rule", str(rule))
    assert result.returncode == 0, result.stderr
    assert "line 4: empty employee_id" in result.stderr
    assert f"line {len(text)}: duplicate employee_id" in result.stderr
    rows = list(csv.DictReader(open(tmp_path / "r" / "completion.csv", encoding="utf-8-sig")))
    assert len(rows) == 80 and all(r["assignments_required_count"] == "2" for r in rows)


@pytest.mark.parametrize("case, message", [
    ("rule", "'pass_mark' must be a number"),
    ("roster", "line 1: missing required column role"),
    ("sessions", "no gradebook.db here"),
])
def test_errors_exit_2_with_a_clear_message(demo, tmp_path, ambassador, case, message):
    out, _ = demo
    roster, rule, sessions = out / "roster.csv", None, [str(p) for p in (out / "sessions").iterdir()]
    if case == "rule":
        rule = tmp_path / "rule.yaml"
        rule.write_text("pass_mark: seventy\n", encoding="utf-8")
    elif case == "roster":
        roster = tmp_path / "roster.csv"
        roster.write_text("employee_id,department\nE1,ICT\n", encoding="utf-8")
    else:
        sessions = [str(tmp_path)]
    args = ["progress", "report", "--roster", str(roster), "--sessions", *sessions, "--out", str(tmp_path / "r")]
    result = ambassador(*args, *(["--rule", str(rule)] if rule else []))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_progress_without_subcommand_shows_help(ambassador):
    result = ambassador("progress")
    assert result.returncode == 2 and "report" in result.stdout and "demo" in result.stdout
