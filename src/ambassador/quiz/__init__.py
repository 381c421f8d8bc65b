"""Quizzes: one question bank (``data/quizzes/``), rendered for the book, JupyterLab and the big screen.

- :func:`load_quiz` / :func:`load_bank` -- the bank, validated (``bank.py``)
- :func:`practice` -- a learner's self-test in JupyterLab (``widgets.py``)
- :func:`present` -- presenter mode for a lunch session (``widgets.py``)
- the ``{quiz}`` directive for the book (``sphinx.py``, ``html.py``, ``static/``)

The widget functions are imported lazily so that the book build and the CLI do
not load ipywidgets.
"""

from ambassador.quiz.bank import BankError, Problem, Question, Quiz, check_bank, chapters, load_bank, load_quiz

__all__ = ["BankError", "Problem", "Question", "Quiz", "chapters", "check_bank", "load_bank", "load_quiz",
           "practice", "present"]


def __getattr__(name):
    if name in ("practice", "present"):
        from ambassador.quiz import widgets
        return getattr(widgets, name)
    raise AttributeError(f"module 'ambassador.quiz' has no attribute {name!r}")
