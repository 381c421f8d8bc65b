"""Feedback for participants: nbgrader's HTML feedback without the hidden tests' code.

nbgrader puts hidden tests back into autograded notebooks, and so into the
feedback (nbgrader issue #1363). The ``StripHiddenTests`` preprocessor runs
inside nbgrader's feedback step: it removes the hidden region from every test
cell and reduces that cell's error to its name and message. A final check
refuses to hand back any file that still contains hidden test code.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from ambassador.workshop.session import Session, write_json

BEGIN, END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
HIDDEN_NOTE = "# (hidden test: only its result is shown)"


class FeedbackError(RuntimeError):
    pass


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def strip_hidden(source: str) -> tuple[str, bool]:
    """Remove every BEGIN/END HIDDEN TESTS region; return (new source, whether any was found)."""
    out, hidden, found = [], False, False
    for line in source.splitlines():
        if BEGIN in line:
            hidden = found = True
            out.append(line[: len(line) - len(line.lstrip())] + HIDDEN_NOTE)
            continue
        if END in line:
            hidden = False
            continue
        if not hidden:
            out.append(line)
    return "\n".join(out), found


class StripHiddenTests(Preprocessor):
    """Hide the code of hidden tests; keep their result and explanatory message."""

    enabled = Bool(True)  # nbconvert preprocessors are off unless enabled

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        cell.source, found = strip_hidden(_source(cell))
        if found:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    message = output.get("evalue") or "a hidden test failed"
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {message}"]
        return cell, resources


def hidden_lines(session: Session) -> list[str]:
    """Code lines that only the hidden tests contain (for the final check)."""
    from ambassador.exercises.leaks import HIDDEN_TESTS, secret_lines

    lines = []
    for a in session.assignments:
        lines += secret_lines(session.source_dir / a.name / a.notebook, regions=(HIDDEN_TESTS,))
    return lines


@dataclass
class FeedbackResult:
    generated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    hand_back: Path | None = None


def _signature(session: Session, assignment: str, participant: str, graded: Path) -> str:
    """What the feedback depends on: the graded notebook and every score and comment.

    Manual grades and comments added in formgrader change it, so `feedback`
    makes that participant's page again.
    """
    import hashlib

    digest = hashlib.sha256(graded.read_bytes())
    with session.gradebook() as gb:
        sub = gb.find_submission(assignment, participant)
        for notebook in sub.notebooks:
            for grade in notebook.grades:
                digest.update(f"{grade.name}:{grade.auto_score}:{grade.manual_score}:{grade.extra_credit}".encode())
            for comment in notebook.comments:
                digest.update(f"{comment.name}:{comment.auto_comment}:{comment.manual_comment}".encode())
    return digest.hexdigest()


def generate_feedback(session: Session, *, force: bool = False) -> FeedbackResult:
    """Feedback HTML for every autograded hand-in, collected in hand-back/<id>/."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from ambassador.exercises.leaks import find_leaks

    config = session.nbgrader_config()
    config.GenerateFeedback.preprocessors = [GetGrades, StripHiddenTests, CSSHTMLHeaderPreprocessor]
    api = session.api(config)
    secrets = hidden_lines(session)
    result = FeedbackResult(hand_back=session.hand_back_dir)
    made_path = session.state_dir / "feedback.json"
    made = json.loads(made_path.read_text(encoding="utf-8")) if made_path.exists() else {}
    for a in session.assignments:
        for graded in sorted(session.autograded_dir.glob(f"*/{a.name}/{a.notebook}")):
            pid = graded.parent.parent.name
            key = f"{pid}/{a.name}"
            html_path = session.feedback_dir / pid / a.name / (a.notebook_id + ".html")
            signature = _signature(session, a.name, pid, graded)
            if not force and html_path.exists() and made.get(key) == signature:
                result.kept.append(key)
            else:
                with session.gradebook_lock():
                    outcome = api.generate_feedback(a.name, pid, force=True)
                if not outcome["success"] or not html_path.exists():
                    result.problems.append(f"{key}: nbgrader could not make feedback")
                    continue
                result.generated.append(key)
                made[key] = signature
                write_json(made_path, made)
            leaked = find_leaks([html_path], secrets)
            if leaked:
                html_path.unlink()
                raise FeedbackError(f"{html_path} still shows hidden test code ({leaked[0].line!r}); "
                                    "not handing it back")
            target = session.hand_back_dir / pid / f"{a.name}.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(html_path, target)
    return result
