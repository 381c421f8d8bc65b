"""The ``{quiz} CHAPTER`` directive: a chapter's quiz from ``data/quizzes/CHAPTER.yaml``.

In a lesson page::

    ```{quiz} privacy
    ```

renders the bank as static HTML (:mod:`ambassador.quiz.html`). Our own small
script and stylesheet (``static/``) are copied into the build's ``_static/`` and
linked only from pages that contain a quiz. A missing or invalid bank is a
warning per problem, naming the file, the question and the field; the book is
built with ``-W``, so that fails the build.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ambassador.quiz.bank import Problem, bank_files, check_bank
from ambassador.quiz.html import render_quiz

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
JS_FILE = "ambassador-quiz.js"
CSS_FILE = "ambassador-quiz.css"
# The class render_quiz puts on its outer <section>: how a page is recognised as having a quiz.
MARKER = 'class="amb-quiz"'


def quiz_folder(app) -> Path:
    configured = app.config.ambassador_quiz_dir
    return Path(app.srcdir, configured or "data/quizzes")


class QuizDirective(SphinxDirective):
    """``{quiz} CHAPTER``: the chapter's quiz, checked in the browser."""

    required_arguments = 1
    optional_arguments = 0
    has_content = False
    option_spec = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        chapter = self.arguments[0].strip()
        folder = quiz_folder(self.env.app)
        path = folder / f"{chapter}.yaml"
        # Rebuild the page when any bank file changes (ids must be unique across files).
        for file in bank_files(folder) if folder.is_dir() else []:
            self.env.note_dependency(str(file))
        if not path.is_file():
            problems = [Problem(path, f"no question bank for chapter {chapter!r} (used by {{quiz}} {chapter})")]
            quizzes = {}
        else:
            quizzes, problems = check_bank(folder)
            problems = [p for p in problems if Path(p.path) == path]
        if problems or chapter not in quizzes:
            for problem in problems:
                logger.warning(f"quiz {chapter}: {problem}", location=self.get_location(),
                               type="ambassador", subtype="quiz")
            return []
        html = render_quiz(quizzes[chapter])
        return [nodes.raw("", html, format="html", classes=self.options.get("class", []))]


def _add_static_path(app) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC_DIR))


def _add_assets(app, pagename, templatename, context, doctree) -> None:
    # Sphinx >= 3.5: files added here are linked from this page only.
    if MARKER in context.get("body", ""):
        app.add_css_file(CSS_FILE)
        app.add_js_file(JS_FILE, defer="defer")


def setup_sphinx(app) -> None:
    app.add_config_value("ambassador_quiz_dir", "", "env", types=[str])
    app.add_directive("quiz", QuizDirective)
    app.connect("builder-inited", _add_static_path)
    app.connect("html-page-context", _add_assets)
