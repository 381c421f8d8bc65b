"""Where the session stands: who handed in, scores, who needs a look."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from ambassador.workshop import attention
from ambassador.workshop.grade import load_state
from ambassador.workshop.session import Session

CSV_COLUMNS = ["id", "name", "department", "assignment", "handed_in", "graded", "score", "max_score",
               "needs_manual_grading", "needs_attention", "notes"]


@dataclass
class Cell:
    handed_in: bool = False
    graded: bool = False
    score: float | None = None
    max_score: float | None = None
    needs_manual: bool = False
    notes: list[str] = field(default_factory=list)
    failed: bool = False

    @property
    def needs_attention(self) -> bool:
        return self.failed or bool(self.notes)

    def text(self) -> str:
        if self.failed:
            return "attention"
        if not self.handed_in:
            return "attention" if self.notes else "-"
        if not self.graded:
            return "handed in"
        text = f"{self.score:g}/{self.max_score:g}"
        if self.needs_manual:
            text += " manual"
        if self.notes:
            text += " !"
        return text


@dataclass
class Row:
    id: str
    name: str
    department: str
    cells: dict[str, Cell]
    on_list: bool = True


@dataclass
class SessionStatus:
    assignments: list[str]
    rows: list[Row]

    def attention_lines(self) -> list[str]:
        lines = []
        for row in self.rows:
            if not row.on_list:
                lines.append(f"{row.id}: not on the participants list")
            for name, cell in row.cells.items():
                lines += [f"{row.id}/{name}: {note}" for note in cell.notes]
        return lines


def session_status(session: Session) -> SessionStatus:
    names = [a.name for a in session.assignments]
    people = {p.id: p for p in session.participants()}
    state = load_state(session)
    submitted = {(f.parent.name, f.name) for f in session.submitted_dir.glob("*/*") if f.is_dir()}
    ids = list(people) + sorted({pid for pid, _ in submitted} - set(people))
    rows = []
    for pid in ids:
        p = people.get(pid)
        rows.append(Row(pid, p.name if p else "", p.department if p else "", {n: Cell() for n in names}, p is not None))
    by_id = {r.id: r for r in rows}
    for pid, name in submitted:
        if name in by_id[pid].cells:
            by_id[pid].cells[name].handed_in = True
    with session.gradebook() as gb:
        maxima = {}
        for n in names:
            try:
                maxima[n] = gb.find_assignment(n).max_score
            except Exception:  # not generated yet
                maxima[n] = None
        for key, entry in state.items():
            pid, name = key.split("/", 1)
            if pid not in by_id or name not in by_id[pid].cells:
                continue
            cell = by_id[pid].cells[name]
            cell.notes += entry.get("problems", [])
            if not entry.get("ok"):
                cell.failed = True
                continue
            try:
                sub = gb.find_submission(name, pid)
            except Exception:
                continue
            cell.graded = True
            cell.score, cell.max_score, cell.needs_manual = sub.score, sub.max_score, sub.needs_manual_grade
    for item in attention.load(session):
        if item.participant in by_id and item.assignment in by_id[item.participant].cells:
            by_id[item.participant].cells[item.assignment].notes.append(item.message)
    for row in rows:
        for n, cell in row.cells.items():
            if cell.max_score is None:
                cell.max_score = maxima.get(n)
    return SessionStatus(names, rows)


def format_table(status: SessionStatus) -> str:
    headers = ["id", "name", *status.assignments]
    body = [[r.id, r.name or "(not on list)", *[r.cells[n].text() for n in status.assignments]] for r in status.rows]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *body)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(headers), line(["-" * w for w in widths])] + [line(b) for b in body]
    return "\n".join(out)


def format_summary(status: SessionStatus) -> str:
    lines = []
    for n in status.assignments:
        cells = [r.cells[n] for r in status.rows if r.on_list]
        graded = [c for c in cells if c.graded]
        avg = sum(c.score for c in graded) / len(graded) if graded else 0
        top = graded[0].max_score if graded else None
        lines.append(
            f"{n}: {sum(c.handed_in for c in cells)}/{len(cells)} handed in, {len(graded)} graded"
            + (f", average {avg:.1f}/{top:g}" if graded else "")
            + f", {sum(c.needs_manual for c in graded)} need manual grading"
            + f", {sum(c.needs_attention for c in cells)} need attention"
        )
    return "\n".join(lines)


def write_csv(status: SessionStatus, path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for r in status.rows:
            for n in status.assignments:
                c = r.cells[n]
                writer.writerow([r.id, r.name, r.department, n, int(c.handed_in), int(c.graded),
                                 "" if c.score is None else f"{c.score:g}",
                                 "" if c.max_score is None else f"{c.max_score:g}",
                                 int(c.needs_manual), int(c.needs_attention), " | ".join(c.notes)])
    return path
