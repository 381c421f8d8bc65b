"""Grading that is stopped and started again, and grading that must not start unprotected."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BIN, run_ambassador

pytestmark = pytest.mark.slow

COURSE = Path(__file__).parent / "fixtures" / "workshop" / "course"
KINDS = ["right", "partly", "blank", "right", "broken", "partly", "right", "blank"]
EXPECTED = {"right": 4, "partly": 3, "blank": 0, "broken": 0}


def env(**extra) -> dict:
    return {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), "AMBASSADOR_ROOT": str(COURSE),
            "LANG": "C.UTF-8", **extra}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A released session with eight hand-ins collected, not yet graded."""
    base = tmp_path_factory.mktemp("grading")
    people = base / "people.csv"
    people.write_text("id,name,e-mail,department\n" + "".join(
        f"p{i:02d},Deelnemer {i},,Labo\n" for i in range(1, len(KINDS) + 1)), encoding="utf-8")
    root = base / "sessie"
    for args in (("new", str(root), "--assignments", "proefopdracht", "--participants", str(people), "--timeout", "10"),
                 ("release", "-s", str(root))):
        result = run_ambassador("workshop", *args, env=env())
        assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from ambassador.workshop.session import open_session
    from ambassador.workshop.synthetic import write_hand_in

    session = open_session(root)
    for i, kind in enumerate(KINDS, start=1):
        write_hand_in(session, "proefopdracht", kind, base / "inbox" / f"p{i:02d}" / "proefopdracht.ipynb")
    result = run_ambassador("workshop", "collect", "-s", str(root), "--from", str(base / "inbox"), env=env())
    assert result.returncode == 0 and f"{len(KINDS)} new hand-in(s)" in result.stdout
    return root


def grade_log(root: Path) -> list[str]:
    path = root / ".workshop" / "grade-log.jsonl"
    return [json.loads(l)["key"] for l in path.read_text().splitlines()] if path.exists() else []


def test_grade_refuses_without_a_working_sandbox(collected):
    """No bwrap on PATH: grading stops with a clear message instead of running learner code unprotected."""
    result = run_ambassador("workshop", "grade", "-s", str(collected), env=env(PATH="/nonexistent"))
    assert result.returncode == 1
    assert "bubblewrap" in result.stderr and "--no-sandbox" in result.stderr
    assert grade_log(collected) == []


def test_kill_and_restart_loses_nothing_and_grades_nothing_twice(collected):
    proc = subprocess.Popen([str(BIN / "ambassador"), "workshop", "grade", "-s", str(collected), "--jobs", "2"],
                            env=env(), start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 400
    while len(grade_log(collected)) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole process group, as Ctrl-\ or a closed laptop would
    proc.wait()
    before = grade_log(collected)
    assert 2 <= len(before) < len(KINDS), "grading should have been stopped midway"
    time.sleep(3)
    leftover = subprocess.run(["pgrep", "-af", str(collected)], capture_output=True, text=True).stdout
    assert leftover == "", f"kernels outlived the killed grader:\n{leftover}"

    again = run_ambassador("workshop", "grade", "-s", str(collected), "--jobs", "2", env=env(), timeout=900)
    assert again.returncode == 0, again.stderr
    assert f"already graded, unchanged: {len(before)}" in again.stdout
    keys = grade_log(collected)
    assert sorted(keys) == sorted(set(keys)), "a hand-in was graded twice"
    assert set(keys) == {f"p{i:02d}/proefopdracht" for i in range(1, len(KINDS) + 1)}

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{collected / 'gradebook.db'}") as gb:
        for i, kind in enumerate(KINDS, start=1):
            sub = gb.find_submission("proefopdracht", f"p{i:02d}")
            assert sub.score == EXPECTED[kind], (i, kind)
            assert all(g.score is not None for nb in sub.notebooks for g in nb.grades)


def test_release_and_collect_through_the_nbgrader_exchange(tmp_path):
    """On a JupyterHub: release puts the assignment in the exchange, collect --exchange takes hand-ins from it."""
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    root = tmp_path / "hub-sessie"
    for args in (("new", str(root), "--assignments", "proefopdracht", "--exchange", str(exchange)),
                 ("release", "-s", str(root))):
        result = run_ambassador("workshop", *args, env=env())
        assert result.returncode == 0, result.stderr
    assert "in the exchange: proefopdracht" in result.stdout
    outbound = exchange / "hub-sessie" / "outbound" / "proefopdracht" / "proefopdracht.ipynb"
    assert outbound.exists() and "BEGIN SOLUTION" not in outbound.read_text()

    # A learner (here: the same Unix user) fetches and submits with nbgrader's own commands.
    learner = tmp_path / "learner"
    learner.mkdir()
    nbgrader_env = dict(env(), PATH=f"{BIN}:/usr/bin:/bin")
    options = ["--course", "hub-sessie", f"--Exchange.root={exchange}"]
    for step in ("fetch_assignment", "submit"):
        done = subprocess.run([str(BIN / "nbgrader"), step, "proefopdracht", *options], cwd=learner,
                              env=nbgrader_env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    collected = run_ambassador("workshop", "collect", "-s", str(root), "--exchange", env=env())
    assert collected.returncode == 0, collected.stderr
    assert "collected:" in collected.stdout
    assert list((root / "submitted").glob("*/proefopdracht/proefopdracht.ipynb"))
