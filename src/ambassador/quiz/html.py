"""Render a quiz as static HTML for the book.

The page works without JavaScript: the questions are readable and each has a
"Toon het antwoord" disclosure with the correct answer and the explanation.
``static/ambassador-quiz.js`` then turns every question into a self-test: it
hides those disclosures, reveals the "Controleer" buttons and checks answers in
the browser, reading each option's feedback from an inert ``<template>`` and the
correct answers from ``data-correct``. Nothing is fetched: no kernel, no network.
"""

from __future__ import annotations

import html
import re

from ambassador.quiz.bank import Question, Quiz

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")


def render_inline(text: str) -> str:
    """Escape TEXT and render the only markup we allow: **bold** and *italic*."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", escaped))


def paragraphs(text: str) -> list[str]:
    """The paragraphs of TEXT (separated by blank lines), each rendered inline."""
    return [render_inline(p) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def render_block(text: str, tag: str = "p", cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "".join(f"<{tag}{attr}>{p}</{tag}>" for p in paragraphs(text))


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def dom_id(*parts: str) -> str:
    """An HTML id for a quiz element; bank ids are already restricted to [A-Za-z0-9_-]."""
    return "quiz-" + "-".join(parts)


def render_question(question: Question, number: int, total: int) -> str:
    qid = dom_id(question.id)
    input_type = "checkbox" if question.type == "multiple" else "radio"
    out = [
        f'<form class="amb-quiz__question" id="{qid}" data-question="{_attr(question.id)}"'
        f' data-type="{question.type}" data-correct="{_attr(" ".join(question.correct))}"'
        f' novalidate>',
        f'<fieldset aria-describedby="{qid}-hint">',
        f'<legend><span class="amb-quiz__number">Vraag {number} van {total}</span>'
        + render_block(question.prompt, "span", "amb-quiz__prompt")
        + "</legend>",
    ]
    if question.post:
        out.append(f'<blockquote class="amb-quiz__post" aria-label="Het bericht">'
                   f'{render_block(question.post)}</blockquote>')
    out.append(f'<p class="amb-quiz__hint" id="{qid}-hint">{question.hint}</p>')
    out.append('<div class="amb-quiz__options">')
    for option in question.options:
        oid = f"{qid}-{option.id}"
        out.append(
            f'<div class="amb-quiz__option" data-option="{_attr(option.id)}">'
            f'<input type="{input_type}" name="{qid}" id="{oid}" value="{_attr(option.id)}">'
            f'<label for="{oid}">{render_inline(option.text)}</label>'
            f'<span class="amb-quiz__mark" aria-hidden="true"></span>'
            f'<template class="amb-quiz__feedback">{render_block(option.feedback)}</template>'
            "</div>"
        )
    out.append("</div></fieldset>")
    out.append(
        '<div class="amb-quiz__actions" hidden>'
        '<button type="submit" class="amb-quiz__check">Controleer</button></div>'
    )
    out.append(f'<div class="amb-quiz__result" id="{qid}-result" role="status" aria-live="polite"'
               ' aria-atomic="true"></div>')
    answers = "".join(f"<li>{render_inline(o.text)}</li>" for o in question.correct_options)
    label = "Het juiste antwoord" if len(question.correct) == 1 else "De juiste antwoorden"
    out.append(
        '<details class="amb-quiz__solution"><summary>Toon het antwoord</summary>'
        f'<p class="amb-quiz__answer-label">{label}:</p><ul class="amb-quiz__answers">{answers}</ul>'
        f'<div class="amb-quiz__explanation">{render_block(question.explanation)}</div>'
        "</details>"
    )
    out.append("</form>")
    return "".join(out)


def render_quiz(quiz: Quiz) -> str:
    """The whole quiz as one HTML fragment (a <section>)."""
    total = len(quiz.questions)
    sid = dom_id(quiz.chapter)
    out = [
        f'<section class="amb-quiz" id="{sid}" data-chapter="{_attr(quiz.chapter)}"'
        f' aria-labelledby="{sid}-title">',
        f'<p class="amb-quiz__title" id="{sid}-title">{render_inline(quiz.title)}</p>',
    ]
    if quiz.intro:
        out.append(render_block(quiz.intro, "p", "amb-quiz__intro"))
    out.append(
        '<p class="amb-quiz__nojs">Zonder JavaScript kun je je antwoord niet laten controleren:'
        " denk zelf na en open dan <em>Toon het antwoord</em>.</p>"
    )
    for number, question in enumerate(quiz.questions, start=1):
        out.append(render_question(question, number, total))
    out.append(
        '<div class="amb-quiz__footer" hidden>'
        f'<p class="amb-quiz__score" role="status" aria-live="polite" data-total="{total}"></p>'
        '<button type="button" class="amb-quiz__retry">Opnieuw proberen</button>'
        "</div>"
    )
    out.append("</section>")
    return "\n".join(out)


def plain_text(text: str) -> str:
    """TEXT without markup, for places that show plain text only (widget option labels)."""
    text = " ".join(text.split())
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))
