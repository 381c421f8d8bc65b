"""Does collect match hand-ins to the right person, refuse ambiguity and stay inside its folder?"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from ambassador.workshop.collect import collect
from ambassador.workshop.session import create_session

pytestmark = pytest.mark.slow  # creates nbgrader gradebooks

COURSE = Path(__file__).parent / "fixtures" / "workshop" / "course"


@pytest.fixture
def session(tmp_path, monkeypatch):
    monkeypatch.setenv("AMBASSADOR_ROOT", str(COURSE))
    people = tmp_path / "people.csv"
    people.write_text("id,name,e-mail,department\nanna,Anna A,,\nanna-b,Anna B,,\nbob,Bob C,,\n", encoding="utf-8")
    return create_session(tmp_path / "s", assignments=["proefopdracht"], participants_csv=people).session


def notebook(path: Path) -> Path:
    source = COURSE / "exercises" / "source" / "proefopdracht" / "proefopdracht.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_longest_id_wins_and_ambiguous_names_are_refused(session, tmp_path):
    inbox = tmp_path / "inbox"
    notebook(inbox / "proefopdracht_anna-b.ipynb")
    notebook(inbox / "anna" / "proefopdracht.ipynb")
    notebook(inbox / "proefopdracht anna en bob.ipynb")
    result = collect(session, inbox)
    assert sorted(result.placed) == ["anna-b/proefopdracht", "anna/proefopdracht"]
    assert any("matches several participants (anna, bob)" in line for line in result.unmatched)


def test_zip_entries_cannot_escape_and_zip_name_is_not_a_participant(session, tmp_path):
    source = notebook(tmp_path / "nb.ipynb").read_bytes()
    archive_path = tmp_path / "bob-inleveringen.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("../../buiten.ipynb", source)
        archive.writestr("anna/proefopdracht.ipynb", source)
    result = collect(session, archive_path)
    assert result.placed == ["anna/proefopdracht"]  # not bob, although the zip is named after him
    assert not (tmp_path / "buiten.ipynb").exists()


def test_same_file_twice_is_collected_once(session, tmp_path):
    inbox = tmp_path / "inbox"
    nb = notebook(inbox / "bob" / "proefopdracht.ipynb")
    assert collect(session, inbox).placed == ["bob/proefopdracht"]
    again = collect(session, inbox)
    assert again.unchanged == ["bob/proefopdracht"] and not again.placed
    assert json.loads(nb.read_text())["cells"]
