"""The catalogue of graded exercises (``exercises/assignments.yaml``).

Everything that needs to know which assignments exist -- the book's exercise
pages, ``ambassador workshop`` and HR's completion rule -- reads them here.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from ambassador.paths import data_dir, exercises_dir


class CatalogError(ValueError):
    """The catalogue file or an assignment in it is not usable."""


@dataclass(frozen=True)
class Assignment:
    name: str
    title: str
    notebook: str
    lesson: str
    minutes: int
    data_files: tuple[str, ...] = ()

    @property
    def source_dir(self) -> Path:
        return exercises_dir() / "source" / self.name

    @property
    def source_notebook(self) -> Path:
        return self.source_dir / self.notebook


def catalog_path() -> Path:
    return exercises_dir() / "assignments.yaml"


def load_assignments(path: Path | None = None) -> list[Assignment]:
    """All assignments in catalogue order."""
    path = path or catalog_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise CatalogError(f"{path}: not valid YAML: {error}") from error
    entries = raw.get("assignments")
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"{path}: needs a non-empty list under 'assignments'")
    required = ("name", "title", "notebook", "lesson", "minutes")
    result, seen = [], set()
    for index, entry in enumerate(entries, start=1):
        missing = [key for key in required if not (isinstance(entry, dict) and entry.get(key))]
        if missing:
            raise CatalogError(f"{path}: assignment #{index} lacks {', '.join(missing)}")
        if entry["name"] in seen:
            raise CatalogError(f"{path}: assignment '{entry['name']}' appears twice")
        seen.add(entry["name"])
        result.append(
            Assignment(
                name=entry["name"],
                title=entry["title"],
                notebook=entry["notebook"],
                lesson=entry["lesson"],
                minutes=int(entry["minutes"]),
                data_files=tuple(entry.get("data_files") or ()),
            )
        )
    return result


def get_assignment(name: str) -> Assignment:
    by_name = {a.name: a for a in load_assignments()}
    if name not in by_name:
        known = ", ".join(by_name)
        raise CatalogError(f"unknown assignment '{name}' (known: {known})")
    return by_name[name]


def assemble_source(assignment: Assignment, dest: Path) -> Path:
    """Copy one source assignment, with its data files, into ``dest/<name>/``.

    This is how an nbgrader course folder (a lunch session, the book's release
    step) gets an assignment: the notebook and any helper files from
    ``exercises/source/<name>/`` plus the declared files from ``data/``, so
    ``data/`` stays the only copy of each dataset. Returns the new folder.
    """
    target = dest / assignment.name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(
        assignment.source_dir,
        target,
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
    )
    for name in assignment.data_files:
        source = data_dir() / name
        if not source.is_file():
            raise CatalogError(f"assignment '{assignment.name}' needs data/{name}, which is missing")
        shutil.copy2(source, target / Path(name).name)
    return target
