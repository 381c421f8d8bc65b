"""Do the exercises grade fairly through nbgrader's own commands?

One temporary course folder holds all four assignments. nbgrader's real command
line (``.venv/bin/nbgrader``) validates the sources, generates the released
versions and autogrades every learner of an assignment in one call; scores are
read from the gradebook. Learners per assignment:

- ``referentie``: the released notebook with the reference solution filled in;
- ``leeg``: the released notebook as handed out;
- ``deels``: only the first answer cell filled in;
- ``fout``: one deliberately wrong answer (its test must fail in plain Dutch);
- ``constant-*``: the same answer everywhere (posten-of-niet, ambassadeursmodel)
  or "change everything" (privacycheck): gaming attempts that must score low.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ambassador.exercises.catalog import assemble_source, load_assignments

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


def _reference_with(name: str, grade_id: str, extra: str) -> str:
    """The reference solution of one answer cell, followed by ``extra`` lines."""
    source = json.loads(ASSIGNMENTS[name].source_notebook.read_text(encoding="utf-8"))
    cell = next(c for c in source["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)
    text = "".join(cell["source"])
    body = text.split("### BEGIN SOLUTION\n", 1)[1].split("### END SOLUTION", 1)[0]
    return body + extra
ASSIGNMENTS = {a.name: a for a in load_assignments()}
COURSE_ID = "ambassadeurscursus"
MARKERS = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")

# grade_id of an answer cell -> wrong code, the test cell that must fail, and
# words its message must contain (Dutch, pointing to the lesson).
WRONG = {
    "privacycheck": ("nieuwe_waarden", 'nieuwe_waarden = {"fb-berichten": "Openbaar"}',
                     "test_nieuwe_waarden", ["niet de aanbevolen waarde", "les Je privacy-instellingen op orde"]),
    "posten-of-niet": ("antwoorden", 'antwoorden = {p: ("posten", "zeker-weten") for p in range(1, 12)}',
                       "test_keuzes_1_6", ["nog geen antwoord bij post(s) [12]"]),
    "luisterrapport": ("aandeel_negatief",
                       'aandeel_negatief = (df["sentiment"] == "negatief").groupby(df["week"]).mean() * 100',
                       "test_aandeel_negatief", ["geen percentage"]),
    "ambassadeursmodel": ("antwoorden", 'antwoorden = {s: ("ambassadeur", "doelen") for s in range(1, 11)}',
                          "test_rollen_1_5", ["past de reden 'doelen' niet bij de rol 'ambassadeur'"]),
}

# Gaming attempts: grade_id -> code replacing the reference answer.
GAMING = {
    "posten-of-niet": {
        f"constant-{keuze}": {"antwoorden": f'antwoorden = {{p: ("{keuze}", "{regel}") for p in range(1, 13)}}'}
        for keuze, regel in [("posten", "zeker-weten"), ("niet-posten", "respect"), ("conversatieteam", "mandaat")]
    },
    "ambassadeursmodel": {
        f"constant-{rol}": {"antwoorden": f'antwoorden = {{s: ("{rol}", "{reden}") for s in range(1, 11)}}'}
        for rol, reden in [("management", "doelen"), ("ambassadeur", "netwerk"), ("conversatieteam", "crisis")]
    },
    "privacycheck": {
        "constant-alles": {
            "te_open": "te_open = list(AANBEVOLEN)",
            "nieuwe_waarden": "nieuwe_waarden = dict(AANBEVOLEN)",
        },
    },
}
# Partly right where one cell holds all answers: two wrong decisions among posts
# (situations) 1-6 (1-5) cost that cell's points; everything else is right.
PARTIAL = {
    "posten-of-niet": {"antwoorden": _reference_with(
        "posten-of-niet", "antwoorden",
        'antwoorden[2] = ("posten", "vertrouwelijk")\nantwoorden[4] = ("posten", "persoonsgegevens")')},
    "ambassadeursmodel": {"antwoorden": _reference_with(
        "ambassadeursmodel", "antwoorden",
        'antwoorden[2] = ("ambassadeur", "netwerk")\nantwoorden[5] = ("ambassadeur", "collega-helpen")')},
}
# A learner who games an assignment gets at most this share of its autograded points.
GAMING_MAX_SHARE = 0.2


def nbgrader(*args: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    """The real `nbgrader` command, with the venv's bin/ on PATH (it starts `alembic`)."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run([str(BIN / "nbgrader"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def read_nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def cells_by_id(nb: dict) -> dict[str, dict]:
    return {c["metadata"]["nbgrader"]["grade_id"]: c for c in nb["cells"] if "nbgrader" in c["metadata"]}


def source_of(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def reference_answer(cell: dict) -> str:
    """A source answer cell as a learner would hand it in: the solution, markers removed."""
    return "\n".join(line for line in source_of(cell).splitlines() if not MARKERS.match(line))


def submission(released: dict, source: dict, answers: dict[str, str] | None, fill: set[str] | None) -> dict:
    """The released notebook with answer cells filled in.

    ``fill``: which solution cells get the reference answer (None: all);
    ``answers``: code that replaces the reference answer in a given cell.
    """
    nb = json.loads(json.dumps(released))
    reference = cells_by_id(source)
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if not meta.get("solution"):
            continue
        grade_id = meta["grade_id"]
        if fill is not None and grade_id not in fill:
            continue
        if answers and grade_id in answers:
            cell["source"] = _replace(answers[grade_id], reference[grade_id])
        else:
            cell["source"] = reference_answer(reference[grade_id])
    return nb


def _replace(wrong: str, source_cell: dict) -> str:
    """The reference cell with its solution region replaced by ``wrong``.

    What the cell holds outside the region (the example answer, a last line
    showing the result) stays, as in the released notebook.
    """
    out, inside = [], False
    for line in source_of(source_cell).splitlines():
        if MARKERS.match(line) and "BEGIN SOLUTION" in line:
            inside = True
            out.append(wrong)
        elif MARKERS.match(line) and "END SOLUTION" in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def learners(name: str) -> dict[str, tuple[dict | None, set[str] | None]]:
    """Student id -> (answers replacing the reference, cells to fill) for one assignment."""
    answer_cells = [gid for gid, c in cells_by_id(read_nb(ASSIGNMENTS[name].source_notebook)).items()
                    if c["metadata"]["nbgrader"].get("solution") and c["cell_type"] == "code"]
    grade_id, wrong, _, _ = WRONG[name]
    result = {
        "referentie": (None, None),
        "leeg": (None, set()),
        "deels": (PARTIAL[name], None) if name in PARTIAL else (None, {answer_cells[0]}),
        "fout": ({grade_id: wrong}, None),
    }
    for student, answers in GAMING.get(name, {}).items():
        result[student] = (answers, None)
    return result


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course folder with every assignment generated, submitted and autograded."""
    from ambassador.paths import exercises_dir

    root = tmp_path_factory.mktemp("cursus")
    shutil.copy2(exercises_dir() / "nbgrader_config.py", root / "nbgrader_config.py")
    for assignment in ASSIGNMENTS.values():
        assemble_source(assignment, root / "source")
        result = nbgrader("generate_assignment", assignment.name, "--force", cwd=root)
        assert result.returncode == 0, f"{assignment.name}: generate_assignment failed\n{result.stderr[-3000:]}"

    for name, assignment in ASSIGNMENTS.items():
        released = read_nb(root / "release" / name / assignment.notebook)
        source = read_nb(assignment.source_notebook)
        for student, (answers, fill) in learners(name).items():
            folder = root / "submitted" / student / name
            shutil.copytree(root / "release" / name, folder)
            (folder / assignment.notebook).write_text(
                json.dumps(submission(released, source, answers, fill)), encoding="utf-8")

    # One autograde call per assignment grades all its learners: nbgrader's start-up
    # is paid four times, not once per notebook.
    for name in ASSIGNMENTS:
        result = nbgrader("autograde", name, "--force", cwd=root)
        assert result.returncode == 0, f"{name}: autograde failed\n{result.stderr[-3000:]}"
    return root


def scores(course: Path, name: str, student: str) -> dict[str, tuple[float, float]]:
    """grade_id -> (autograded score, max) of the autograded cells, from the gradebook."""
    from nbgrader.api import Gradebook

    notebook = Path(ASSIGNMENTS[name].notebook).stem
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=COURSE_ID) as gb:
        nb = gb.find_submission_notebook(notebook, name, student)
        return {g.name: (g.auto_score, g.max_score) for g in nb.grades if g.cell_type == "code"}


def total(course: Path, name: str, student: str) -> tuple[float, float]:
    found = scores(course, name, student)
    return sum(s or 0 for s, _ in found.values()), sum(m for _, m in found.values())


def test_sources_pass_nbgrader_validate(tmp_path):
    """Does every source notebook (with solutions) pass its own tests? One `nbgrader validate` call."""
    notebooks = [str(assemble_source(a, tmp_path) / a.notebook) for a in ASSIGNMENTS.values()]
    result = nbgrader("validate", *notebooks, cwd=tmp_path)
    successes = result.stdout.count("Success! Your notebook passes all the tests.")
    assert result.returncode == 0 and successes == len(notebooks), (
        f"nbgrader validate: {successes} of {len(notebooks)} sources pass\n{result.stdout[-4000:]}")


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_reference_solution_gets_full_marks(course, name):
    earned, possible = total(course, name, "referentie")
    assert possible > 0
    assert earned == possible, (name, scores(course, name, "referentie"))


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_blank_released_version_gets_zero(course, name):
    earned, possible = total(course, name, "leeg")
    assert earned == 0, (name, scores(course, name, "leeg"))


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_partly_right_submission_gets_partial_marks(course, name):
    earned, possible = total(course, name, "deels")
    assert 0 < earned < possible, (name, scores(course, name, "deels"))


@pytest.mark.parametrize("name", ["posten-of-niet", "ambassadeursmodel", "privacycheck"])
def test_gaming_attempts_score_low(course, name):
    for student in GAMING[name]:
        earned, possible = total(course, name, student)
        assert earned <= GAMING_MAX_SHARE * possible, (name, student, scores(course, name, student))


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_wrong_answer_fails_with_a_dutch_message(course, name):
    _, _, test_id, fragments = WRONG[name]
    autograded = course / "autograded" / "fout" / name / ASSIGNMENTS[name].notebook
    cell = cells_by_id(read_nb(autograded))[test_id]
    errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
    assert errors, f"{name}: {test_id} should fail for the wrong answer"
    assert errors[0]["ename"] == "AssertionError", errors[0]["ename"]  # not a NameError or TypeError
    message = errors[0]["evalue"]
    for fragment in fragments:
        assert fragment in message, (name, message)
    assert scores(course, name, "fout")[test_id][0] == 0


def test_one_slip_is_forgiven_two_are_not(course):
    """Posten of niet: two wrong decisions among posts 1-6 cost that cell, the rest keeps its points."""
    found = scores(course, "posten-of-niet", "deels")
    assert found["test_keuzes_1_6"][0] == 0, found
    assert all(score == maximum for gid, (score, maximum) in found.items() if gid != "test_keuzes_1_6"), found


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_unanswered_questions_get_a_dutch_message_not_a_python_error(course, name):
    """A learner who has not answered yet sees 'Je hebt ... nog niet' rather than a NameError."""
    autograded = read_nb(course / "autograded" / "leeg" / name / ASSIGNMENTS[name].notebook)
    for grade_id, cell in cells_by_id(autograded).items():
        meta = cell["metadata"]["nbgrader"]
        if cell["cell_type"] != "code" or not meta.get("grade"):
            continue
        errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
        assert errors and errors[0]["ename"] == "AssertionError", (name, grade_id, errors[:1])
        assert errors[0]["evalue"].startswith(("Je hebt", "Er staat", "`")), (name, grade_id, errors[0]["evalue"])
