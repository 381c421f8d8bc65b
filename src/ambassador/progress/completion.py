"""Who completed the course: pure functions on DataFrames.

Nothing here reads or writes files, so every rule can be tested on a tiny
fixture. The steps:

1. ``counted_attempts``: apply the late-hand-in policy, compute percentages.
2. ``assignment_results``: per employee and assignment the best score
   (retakes: the best score counts) and the first time it was passed.
3. ``employee_status``: per roster employee, completed or not and when
   (the day the last required assignment was first passed).
4. Aggregates for the report, with small groups protected.
"""

from __future__ import annotations

import pandas as pd

from ambassador.progress.roster import ROLE_LABELS, ROLE_ORDER
from ambassador.progress.rule import CompletionRule

OTHER_DEPARTMENTS = "Overige afdelingen"
OTHER_ROLES = "Overige rollen"
# Percentages are compared after rounding, so 7/10 is exactly 70 % and passes.
_DECIMALS = 6


def counted_attempts(attempts: pd.DataFrame, rule: CompletionRule) -> pd.DataFrame:
    """Attempts that count under the rule's late policy, with ``score`` and ``percent``.

    ``score`` is clamped to [0, max_score]: extra credit cannot lift an
    assignment above 100 % and a penalty cannot push it below 0.
    """
    frame = attempts.copy()
    if rule.late_submissions == "ignore":
        frame = frame[~frame["late"].astype(bool)]
    raw = frame["raw"].astype(float)
    if rule.late_submissions == "penalty":
        raw = raw - frame["penalty"].astype(float).where(frame["late"].astype(bool), 0.0)
    frame["score"] = raw.clip(lower=0.0).clip(upper=frame["max_score"].astype(float))
    frame["percent"] = (100.0 * frame["score"] / frame["max_score"].astype(float)).round(_DECIMALS)
    frame["passed"] = frame["percent"] >= rule.pass_mark
    return frame.reset_index(drop=True)


def assignment_results(counted: pd.DataFrame) -> pd.DataFrame:
    """Per (employee_id, assignment): the best attempt and the first passing one.

    Columns: employee_id, assignment, attempts, score, max_score, percent,
    best_at (when the best score was handed in; the earliest of equal bests),
    passed, passed_at (first passing hand-in, NaT if never passed).
    """
    columns = ["employee_id", "assignment", "attempts", "score", "max_score", "percent",
               "best_at", "passed", "passed_at"]
    if counted.empty:
        return pd.DataFrame(columns=columns)
    ordered = counted.sort_values(["employee_id", "assignment", "percent", "timestamp"],
                                  ascending=[True, True, False, True])
    best = ordered.drop_duplicates(["employee_id", "assignment"], keep="first")
    best = best.rename(columns={"timestamp": "best_at"})
    keys = ["employee_id", "assignment"]
    counts = counted.groupby(keys).size().rename("attempts").reset_index()
    first_pass = (counted[counted["passed"]].groupby(keys)["timestamp"].min()
                  .rename("passed_at").reset_index())
    result = best[keys + ["score", "max_score", "percent", "best_at", "passed"]]
    result = result.merge(counts, on=keys).merge(first_pass, on=keys, how="left")
    return result[columns].sort_values(keys).reset_index(drop=True)


def employee_status(employees: pd.DataFrame, results: pd.DataFrame, rule: CompletionRule) -> pd.DataFrame:
    """One row per roster employee.

    status: ``completed`` (every required assignment passed), ``in_progress``
    (at least one hand-in of a required assignment) or ``not_started``;
    completed_at: when the last required assignment was first passed;
    passed: the required assignments passed, in the rule's order;
    missing: the required assignments not passed yet.
    """
    required = list(rule.required_assignments)
    req = results[results["assignment"].isin(required)]
    passed = req[req["passed"]]
    passed_sets: dict[str, set] = {}
    last_pass: dict[str, pd.Timestamp] = {}
    for row in passed.itertuples(index=False):
        passed_sets.setdefault(row.employee_id, set()).add(row.assignment)
        if row.employee_id not in last_pass or row.passed_at > last_pass[row.employee_id]:
            last_pass[row.employee_id] = row.passed_at
    tried = set(req["employee_id"])

    frame = employees[["employee_id", "department", "role"]].copy()
    done = [passed_sets.get(e) for e in frame["employee_id"]]
    frame["passed"] = [[a for a in required if isinstance(s, set) and a in s] for s in done]
    frame["missing"] = [[a for a in required if not (isinstance(s, set) and a in s)] for s in done]
    frame["n_passed"] = frame["passed"].map(len).astype("int64")
    frame["n_required"] = len(required)
    complete = frame["n_passed"] == len(required)
    frame["completed"] = complete
    frame["status"] = "not_started"
    frame.loc[frame["employee_id"].isin(tried), "status"] = "in_progress"
    frame.loc[complete, "status"] = "completed"
    frame["completed_at"] = pd.to_datetime(
        [last_pass.get(e) if c else None for e, c in zip(frame["employee_id"], complete)], utc=True)
    return frame.reset_index(drop=True)


def unknown_employees(attempts: pd.DataFrame, employees: pd.DataFrame) -> list[str]:
    """Student ids that handed in work but are not on the roster (sorted)."""
    return sorted(set(attempts["employee_id"]) - set(employees["employee_id"]))


# --- Aggregates with small groups protected -------------------------------------

def protect_small_groups(sizes: pd.Series, min_size: int) -> tuple[list[str], list[str]]:
    """Split group names into shown and merged, so no merged-away group can be inferred.

    Groups smaller than ``min_size`` are merged. If the merged groups together
    are still smaller than ``min_size`` (so "the rest" would expose them), the
    smallest shown groups join them until the merged group is big enough.
    If the whole population is smaller than ``min_size``, nothing is shown.
    """
    ordered = sizes.sort_values(kind="stable")
    merged = [g for g, n in ordered.items() if n < min_size]
    shown = [g for g, n in ordered.items() if n >= min_size]
    while merged and sizes[merged].sum() < min_size and shown:
        merged.append(shown.pop(0))
    return sorted(shown), sorted(merged)


def _rates(status: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    grouped = status.groupby(key, sort=False)
    table = pd.DataFrame({"employees": grouped.size(), "completed": grouped["completed"].sum()})
    table["completed"] = table["completed"].astype("int64")
    table["rate"] = (100.0 * table["completed"] / table["employees"]).round(1)
    return table


def completion_by_department(status: pd.DataFrame, rule: CompletionRule) -> pd.DataFrame:
    """Completion per department; small departments merged into "Overige afdelingen".

    Columns: group, employees, completed, rate (percent), merged (how many
    departments a row stands for). Sorted by rate, lowest first, then name,
    so the departments that lag behind come first. Empty if the whole
    organisation is smaller than the minimum group size.
    """
    sizes = status.groupby("department").size()
    shown, merged = protect_small_groups(sizes, rule.min_group_size)
    if merged and sizes[merged].sum() < rule.min_group_size:
        return pd.DataFrame(columns=["group", "employees", "completed", "rate", "merged"])
    key = status["department"].where(status["department"].isin(shown), OTHER_DEPARTMENTS)
    table = _rates(status, key.rename("group"))
    table["merged"] = [len(merged) if g == OTHER_DEPARTMENTS else 1 for g in table.index]
    table = table.reset_index()
    others = table[table["group"] == OTHER_DEPARTMENTS]
    table = table[table["group"] != OTHER_DEPARTMENTS].sort_values(["rate", "group"])
    return pd.concat([table, others], ignore_index=True)


def completion_by_role(status: pd.DataFrame, rule: CompletionRule) -> pd.DataFrame:
    """Completion per role in the ambassador model, management first.

    Roles below the minimum group size are merged into "Overige rollen" (never
    shown alone); the same complement protection as for departments applies.
    """
    sizes = status.groupby("role").size()
    shown, merged = protect_small_groups(sizes, rule.min_group_size)
    if merged and sizes[merged].sum() < rule.min_group_size:
        return pd.DataFrame(columns=["group", "employees", "completed", "rate", "merged"])
    key = status["role"].map(lambda r: ROLE_LABELS[r] if r in shown else OTHER_ROLES)
    table = _rates(status, key.rename("group"))
    table["merged"] = [len(merged) if g == OTHER_ROLES else 1 for g in table.index]
    order = [ROLE_LABELS[r] for r in ROLE_ORDER] + [OTHER_ROLES]
    table = table.reindex([g for g in order if g in table.index])
    return table.reset_index()


def cumulative_completions(status: pd.DataFrame) -> pd.DataFrame:
    """Completions per day and the running total (columns: date, completed, cumulative, share)."""
    done = status.loc[status["completed"], "completed_at"].dropna()
    if done.empty:
        return pd.DataFrame(columns=["date", "completed", "cumulative", "share"])
    days = done.dt.tz_convert("UTC").dt.normalize().dt.tz_localize(None)
    daily = days.value_counts().sort_index()
    frame = pd.DataFrame({"date": daily.index, "completed": daily.values.astype("int64")})
    frame["cumulative"] = frame["completed"].cumsum()
    frame["share"] = (100.0 * frame["cumulative"] / len(status)).round(1)
    return frame


def assignment_summary(results: pd.DataFrame, employees: pd.DataFrame,
                       rule: CompletionRule, titles: dict[str, str] | None = None) -> pd.DataFrame:
    """Per required assignment: how many roster employees tried and passed it.

    Columns: assignment, title, attempted, passed, pass_rate, shown (False
    when fewer than the minimum group size attempted it: then no rate and
    no score distribution is shown), percents (best scores, for the
    distribution; empty when not shown).
    """
    titles = titles or {}
    on_roster = results[results["employee_id"].isin(set(employees["employee_id"]))]
    rows = []
    for name in rule.required_assignments:
        part = on_roster[on_roster["assignment"] == name]
        attempted, passed = len(part), int(part["passed"].sum())
        shown = attempted >= rule.min_group_size
        rows.append({
            "assignment": name,
            "title": titles.get(name, name),
            "attempted": attempted,
            "passed": passed if shown else None,
            "pass_rate": round(100.0 * passed / attempted, 1) if shown else None,
            "shown": shown,
            "percents": part["percent"].astype(float).tolist() if shown else [],
        })
    return pd.DataFrame(rows)


def headline(status: pd.DataFrame, rule: CompletionRule) -> dict:
    """The report's headline numbers (all zero-safe); ``shown`` False if the roster is too small."""
    total = len(status)
    completed = int(status["completed"].sum())
    counts = status["status"].value_counts()
    return {
        "employees": total,
        "completed": completed,
        "rate": round(100.0 * completed / total, 1) if total else 0.0,
        "in_progress": int(counts.get("in_progress", 0)),
        "not_started": int(counts.get("not_started", 0)),
        "shown": total >= rule.min_group_size,
    }
