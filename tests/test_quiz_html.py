"""The book renderer (ambassador.quiz.html) and the {quiz} directive (ambassador.quiz.sphinx)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ambassador.quiz.bank import load_bank
from ambassador.quiz.html import render_inline, render_quiz
from ambassador.quiz.sphinx import CSS_FILE, JS_FILE, STATIC_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"


class Collector(HTMLParser):
    """Every start tag with its attributes, and the text inside each <label>."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.labels: dict[str, str] = {}
        self._label_for: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "label":
            self._label_for = attrs.get("for")
            self.labels[self._label_for] = ""

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None

    def handle_data(self, data):
        if self._label_for is not None:
            self.labels[self._label_for] += data


@pytest.fixture(scope="module")
def quiz():
    return load_bank(FIXTURES)["privacy"]


@pytest.fixture(scope="module")
def parsed(quiz):
    parser = Collector()
    parser.feed(render_quiz(quiz))
    return parser


def test_every_question_and_option_appears_once(quiz):
    html = render_quiz(quiz)
    for question in quiz.questions:
        assert html.count(f'data-question="{question.id}"') == 1
        for option in question.options:
            assert html.count(f'id="quiz-{question.id}-{option.id}"') == 1
            assert html.count(f">{render_inline(option.text)}</label>") == 1
            assert html.count(render_inline(option.feedback)) == 1
        assert html.count(f"Vraag {quiz.questions.index(question) + 1} van 3") == 1


def test_labels_are_tied_to_inputs(quiz, parsed):
    inputs = [a for t, a in parsed.tags if t == "input"]
    assert len(inputs) == sum(len(q.options) for q in quiz.questions)
    ids = [a["id"] for a in inputs]
    assert len(set(ids)) == len(ids)
    assert set(parsed.labels) == set(ids)                       # one <label for=...> per input
    by_id = {a["id"]: a for a in inputs}
    assert by_id["quiz-fx-privacy-01-a"]["type"] == "radio"
    assert by_id["quiz-fx-privacy-02-tags"]["type"] == "checkbox"
    assert parsed.labels["quiz-fx-privacy-03-conversatieteam"] == "Doorgeven aan het conversatieteam"
    # Each question's inputs share one name (one radio group per question).
    assert {a["name"] for a in inputs if a["id"].startswith("quiz-fx-privacy-01-")} == {"quiz-fx-privacy-01"}


def test_form_controls_fieldset_legend_and_live_region(quiz, parsed):
    tags = [t for t, _ in parsed.tags]
    assert tags.count("fieldset") == tags.count("legend") == len(quiz.questions)
    live = [a for t, a in parsed.tags if a.get("aria-live") == "polite"]
    assert len(live) == len(quiz.questions) + 1                 # one per question + the score
    buttons = [a for t, a in parsed.tags if t == "button"]
    assert len(buttons) == len(quiz.questions) + 1              # Controleer per question + Opnieuw


def test_readable_without_javascript(quiz):
    html = render_quiz(quiz)
    # Buttons that need the script are hidden until it runs; the answers sit in a disclosure.
    assert html.count('<div class="amb-quiz__actions" hidden>') == len(quiz.questions)
    assert html.count("<summary>Toon het antwoord</summary>") == len(quiz.questions)
    # Feedback lives in inert templates, not in visible text.
    assert html.count('<template class="amb-quiz__feedback">') == sum(len(q.options) for q in quiz.questions)


def test_markup_is_escaped_and_only_bold_and_italic_rendered():
    assert render_inline("<script>x</script> **vet** *schuin*") == (
        "&lt;script&gt;x&lt;/script&gt; <strong>vet</strong> <em>schuin</em>")


def test_no_external_urls_in_markup_or_assets(quiz):
    html = render_quiz(quiz)
    assert not re.search(r"https?://|//[a-z]", html)
    for name in (JS_FILE, CSS_FILE):
        text = (STATIC_DIR / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://|@import|url\(|fetch\(|XMLHttpRequest", text), name


# --- The directive, in a tiny Sphinx project -------------------------------------------

def sphinx_build(tmp_path: Path, bank: Path) -> subprocess.CompletedProcess:
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    shutil.copytree(bank, src / "data" / "quizzes")
    (src / "conf.py").write_text('extensions = ["myst_parser", "ambassador.sphinx_ext"]\n', encoding="utf-8")
    (src / "index.md").write_text("# Les\n\n```{quiz} privacy\n```\n\n```{toctree}\nother\n```\n",
                                  encoding="utf-8")
    (src / "other.md").write_text("# Zonder quiz\n", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src),
                           str(tmp_path / "html")], capture_output=True, text=True, timeout=300)


def test_directive_renders_and_links_assets_only_where_needed(tmp_path):
    result = sphinx_build(tmp_path, FIXTURES)
    assert result.returncode == 0, result.stderr
    html = tmp_path / "html"
    index = (html / "index.html").read_text(encoding="utf-8")
    assert 'data-question="fx-privacy-03"' in index
    assert f"_static/{JS_FILE}" in index and f"_static/{CSS_FILE}" in index
    other = (html / "other.html").read_text(encoding="utf-8")
    assert JS_FILE not in other and CSS_FILE not in other
    assert (html / "_static" / JS_FILE).is_file() and (html / "_static" / CSS_FILE).is_file()


def test_directive_warns_with_file_and_question_on_a_broken_bank(tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(FIXTURES, bank)
    path = bank / "privacy.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("correct: [b]", "correct: [x]"), encoding="utf-8")
    result = sphinx_build(tmp_path, bank)
    assert result.returncode != 0
    assert "data/quizzes/privacy.yaml" in result.stderr
    assert "question fx-privacy-01, field 'correct'" in result.stderr


def test_directive_warns_on_a_missing_bank(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    shutil.copy(FIXTURES / "posten.yaml", bank)
    result = sphinx_build(tmp_path, bank)
    assert result.returncode != 0 and "privacy.yaml" in result.stderr and "no question bank" in result.stderr
