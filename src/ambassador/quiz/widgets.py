"""The quiz in JupyterLab: practice mode for a learner, presenter mode for a lunch session.

The logic lives in plain classes (:class:`Practice`, :class:`Presenter`) that
own their ipywidgets; tests drive them in-process by setting widget values and
calling the same handlers the buttons call. Both classes display themselves in
a notebook (``_repr_mimebundle_``); ``.widget`` is the ipywidgets box.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import ipywidgets as w

from ambassador.quiz.bank import Question, Quiz, load_quiz
from ambassador.quiz.html import plain_text, render_block, render_inline

RIGHT = "✔"
WRONG = "✘"


def _quiz(quiz_or_chapter) -> Quiz:
    return quiz_or_chapter if isinstance(quiz_or_chapter, Quiz) else load_quiz(quiz_or_chapter)


# ipywidgets draws option labels on one line (fixed height, ellipsis); our options are
# sentences, so let them wrap. Scoped to our boxes via a class; applied by an HTML widget.
WRAP_CSS = """<style>
.amb-quiz-widget .widget-radio-box label { height: auto; line-height: 1.4; white-space: normal;
  display: flex; align-items: flex-start; gap: 6px; margin: 4px 0; }
.amb-quiz-widget .widget-radio-box input { flex: none; margin-top: 3px; order: -1; }
.amb-quiz-widget .widget-checkbox { width: auto; height: auto; }
.amb-quiz-widget .widget-checkbox .widget-label-basic { white-space: normal; overflow: visible;
  height: auto; line-height: 1.4; display: flex; align-items: flex-start; gap: 6px; margin: 4px 0; }
.amb-quiz-widget .widget-html-content { line-height: 1.45; }
</style>"""


class _Displayable:
    widget: w.Widget

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


# --- Practice -------------------------------------------------------------------

class PracticeQuestion:
    """One question with its answer controls, a "Controleer" button and its feedback."""

    def __init__(self, question: Question, number: int, total: int, on_checked=None):
        self.question = question
        self.on_checked = on_checked
        self.right: bool | None = None   # None until checked
        labels = [(plain_text(o.text), o.id) for o in question.options]
        if question.type == "multiple":
            self.checkboxes = [w.Checkbox(value=False, description=label, indent=False,
                                          layout=w.Layout(width="auto"))
                               for label, _ in labels]
            self.choices: w.Widget = w.VBox(self.checkboxes)
        else:
            self.checkboxes = []
            self.choices = w.RadioButtons(options=labels, value=None, layout=w.Layout(width="auto"))
        prompt = f"<p><b>Vraag {number} van {total}</b></p>{render_block(question.prompt)}"
        if question.post:
            prompt += f"<blockquote><i>{render_block(question.post)}</i></blockquote>"
        self.check_button = w.Button(description="Controleer", button_style="primary",
                                     tooltip="Controleer je antwoord")
        self.check_button.on_click(lambda _: self.check())
        self.feedback = w.HTML("")
        self.widget = w.VBox([w.HTML(prompt + f"<p><i>{question.hint}</i></p>"), self.choices,
                              self.check_button, self.feedback],
                             layout=w.Layout(border="1px solid #c9ccd1", padding="8px", margin="0 0 12px 0"))

    @property
    def chosen(self) -> list[str]:
        if self.checkboxes:
            return [o.id for o, box in zip(self.question.options, self.checkboxes) if box.value]
        return [] if self.choices.value is None else [self.choices.value]

    def select(self, *option_ids: str) -> None:
        """Choose these options, as a learner clicking them would."""
        if self.checkboxes:
            for option, box in zip(self.question.options, self.checkboxes):
                box.value = option.id in option_ids
        else:
            (self.choices.value,) = option_ids

    def check(self) -> bool | None:
        """The "Controleer" button: show the verdict, each chosen option's feedback and the explanation."""
        if self.right is not None:
            return self.right
        chosen = self.chosen
        if not chosen:
            self.feedback.value = "<p><b>Kies eerst een antwoord.</b></p>"
            return None
        q = self.question
        self.right = q.is_correct(chosen)
        if self.right:
            parts = [f"<p><b>{RIGHT} Goed!</b></p>"]
        else:
            answers = "".join(f"<li>{render_inline(o.text)}</li>" for o in q.correct_options)
            label = "Het juiste antwoord" if len(q.correct) == 1 else "De juiste antwoorden"
            parts = [f"<p><b>{WRONG} Niet goed.</b> {label}:</p><ul>{answers}</ul>"]
        for option in q.options:
            if option.id in chosen:
                mark = RIGHT if option.id in q.correct else WRONG
                parts.append(f"<p>{mark} Je koos <b>{render_inline(option.text)}</b><br>"
                             f"{render_inline(option.feedback)}</p>")
        parts.append(f"<p><b>Uitleg:</b></p>{render_block(q.explanation)}")
        self.feedback.value = "".join(parts)
        self._lock(True)
        if self.on_checked:
            self.on_checked(self)
        return self.right

    def reset(self) -> None:
        self.right = None
        self._lock(False)
        if self.checkboxes:
            for box in self.checkboxes:
                box.value = False
        else:
            self.choices.value = None
        self.feedback.value = ""

    def _lock(self, locked: bool) -> None:
        for control in self.checkboxes or [self.choices]:
            control.disabled = locked
        self.check_button.disabled = locked


class Practice(_Displayable):
    """A learner's self-test: every question, feedback per answer, a score and "Opnieuw proberen"."""

    def __init__(self, quiz: Quiz):
        self.quiz = quiz
        total = len(quiz.questions)
        self.questions = [PracticeQuestion(q, n, total, on_checked=lambda _: self._update_score())
                          for n, q in enumerate(quiz.questions, start=1)]
        self.score_label = w.HTML("")
        self.retry_button = w.Button(description="Opnieuw proberen", icon="refresh")
        self.retry_button.on_click(lambda _: self.retry())
        header = w.HTML(WRAP_CSS + f"<h3>{render_inline(quiz.title)}</h3>"
                        + (render_block(quiz.intro) if quiz.intro else ""))
        self.widget = w.VBox([header, *(q.widget for q in self.questions),
                              w.HBox([self.score_label, self.retry_button])])
        self.widget.add_class("amb-quiz-widget")
        self._update_score()

    def question(self, question_id: str) -> PracticeQuestion:
        return next(q for q in self.questions if q.question.id == question_id)

    @property
    def score(self) -> int:
        return sum(1 for q in self.questions if q.right)

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.right is not None)

    def _update_score(self) -> None:
        total = len(self.questions)
        text = f"{self.score} van de {total} goed"
        if self.answered < total:
            text += f" ({total - self.answered} nog te beantwoorden)"
        self.score_label.value = f"<p style='margin-right:1em'><b>Score:</b> {text}</p>"

    def retry(self) -> None:
        for q in self.questions:
            q.reset()
        self._update_score()


def practice(chapter) -> Practice:
    """A chapter's quiz (a chapter id or a :class:`Quiz`) to practise in JupyterLab."""
    return Practice(_quiz(chapter))


# --- Presenter ---------------------------------------------------------------------

@dataclass(frozen=True)
class RoomResult:
    question_id: str
    number: int
    right: int
    present: int

    @property
    def share(self) -> float:
        return self.right / self.present if self.present else 0.0


BIG = "font-size: 1.9em; line-height: 1.3"
MEDIUM = "font-size: 1.45em; line-height: 1.35"


class Presenter(_Displayable):
    """Presenter mode: one question at a time in large type, for the room to answer together."""

    def __init__(self, quiz: Quiz):
        self.quiz = quiz
        self.index = 0
        self.revealed: set[str] = set()
        self.room: dict[str, RoomResult] = {}
        self.header = w.HTML()
        self.question_html = w.HTML(layout=w.Layout(width="100%"))
        self.answer_html = w.HTML(layout=w.Layout(width="100%"))
        self.reveal_button = w.Button(description="Toon antwoord", button_style="primary",
                                      layout=w.Layout(width="auto", height="48px"))
        self.previous_button = w.Button(description="Vorige", icon="arrow-left",
                                        layout=w.Layout(width="auto", height="48px"))
        self.next_button = w.Button(description="Volgende", icon="arrow-right",
                                    layout=w.Layout(width="auto", height="48px"))
        self.right_input = w.BoundedIntText(value=0, min=0, max=1000, description="Goed:",
                                            layout=w.Layout(width="160px"))
        self.present_input = w.BoundedIntText(value=0, min=0, max=1000, description="Aanwezig:",
                                              layout=w.Layout(width="180px"))
        self.record_button = w.Button(description="Noteer", layout=w.Layout(width="auto"))
        self.record_status = w.HTML()
        self.summary_button = w.Button(description="Samenvatting", icon="bar-chart",
                                       layout=w.Layout(width="auto", height="48px"))
        self.summary_box = w.VBox()
        self.reveal_button.on_click(lambda _: self.reveal())
        self.previous_button.on_click(lambda _: self.previous())
        self.next_button.on_click(lambda _: self.next())
        self.record_button.on_click(lambda _: self.record())
        self.summary_button.on_click(lambda _: self.show_summary())
        room = w.HBox([w.HTML("<b>Zaal:</b>&nbsp;"), self.right_input, self.present_input,
                       self.record_button, self.record_status],
                      layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self.widget = w.VBox([
            self.header, self.question_html, self.answer_html,
            w.HBox([self.previous_button, self.reveal_button, self.next_button, self.summary_button],
                   layout=w.Layout(flex_flow="row wrap")),
            room, self.summary_box,
        ], layout=w.Layout(padding="12px"))
        self.show(0)

    @property
    def current(self) -> Question:
        return self.quiz.questions[self.index]

    # Navigation ---------------------------------------------------------------

    def show(self, index: int) -> None:
        self.index = max(0, min(index, len(self.quiz.questions) - 1))
        q = self.current
        total = len(self.quiz.questions)
        self.header.value = (f"<div style='font-size:1.1em'>{render_inline(self.quiz.title)}"
                             f" &middot; <b>Vraag {self.index + 1} van {total}</b></div>")
        body = f"<div style='{BIG}; font-weight:600'>{render_block(q.prompt)}</div>"
        body += f"<p style='{MEDIUM}; font-style:italic'>{q.hint}</p>"
        if q.post:
            body += (f"<blockquote style='{MEDIUM}; font-style:italic; border-left:6px solid #0a5f8a;"
                     f" padding-left:12px'>{render_block(q.post)}</blockquote>")
        letters = "ABCDEF"
        items = "".join(f"<li style='margin:.3em 0'><b>{letters[i]}.</b> {render_inline(o.text)}</li>"
                        for i, o in enumerate(q.options))
        body += f"<ul style='{MEDIUM}; list-style:none; padding-left:0'>{items}</ul>"
        self.question_html.value = body
        self._render_answer()
        self.previous_button.disabled = self.index == 0
        self.next_button.disabled = self.index == total - 1
        recorded = self.room.get(q.id)
        if recorded:
            self.right_input.value = recorded.right
            self.present_input.value = recorded.present
            self.record_status.value = f"Genoteerd: {recorded.right} van {recorded.present} goed"
        else:
            self.right_input.value = 0   # the present count carries over from the last question
            self.record_status.value = "Nog niet genoteerd"

    def next(self) -> None:
        self.show(self.index + 1)

    def previous(self) -> None:
        self.show(self.index - 1)

    # Answer and room ---------------------------------------------------------------

    def reveal(self) -> None:
        """Show the correct answer and the explanation for the current question."""
        self.revealed.add(self.current.id)
        self._render_answer()

    @property
    def is_revealed(self) -> bool:
        return self.current.id in self.revealed

    def _render_answer(self) -> None:
        q = self.current
        if not self.is_revealed:
            self.answer_html.value = ""
            self.reveal_button.disabled = False
            return
        letters = "ABCDEF"
        answers = "; ".join(f"{letters[i]}. {render_inline(o.text)}"
                            for i, o in enumerate(q.options) if o.id in q.correct)
        self.answer_html.value = (
            f"<div style='{MEDIUM}; border-left:8px solid #1b6b34; padding:8px 14px; background:#e8f5ec;"
            f" color:#10141a'><p><b>{RIGHT} Juist: {answers}</b></p>{render_block(q.explanation)}</div>")
        self.reveal_button.disabled = True

    def record(self, right: int | None = None, present: int | None = None) -> RoomResult | None:
        """Note how many in the room got the current question right, out of how many present."""
        if right is not None:
            self.right_input.value = right
        if present is not None:
            self.present_input.value = present
        right, present = self.right_input.value, self.present_input.value
        if present <= 0:
            self.record_status.value = "<b>Vul eerst in hoeveel mensen er aanwezig zijn.</b>"
            return None
        if right > present:
            self.record_status.value = f"<b>Meer goed ({right}) dan aanwezig ({present})? Pas het aan.</b>"
            return None
        result = RoomResult(self.current.id, self.index + 1, right, present)
        self.room[self.current.id] = result
        self.record_status.value = f"Genoteerd: {right} van {present} goed"
        return result

    # Summary --------------------------------------------------------------------------

    def results(self) -> list[RoomResult | None]:
        """One entry per question, in order; None where nothing was noted."""
        return [self.room.get(q.id) for q in self.quiz.questions]

    def summary_figure(self):
        from matplotlib.figure import Figure

        fig = Figure(figsize=(8, 4), layout="constrained")
        ax = fig.subplots()
        plot_room_results(self.results(), ax, title=self.quiz.title)
        return fig

    def summary_text(self) -> str:
        lines = []
        for number, result in enumerate(self.results(), start=1):
            if result is None:
                lines.append(f"Vraag {number}: niet genoteerd")
            else:
                lines.append(f"Vraag {number}: {result.right} van {result.present} goed "
                             f"({result.share:.0%})")
        return "\n".join(lines)

    def show_summary(self) -> None:
        fig = self.summary_figure()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100)
        rows = "".join(f"<li>{line}</li>" for line in self.summary_text().splitlines())
        self.summary_box.children = [
            w.HTML("<h3>Zo deed de groep het</h3>"),
            w.Image(value=buffer.getvalue(), format="png", layout=w.Layout(max_width="800px")),
            w.HTML(f"<ul style='{MEDIUM}'>{rows}</ul>"),
        ]


def plot_room_results(results: list[RoomResult | None], ax, title: str = "") -> None:
    """Bar chart on AX: one bar per question, the share of the room that got it right."""
    numbers = list(range(1, len(results) + 1))
    shares = [r.share * 100 if r else 0 for r in results]
    bars = ax.bar([f"V{n}" for n in numbers], shares, color="#0a5f8a", edgecolor="#10141a")
    for bar, result in zip(bars, results):
        label = f"{result.right}/{result.present}" if result else "—"
        ax.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom")
    ax.set_ylim(0, 110)
    ax.set_ylabel("Goed beantwoord (%)")
    ax.set_xlabel("Vraag")
    ax.set_title(f"Resultaten van de groep{': ' + plain_text(title) if title else ''}")
    ax.spines[["top", "right"]].set_visible(False)


def present(chapter) -> Presenter:
    """A chapter's quiz (a chapter id or a :class:`Quiz`) in presenter mode for a lunch session."""
    return Presenter(_quiz(chapter))


# --- Launcher (notebooks/quiz.ipynb) ----------------------------------------------------

class Launcher(_Displayable):
    """Pick a chapter, then start practice or presenter mode below."""

    def __init__(self, folder=None):
        from ambassador.quiz.bank import check_bank

        self.folder = folder
        quizzes, problems = check_bank(folder)
        self.quizzes = quizzes
        options = [(f"{q.title} ({len(q.questions)} vragen)", chapter) for chapter, q in sorted(quizzes.items())]
        self.chapter = w.Dropdown(options=options, description="Hoofdstuk:",
                                  style={"description_width": "initial"}, layout=w.Layout(width="32em"))
        self.practice_button = w.Button(description="Oefenen", icon="pencil")
        self.present_button = w.Button(description="Presenteren", icon="television", button_style="primary")
        self.practice_button.on_click(lambda _: self.start("practice"))
        self.present_button.on_click(lambda _: self.start("present"))
        warning = ""
        if problems:
            items = "".join(f"<li>{render_inline(str(p))}</li>" for p in problems)
            warning = ("<p><b>Deze hoofdstukken ontbreken omdat hun vragen fouten bevatten</b>"
                       f" (meld het aan wie de cursus onderhoudt):</p><ul>{items}</ul>")
        self.stage = w.VBox()
        self.active: Practice | Presenter | None = None
        self.widget = w.VBox([w.HTML(warning), w.HBox([self.chapter, self.present_button, self.practice_button],
                                                      layout=w.Layout(flex_flow="row wrap")), self.stage])

    def start(self, mode: str) -> Practice | Presenter:
        quiz = self.quizzes[self.chapter.value]
        self.active = Presenter(quiz) if mode == "present" else Practice(quiz)
        self.stage.children = [self.active.widget]
        return self.active


def launcher(folder=None) -> Launcher:
    """The trainer's start screen: choose a chapter, then "Presenteren" or "Oefenen"."""
    return Launcher(folder)
