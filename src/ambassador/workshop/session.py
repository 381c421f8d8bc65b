"""A lunch session folder: a normal nbgrader course directory plus a little state.

Layout (everything nbgrader and formgrader expect, and two trainer folders)::

    SESSION/
      nbgrader_config.py   course id, per-cell time limit, exchange (if any)
      gradebook.db         nbgrader's gradebook
      participants.csv     id, name, e-mail, department
      source/ release/ submitted/ autograded/ feedback/   nbgrader's own
      share/               learner notebooks (and a zip) to hand out
      hand-back/           one feedback folder per participant
      .workshop/           this tool's bookkeeping (session.json, grading log)

All writes to the gradebook from this package go through ``gradebook()``,
which holds an exclusive file lock: SQLite is not built for many writers.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ambassador.paths import ensure_venv_on_path
from ambassador.workshop.participants import Participant, read_participants, write_participants

STATE_DIR = ".workshop"
DEFAULT_TIMEOUT = 30

CONFIG_TEMPLATE = '''\
# nbgrader settings for this lunch session, written by `ambassador workshop new`.
# Only overrides are listed; see `nbgrader --help-all` for everything else.
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = {course_id!r}
# Per-cell time limit in seconds while grading: an endless loop costs at most this.
c.Execute.timeout = {timeout}
# Put back test cells a participant deleted, so they still count (and fail).
c.OverwriteCells.add_missing_cells = True
'''

EXCHANGE_TEMPLATE = '''
# The JupyterHub exchange folder participants fetch from and submit to.
c.Exchange.root = {root!r}
'''


class SessionError(ValueError):
    """The session folder is missing or not usable; the message says why."""


@dataclass(frozen=True)
class SessionAssignment:
    name: str
    title: str
    notebook: str

    @property
    def notebook_id(self) -> str:
        return Path(self.notebook).stem


@dataclass(frozen=True)
class Session:
    root: Path
    course_id: str
    assignments: tuple[SessionAssignment, ...]
    exchange_root: str | None = None
    timeout: int = DEFAULT_TIMEOUT

    # -- folders ---------------------------------------------------------
    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def release_dir(self) -> Path:
        return self.root / "release"

    @property
    def submitted_dir(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded_dir(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback_dir(self) -> Path:
        return self.root / "feedback"

    @property
    def share_dir(self) -> Path:
        return self.root / "share"

    @property
    def hand_back_dir(self) -> Path:
        return self.root / "hand-back"

    @property
    def participants_file(self) -> Path:
        return self.root / "participants.csv"

    @property
    def gradebook_path(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.gradebook_path}"

    def assignment(self, name: str) -> SessionAssignment:
        for a in self.assignments:
            if a.name == name:
                return a
        known = ", ".join(a.name for a in self.assignments)
        raise SessionError(f"assignment '{name}' is not part of this session (it has: {known})")

    def participants(self) -> list[Participant]:
        if not self.participants_file.exists():
            return []
        return read_participants(self.participants_file)

    # -- nbgrader --------------------------------------------------------
    def nbgrader_config(self):
        """nbgrader_config.py of the session, with the course root set to the session."""
        from traitlets.config import Config
        from traitlets.config.loader import PyFileConfigLoader

        config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        extra = Config()
        extra.CourseDirectory.root = str(self.root)
        config.merge(extra)
        return config

    def api(self, config=None):
        """An in-process ``NbGraderAPI`` on this session (returns {success, error, log})."""
        from nbgrader.apps import NbGraderAPI

        ensure_venv_on_path()
        return NbGraderAPI(config=config or self.nbgrader_config())

    @contextmanager
    def gradebook_lock(self) -> Iterator[None]:
        """One writer at a time on gradebook.db, across processes; released if killed."""
        self.state_dir.mkdir(exist_ok=True)
        with open(self.state_dir / "gradebook.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def gradebook(self):
        from nbgrader.api import Gradebook

        ensure_venv_on_path()
        with self.gradebook_lock(), Gradebook(self.db_url, self.course_id) as gb:
            yield gb


def _course_id(directory: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", directory.resolve().name).strip("-") or "workshop"


def write_json(path: Path, data) -> None:
    """Write JSON atomically: a killed process leaves the old file or the new one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def open_session(directory: Path | str) -> Session:
    root = Path(directory).resolve()
    meta_path = root / STATE_DIR / "session.json"
    if not meta_path.is_file():
        raise SessionError(
            f"{root} is not a workshop session (no {STATE_DIR}/session.json); "
            "create one with `ambassador workshop new DIR --assignments ...`"
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return Session(
        root=root,
        course_id=meta["course_id"],
        assignments=tuple(SessionAssignment(**a) for a in meta["assignments"]),
        exchange_root=meta.get("exchange_root"),
        timeout=int(meta.get("timeout", DEFAULT_TIMEOUT)),
    )


@dataclass
class NewSessionResult:
    session: Session
    added_assignments: list[str]
    kept_assignments: list[str]
    added_participants: list[str]
    updated_participants: list[str]


def create_session(
    directory: Path | str,
    *,
    assignments: list[str],
    participants_csv: Path | None = None,
    exchange_root: str | None = None,
    timeout: int = DEFAULT_TIMEOUT,
) -> NewSessionResult:
    """Create a session folder, or add assignments and participants to an existing one.

    Re-running is safe: assignments already in the session keep their source,
    participants already known are updated, nothing is removed.
    """
    from ambassador.exercises.catalog import assemble_source, get_assignment

    root = Path(directory).resolve()
    if not assignments:
        raise SessionError("name at least one assignment with --assignments")
    catalog = [get_assignment(name) for name in assignments]  # CatalogError names unknown ones
    for item in catalog:
        if not item.source_notebook.is_file():
            raise SessionError(f"assignment '{item.name}' has no source notebook yet ({item.source_notebook})")
    incoming = read_participants(participants_csv) if participants_csv else []

    existing = open_session(root) if (root / STATE_DIR / "session.json").is_file() else None
    root.mkdir(parents=True, exist_ok=True)
    (root / STATE_DIR).mkdir(exist_ok=True)
    course_id = existing.course_id if existing else _course_id(root)
    current = list(existing.assignments) if existing else []
    added, kept = [], []
    for item in catalog:
        if any(a.name == item.name for a in current) and (root / "source" / item.name).is_dir():
            kept.append(item.name)
            continue
        (root / "source").mkdir(exist_ok=True)
        assemble_source(item, root / "source")
        if not any(a.name == item.name for a in current):
            current.append(SessionAssignment(item.name, item.title, item.notebook))
        added.append(item.name)

    config_path = root / "nbgrader_config.py"
    if not config_path.exists():
        text = CONFIG_TEMPLATE.format(course_id=course_id, timeout=int(timeout))
        if exchange_root:
            text += EXCHANGE_TEMPLATE.format(root=str(Path(exchange_root).resolve()))
        config_path.write_text(text, encoding="utf-8")
    exchange = existing.exchange_root if existing and not exchange_root else (
        str(Path(exchange_root).resolve()) if exchange_root else None)
    meta = {
        "course_id": course_id,
        "assignments": [a.__dict__ for a in current],
        "exchange_root": exchange,
        "timeout": existing.timeout if existing else int(timeout),
    }
    write_json(root / STATE_DIR / "session.json", meta)
    session = open_session(root)

    # Participants: merge by id; the CSV in the session is the list `collect` matches against.
    known = {p.id: p for p in session.participants()}
    new_ids = [p.id for p in incoming if p.id not in known]
    changed = [p.id for p in incoming if p.id in known and known[p.id] != p]
    known.update({p.id: p for p in incoming})
    if incoming or not session.participants_file.exists():
        if known:
            write_participants(list(known.values()), session.participants_file)

    with session.gradebook() as gb:
        for a in session.assignments:
            gb.update_or_create_assignment(a.name)
        for p in known.values():
            gb.update_or_create_student(p.id, first_name=p.first_name, last_name=p.last_name, email=p.email or None)
    return NewSessionResult(session, added, kept, new_ids, changed)
