"""Hand out: generate the learner versions and put them where participants get them."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ambassador.workshop.session import Session

# Text that must never reach a participant.
FORBIDDEN_MARKERS = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
METADATA_KEY = "ambassador"


class ReleaseError(RuntimeError):
    """nbgrader could not generate an assignment, or the result leaks answers."""


@dataclass
class ReleaseResult:
    generated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    exchange: list[str] = field(default_factory=list)
    share_dir: Path | None = None
    zip_path: Path | None = None
    personal_copies: int = 0


def _log_tail(result: dict, lines: int = 8) -> str:
    text = (result.get("error") or result.get("log") or "").strip().splitlines()
    return "\n".join(text[-lines:])


def check_no_answers(folder: Path) -> None:
    for path in folder.rglob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        for marker in FORBIDDEN_MARKERS:
            if marker in text:
                raise ReleaseError(f"{path} still contains '{marker}': not handing it out")


def release(session: Session, *, force: bool = False) -> ReleaseResult:
    """Generate every assignment (once, unless force), then rebuild share/ and its zip."""
    result = ReleaseResult()
    api = session.api()
    for a in session.assignments:
        released = session.release_dir / a.name / a.notebook
        if released.exists() and not force:
            result.kept.append(a.name)
        else:
            with session.gradebook_lock():
                outcome = api.generate_assignment(a.name, force=True, create=True)
            if not outcome["success"]:
                raise ReleaseError(f"nbgrader could not generate '{a.name}':\n{_log_tail(outcome)}")
            result.generated.append(a.name)
        check_no_answers(session.release_dir / a.name)
        if session.exchange_root:
            outcome = api.release_assignment(a.name)
            log = outcome.get("log", "") + (outcome.get("error") or "")
            if outcome["success"] or "already exists" in log:
                result.exchange.append(a.name)
            else:
                raise ReleaseError(f"could not put '{a.name}' in the exchange {session.exchange_root}:\n{_log_tail(outcome)}")
    build_share(session, result)
    return result


def build_share(session: Session, result: ReleaseResult) -> None:
    """share/<assignment>/ for everyone, share/participants/<id>/<assignment>/ personalised, and a zip.

    A personalised notebook carries the participant's id in its metadata, so
    `collect` can match it whatever the file is renamed to.
    """
    share = session.share_dir
    if share.exists():
        shutil.rmtree(share)
    share.mkdir()
    participants = session.participants()
    for a in session.assignments:
        shutil.copytree(session.release_dir / a.name, share / a.name)
        for p in participants:
            target = share / "participants" / p.id / a.name
            shutil.copytree(session.release_dir / a.name, target)
            nb_path = target / a.notebook
            nb = nbformat.read(nb_path, as_version=4)
            nb.metadata[METADATA_KEY] = {"participant": p.id, "assignment": a.name, "course": session.course_id}
            nbformat.write(nb, nb_path)
            result.personal_copies += 1
    zip_path = session.root / f"{session.course_id}-notebooks.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(share.rglob("*")):
            if path.is_file():
                archive.write(path, Path(session.course_id) / path.relative_to(share))
    result.share_dir = share
    result.zip_path = zip_path
