"""Shared fixtures: where the course and its built book are, and how to run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def book_html() -> Path:
    """The built book. `make test` builds it first; a missing build is a failure, not a skip."""
    html = ROOT / "_build" / "html"
    if not (html / "index.html").is_file():
        pytest.fail("the book is not built: run `make book` (or `make test`, which builds it first)")
    return html


def run_ambassador(*args: str, cwd: Path | None = None, env: dict | None = None,
                   timeout: float = 600, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the real `ambassador` entry point, as a user would."""
    return subprocess.run(
        [str(BIN / "ambassador"), *args],
        cwd=cwd or ROOT,
        env=env if env is not None else os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input,
    )


@pytest.fixture(scope="session")
def ambassador():
    return run_ambassador
