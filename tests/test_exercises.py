"""Are the exercise sources, their data and the release step well formed? (fast: no nbgrader runs)"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml

from ambassador.exercises.catalog import load_assignments
from ambassador.exercises.release import fingerprint, overview_table

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = load_assignments()
NAMES = [a.name for a in ASSIGNMENTS]


def notebook(assignment) -> dict:
    return json.loads(assignment.source_notebook.read_text(encoding="utf-8"))


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def nbgrader_meta(cell) -> dict:
    return cell["metadata"].get("nbgrader", {})


def test_catalogue_lists_the_four_course_assignments():
    assert NAMES == ["privacycheck", "posten-of-niet", "luisterrapport", "ambassadeursmodel"]
    for a in ASSIGNMENTS:
        assert 15 <= a.minutes <= 25, a
        assert (ROOT / f"{a.lesson}.md").is_file(), f"{a.name}: lesson {a.lesson} does not exist"


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=NAMES)
def test_source_and_data_files_exist(assignment):
    assert assignment.source_notebook.is_file()
    for name in assignment.data_files:
        assert (ROOT / "data" / name).is_file(), f"{assignment.name} declares data/{name}, which is missing"
    # data/ is the only copy of each dataset: nothing is duplicated into the source folder
    copies = [p.name for p in assignment.source_dir.iterdir() if p.name in assignment.data_files]
    assert not copies, f"{assignment.name}: {copies} duplicated in exercises/source/"


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=NAMES)
def test_source_is_stored_without_outputs(assignment):
    for cell in notebook(assignment)["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, nbgrader_meta(cell).get("grade_id")


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=NAMES)
def test_every_cell_has_valid_nbgrader_metadata(assignment):
    cells = notebook(assignment)["cells"]
    ids = [nbgrader_meta(c).get("grade_id") for c in cells]
    assert None not in ids, "every cell needs nbgrader metadata (instructions are read-only cells)"
    assert len(ids) == len(set(ids)), f"duplicate grade_id in {assignment.name}"
    kinds = {"tests": 0, "answers": 0, "manual": 0}
    for cell in cells:
        meta, text = nbgrader_meta(cell), source(cell)
        assert meta["schema_version"] == 3
        if cell["cell_type"] == "markdown" and meta["grade"]:
            assert meta["solution"] and meta["points"] > 0, meta  # a manually graded answer
            kinds["manual"] += 1
        elif meta["solution"]:
            assert "### BEGIN SOLUTION" in text and "### END SOLUTION" in text, meta["grade_id"]
            assert not meta["grade"] and not meta["locked"]
            kinds["answers"] += 1
        elif meta["grade"]:
            assert cell["cell_type"] == "code" and meta["locked"] and meta["points"] > 0, meta
            assert "### BEGIN HIDDEN TESTS" in text and "### END HIDDEN TESTS" in text, meta["grade_id"]
            first = text.splitlines()[0]
            assert first.startswith('"""') and first.endswith('"""') and len(first) > 12, (
                f"{meta['grade_id']}: the first line must be a one-line docstring saying what it checks")
            kinds["tests"] += 1
        else:
            assert meta["locked"], f"{meta['grade_id']}: instruction and given-code cells are read-only"
    assert all(kinds.values()), f"{assignment.name} needs tests, answer cells and a written part: {kinds}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=NAMES)
def test_every_assertion_explains_itself(assignment):
    """A bare AssertionError helps nobody: every assert in a test or helper cell carries a message."""
    for cell in notebook(assignment)["cells"]:
        if cell["cell_type"] != "code" or nbgrader_meta(cell)["solution"]:
            continue
        code = "\n".join(line for line in source(cell).splitlines() if not line.strip().startswith("###"))
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Assert):
                assert node.msg is not None, f"{assignment.name}/{nbgrader_meta(cell)['grade_id']}: line {node.lineno}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=NAMES)
def test_failure_messages_point_to_the_lesson(assignment):
    """Each test cell names the lesson (by its title) somewhere in its messages."""
    lesson_md = (ROOT / f"{assignment.lesson}.md").read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", lesson_md, re.M).group(1).strip()
    cells = [c for c in notebook(assignment)["cells"] if nbgrader_meta(c)["grade"] and c["cell_type"] == "code"]
    mentioning = [c for c in cells if f"les {title}" in source(c)]
    assert mentioning, f"{assignment.name}: no test message refers to the lesson '{title}'"


def test_data_files_hold_no_answers():
    posts = yaml.safe_load((ROOT / "data/voorbeeldposts.yaml").read_text(encoding="utf-8"))
    assert [p["id"] for p in posts["posts"]] == list(range(1, 13))
    assert all(set(p) == {"id", "auteur", "platform", "tekst"} for p in posts["posts"])
    assert set(posts["keuzes"]) == {"posten", "niet-posten", "conversatieteam"}
    situations = yaml.safe_load((ROOT / "data/ambassadeursmodel_situaties.yaml").read_text(encoding="utf-8"))
    assert all(set(s) == {"id", "tekst"} for s in situations["situaties"])
    assert {r["rol"] for r in situations["redenen"].values()} == set(situations["rollen"])
    profile = yaml.safe_load((ROOT / "data/privacycheck_profiel.yaml").read_text(encoding="utf-8"))
    assert all(set(s) == {"id", "platform", "instelling", "huidig"} for s in profile["instellingen"])


def test_privacy_profile_matches_the_lessons_settings():
    """Every setting in Noor's profile exists in data/privacy_settings.yaml (one source of recommendations)."""
    settings = yaml.safe_load((ROOT / "data/privacy_settings.yaml").read_text(encoding="utf-8"))
    known = {(row["platform"], row["setting"]) for row in settings}
    profile = yaml.safe_load((ROOT / "data/privacycheck_profiel.yaml").read_text(encoding="utf-8"))
    missing = [s["id"] for s in profile["instellingen"] if (s["platform"], s["instelling"]) not in known]
    assert not missing, f"not in privacy_settings.yaml (renamed there?): {missing}"


def test_answer_keys_use_the_ids_in_the_data():
    """The reference answers and hidden keys use only the decisions, rules, roles and reasons offered."""
    posts = yaml.safe_load((ROOT / "data/voorbeeldposts.yaml").read_text(encoding="utf-8"))
    situations = yaml.safe_load((ROOT / "data/ambassadeursmodel_situaties.yaml").read_text(encoding="utf-8"))
    allowed = {
        "posten-of-niet": set(posts["keuzes"]) | set(posts["regels"]),
        "ambassadeursmodel": set(situations["rollen"]) | set(situations["redenen"]),
    }
    for assignment in ASSIGNMENTS:
        if assignment.name not in allowed:
            continue
        cells = [c for c in notebook(assignment)["cells"] if nbgrader_meta(c)["grade"] or nbgrader_meta(c)["solution"]]
        keys = re.findall(r"_sleutel = \{[^}]*\}|antwoorden\[\d+\] = \([^)]*\)", "\n".join(source(c) for c in cells))
        words = {w for key in keys for w in re.findall(r'"([a-z-]+)"', key)}
        assert words, assignment.name
        assert words <= allowed[assignment.name], f"{assignment.name}: not offered to learners: {words - allowed[assignment.name]}"


def test_fingerprint_changes_with_source_or_data(tmp_path, monkeypatch):
    import shutil

    course = tmp_path / "course"
    for folder in ("exercises", "data"):
        shutil.copytree(ROOT / folder, course / folder, ignore=shutil.ignore_patterns("quizzes", "release", "*.db"))
    monkeypatch.setenv("AMBASSADOR_ROOT", str(course))
    posten = next(a for a in load_assignments() if a.name == "posten-of-niet")
    before = fingerprint(posten)
    assert fingerprint(posten) == before
    data = course / "data" / "voorbeeldposts.yaml"
    data.write_text(data.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    after_data = fingerprint(posten)
    assert after_data != before
    nb = posten.source_notebook
    nb.write_text(nb.read_text(encoding="utf-8").replace("Posten of niet?", "Posten of niet!"), encoding="utf-8")
    assert fingerprint(posten) != after_data


def test_overview_table_links_every_released_page_and_download():
    table = overview_table(ASSIGNMENTS)
    for a in ASSIGNMENTS:
        assert f"{{doc}}`{a.title} </book/exercises/released/{a.name}>`" in table
        assert f"{{download}}`notebook </book/exercises/released/{a.name}.ipynb>`" in table
        assert f"</book/exercises/released/{a.name}.zip>`" in table
        assert f"{{doc}}`/{a.lesson}`" in table
        assert "exercises/source" not in table


def test_book_wiring():
    """make book regenerates the released notebooks; the toc shows them right after the lessons."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("book-inputs:", 1)[1].split("\n\n", 1)[0]
    assert "ambassador exercises release-book" in recipe
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = [part["caption"] for part in toc["parts"]]
    assert captions.index("Oefeningen") == captions.index("Voor elke medewerker") + 1
    part = toc["parts"][captions.index("Oefeningen")]
    assert part["chapters"][0]["file"] == "book/exercises/index"
    assert [s["file"] for s in part["chapters"][0]["sections"]] == [f"book/exercises/released/{n}" for n in NAMES]
    index = (ROOT / "book/exercises/index.md").read_text(encoding="utf-8")
    assert index.startswith("(oefeningen)=") and "released/overzicht.inc" in index
    assert "exercises/source" not in index
    assert "released/" in (ROOT / ".gitignore").read_text(encoding="utf-8")


def test_cli_offers_release_book(ambassador):
    result = ambassador("exercises", "--help")
    assert result.returncode == 0 and "release-book" in result.stdout
