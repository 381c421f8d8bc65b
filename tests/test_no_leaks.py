"""Can a learner read a solution or a hidden test anywhere we publish?

The needles are the source notebooks' own secret lines (every non-trivial line
inside solution and hidden-test regions, and the model answers of manually
graded cells), not just the marker strings. The haystacks: the released
notebooks and zips that `ambassador exercises release-book` writes, and, for
the built book, the whole `_build/` tree (HTML with tags stripped, downloads,
zips, notebooks, caches).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

from ambassador.exercises.catalog import load_assignments
from ambassador.exercises.leaks import find_leaks, secret_lines

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = load_assignments()
NAMES = [a.name for a in ASSIGNMENTS]
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def all_secrets() -> list[str]:
    return sorted({line for a in ASSIGNMENTS for line in secret_lines(a.source_notebook)})


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# --- The detector itself --------------------------------------------------------


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=NAMES)
def test_every_source_has_secrets_and_the_detector_finds_them(assignment):
    """If the source notebook itself were published, every secret line would be reported."""
    secrets = secret_lines(assignment.source_notebook)
    assert len(secrets) >= 10, f"{assignment.name}: too few secret lines to be a meaningful check"
    found = {leak.line for leak in find_leaks([assignment.source_notebook], secrets)}
    assert found == set(secrets)


def test_detector_sees_through_syntax_highlighting(tmp_path):
    """A solution rendered as highlighted HTML (spans, entities) is still found."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    assignment = ASSIGNMENTS[1]
    secrets = secret_lines(assignment.source_notebook)
    page = tmp_path / "page.html"
    page.write_text(highlight("\n".join(secrets[:5]), PythonLexer(), HtmlFormatter()), encoding="utf-8")
    assert {leak.line for leak in find_leaks([page], secrets)} == set(secrets[:5])


def test_detector_looks_inside_zips(tmp_path):
    import zipfile

    secrets = secret_lines(ASSIGNMENTS[0].source_notebook)
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("x/x.ipynb", ASSIGNMENTS[0].source_notebook.read_text(encoding="utf-8"))
    assert find_leaks([archive], secrets)


# --- Released notebooks ---------------------------------------------------------


@pytest.fixture(scope="module")
def released(tmp_path_factory, ambassador) -> Path:
    """Released versions made by the real CLI, with a PATH that lacks the venv (alembic trap)."""
    dest = tmp_path_factory.mktemp("released")
    env = dict(os.environ, PATH="/usr/bin:/bin")
    result = ambassador("exercises", "release-book", "--dest", str(dest), "--force", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(f"{name:20} released" in result.stdout for name in NAMES), result.stdout
    return dest


@pytest.mark.slow
def test_release_book_writes_a_page_and_a_zip_per_assignment(released):
    import zipfile

    for a in ASSIGNMENTS:
        assert (released / f"{a.name}.ipynb").is_file()
        with zipfile.ZipFile(released / f"{a.name}.zip") as z:
            names = set(z.namelist())
        expected = {f"{a.name}/{a.notebook}"} | {f"{a.name}/{Path(f).name}" for f in a.data_files}
        assert expected <= names, (a.name, names)
    assert "exercises/source" not in (released / "overzicht.inc").read_text(encoding="utf-8")


@pytest.mark.slow
def test_second_release_is_a_no_op(released, ambassador):
    before = {p.name: p.stat().st_mtime_ns for p in files_under(released) if p.name != ".fingerprints.json"}
    result = ambassador("exercises", "release-book", "--dest", str(released))
    assert result.returncode == 0, result.stderr
    assert all(f"{name:20} up to date" in result.stdout for name in NAMES), result.stdout
    after = {p.name: p.stat().st_mtime_ns for p in files_under(released) if p.name != ".fingerprints.json"}
    assert before == after, "an unchanged source must not rewrite the released files (the book would rebuild)"


@pytest.mark.slow
def test_released_notebooks_contain_no_solutions_or_hidden_tests(released):
    files = files_under(released)
    assert not find_leaks(files, all_secrets())
    for path in files:
        if path.suffix == ".ipynb":
            text = path.read_text(encoding="utf-8")
            assert not [m for m in MARKERS if m in text], path
            assert "NotImplementedError" in text, f"{path.name}: answer cells should be stubs"


def test_committed_or_built_released_folder_has_no_leaks():
    """book/exercises/released/ (written by `make book`) holds no secrets, if it exists."""
    folder = ROOT / "book" / "exercises" / "released"
    if not folder.is_dir():
        pytest.skip("book/exercises/released/ is generated by `make book`; not generated here yet")
    leaks = find_leaks(files_under(folder), all_secrets())
    assert not leaks, leaks[:5]


# --- The built book ---------------------------------------------------------------


@pytest.mark.slow
def test_built_book_has_no_solutions_or_hidden_tests(book_html):
    """The whole _build/ tree: pages, _downloads, _sources, caches and executed notebooks."""
    build = book_html.parent
    files = [p for p in files_under(build) if p.stat().st_size < 20_000_000]
    assert any("_downloads" in p.parts for p in files), "the exercise downloads are missing from the build"
    assert not [p for p in files if "source" in p.parts and "exercises" in p.parts], "a source folder was built"
    leaks = find_leaks(files, all_secrets())
    assert not leaks, "\n".join(f"{leak.where}: {leak.line}" for leak in leaks[:10])


@pytest.mark.slow
def test_exercise_pages_and_downloads_work(book_html):
    index = (book_html / "book" / "exercises" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]*_downloads/[^"]+)"', index)
    assert len(links) == 2 * len(ASSIGNMENTS), links
    for link in links:
        target = (book_html / "book" / "exercises" / html.unescape(link)).resolve()
        assert target.is_file() and target.stat().st_size > 1000, link
    for a in ASSIGNMENTS:
        page = (book_html / "book" / "exercises" / "released" / f"{a.name}.html").read_text(encoding="utf-8")
        assert "NotImplementedError" in page and "JOUW ANTWOORD HIER" in page
        assert f"released/{a.name}.html" in index
