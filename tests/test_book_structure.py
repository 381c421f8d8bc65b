"""Is the book complete, self-contained and free of leaks?"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONTENT_SUFFIXES = (".md", ".ipynb")


def toc_entries() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                entries.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return entries


def source_for(entry: str) -> Path | None:
    for suffix in CONTENT_SUFFIXES:
        if (ROOT / f"{entry}{suffix}").is_file():
            return ROOT / f"{entry}{suffix}"
    return None


def excluded(relative: str) -> bool:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return any(fnmatch.fnmatch(relative, pattern) for pattern in config.get("exclude_patterns", []))


def test_every_toc_entry_exists():
    missing = [entry for entry in toc_entries() if source_for(entry) is None]
    assert not missing, f"_toc.yml lists pages that do not exist: {missing}"


def test_every_content_file_is_in_the_toc():
    listed = {entry for entry in toc_entries()}
    orphans = []
    for folder in ("book", "notebooks"):
        for path in (ROOT / folder).rglob("*"):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix not in CONTENT_SUFFIXES or ".ipynb_checkpoints" in relative or excluded(relative):
                continue
            if relative.rsplit(".", 1)[0] not in listed:
                orphans.append(relative)
    assert not orphans, f"content files missing from _toc.yml: {orphans}"


def test_toc_has_a_part_for_each_kind_of_reader():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = [part["caption"] for part in toc.get("parts", [])]
    assert captions == ["Voor elke medewerker", "Oefeningen", "Voor trainers", "Voor HR", "Naslag"]


@pytest.mark.slow
def test_build_log_has_no_warnings(book_html):
    log = (book_html.parent / "build.log").read_text(encoding="utf-8")
    # The notebook kernel's own notice about its TCP transport is not a Sphinx warning.
    problems = [
        line for line in log.splitlines()
        if ("WARNING" in line or "ERROR" in line) and not line.startswith("[IPKernelApp]")
    ]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.slow
def test_every_toc_entry_was_built(book_html):
    missing = [entry for entry in toc_entries() if not (book_html / f"{entry}.html").is_file()]
    assert not missing


EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe|source|audio|video)\b[^>]*\b(?:src|href)\s*=\s*["'](?:https?:)?//""",
    re.IGNORECASE,
)
EXTERNAL_CSS = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])(?:https?:)?//""", re.IGNORECASE)


@pytest.mark.slow
def test_pages_load_no_external_resources(book_html):
    offenders = []
    for page in book_html.rglob("*.html"):
        for match in EXTERNAL.finditer(page.read_text(encoding="utf-8", errors="replace")):
            offenders.append(f"{page.relative_to(book_html)}: {match.group(0)[:120]}")
    for sheet in book_html.rglob("*.css"):
        for match in EXTERNAL_CSS.finditer(sheet.read_text(encoding="utf-8", errors="replace")):
            offenders.append(f"{sheet.relative_to(book_html)}: {match.group(0)}")
    assert not offenders, "\n".join(offenders[:20])


@pytest.mark.slow
def test_pages_are_dutch(book_html):
    for page in (book_html / "book").rglob("*.html"):
        head = page.read_text(encoding="utf-8")[:400]
        assert 'lang="nl"' in head, page


@pytest.mark.slow
def test_page_sources_are_not_published(book_html):
    assert not (book_html / "_sources").exists(), "html_copy_source must stay false"
    assert not list(book_html.rglob("*.ipynb.txt"))
