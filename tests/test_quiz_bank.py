"""The question bank (ambassador.quiz.bank) and `ambassador quiz validate`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ambassador.quiz.bank import (
    SCENARIO_OPTIONS, BankError, check_bank, check_file, load_bank, load_quiz,
)
from conftest import run_ambassador

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"
CHAPTERS = ["conversatie", "doelen", "ambassadeursmodel", "privacy", "posten", "luisteren", "reageren", "inhoud"]

HEADER = """\
chapter: {chapter}
lesson: book/lessons/{chapter}
title: "Quiz"
questions:
"""

GOOD_SINGLE = """\
  - id: {qid}
    type: single
    prompt: "Wat doe je?"
    options:
      - {{id: a, text: "Dit", feedback: "Goed zo."}}
      - {{id: b, text: "Dat", feedback: "Liever niet."}}
    correct: [a]
    explanation: "Lees ook de les."
"""


def write_bank(folder: Path, body: str, chapter: str = "privacy") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{chapter}.yaml"
    path.write_text(HEADER.format(chapter=chapter) + textwrap.dedent(body), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    quiz, problems = check_file(path)
    assert quiz is None, "a broken file must not produce a quiz"
    return [str(p) for p in problems]


def single(**fields) -> str:
    """One single-choice question as YAML, with FIELDS replacing (or, set to None, removing) keys."""
    question = {
        "id": "privacy-01", "type": "single", "prompt": '"Wat doe je?"',
        "options": '\n      - {id: a, text: "Dit", feedback: "Goed zo."}\n      - {id: b, text: "Dat", feedback: "Nee."}',
        "correct": "[a]", "explanation": '"Lees ook de les."',
    }
    question.update(fields)
    lines = [f"{k}: {v}" for k, v in question.items() if v is not None]
    return "  - " + "\n    ".join(lines) + "\n"


# --- Loading ---------------------------------------------------------------------

def test_fixture_bank_loads_with_every_type():
    quizzes = load_bank(FIXTURES)
    assert set(quizzes) == {"privacy", "posten"}
    privacy = quizzes["privacy"]
    assert privacy.lesson == "book/lessons/privacy"
    assert [q.type for q in privacy.questions] == ["single", "multiple", "scenario"]
    multiple = privacy.question("fx-privacy-02")
    assert multiple.correct == ("zichtbaar", "tags")
    assert multiple.is_correct(["tags", "zichtbaar"]) and not multiple.is_correct(["tags"])
    assert all(q.chapter == "privacy" for q in privacy.questions)


def test_scenario_options_get_default_labels_in_fixed_order():
    scenario = load_quiz("privacy", FIXTURES).question("fx-privacy-03")
    assert [(o.id, o.text) for o in scenario.options] == list(SCENARIO_OPTIONS.items())
    assert scenario.post.startswith("Vandaag meterstanden")


def test_load_quiz_of_missing_chapter_names_the_file(tmp_path):
    write_bank(tmp_path, single())
    with pytest.raises(BankError, match=r"onbekend\.yaml"):
        load_quiz("onbekend", tmp_path)


def test_correct_may_be_a_single_string(tmp_path):
    path = write_bank(tmp_path, single(correct="b"))
    quiz, problems = check_file(path)
    assert problems == [] and quiz.questions[0].correct == ("b",)


# --- Each malformed case -----------------------------------------------------------

def test_missing_correct_answer(tmp_path):
    [msg] = problems_of(write_bank(tmp_path, single(correct=None)))
    assert "privacy.yaml:5" in msg and "question privacy-01" in msg and "field 'correct'" in msg
    assert "no correct answer" in msg


def test_empty_correct_list(tmp_path):
    [msg] = problems_of(write_bank(tmp_path, single(correct="[]")))
    assert "field 'correct'" in msg and "no correct answer" in msg


def test_correct_answer_not_among_options(tmp_path):
    [msg] = problems_of(write_bank(tmp_path, single(correct="[c]")))
    assert "question privacy-01" in msg and "field 'correct'" in msg and "'c' is not among the options (a, b)" in msg


def test_duplicate_question_ids_in_one_file(tmp_path):
    path = write_bank(tmp_path, single() + single())
    [msg] = problems_of(path)
    assert "question privacy-01" in msg and "field 'id'" in msg and "duplicate question id" in msg
    assert "line 5" in msg   # points at the first use


def test_duplicate_question_ids_across_files(tmp_path):
    write_bank(tmp_path, single(), chapter="privacy")
    write_bank(tmp_path, single(), chapter="posten")
    quizzes, problems = check_bank(tmp_path)
    [problem] = problems
    assert problem.path.name == "privacy.yaml"   # files are read in name order: posten first
    assert "question privacy-01" in str(problem) and "also used in" in str(problem) and "posten.yaml" in str(problem)
    assert set(quizzes) == {"posten"}


def test_duplicate_option_ids(tmp_path):
    options = '\n      - {id: a, text: "Dit", feedback: "x"}\n      - {id: a, text: "Dat", feedback: "y"}'
    msgs = problems_of(write_bank(tmp_path, single(options=options)))
    assert any("field 'options[2].id'" in m and "duplicate option id 'a'" in m for m in msgs)


def test_empty_prompt(tmp_path):
    [msg] = problems_of(write_bank(tmp_path, single(prompt='"   "')))
    assert "question privacy-01" in msg and "field 'prompt'" in msg and "is empty" in msg


def test_missing_prompt(tmp_path):
    [msg] = problems_of(write_bank(tmp_path, single(prompt=None)))
    assert "field 'prompt'" in msg and "is missing" in msg


def test_unknown_type(tmp_path):
    [msg] = problems_of(write_bank(tmp_path, single(type="open")))
    assert "question privacy-01" in msg and "field 'type'" in msg and "unknown type 'open'" in msg


def test_scenario_options_must_be_the_three_ids(tmp_path):
    options = ('\n      - {id: posten, feedback: "x"}\n      - {id: niet-posten, feedback: "y"}'
               '\n      - {id: misschien, text: "Misschien", feedback: "z"}')
    msgs = problems_of(write_bank(tmp_path, single(type="scenario", options=options, correct="[posten]")))
    [msg] = [m for m in msgs if "field 'options'" in m]
    assert "exactly the options posten, niet-posten, conversatieteam" in msg and "misschien" in msg


def test_scenario_with_two_correct_answers(tmp_path):
    options = "".join(f'\n      - {{id: {o}, feedback: "x"}}' for o in SCENARIO_OPTIONS)
    [msg] = problems_of(write_bank(tmp_path, single(type="scenario", options=options,
                                                    correct="[posten, conversatieteam]")))
    assert "field 'correct'" in msg and "exactly one correct answer (found 2)" in msg


def test_single_with_two_correct_answers(tmp_path):
    [msg] = problems_of(write_bank(tmp_path, single(correct="[a, b]")))
    assert "a single question has exactly one correct answer" in msg


def test_multiple_may_have_several_correct_answers(tmp_path):
    _, problems = check_file(write_bank(tmp_path, single(type="multiple", correct="[a, b]")))
    assert problems == []


def test_option_missing_feedback(tmp_path):
    options = '\n      - {id: a, text: "Dit"}\n      - {id: b, text: "Dat", feedback: ""}'
    msgs = problems_of(write_bank(tmp_path, single(options=options)))
    assert any("field 'options[a].feedback'" in m and "missing" in m for m in msgs)
    assert any("field 'options[b].feedback'" in m for m in msgs)
    assert len(msgs) == 2


def test_too_few_options(tmp_path):
    options = '\n      - {id: a, text: "Dit", feedback: "x"}'
    msgs = problems_of(write_bank(tmp_path, single(options=options)))
    assert any("needs 2 to 6 options (found 1)" in m for m in msgs)


def test_unknown_field_is_reported(tmp_path):
    [msg] = problems_of(write_bank(tmp_path, single(explenation='"typo"')))
    assert "field 'explenation'" in msg and "unknown field" in msg


def test_chapter_must_match_file_name(tmp_path):
    path = tmp_path / "privacy.yaml"
    path.write_text(HEADER.format(chapter="posten") + single(), encoding="utf-8")
    [msg] = problems_of(path)
    assert "field 'chapter'" in msg and "must match" in msg


def test_yaml_syntax_error_has_the_line_number(tmp_path):
    path = tmp_path / "privacy.yaml"
    path.write_text(HEADER.format(chapter="privacy") + single() + '  - id: "unterminated\n', encoding="utf-8")
    [msg] = problems_of(path)
    assert msg.startswith(f"{path}:") and "YAML syntax error" in msg
    line = int(msg.split(":")[1])
    assert line >= 12


def test_every_problem_is_listed_not_only_the_first(tmp_path):
    body = (single(correct=None)
            + single(id="privacy-02", prompt='""', type="quiz")
            + single(id="privacy-03", correct="[z]"))
    msgs = problems_of(write_bank(tmp_path, body))
    assert any("privacy-01" in m and "'correct'" in m for m in msgs)
    assert any("privacy-02" in m and "'prompt'" in m for m in msgs)
    assert any("privacy-02" in m and "'type'" in m for m in msgs)
    assert any("privacy-03" in m and "'z' is not among" in m for m in msgs)
    assert len(msgs) == 4


def test_question_without_id_is_named_by_position(tmp_path):
    msgs = problems_of(write_bank(tmp_path, single() + single(id=None)))
    assert any("question #2" in m and "field 'id'" in m and "is missing" in m for m in msgs)


# --- The CLI, through the real entry point -------------------------------------------

def test_cli_validate_broken_folder_lists_every_problem(tmp_path):
    write_bank(tmp_path, single(correct="[c]") + single(id="privacy-02", type="open"), chapter="privacy")
    write_bank(tmp_path, single(id="privacy-01"), chapter="posten")   # id clash across files
    (tmp_path / "doelen.yaml").write_text("chapter: doelen\nquestions: [\n", encoding="utf-8")
    result = run_ambassador("quiz", "validate", str(tmp_path))
    assert result.returncode != 0
    err = result.stderr
    assert "privacy.yaml:5: question privacy-01, field 'correct'" in err
    assert "question privacy-02, field 'type'" in err
    assert "doelen.yaml:" in err and "YAML syntax error" in err
    assert "4 problem(s)" in err, err


def test_cli_validate_single_file(tmp_path):
    path = write_bank(tmp_path, single())
    result = run_ambassador("quiz", "validate", str(path))
    assert result.returncode == 0, result.stderr
    assert "1 question(s)" in result.stdout


def test_cli_validate_missing_path(tmp_path):
    result = run_ambassador("quiz", "validate", str(tmp_path / "nope"))
    assert result.returncode != 0 and "no such file or folder" in result.stderr


def test_cli_list_fixtures():
    result = run_ambassador("quiz", "list", str(FIXTURES))
    assert result.returncode == 0, result.stderr
    assert "privacy" in result.stdout and "3 questions" in result.stdout


# --- The real bank --------------------------------------------------------------------

def test_cli_validate_real_bank_passes():
    result = run_ambassador("quiz", "validate")
    assert result.returncode == 0, result.stderr


def test_every_chapter_with_a_lesson_has_a_bank_of_at_least_8_questions(repo_root):
    quizzes = load_bank(repo_root / "data" / "quizzes")
    lessons = [c for c in CHAPTERS if (repo_root / "book" / "lessons" / f"{c}.md").is_file()]
    for chapter in lessons:
        assert chapter in quizzes, f"book/lessons/{chapter}.md has no data/quizzes/{chapter}.yaml"
        quiz = quizzes[chapter]
        assert len(quiz.questions) >= 8, f"{chapter}: only {len(quiz.questions)} questions"
        assert quiz.lesson == f"book/lessons/{chapter}"


def test_explanations_point_to_lessons_and_sections_that_exist():
    """An explanation's 'les "Title" ... deel/bij "Heading"' must survive renaming a lesson section."""
    import re

    from ambassador.paths import repo_root
    from ambassador.quiz.bank import load_bank

    headings_by_title = {}
    for page in (repo_root() / "book" / "lessons").glob("*.md"):
        headings = [h.strip() for h in re.findall(r"(?m)^#{1,4} (.+)$", page.read_text(encoding="utf-8"))]
        headings_by_title[headings[0]] = set(headings)

    pointer = re.compile(r'les "([^"]+)"(?:[^"]{0,40}?(?:deel|bij|onder) "([^"]+)")?')
    problems, seen = [], 0
    for quiz in load_bank().values():
        for question in quiz.questions:
            for title, heading in pointer.findall(question.explanation):
                seen += 1
                if title not in headings_by_title:
                    problems.append(f"{question.id}: no lesson titled {title!r}")
                elif heading and not any(heading in h for h in headings_by_title[title]):
                    problems.append(f"{question.id}: lesson {title!r} has no section {heading!r}")
    assert seen >= 8 * 8, "explanations no longer point back to their lessons"
    assert not problems, "\n".join(problems)
