"""The quiz in the built book, in a real headless Chromium with the network blocked."""

from __future__ import annotations

import pytest

from ambassador.quiz.bank import load_quiz

pytestmark = pytest.mark.slow

CHAPTER = "privacy"
PAGE = f"book/lessons/{CHAPTER}.html"


@pytest.fixture(scope="module")
def quiz(repo_root):
    return load_quiz(CHAPTER, repo_root / "data" / "quizzes")


def form(page, question):
    return page.locator(f"#quiz-{question.id}")


def choose(page, question, option_ids):
    for option_id in option_ids:
        page.locator(f"#quiz-{question.id}-{option_id}").check()


def wrong_option(question):
    return next(o for o in question.options if o.id not in question.correct)


def assert_clean(offline):
    assert offline.blocked == [], f"requests left the machine: {offline.blocked}"
    assert offline.errors == [], f"console errors: {offline.errors}"
    assert offline.failed == [], f"local requests failed: {offline.failed}"


def test_answer_right_and_wrong_then_retry(offline_page, quiz):
    page = offline_page.goto(PAGE)
    total = len(quiz.questions)
    score = page.locator(".amb-quiz__score")
    right_q, wrong_q = quiz.questions[0], quiz.questions[1]

    # The script replaced the no-JavaScript disclosures by buttons.
    assert page.locator(".amb-quiz__solution").first.is_hidden()
    assert form(page, right_q).get_by_role("button", name="Controleer").is_visible()

    choose(page, right_q, right_q.correct)
    form(page, right_q).get_by_role("button", name="Controleer").click()
    result = form(page, right_q).locator(".amb-quiz__result")
    assert "Goed!" in result.inner_text() and "✔" in result.inner_text()
    chosen = right_q.option(right_q.correct[0])
    assert chosen.feedback.split()[0] in result.inner_text()
    assert f"1 van de 1 goed" in score.inner_text()

    bad = wrong_option(wrong_q)
    choose(page, wrong_q, [bad.id])
    form(page, wrong_q).get_by_role("button", name="Controleer").click()
    result = form(page, wrong_q).locator(".amb-quiz__result")
    text = result.inner_text()
    assert "Niet goed." in text and "✘" in text                     # not by colour alone
    assert " ".join(bad.feedback.split()[:3]) in " ".join(text.split())
    assert "Uitleg:" in text
    assert form(page, wrong_q).locator(f"#quiz-{wrong_q.id}-{bad.id}").is_disabled()
    assert "1 van de 2 goed" in score.inner_text()

    # Answer the rest right: the final score counts all questions.
    for question in quiz.questions[2:]:
        choose(page, question, question.correct)
        form(page, question).get_by_role("button", name="Controleer").click()
    assert f"{total - 1} van de {total} goed" in score.inner_text()

    page.get_by_role("button", name="Opnieuw proberen").click()
    assert page.locator(".amb-quiz__option input:checked").count() == 0
    assert page.locator(".amb-quiz__option input:disabled").count() == 0
    assert all(t.strip() == "" for t in page.locator(".amb-quiz__result").all_inner_texts())
    assert f"0 van de {total}" in score.inner_text()
    assert_clean(offline_page)


def test_feedback_is_announced(offline_page, quiz):
    page = offline_page.goto(PAGE)
    question = quiz.questions[0]
    result = form(page, question).locator(".amb-quiz__result")
    assert result.get_attribute("aria-live") == "polite"
    assert page.locator(".amb-quiz__score").get_attribute("aria-live") == "polite"
    # Checking without an answer asks for one, in the live region, and counts nothing.
    form(page, question).get_by_role("button", name="Controleer").click()
    assert "Kies eerst" in result.inner_text()
    assert_clean(offline_page)


def test_keyboard_only(offline_page, quiz):
    page = offline_page.goto(PAGE)
    question = next(q for q in quiz.questions if q.type in ("single", "scenario"))
    index = quiz.questions.index(question)
    target = question.correct[0]
    # Start from the element just before the question (the previous question's button,
    # or the quiz title) and use only the keyboard from there.
    if index:
        form(page, quiz.questions[index - 1]).locator(".amb-quiz__check").focus()
    else:
        page.locator(".amb-quiz__title").evaluate("el => { el.tabIndex = -1; el.focus(); }")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused == f"quiz-{question.id}-{question.options[0].id}"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible"
    for _ in range([o.id for o in question.options].index(target)):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.locator(f"#quiz-{question.id}-{target}").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "amb-quiz__check"
    page.keyboard.press("Enter")
    assert "Goed!" in form(page, question).locator(".amb-quiz__result").inner_text()
    assert_clean(offline_page)


def test_phone(phone_page, quiz):
    page = phone_page.goto(PAGE)
    question = quiz.questions[-1]
    choose(page, question, question.correct)
    button = form(page, question).get_by_role("button", name="Controleer")
    button.scroll_into_view_if_needed()
    button.click()
    assert "Goed!" in form(page, question).locator(".amb-quiz__result").inner_text()
    box = page.locator(".amb-quiz").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    overflow = page.locator(".amb-quiz").evaluate("el => el.scrollWidth > el.clientWidth")
    assert not overflow, "the quiz scrolls sideways on a phone"
    assert_clean(phone_page)


def test_readable_without_javascript(browser, book_server, quiz):
    context = browser.new_context(java_script_enabled=False)
    blocked = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(book_server)
                  else (blocked.append(route.request.url), route.abort()))
    try:
        page = context.new_page()
        page.goto(f"{book_server}/{PAGE}")
        first = quiz.questions[0]
        assert form(page, first).locator("legend").is_visible()
        assert page.locator(f"#quiz-{first.id}-{first.options[0].id}").is_visible()
        assert form(page, first).locator(".amb-quiz__check").is_hidden()   # would do nothing
        form(page, first).get_by_text("Toon het antwoord").click()
        explanation = form(page, first).locator(".amb-quiz__explanation")
        assert explanation.is_visible()
        assert blocked == []
    finally:
        context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_wcag_aa_violations_after_answering(offline_page, quiz, repo_root, theme):
    axe = repo_root / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.is_file():
        pytest.fail("axe-core is missing: run `make node-deps`")
    page = offline_page.goto(PAGE)
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    for question in quiz.questions[:2]:                       # one right, one wrong: every state shown
        choose(page, question, question.correct if question is quiz.questions[0] else [wrong_option(question).id])
        form(page, question).locator(".amb-quiz__check").click()
    page.add_script_tag(path=str(axe))
    result = page.evaluate(
        "axe.run(document.querySelector('.amb-quiz'), {runOnly: ['wcag2a', 'wcag2aa']})")
    problems = [(v["id"], [n["html"][:120] for n in v["nodes"]]) for v in result["violations"]]
    assert problems == []
    assert_clean(offline_page)
