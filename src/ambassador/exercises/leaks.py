"""Find solution and hidden-test text where learners could read it.

A source notebook's secrets are the lines inside its ``### BEGIN SOLUTION`` /
``### END SOLUTION`` and ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``
regions, plus the model answers in manually graded Markdown cells. Checking
for the marker strings alone is not enough: a broken release step could drop
the markers and keep the answers. So these helpers search for the secret lines
themselves, in notebooks, HTML (tags stripped, entities decoded), zips and any
other file, with whitespace normalised.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_TESTS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
REGIONS = (SOLUTION, HIDDEN_TESTS)
MIN_LENGTH = 12  # shorter lines (`)`, `else:`) are not evidence of anything
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Leak:
    where: str
    line: str


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _split_regions(source: str, regions=REGIONS) -> tuple[list[str], list[str]]:
    """(secret lines, public lines) of one code cell."""
    secret, public, inside = [], [], None
    for line in source.splitlines():
        stripped = line.strip()
        if inside is None:
            starts = [end for begin, end in regions if stripped.startswith(begin)]
            if starts:
                inside = starts[0]
            else:
                public.append(line)
        elif stripped.startswith(inside):
            inside = None
        else:
            secret.append(line)
    return secret, public


def secret_lines(notebook: Path, regions=REGIONS) -> list[str]:
    """The non-trivial secret lines of a source notebook, normalised.

    ``regions`` chooses which secrets: by default solutions (with the model
    answers of manually graded cells) and hidden tests; feedback, which shows
    a learner's own answers, checks ``(HIDDEN_TESTS,)`` only.
    Lines that also appear in the notebook's public parts (instructions, given
    code) are left out: they are public by design and would only cause false
    alarms. Comments and very short lines are left out too.
    """
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    secret, public = [], []
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "markdown" and meta.get("solution") and SOLUTION in regions:
            secret.extend(source.splitlines())
        elif cell["cell_type"] == "code":
            s, p = _split_regions(source, regions)
            secret.extend(s)
            public.extend(p)
        else:
            public.extend(source.splitlines())
    public_text = _normalise("\n".join(public))
    result = []
    for line in secret:
        norm = _normalise(line)
        if len(norm) < MIN_LENGTH or norm.startswith("#") or norm in public_text or norm in result:
            continue
        result.append(norm)
    return result


def readable_text(path: Path, data: bytes | None = None) -> list[tuple[str, str]]:
    """What a person (or a search engine) can read in a file: [(where, text)]."""
    data = path.read_bytes() if data is None else data
    name = str(path)
    if path.suffix == ".zip":
        views = []
        try:
            with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
                for member in archive.namelist():
                    views += readable_text(Path(f"{name}!{member}"), archive.read(member))
        except zipfile.BadZipFile:
            views.append((name, data.decode("utf-8", errors="ignore")))
        return views
    text = data.decode("utf-8", errors="ignore")
    views = [(name, text)]
    if path.suffix in (".html", ".htm", ".xml", ".svg"):
        views.append((name, html.unescape(_TAG.sub("", text))))
    if path.suffix in (".ipynb", ".json"):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if parsed is not None:
            views.append((name, "\n".join(_strings(parsed))))
    return [(where, _normalise(view)) for where, view in views]


def _strings(value) -> list[str]:
    """Every string in a JSON document (notebook cell sources are lists of lines)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        if value and all(isinstance(item, str) for item in value):
            return ["".join(value)]
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


def find_leaks(paths: list[Path], secrets: list[str]) -> list[Leak]:
    """Every (file, secret line) pair where the line can be read in the file."""
    leaks = []
    for path in paths:
        for where, text in readable_text(path):
            leaks.extend(Leak(where, line) for line in secrets if line in text)
    return sorted(set(leaks), key=lambda leak: (leak.where, leak.line))
