"""Checks on a hand-in before nbgrader grades it, phrased for the trainer."""

from __future__ import annotations

import json
from pathlib import Path


def grade_ids(notebook: dict) -> set[str]:
    ids = set()
    for cell in notebook.get("cells", []):
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if isinstance(meta, dict) and meta.get("grade_id"):
            ids.add(meta["grade_id"])
    return ids


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def load_notebook(path: Path) -> tuple[dict | None, str | None]:
    """(notebook, None) or (None, one-line reason it cannot be read)."""
    if not path.exists():
        return None, f"{path.name} is missing from the hand-in; scored 0"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, f"{path.name} is not a text file, so not a notebook"
    except json.JSONDecodeError as error:
        return None, f"{path.name} is not a valid notebook (JSON error on line {error.lineno})"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, f"{path.name} is not a valid notebook (no list of cells)"
    return nb, None


def other_assignment(nb: dict, assignment: str, released: dict[str, set[str]]) -> str | None:
    """The assignment whose notebook this really is, when it is not ``assignment``."""
    found = grade_ids(nb)
    if found & released.get(assignment, set()) or not found:
        return None
    for name, ids in released.items():
        if name != assignment and found & ids:
            return name
    return None


def changed_locked_cells(nb: dict, released: dict) -> list[str]:
    """One line per test or read-only cell that was deleted or edited (nbgrader restores them)."""
    submitted = {}
    for cell in nb.get("cells", []):
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if isinstance(meta, dict) and meta.get("grade_id"):
            submitted[meta["grade_id"]] = cell
    notes = []
    for cell in released.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("locked"):
            continue
        kind = "test cell" if meta.get("grade") else "read-only cell"
        gid = meta["grade_id"]
        if gid not in submitted:
            notes.append(f"{kind} '{gid}' was deleted (the original is put back and counts)")
        elif _source(submitted[gid]).strip() != _source(cell).strip():
            notes.append(f"{kind} '{gid}' was edited (the original is put back and counts)")
    return notes
