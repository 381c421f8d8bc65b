"""The quiz widgets (ambassador.quiz.widgets), driven in-process like a learner or trainer would."""

from __future__ import annotations

from pathlib import Path

import pytest

import ambassador.quiz as quiz_api
from ambassador.quiz.bank import load_quiz
from ambassador.quiz.widgets import Practice, Presenter

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"


@pytest.fixture
def quiz():
    return load_quiz("privacy", FIXTURES)


# --- Practice ----------------------------------------------------------------------

def test_wrong_answer_shows_its_feedback_and_leaves_the_score(quiz):
    p = Practice(quiz)
    q = p.question("fx-privacy-01")
    q.choices.value = "a"                  # as a learner clicking the radio button
    q.check_button.click()                 # the button's own handler
    assert q.right is False
    assert "Niet goed" in q.feedback.value and "✘" in q.feedback.value
    assert "Je functie delen is gewoon" in q.feedback.value          # option a's feedback
    assert "vindbaar voor oplichters" in q.feedback.value            # the explanation
    assert "<li>Je privé-gsm-nummer</li>" in q.feedback.value        # the right answer named
    assert p.score == 0 and "0 van de 3 goed" in p.score_label.value


def test_right_answer_raises_the_score(quiz):
    p = Practice(quiz)
    q = p.question("fx-privacy-01")
    q.select("b")
    q.check_button.click()
    assert q.right is True and "Goed!" in q.feedback.value and "✔" in q.feedback.value
    assert "hoort niet op een openbaar profiel" in q.feedback.value
    assert p.score == 1 and "1 van de 3 goed" in p.score_label.value
    assert q.choices.disabled and q.check_button.disabled    # answered: locked until retry


def test_checking_without_a_choice_asks_for_one(quiz):
    p = Practice(quiz)
    q = p.questions[0]
    q.check_button.click()
    assert q.right is None and "Kies eerst" in q.feedback.value and p.answered == 0


def test_multiple_choice_needs_exactly_the_right_set(quiz):
    p = Practice(quiz)
    q = p.question("fx-privacy-02")
    q.checkboxes[0].value = True          # only one of the two right answers
    q.check()
    assert q.right is False and "ook je collega" in q.feedback.value
    p.retry()
    q.select("zichtbaar", "tags")
    q.check()
    assert q.right is True and p.score == 1


def test_scenario_uses_the_three_answers(quiz):
    q = Practice(quiz).question("fx-privacy-03")
    assert [label for label, _ in q.choices.options] == [
        "Posten", "Niet posten", "Doorgeven aan het conversatieteam"]
    q.select("niet-posten")
    assert q.check() is True


def test_retry_resets_everything(quiz):
    p = Practice(quiz)
    for q, answer in zip(p.questions, (["b"], ["zichtbaar", "tags"], ["posten"])):
        q.select(*answer)
        q.check()
    assert p.score == 2 and p.answered == 3 and "2 van de 3 goed" in p.score_label.value
    p.retry_button.click()
    assert p.score == 0 and p.answered == 0
    assert all(q.feedback.value == "" and q.chosen == [] and not q.check_button.disabled for q in p.questions)
    assert "0 van de 3 goed" in p.score_label.value


def test_public_api_practice_by_chapter_displays_as_a_widget(monkeypatch):
    monkeypatch.setattr("ambassador.quiz.widgets.load_quiz", lambda chapter: load_quiz(chapter, FIXTURES))
    p = quiz_api.practice("privacy")
    bundle = p._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


# --- Presenter -----------------------------------------------------------------------

def test_presenter_shows_one_question_and_reveals_the_answer(quiz):
    pr = Presenter(quiz)
    assert "Vraag 1 van 3" in pr.header.value
    assert "openbare profiel" in pr.question_html.value
    assert "font-size" in pr.question_html.value                 # large type
    assert pr.answer_html.value == ""                            # answer hidden at first
    pr.reveal_button.click()
    assert "Juist: B. Je privé-gsm-nummer" in pr.answer_html.value
    assert "vindbaar voor oplichters" in pr.answer_html.value
    assert pr.reveal_button.disabled


def test_presenter_next_and_previous(quiz):
    pr = Presenter(quiz)
    assert pr.previous_button.disabled
    pr.next_button.click()
    assert pr.index == 1 and "Vraag 2 van 3" in pr.header.value and pr.answer_html.value == ""
    pr.next_button.click()
    assert pr.current.id == "fx-privacy-03" and pr.next_button.disabled
    assert "Beekstraat 12" in pr.question_html.value               # the scenario's post
    pr.next()                                                    # past the end: stays
    assert pr.index == 2
    pr.previous_button.click()
    assert pr.index == 1


def test_presenter_records_the_room(quiz):
    pr = Presenter(quiz)
    pr.present_input.value = 12
    pr.right_input.value = 7
    pr.record_button.click()
    assert pr.room["fx-privacy-01"].right == 7 and pr.room["fx-privacy-01"].present == 12
    assert "7 van 12" in pr.record_status.value
    pr.next()
    assert pr.present_input.value == 12 and pr.right_input.value == 0   # present carries over
    pr.right_input.value = 13
    assert pr.record() is None and "Meer goed" in pr.record_status.value
    assert "fx-privacy-02" not in pr.room
    pr.previous()
    assert pr.right_input.value == 7                             # noted value shown again


def test_presenter_needs_a_present_count(quiz):
    pr = Presenter(quiz)
    assert pr.record(right=3) is None and "aanwezig" in pr.record_status.value


def test_summary_chart_has_one_bar_per_question(quiz):
    pr = Presenter(quiz)
    pr.record(right=9, present=12)
    pr.next()
    pr.next()
    pr.record(right=3, present=12)
    fig = pr.summary_figure()
    [ax] = fig.axes
    heights = [round(bar.get_height()) for bar in ax.patches]
    assert heights == [75, 0, 25]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["V1", "V2", "V3"]
    assert "Vraag 2: niet genoteerd" in pr.summary_text()
    pr.summary_button.click()
    image = pr.summary_box.children[1]
    assert image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert "9 van 12 goed (75%)" in pr.summary_box.children[2].value


# --- Launcher and notebook ---------------------------------------------------------------

def test_launcher_starts_either_mode():
    from ambassador.quiz.widgets import Launcher

    launcher = Launcher(FIXTURES)
    assert [value for _, value in launcher.chapter.options] == ["posten", "privacy"]
    launcher.chapter.value = "privacy"
    launcher.present_button.click()
    assert isinstance(launcher.active, Presenter) and launcher.stage.children == (launcher.active.widget,)
    launcher.practice_button.click()
    assert isinstance(launcher.active, Practice) and launcher.active.quiz.chapter == "privacy"


def test_launcher_notebook_has_no_outputs(repo_root):
    import nbformat

    nb = nbformat.read(repo_root / "notebooks" / "quiz.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert any("launcher()" in c.source for c in code)


@pytest.mark.slow
def test_launcher_notebook_runs(repo_root):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(repo_root / "notebooks" / "quiz.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(repo_root)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not any(o.output_type == "error" for o in outputs)
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
