"""The participant list of a session: a CSV with id, name, e-mail, department.

The CSV is validated line by line; every problem names the file and line so
a trainer can fix a spreadsheet export without guessing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("id", "name", "e-mail", "department")
# nbgrader uses the id as a folder name and in its gradebook: keep it plain.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ParticipantError(ValueError):
    """The participants file cannot be used; the message names file and line."""


@dataclass(frozen=True)
class Participant:
    id: str
    name: str
    email: str = ""
    department: str = ""

    @property
    def first_name(self) -> str:
        return self.name.split(" ", 1)[0]

    @property
    def last_name(self) -> str:
        parts = self.name.split(" ", 1)
        return parts[1] if len(parts) > 1 else ""


def read_participants(path: Path) -> list[Participant]:
    """Read and validate a participants CSV (comma or semicolon separated).

    Raises ParticipantError listing every bad line at once.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ParticipantError(f"{path}: cannot read the file ({error})") from error
    delimiter = ";" if text.splitlines() and text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    reader = csv.DictReader(text.splitlines(), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS[:2] if c not in header]
    if missing:
        raise ParticipantError(
            f"{path}, line 1: the header needs the columns {', '.join(COLUMNS)}; missing: {', '.join(missing)}"
        )
    problems: list[str] = []
    result: list[Participant] = []
    seen: dict[str, int] = {}
    for line_no, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(row.values()):
            continue
        pid, name, email = row.get("id", ""), row.get("name", ""), row.get("e-mail", "")
        where = f"{path}, line {line_no}"
        if not ID_PATTERN.match(pid):
            problems.append(f"{where}: id '{pid}' must be letters, digits, '.', '_' or '-' (no spaces)")
            continue
        if pid in seen:
            problems.append(f"{where}: id '{pid}' already used on line {seen[pid]}")
            continue
        if not name:
            problems.append(f"{where}: participant '{pid}' has no name")
            continue
        if email and not EMAIL_PATTERN.match(email):
            problems.append(f"{where}: participant '{pid}' has an invalid e-mail address '{email}'")
            continue
        seen[pid] = line_no
        result.append(Participant(pid, name, email, row.get("department", "")))
    if problems:
        raise ParticipantError("\n".join(problems))
    if not result:
        raise ParticipantError(f"{path}: no participants found")
    return result


def write_participants(participants: list[Participant], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for p in participants:
            writer.writerow([p.id, p.name, p.email, p.department])
