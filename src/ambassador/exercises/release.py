"""Released (learner) versions of the exercises for the book.

``release_book()`` runs nbgrader's ``generate_assignment`` for every catalogued
assignment in a temporary course folder and writes, into
``book/exercises/released/``:

- ``<name>.ipynb``: the released notebook (no solutions, no hidden tests), shown
  as a book page and offered as a download;
- ``<name>.zip``: that notebook with the data files it reads, for JupyterLab;
- ``overzicht.inc``: the table of exercises that ``book/exercises/index.md``
  includes, made from the catalogue (titles, minutes, lessons, downloads).

The sources with solutions never leave the temporary folder. An assignment is
regenerated only when its fingerprint (source folder, declared data files,
``nbgrader_config.py``, nbgrader's version) changed, so a second ``make book``
costs almost nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from importlib import metadata
from dataclasses import dataclass, field
from pathlib import Path

from ambassador.exercises.leaks import find_leaks, secret_lines
from ambassador.exercises.catalog import Assignment, assemble_source, load_assignments
from ambassador.paths import book_dir, data_dir, ensure_venv_on_path, exercises_dir

FINGERPRINTS = ".fingerprints.json"
OVERVIEW = "overzicht.inc"
# Strings that only a source notebook contains: a released file holding one is a leak.
SOURCE_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
# A fixed timestamp inside the zips: same content, same bytes.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


class ReleaseError(RuntimeError):
    """nbgrader could not generate an assignment, or its output is unsafe."""


@dataclass
class ReleaseResult:
    generated: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def released_dir() -> Path:
    return book_dir() / "exercises" / "released"


def config_path() -> Path:
    return exercises_dir() / "nbgrader_config.py"


def fingerprint(assignment: Assignment) -> str:
    """A hash of everything the released version is generated from."""
    digest = hashlib.sha256()
    # importlib.metadata, not `import nbgrader`: importing nbgrader takes seconds.
    digest.update(f"nbgrader {metadata.version('nbgrader')}\n".encode())
    digest.update(config_path().read_bytes())
    files = sorted(
        p for p in assignment.source_dir.rglob("*")
        if p.is_file() and ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts
    )
    for path in files:
        digest.update(f"source/{path.relative_to(assignment.source_dir).as_posix()}\n".encode())
        digest.update(path.read_bytes())
    for name in assignment.data_files:
        path = data_dir() / name
        digest.update(f"data/{name}\n".encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def _read_fingerprints(dest: Path) -> dict[str, str]:
    try:
        return json.loads((dest / FINGERPRINTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _outputs(assignment: Assignment, dest: Path) -> tuple[Path, Path]:
    return dest / f"{assignment.name}.ipynb", dest / f"{assignment.name}.zip"


def _check_no_markers(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [marker for marker in SOURCE_MARKERS if marker in text]
    if found:
        raise ReleaseError(f"{path}: the released notebook still contains {found}")


def _write_zip(folder: Path, target: Path) -> None:
    """Zip the released folder (notebook + data) with fixed timestamps."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def _nbgrader_api(course: Path):
    """An in-process NbGraderAPI configured by the course's nbgrader_config.py."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def release_book(dest: Path | None = None, *, force: bool = False,
                 names: list[str] | None = None) -> ReleaseResult:
    """Regenerate the released notebooks whose sources changed; see the module docstring."""
    ensure_venv_on_path()  # nbgrader starts a bare `alembic` for the gradebook
    dest = dest or released_dir()
    dest.mkdir(parents=True, exist_ok=True)
    assignments = [a for a in load_assignments() if names is None or a.name in names]
    stored = _read_fingerprints(dest)
    result = ReleaseResult()

    stale = []
    for assignment in assignments:
        current = fingerprint(assignment)
        complete = all(p.is_file() for p in _outputs(assignment, dest))
        if not force and complete and stored.get(assignment.name) == current:
            result.up_to_date.append(assignment.name)
        else:
            stale.append((assignment, current))

    if stale:
        with tempfile.TemporaryDirectory(prefix="ambassador-release-") as tmp:
            course = Path(tmp)
            shutil.copy2(config_path(), course / "nbgrader_config.py")
            api = _nbgrader_api(course)
            for assignment, current in stale:
                try:
                    _release_one(api, assignment, course, dest)
                except Exception as error:  # one broken assignment must not stop the others
                    result.errors[assignment.name] = str(error)
                    continue
                stored[assignment.name] = current
                result.generated.append(assignment.name)

    known = {a.name for a in load_assignments()}
    stored = {name: value for name, value in stored.items() if name in known}
    for path in dest.iterdir():  # outputs of assignments that left the catalogue
        if path.suffix in (".ipynb", ".zip") and path.stem not in known:
            path.unlink()
    (dest / FINGERPRINTS).write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    _write_if_changed(dest / OVERVIEW, overview_table(load_assignments()))
    return result


def overview_table(assignments: list[Assignment]) -> str:
    """The MyST table of exercises for the book's exercises page."""
    released = "/book/exercises/released"
    rows = [
        "| Oefening | Tijd | Hoort bij de les | Downloaden |",
        "|---|---|---|---|",
    ]
    for a in assignments:
        rows.append(
            f"| {{doc}}`{a.title} <{released}/{a.name}>` | {a.minutes} minuten | {{doc}}`/{a.lesson}` "
            f"| {{download}}`notebook <{released}/{a.name}.ipynb>` · "
            f"{{download}}`notebook met gegevens (zip) <{released}/{a.name}.zip>` |"
        )
    return "\n".join(rows) + "\n"


def _write_if_changed(path: Path, text: str) -> None:
    """Leave an unchanged file alone, so Sphinx does not rebuild the page that includes it."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _release_one(api, assignment: Assignment, course: Path, dest: Path) -> None:
    assemble_source(assignment, course / "source")
    outcome = api.generate_assignment(assignment.name, force=True, create=True)
    if not outcome.get("success"):
        detail = (outcome.get("error") or outcome.get("log") or "").strip().splitlines()[-5:]
        raise ReleaseError(f"nbgrader generate_assignment failed: {' | '.join(detail)}")
    released = course / "release" / assignment.name
    notebook = released / assignment.notebook
    if not notebook.is_file():
        raise ReleaseError(f"nbgrader wrote no {assignment.notebook} in release/{assignment.name}/")
    for path in released.rglob("*.ipynb"):
        _check_no_markers(path)
    leaks = find_leaks(sorted(released.rglob("*")), secret_lines(assignment.source_notebook))
    if leaks:
        raise ReleaseError(f"the released version still contains solution or hidden-test lines, e.g. {leaks[0].line!r}")
    page, archive = _outputs(assignment, dest)
    shutil.copyfile(notebook, page)
    _write_zip(released, archive)
