"""Collect hand-ins from a folder, a zip or the nbgrader exchange into submitted/.

A file is matched to a participant by the id in its notebook metadata (the
personalised copies from `release` carry it) or by the participant id in its
path (``anna/privacycheck.ipynb``, ``privacycheck_anna.ipynb``), and to an
assignment by metadata, by the grade cells it contains, or by its name.
Nothing is ever overwritten without a copy in .workshop/earlier/.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ambassador.workshop import attention
from ambassador.workshop.attention import Attention
from ambassador.workshop.checks import grade_ids
from ambassador.workshop.release import METADATA_KEY
from ambassador.workshop.session import Session, SessionAssignment, write_json

IGNORED_PARTS = {".ipynb_checkpoints", "__MACOSX"}


class CollectError(ValueError):
    pass


@dataclass
class HandIn:
    path: Path  # where the file is now (possibly inside a temporary extraction)
    label: str  # how to name it to the trainer (relative to the source)
    mtime: float
    data: bytes
    match_text: str = ""  # the part of the path that may name participant and assignment
    notebook: dict | None = None
    json_error: str | None = None
    participant: str | None = None
    assignment: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class CollectResult:
    placed: list[str] = field(default_factory=list)  # "id/assignment"
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # earlier hand-in kept in .workshop/earlier
    unmatched: list[str] = field(default_factory=list)  # one line per file
    problems: list[Attention] = field(default_factory=list)


def _read_hand_ins(source: Path, workdir: Path) -> list[HandIn]:
    if zipfile.is_zipfile(source):
        root = workdir / "zip"
        entries: dict[str, float] = {}
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                name = Path(info.filename)
                if info.is_dir() or name.is_absolute() or ".." in name.parts:
                    continue  # never write outside the extraction folder
                target = root / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(info))
                entries[str(name)] = time.mktime(info.date_time + (0, 0, -1))
        files = [(p, f"{source.name}:{p.relative_to(root)}", entries.get(str(p.relative_to(root)), 0.0),
                  str(p.relative_to(root))) for p in root.rglob("*.ipynb")]
    elif source.is_dir():
        files = [(p, str(p.relative_to(source)), p.stat().st_mtime, str(p.relative_to(source)))
                 for p in source.rglob("*.ipynb")]
    elif source.suffix == ".ipynb" and source.is_file():
        files = [(source, source.name, source.stat().st_mtime, source.name)]
    else:
        raise CollectError(f"{source}: not a folder, a zip file or a notebook")
    hand_ins = []
    for path, label, mtime, match_text in sorted(files):
        if IGNORED_PARTS & set(path.parts):
            continue
        data = path.read_bytes()
        item = HandIn(path, label, mtime, data, match_text)
        try:
            item.notebook = json.loads(data.decode("utf-8"))
            if not isinstance(item.notebook, dict) or "cells" not in item.notebook:
                raise ValueError("no 'cells' in it")
        except (UnicodeDecodeError, ValueError) as error:
            item.notebook = None
            where = f" (line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
            item.json_error = f"{label} is not a valid notebook{where}; it cannot be graded"
        hand_ins.append(item)
    return hand_ins


def _released_ids(session: Session) -> dict[str, set[str]]:
    result = {}
    for a in session.assignments:
        path = session.release_dir / a.name / a.notebook
        source = path if path.exists() else session.source_dir / a.name / a.notebook
        result[a.name] = grade_ids(json.loads(source.read_text(encoding="utf-8"))) if source.exists() else set()
    return result


def _token_match(token: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(token)}(?![A-Za-z0-9])", text, re.IGNORECASE) is not None


def _by_name(label: str, options: list[str]) -> list[str]:
    hits = [o for o in options if _token_match(o, label)]
    # "anna" and "anna-b" both match "anna-b.ipynb": an id inside a longer matching id does not count.
    return [h for h in hits if not any(h != other and _token_match(h, other) for other in hits)]


def _assignment_by_name(label: str, assignments: tuple[SessionAssignment, ...]) -> str | None:
    hits = [a.name for a in assignments if _token_match(a.name, label) or _token_match(a.notebook_id, label)]
    return hits[0] if len(hits) == 1 else None


def _match(item: HandIn, session: Session, ids: list[str], released: dict[str, set[str]]) -> str | None:
    """Fill in participant and assignment; return a one-line problem, or None."""
    meta = ((item.notebook or {}).get("metadata") or {}).get(METADATA_KEY) or {}
    if isinstance(meta, dict) and meta.get("participant") in ids:
        item.participant = meta["participant"]
    else:
        hits = _by_name(item.match_text, ids)
        if len(hits) > 1:
            return f"{item.label}: matches several participants ({', '.join(hits)}); rename it to one id"
        item.participant = hits[0] if hits else None
    by_name = _assignment_by_name(item.match_text, session.assignments)
    by_meta = meta.get("assignment") if isinstance(meta, dict) else None
    by_content = None
    if item.notebook is not None:
        found = grade_ids(item.notebook)
        overlap = {name: len(found & cells) for name, cells in released.items()}
        best = max(overlap, key=overlap.get) if overlap else None
        if best and overlap[best] > 0:
            by_content = best
    claimed = by_meta if by_meta in released else by_name
    item.assignment = claimed or by_content
    if claimed and by_content and claimed != by_content:
        item.assignment = claimed
        return f"{item.label} is named for '{claimed}' but holds the notebook of '{by_content}'; not used"
    return None


def _timestamp(mtime: float) -> str:
    moment = datetime.fromtimestamp(mtime or time.time(), tz=timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def _keep_earlier(session: Session, folder: Path, participant: str, assignment: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = session.state_dir / "earlier" / participant / assignment / stamp
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(folder), str(target))
    return target


def _record(session: Session, key: str, sha: str, origin: str) -> None:
    path = session.state_dir / "collected.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[key] = {"sha256": sha, "from": origin, "collected_at": datetime.now(timezone.utc).isoformat()}
    write_json(path, data)


def _stash(session: Session, kind: str, item: HandIn) -> Path:
    """Keep a file that could not be used, so nothing a participant sent is lost."""
    target = session.state_dir / kind / re.sub(r"[^A-Za-z0-9_.-]+", "_", item.label)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(item.data)
    return target


def collect(session: Session, source: Path) -> CollectResult:
    """Put every matching notebook from ``source`` in submitted/<id>/<assignment>/."""
    source = Path(source)
    if not source.exists():
        raise CollectError(f"{source}: does not exist")
    ids = [p.id for p in session.participants()]
    released = _released_ids(session)
    result = CollectResult()
    with tempfile.TemporaryDirectory() as workdir:
        hand_ins = _read_hand_ins(source, Path(workdir))
        chosen: dict[tuple[str, str], list[HandIn]] = {}
        for item in hand_ins:
            problem = _match(item, session, ids, released)
            if item.participant is None:
                kept = _stash(session, "unmatched", item)
                reason = problem or f"{item.label}: no participant on the list matches this file"
                result.unmatched.append(f"{reason} (kept in {kept.relative_to(session.root)})")
                continue
            if item.assignment is None:
                kept = _stash(session, "unmatched", item)
                result.unmatched.append(f"{item.label}: cannot tell which assignment this is (kept in {kept.relative_to(session.root)})")
                continue
            if problem or item.json_error:
                _stash(session, "rejected", item)
                result.problems.append(Attention(item.participant, item.assignment, "collect", problem or item.json_error))
                continue
            chosen.setdefault((item.participant, item.assignment), []).append(item)

        for (pid, name), items in sorted(chosen.items()):
            items.sort(key=lambda i: (i.mtime, i.label))
            newest = items[-1]
            for older in items[:-1]:
                kept = _keep_earlier_file(session, pid, name, older)
                result.problems.append(Attention(pid, name, "collect",
                    f"two hand-ins: used {newest.label} (newest), kept {older.label} in {kept.relative_to(session.root)}"))
            _place(session, pid, session.assignment(name), newest, result)

    items = [i for i in attention.load(session) if not (
        i.step == "collect" and f"{i.participant}/{i.assignment}" in result.placed + result.replaced)]
    attention.save(session, items + result.problems)
    return result


def _keep_earlier_file(session: Session, pid: str, name: str, item: HandIn) -> Path:
    target = session.state_dir / "earlier" / pid / name / "not-used" / Path(item.label.replace(":", "_")).name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(item.data)
    return target


def _place(session: Session, pid: str, a: SessionAssignment, item: HandIn, result: CollectResult) -> None:
    key = f"{pid}/{a.name}"
    folder = session.submitted_dir / pid / a.name
    dest = folder / a.notebook
    if dest.exists() and dest.read_bytes() == item.data:
        result.unchanged.append(key)
        return
    if folder.exists():
        _keep_earlier(session, folder, pid, a.name)
        result.replaced.append(key)
    else:
        result.placed.append(key)
    folder.mkdir(parents=True)
    dest.write_bytes(item.data)
    (folder / "timestamp.txt").write_text(_timestamp(item.mtime), encoding="utf-8")
    _record(session, key, item.sha256, item.label)


def collect_exchange(session: Session) -> CollectResult:
    """nbgrader collect from the exchange, keeping any earlier hand-in it replaces."""
    result = CollectResult()
    api = session.api()
    with tempfile.TemporaryDirectory() as backup:
        if session.submitted_dir.exists():
            shutil.copytree(session.submitted_dir, Path(backup) / "submitted")
        before = {p: p.read_bytes() for p in session.submitted_dir.rglob("*.ipynb")} if session.submitted_dir.exists() else {}
        for a in session.assignments:
            with session.gradebook_lock():
                outcome = api.collect(a.name, update=True)
            if not outcome["success"]:
                raise CollectError(f"nbgrader could not collect '{a.name}' from the exchange:\n{outcome.get('log', '')[-800:]}")
        for a in session.assignments:
            for folder in sorted(session.submitted_dir.glob(f"*/{a.name}")):
                pid = folder.parent.name
                key = f"{pid}/{a.name}"
                nb = folder / a.notebook
                old = before.get(nb)
                if old is None:
                    result.placed.append(key)
                elif nb.exists() and nb.read_bytes() != old:
                    shutil.copytree(Path(backup) / "submitted" / pid / a.name,
                                    session.state_dir / "earlier" / pid / a.name /
                                    datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ"))
                    result.replaced.append(key)
                else:
                    result.unchanged.append(key)
                    continue
                if nb.exists():
                    _record(session, key, hashlib.sha256(nb.read_bytes()).hexdigest(), "exchange")
    return result
