"""``ambassador progress report`` as a Python API: load -> compute -> plot -> write.

``compute`` is pure (DataFrames in, DataFrames out); ``run_report`` does the
file work around it and returns a ``ReportResult`` that the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ambassador.progress import completion, exports
from ambassador.progress.gradebooks import load_sessions
from ambassador.progress.roster import load_roster
from ambassador.progress.rule import CompletionRule


@dataclass
class ReportData:
    status: pd.DataFrame
    results: pd.DataFrame
    by_department: pd.DataFrame
    by_role: pd.DataFrame
    cumulative: pd.DataFrame
    summary: pd.DataFrame
    headline: dict
    unknown: list[str]
    ignored_assignments: list[str]
    late: int = 0
    pending: int = 0
    sessions: list[str] = field(default_factory=list)
    roster_problems: int = 0


@dataclass
class ReportResult:
    out_dir: Path
    files: dict[str, Path]
    headline: dict
    unknown: list[str]
    ignored_assignments: list[str]
    roster_problems: list[str]
    pending: int


def assignment_titles() -> dict[str, str]:
    from ambassador.exercises.catalog import load_assignments

    return {a.name: a.title for a in load_assignments()}


def compute(employees: pd.DataFrame, attempts: pd.DataFrame, rule: CompletionRule,
            titles: dict[str, str]) -> ReportData:
    """Every table the report and the exports need, from roster rows and gradebook attempts."""
    known = set(titles) | set(rule.required_assignments)
    ignored = sorted(set(attempts["assignment"]) - known)
    attempts = attempts[attempts["assignment"].isin(known)]
    counted = completion.counted_attempts(attempts, rule)
    results = completion.assignment_results(counted)
    status = completion.employee_status(employees, results, rule)
    on_roster = attempts["employee_id"].isin(set(employees["employee_id"]))
    return ReportData(
        status=status,
        results=results,
        by_department=completion.completion_by_department(status, rule),
        by_role=completion.completion_by_role(status, rule),
        cumulative=completion.cumulative_completions(status),
        summary=completion.assignment_summary(results, employees, rule, titles),
        headline=completion.headline(status, rule),
        unknown=completion.unknown_employees(attempts, employees),
        ignored_assignments=ignored,
        late=int(attempts.loc[on_roster, "late"].astype(bool).sum()),
    )


def write_outputs(out_dir: Path, data: ReportData, employees: pd.DataFrame, rule: CompletionRule,
                  titles: dict[str, str]) -> dict[str, Path]:
    from ambassador.progress.report import render_charts, render_html

    out_dir.mkdir(parents=True, exist_ok=True)
    files = {name: out_dir / name for name in
             ("report.html", "completion.csv", "completion_items.csv", "reminders.csv", "xapi.jsonl")}
    files["report.html"].write_text(render_html(data, rule, render_charts(data, rule)), encoding="utf-8")
    exports.write_csv(files["completion.csv"], exports.COMPLETION_COLUMNS, exports.completion_rows(data.status, rule))
    exports.write_csv(files["completion_items.csv"], exports.ITEM_COLUMNS,
                      exports.item_rows(data.results, set(data.status["employee_id"]), rule))
    exports.write_csv(files["reminders.csv"], exports.REMINDER_COLUMNS,
                      exports.reminder_rows(data.status, employees, titles))
    exports.write_xapi(files["xapi.jsonl"], exports.xapi_statements(data.status, data.results, rule, titles))
    unknown = out_dir / "unknown_employees.txt"
    if data.unknown:
        exports.write_unknown(unknown, data.unknown)
        files["unknown_employees.txt"] = unknown
    elif unknown.exists():
        unknown.unlink()  # a stale list from an earlier run would mislead
    return files


def run_report(*, roster: Path, sessions: list[Path], out_dir: Path, rule: CompletionRule) -> ReportResult:
    """Load the roster and gradebooks, compute, and write every output into ``out_dir``."""
    loaded_roster = load_roster(roster)
    grades = load_sessions(sessions)
    titles = assignment_titles()
    data = compute(loaded_roster.employees, grades.attempts, rule, titles)
    data.pending, data.sessions = grades.pending, grades.sessions
    data.roster_problems = len(loaded_roster.problems)
    files = write_outputs(Path(out_dir), data, loaded_roster.employees, rule, titles)
    return ReportResult(
        out_dir=Path(out_dir), files=files, headline=data.headline, unknown=data.unknown,
        ignored_assignments=data.ignored_assignments,
        roster_problems=[str(p) for p in loaded_roster.problems], pending=grades.pending,
    )
