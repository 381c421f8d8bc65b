"""Synthetic hand-ins made from a session's own notebooks (tests, benchmark, demos).

``right`` fills every answer cell with the reference solution, ``partly``
only the first half of them, ``blank`` hands in the learner version as
released, ``broken`` puts a crashing line in the first answer cell.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from ambassador.workshop.session import Session

KINDS = ("right", "partly", "blank", "broken")


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def _solution(source: str) -> str:
    return "\n".join(l for l in source.splitlines() if "BEGIN SOLUTION" not in l and "END SOLUTION" not in l)


def hand_in(session: Session, assignment: str, kind: str) -> dict:
    """A notebook as a participant might hand it in."""
    a = session.assignment(assignment)
    released = json.loads((session.release_dir / a.name / a.notebook).read_text(encoding="utf-8"))
    source = json.loads((session.source_dir / a.name / a.notebook).read_text(encoding="utf-8"))
    answers = {}
    for cell in source["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            answers[meta["grade_id"]] = _solution(_text(cell["source"]))
    nb = copy.deepcopy(released)
    solution_cells = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    for index, cell in enumerate(solution_cells):
        gid = cell["metadata"]["nbgrader"]["grade_id"]
        if kind == "right" or (kind == "partly" and index < max(1, len(solution_cells) // 2)):
            cell["source"] = answers[gid]
        elif kind == "broken" and index == 0:
            cell["source"] = "raise RuntimeError('oeps')" if cell["cell_type"] == "code" else "?"
    return nb


def write_hand_in(session: Session, assignment: str, kind: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(hand_in(session, assignment, kind), indent=1), encoding="utf-8")
    return path
