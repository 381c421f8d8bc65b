"""A whole lunch session through the real command line, on the tiny fixture course.

One module-scoped session is created, released, collected and graded once
(with --jobs 3 and a scrubbed PATH); the tests then ask questions about it:
each bad hand-in, the sandbox escape attempts, feedback, status, re-runs,
and whether a sequential run gives the same grades.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import BIN, run_ambassador

pytestmark = pytest.mark.slow

COURSE = Path(__file__).parent / "fixtures" / "workshop" / "course"
PEOPLE = """id,name,e-mail,department
anna,Anna Peeters,anna@vlotwater.example,Klantendienst
bram,Bram Wouters,bram@vlotwater.example,Labo
carla,Carla Janssens,,Communicatie
dirk,Dirk Maes,,Netbeheer
eva,Eva Claes,,Netbeheer
fien,Fien Goossens,,Labo
gert,Gert Willems,,Klantendienst
hans,Hans Jacobs,,Communicatie
ilse,Ilse Mertens,,HR
joris,Joris Hermans,,HR
kim,Kim Dubois,,Labo
mallory,Mallory Smet,,Netbeheer
"""
HIDDEN_CODE = "assert dubbel(-3) == -6"


def scrubbed_env() -> dict:
    """No venv on PATH: every entry point must find alembic and friends itself."""
    return {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"),
            "AMBASSADOR_ROOT": str(COURSE), "LANG": "C.UTF-8"}


def cli(*args, **kwargs):
    result = run_ambassador("workshop", *args, env=scrubbed_env(), **kwargs)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


def set_cell(nb: dict, grade_id: str, source: str) -> None:
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
            cell["source"] = source
            return
    raise KeyError(grade_id)


def drop_cell(nb: dict, grade_id: str) -> None:
    nb["cells"] = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") != grade_id]


def escape_code(root: Path, port: int) -> str:
    """Learner code that tries to reach what it must not see; prints what it got."""
    targets = {
        "source": f"{root}/source/proefopdracht/proefopdracht.ipynb",
        "source-relative": "../../../source/proefopdracht/proefopdracht.ipynb",
        "gradebook": f"{root}/gradebook.db",
        "other-participant": f"{root}/submitted/anna/proefopdracht/proefopdracht.ipynb",
        "other-autograded": f"{root}/autograded/anna/proefopdracht/proefopdracht.ipynb",
        "course-sources": f"{COURSE}/exercises/source/proefopdracht/proefopdracht.ipynb",
    }
    return f"""import socket, sqlite3
escape = {{}}
for name, path in {targets!r}.items():
    try:
        open(path, "rb").read(10)
        escape[name] = "OPEN"
    except Exception as error:
        escape[name] = "blocked"
try:
    sqlite3.connect("file:{root}/gradebook.db?mode=rw", uri=True).execute("DELETE FROM student")
    escape["gradebook-write"] = "OPEN"
except Exception:
    escape["gradebook-write"] = "blocked"
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
    escape["network"] = "OPEN"
except Exception:
    escape["network"] = "blocked"
import os
pids = [p for p in os.listdir("/proc") if p.isdigit()]
escape["host-processes"] = "OPEN" if len(pids) > 5 else "blocked"
try:
    hog = bytearray(3 * 1024 ** 3)
    escape["memory"] = "OPEN"
    del hog
except MemoryError:
    escape["memory"] = "blocked"
print("ESCAPE", sorted(escape.items()))

def dubbel(x):
    return 2 * x
"""


@pytest.fixture(scope="module")
def listener():
    """A TCP server on the host: reachable from here, not from a sandboxed kernel."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            accepted.append(1)
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    port = server.getsockname()[1]
    socket.create_connection(("127.0.0.1", port), timeout=3).close()
    time.sleep(0.2)
    baseline = len(accepted)
    yield SimpleNamespace(port=port, count=lambda: len(accepted) - baseline)
    server.close()


def make_inbox(root: Path, inbox: Path, port: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from ambassador.workshop.session import open_session
    from ambassador.workshop.synthetic import hand_in

    s = open_session(root)
    write = lambda path, nb: (path.parent.mkdir(parents=True, exist_ok=True),
                              path.write_text(json.dumps(nb), encoding="utf-8"))
    write(inbox / "anna" / "proefopdracht.ipynb", hand_in(s, "proefopdracht", "right"))
    write(inbox / "anna" / "tweede-opdracht.ipynb", hand_in(s, "tweede-opdracht", "right"))
    write(inbox / "proefopdracht_bram.ipynb", hand_in(s, "proefopdracht", "partly"))
    # carla's personalised copy, renamed: matched by its metadata alone.
    shutil.copy(root / "share" / "participants" / "carla" / "proefopdracht" / "proefopdracht.ipynb",
                inbox / "Kopie van opdracht (1).ipynb")
    (inbox / "dirk").mkdir()
    (inbox / "dirk" / "proefopdracht.ipynb").write_text('{"cells": [ {"cell_type": "code", ', encoding="utf-8")
    write(inbox / "eva" / "proefopdracht.ipynb", hand_in(s, "tweede-opdracht", "right"))
    fien = hand_in(s, "proefopdracht", "right")
    drop_cell(fien, "test_zichtbaar")
    set_cell(fien, "woorden", "def aantal_woorden():\n    return 99")
    set_cell(fien, "test_woorden", "assert True")
    set_cell(fien, "uitleg", "# Ik heb de uitleg veranderd")
    write(inbox / "fien" / "proefopdracht.ipynb", fien)
    gert = hand_in(s, "proefopdracht", "right")
    set_cell(gert, "antwoord", "while True:\n    pass")
    write(inbox / "gert" / "proefopdracht.ipynb", gert)
    hans = hand_in(s, "proefopdracht", "right")
    set_cell(hans, "antwoord", "def dubbel(x):\n    return 2 * x\n\nfor i in range(40):\n    print('x' * 100_000)")
    write(inbox / "hans" / "proefopdracht.ipynb", hans)
    old = inbox / "ilse" / "proefopdracht.ipynb"
    write(old, hand_in(s, "proefopdracht", "partly"))
    os.utime(old, (time.time() - 600, time.time() - 600))
    write(inbox / "proefopdracht-ilse.ipynb", hand_in(s, "proefopdracht", "right"))
    mallory = hand_in(s, "proefopdracht", "right")
    set_cell(mallory, "antwoord", escape_code(root, port))
    write(inbox / "mallory" / "proefopdracht.ipynb", mallory)
    write(inbox / "proefopdracht_zeno.ipynb", hand_in(s, "proefopdracht", "right"))


@pytest.fixture(scope="module")
def session(tmp_path_factory, listener):
    base = tmp_path_factory.mktemp("workshop")
    (base / "deelnemers.csv").write_text(PEOPLE, encoding="utf-8")
    root = base / "lunch-sessie"
    out = SimpleNamespace(root=root, base=base)
    out.new = cli("new", str(root), "--assignments", "proefopdracht,tweede-opdracht",
                  "--participants", str(base / "deelnemers.csv"), "--timeout", "5")
    out.release = cli("release", "-s", str(root))
    inbox = base / "inbox"
    make_inbox(root, inbox, listener.port)
    # Half of the hand-ins arrive as a folder, the rest as a zip (as from a mail client).
    zipped = base / "inleveringen.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in sorted(inbox.rglob("*.ipynb")):
            if path.parts[-2] in ("gert", "hans", "mallory"):
                archive.write(path, path.relative_to(inbox))
                path.unlink()
    out.collect = cli("collect", "-s", str(root), "--from", str(inbox))
    out.collect_zip = cli("collect", "-s", str(root), "--from", str(zipped))
    # kim's hand-in came in without its notebook (as from a broken exchange submit).
    (root / "submitted" / "kim" / "proefopdracht").mkdir(parents=True)
    (root / "submitted" / "kim" / "proefopdracht" / "timestamp.txt").write_text("2026-11-21 12:00:00.000000 UTC")
    shutil.copytree(root, base / "sequential")
    # More workers than cores: many gradebook writers at once must still lose nothing.
    out.grade = cli("grade", "-s", str(root), "--jobs", "3", timeout=900)
    out.feedback = cli("feedback", "-s", str(root))
    out.status = cli("status", "-s", str(root))
    out.summary = cli("summary", "-s", str(root))
    out.state = json.loads((root / ".workshop" / "graded.json").read_text())
    out.log_lines = (root / ".workshop" / "grade-log.jsonl").read_text().splitlines()
    return out


def scores(root: Path) -> dict[str, tuple]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from nbgrader.api import Gradebook

    result = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for assignment in ("proefopdracht", "tweede-opdracht"):
            for sub in gb.assignment_submissions(assignment):
                result[f"{sub.student.id}/{assignment}"] = (sub.score, sub.max_score)
    return result


def outputs(root: Path, participant: str, assignment: str = "proefopdracht") -> str:
    nb = json.loads((root / "autograded" / participant / assignment / f"{assignment}.ipynb").read_text())
    return json.dumps([c.get("outputs", []) for c in nb["cells"]])


# -- new / release ---------------------------------------------------------------

def test_new_makes_a_normal_nbgrader_course(session):
    """Can nbgrader itself open the session folder?"""
    root = session.root
    assert "assignment added: proefopdracht" in session.new.stdout
    for name in ("nbgrader_config.py", "gradebook.db", "participants.csv", "source/proefopdracht/proefopdracht.ipynb",
                 "source/proefopdracht/woorden.csv", "release/proefopdracht/proefopdracht.ipynb"):
        assert (root / name).exists(), name
    env = dict(os.environ, PATH=f"{BIN}:/usr/bin:/bin")
    listed = subprocess.run([str(BIN / "nbgrader"), "db", "student", "list"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "mallory" in listed.stdout and "Peeters" in listed.stdout


def test_new_rejects_a_bad_participants_file_naming_the_line(tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_text("id,name,e-mail,department\nanna,Anna,,\nanna,Anna Twee,,\n", encoding="utf-8")
    result = run_ambassador("workshop", "new", str(tmp_path / "s"), "--assignments", "proefopdracht",
                            "--participants", str(bad), env=scrubbed_env())
    assert result.returncode == 1
    assert "line 3" in result.stderr and "already used on line 2" in result.stderr


def test_new_rejects_an_unknown_assignment(tmp_path):
    result = run_ambassador("workshop", "new", str(tmp_path / "s"), "--assignments", "bestaat-niet", env=scrubbed_env())
    assert result.returncode == 1 and "unknown assignment 'bestaat-niet'" in result.stderr


def test_release_hands_out_no_answers_or_hidden_tests(session):
    share = session.root / "share"
    texts = [p.read_text() for p in share.rglob("*.ipynb")]
    assert len(texts) == 2 + 2 * 12  # generic + one per participant per assignment
    for text in texts:
        assert "BEGIN SOLUTION" not in text and "return 2 * x" not in text and HIDDEN_CODE not in text
    with zipfile.ZipFile(session.root / "lunch-sessie-notebooks.zip") as archive:
        names = archive.namelist()
        assert "lunch-sessie/participants/anna/proefopdracht/proefopdracht.ipynb" in names
        assert all(HIDDEN_CODE not in archive.read(n).decode() for n in names if n.endswith(".ipynb"))
    personal = json.loads((share / "participants" / "bram" / "proefopdracht" / "proefopdracht.ipynb").read_text())
    assert personal["metadata"]["ambassador"]["participant"] == "bram"


# -- collect -----------------------------------------------------------------------

def test_collect_matches_by_folder_file_name_and_metadata(session):
    out = session.collect.stdout
    for key in ("anna/proefopdracht", "anna/tweede-opdracht", "bram/proefopdracht", "carla/proefopdracht"):
        assert f"collected: {key}" in out
    assert "collected: gert/proefopdracht" in session.collect_zip.stdout


def test_unknown_person_is_reported_and_kept(session):
    assert "not matched: proefopdracht_zeno.ipynb: no participant on the list" in session.collect.stdout
    assert (session.root / ".workshop" / "unmatched" / "proefopdracht_zeno.ipynb").exists()
    assert not (session.root / "submitted" / "zeno").exists()


def test_invalid_json_gets_one_line_and_attention(session):
    assert "needs attention: dirk/proefopdracht: dirk/proefopdracht.ipynb is not a valid notebook (line 1)" in session.collect.stdout
    assert not (session.root / "submitted" / "dirk").exists()
    assert "dirk/proefopdracht: dirk/proefopdracht.ipynb is not a valid notebook" in session.status.stdout


def test_notebook_of_another_assignment_is_not_used(session):
    assert "eva/proefopdracht: eva/proefopdracht.ipynb is named for 'proefopdracht' but holds the notebook of 'tweede-opdracht'" in session.collect.stdout
    assert not (session.root / "submitted" / "eva").exists()
    row = next(l for l in session.status.stdout.splitlines() if l.startswith("eva "))
    assert "attention" in row


def test_two_hand_ins_use_the_newest_and_keep_the_other(session):
    assert "ilse/proefopdracht: two hand-ins: used proefopdracht-ilse.ipynb (newest), kept ilse/proefopdracht.ipynb" in session.collect.stdout
    assert list((session.root / ".workshop" / "earlier" / "ilse").rglob("*.ipynb"))
    assert scores(session.root)["ilse/proefopdracht"] == (4, 4)


# -- grade -----------------------------------------------------------------------

def test_grades_are_right_for_honest_hand_ins(session):
    got = scores(session.root)
    assert got["anna/proefopdracht"] == (4, 4)
    assert got["anna/tweede-opdracht"] == (1, 1)
    assert got["bram/proefopdracht"] == (3, 4)
    assert got["carla/proefopdracht"] == (0, 4)
    assert "graded anna/proefopdracht: 4/4" in session.grade.stdout


def test_every_hand_in_graded_exactly_once(session):
    keys = [json.loads(l)["key"] for l in session.log_lines]
    assert sorted(keys) == sorted(set(keys))
    assert set(keys) == {"anna/proefopdracht", "anna/tweede-opdracht", "bram/proefopdracht", "carla/proefopdracht",
                         "fien/proefopdracht", "gert/proefopdracht", "hans/proefopdracht", "ilse/proefopdracht",
                         "kim/proefopdracht", "mallory/proefopdracht"}


def test_deleted_and_edited_test_cells_are_restored_and_reported(session):
    problems = session.state["fien/proefopdracht"]["problems"]
    assert "test cell 'test_zichtbaar' was deleted (the original is put back and counts)" in problems
    assert "test cell 'test_woorden' was edited (the original is put back and counts)" in problems
    assert "read-only cell 'uitleg' was edited (the original is put back and counts)" in problems
    # The original test_woorden ran and failed on her wrong answer: editing the test did not help.
    assert scores(session.root)["fien/proefopdracht"] == (3, 4)


def test_endless_loop_hits_the_time_limit_and_the_rest_is_graded(session):
    assert any("hit the 5 s time limit" in p for p in session.state["gert/proefopdracht"]["problems"])
    assert scores(session.root)["gert/proefopdracht"] == (1, 4)  # only the word count test passes


def test_huge_output_is_cut_off(session):
    assert any("output was cut off" in p for p in session.state["hans/proefopdracht"]["problems"])
    assert scores(session.root)["hans/proefopdracht"] == (4, 4)
    size = (session.root / "autograded" / "hans" / "proefopdracht" / "proefopdracht.ipynb").stat().st_size
    assert size < 1_000_000


def test_missing_notebook_scores_zero_with_a_note(session):
    assert "proefopdracht.ipynb is missing from the hand-in; scored 0" in session.state["kim/proefopdracht"]["problems"]
    assert scores(session.root)["kim/proefopdracht"] == (0, 4)


def test_sandbox_keeps_learner_code_away_from_what_it_must_not_see(session, listener):
    text = outputs(session.root, "mallory")
    assert "ESCAPE" in text
    for name in ("source", "source-relative", "gradebook", "gradebook-write", "other-participant",
                 "other-autograded", "course-sources", "network", "host-processes", "memory"):
        assert f"('{name}', 'blocked')" in text, text
    assert "OPEN" not in text
    assert listener.count() == 0
    # The escape attempt did not cost the honest part of the hand-in anything, nor the gradebook.
    assert scores(session.root)["mallory/proefopdracht"] == (4, 4)
    assert scores(session.root)["anna/proefopdracht"] == (4, 4)


def test_no_kernel_outlives_grading(session):
    leftover = subprocess.run(["pgrep", "-f", "ambassador.workshop.sandbox"], capture_output=True, text=True)
    assert str(session.root) not in leftover.stdout


# -- feedback and status ------------------------------------------------------------

def test_feedback_shows_results_but_not_hidden_test_code(session):
    hand_back = session.root / "hand-back"
    pages = sorted(p.relative_to(hand_back).as_posix() for p in hand_back.rglob("*.html"))
    assert "anna/proefopdracht.html" in pages and "anna/tweede-opdracht.html" in pages
    assert "gert/proefopdracht.html" in pages
    for page in list(hand_back.rglob("*.html")) + list((session.root / "feedback").rglob("*.html")):
        text = page.read_text()
        assert HIDDEN_CODE not in text and "BEGIN HIDDEN TESTS" not in text, page
    gert = (hand_back / "gert" / "proefopdracht.html").read_text()
    assert "NameError" in gert  # the hidden test's result is there, its code is not
    assert "Werkt dubbel ook voor negatieve getallen?" in gert


def test_status_table_and_csv(session):
    lines = session.status.stdout.splitlines()
    assert lines[0].split() == ["id", "name", "proefopdracht", "tweede-opdracht"]
    row = lambda pid: next(l for l in lines if l.startswith(pid + " "))
    assert "4/4" in row("anna") and "1/1" in row("anna")
    assert row("joris").split()[-2:] == ["-", "-"]
    assert "attention" in row("dirk")
    csv_text = (session.root / "status.csv").read_text()
    assert csv_text.splitlines()[0].startswith("id,name,department,assignment,handed_in,graded,score,max_score")
    assert "bram,Bram Wouters,Labo,proefopdracht,1,1,3,4,0,0," in csv_text
    assert "proefopdracht: 9/12 handed in, 9 graded" in session.summary.stdout


# -- re-running, resuming and parallel == sequential ------------------------------

def test_parallel_grades_equal_sequential_grades(session):
    sequential = session.base / "sequential"
    cli("grade", "-s", str(sequential), "--jobs", "1", timeout=900)
    assert scores(sequential) == scores(session.root)


def test_running_every_step_again_changes_nothing(session):
    inbox = session.base / "inbox"
    again = cli("collect", "-s", str(session.root), "--from", str(inbox))
    assert "0 new hand-in(s)" in again.stdout
    graded = cli("grade", "-s", str(session.root))
    assert "already graded, unchanged: 10" in graded.stdout and "0 graded" in graded.stdout
    assert (session.root / ".workshop" / "grade-log.jsonl").read_text().splitlines() == session.log_lines
    feedback = cli("feedback", "-s", str(session.root))
    assert "feedback already made, unchanged: 9" in feedback.stdout  # kim has nothing to give feedback on


def test_a_new_version_keeps_the_earlier_hand_in(session):
    """Runs last: bram hands in again; the first version is kept, only bram is graded again."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from ambassador.workshop.session import open_session
    from ambassador.workshop.synthetic import write_hand_in

    first = (session.root / "submitted" / "bram" / "proefopdracht" / "proefopdracht.ipynb").read_text()
    later = session.base / "later"
    write_hand_in(open_session(session.root), "proefopdracht", "right", later / "bram" / "proefopdracht.ipynb")
    out = cli("collect", "-s", str(session.root), "--from", str(later))
    assert "collected a newer version: bram/proefopdracht" in out.stdout
    kept = list((session.root / ".workshop" / "earlier" / "bram").rglob("proefopdracht.ipynb"))
    assert [k.read_text() for k in kept] == [first]
    graded = cli("grade", "-s", str(session.root))
    assert "graded bram/proefopdracht: 4/4" in graded.stdout and "1 graded" in graded.stdout
