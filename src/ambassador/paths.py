"""Where the course's files live: defined once, used everywhere.

The package is installed in editable mode from the repository, so the
repository root is found relative to this file. ``AMBASSADOR_ROOT`` overrides
it (for tests that work on a copy of the course).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def repo_root() -> Path:
    """The course repository's root folder (the one holding ``_config.yml``)."""
    override = os.environ.get("AMBASSADOR_ROOT")
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """``data/``: quiz banks, platform settings, example posts, datasets."""
    return repo_root() / "data"


def quiz_dir() -> Path:
    """``data/quizzes/``: one YAML question bank per chapter."""
    return data_dir() / "quizzes"


def exercises_dir() -> Path:
    """``exercises/``: the nbgrader course root with the source assignments."""
    return repo_root() / "exercises"


def book_dir() -> Path:
    """``book/``: the lessons and the trainers', exercises' and HR parts."""
    return repo_root() / "book"


def ensure_venv_on_path() -> None:
    """Put the running interpreter's ``bin/`` first on ``PATH``.

    nbgrader starts a bare ``alembic`` executable when it creates a gradebook;
    without the virtual environment's ``bin/`` on ``PATH`` that fails with
    ``FileNotFoundError: 'alembic'``. Every entry point calls this first.
    """
    bin_dir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if not parts or parts[0] != bin_dir:
        os.environ["PATH"] = os.pathsep.join([bin_dir, *[p for p in parts if p and p != bin_dir]])
