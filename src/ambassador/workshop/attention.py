"""Hand-ins that need the trainer's attention, kept in .workshop/attention.json.

Each item says who, which assignment, which step found it and one line of
explanation. Grading problems live with the grade results (grade.py); this
register holds what `collect` found.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ambassador.workshop.session import Session, write_json


@dataclass(frozen=True)
class Attention:
    participant: str  # participant id, or "" when no participant could be matched
    assignment: str  # assignment name, or ""
    step: str  # "collect" or "grade"
    message: str

    def line(self) -> str:
        who = "/".join(x for x in (self.participant, self.assignment) if x) or "?"
        return f"{who}: {self.message}"


def _path(session: Session):
    return session.state_dir / "attention.json"


def load(session: Session) -> list[Attention]:
    path = _path(session)
    if not path.exists():
        return []
    return [Attention(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


def save(session: Session, items: list[Attention]) -> None:
    unique = list(dict.fromkeys(items))  # keep order, drop repeats from re-runs
    write_json(_path(session), [asdict(item) for item in unique])
