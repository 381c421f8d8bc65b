"""The HR roster: who works here, in which department and role.

A CSV file (UTF-8, a byte-order mark is fine; comma or semicolon separated)
with a header row. Column names are matched case-insensitively; the Dutch
names in brackets are accepted too.

Required columns
    ``employee_id`` (personeelsnummer): the id trainers use as nbgrader student id
    ``department`` (afdeling)
    ``role`` (rol): ``management`` (directie, leidinggevende), ``conversation team``
    (conversatieteam) or ``employee`` (medewerker), after the ambassador model

Optional columns
    ``name`` (naam), ``email`` (e-mail): only used in reminders.csv
    ``manager`` (leidinggevende): who receives the reminders (name or address)
    ``start_date`` (startdatum): ``YYYY-MM-DD`` or day-first ``DD-MM-YYYY``

Other columns are ignored, so HR can export a wider file without editing it.
A problem in one row (empty or duplicate id, unknown role, malformed date)
skips that row and is reported with its line number; a missing required
column or an unreadable file stops the run.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

REQUIRED = ("employee_id", "department", "role")
OPTIONAL = ("name", "email", "manager", "start_date")
ALIASES = {
    "personeelsnummer": "employee_id", "medewerker_id": "employee_id", "id": "employee_id",
    "afdeling": "department", "rol": "role", "naam": "name", "e-mail": "email",
    "leidinggevende": "manager", "startdatum": "start_date", "datum_in_dienst": "start_date",
}
ROLES = {
    "management": "management", "directie": "management", "leidinggevende": "management",
    "conversation team": "conversation_team", "conversation_team": "conversation_team",
    "conversatieteam": "conversation_team",
    "employee": "employee", "medewerker": "employee",
}
#: Role codes in the order the report shows them: management first.
ROLE_ORDER = ("management", "conversation_team", "employee")
ROLE_LABELS = {"management": "Management", "conversation_team": "Conversatieteam", "employee": "Medewerkers"}
COLUMNS = ("employee_id", "name", "email", "department", "manager", "role", "start_date", "line")


class RosterError(ValueError):
    """The roster file as a whole cannot be used (missing column, not UTF-8, empty)."""


@dataclass(frozen=True)
class RosterProblem:
    line: int
    message: str
    source: str = "roster"

    def __str__(self) -> str:
        return f"{self.source}, line {self.line}: {self.message}"


@dataclass
class Roster:
    employees: pd.DataFrame
    problems: list[RosterProblem]


def _column_key(header: str) -> str:
    key = unicodedata.normalize("NFC", header).strip().lower().replace(" ", "_")
    return ALIASES.get(key, key)


def _text(value: str | None) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_date(value: str) -> date:
    """``YYYY-MM-DD`` or day-first ``DD-MM-YYYY`` (also with / or .); ValueError otherwise."""
    if match := _ISO.match(value):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.match(value):
        day, month, year = match.groups()
    else:
        raise ValueError(value)
    return date(int(year), int(month), int(day))


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RosterError(
            f"{source}, line {line}: not UTF-8 text; save the file as 'CSV UTF-8' and try again"
        ) from None


def parse_roster(text: str, *, source: str = "roster") -> Roster:
    """Validate roster CSV text; rows with problems are skipped and listed."""
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise RosterError(f"{source}, line 1: the file is empty or has no header row")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [_column_key(h) for h in next(reader)]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise RosterError(
            f"{source}, line 1: missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (found: {', '.join(header)})"
        )
    index = {name: header.index(name) for name in (*REQUIRED, *OPTIONAL) if name in header}
    rows, problems, seen = [], [], {}
    last_line = reader.line_num
    for fields_ in reader:
        # a quoted field may span lines: report the line the row starts on
        line, last_line = last_line + 1, reader.line_num
        if not any(f.strip() for f in fields_):
            continue  # blank lines are harmless
        if len(fields_) > len(header):
            problems.append(RosterProblem(line, f"{len(fields_)} fields but the header has {len(header)}", source))
            continue
        fields_ = fields_ + [""] * (len(header) - len(fields_))
        row = {name: _text(fields_[i]) for name, i in index.items()}
        employee_id = row["employee_id"]
        if not employee_id:
            problems.append(RosterProblem(line, "empty employee_id", source))
            continue
        if employee_id in seen:
            problems.append(RosterProblem(line, f"duplicate employee_id {employee_id!r} (first on line {seen[employee_id]})", source))
            continue
        if not row["department"]:
            problems.append(RosterProblem(line, f"empty department for {employee_id}", source))
            continue
        role = ROLES.get(row["role"].lower())
        if role is None:
            problems.append(RosterProblem(
                line, f"unknown role {row['role']!r} for {employee_id} (use management, conversation team or employee)", source))
            continue
        start = None
        if row.get("start_date"):
            try:
                start = parse_date(row["start_date"])
            except ValueError:
                problems.append(RosterProblem(
                    line, f"malformed start_date {row['start_date']!r} for {employee_id} (use YYYY-MM-DD)", source))
                continue
        seen[employee_id] = line
        rows.append({
            "employee_id": employee_id,
            "name": row.get("name", ""),
            "email": row.get("email", ""),
            "department": row["department"],
            "manager": row.get("manager", ""),
            "role": role,
            "start_date": start,
            "line": line,
        })
    employees = pd.DataFrame(rows, columns=list(COLUMNS))
    employees["start_date"] = pd.to_datetime(employees["start_date"])
    employees["line"] = employees["line"].astype("int64")
    return Roster(employees, problems)


def load_roster(path: Path) -> Roster:
    """Read and validate the roster file at ``path``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RosterError(f"{path}: cannot read the roster ({error.strerror})") from None
    return parse_roster(_decode(data, str(path)), source=str(path))
