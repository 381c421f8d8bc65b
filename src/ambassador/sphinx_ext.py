"""The course's Sphinx extension, loaded by Jupyter Book (``_config.yml``).

It only gathers the directives that render course data into pages; each lives
beside the data it renders:

- ``{quiz} CHAPTER`` -- a chapter's quiz from ``data/quizzes/`` (``ambassador.quiz.sphinx``)
- ``{privacy-settings}`` -- the platform settings tables from ``data/`` (``ambassador.privacy``)

It also keeps pages free of scripts that need the internet (``ambassador.offline``)
and makes the theme's markup accessible (``ambassador.accessibility``).
"""

from __future__ import annotations

import importlib

from ambassador import __version__

PARTS = [
    "ambassador.quiz.sphinx",
    "ambassador.privacy",
    "ambassador.offline",
    "ambassador.accessibility",
]


def setup(app):
    for module_name in PARTS:
        importlib.import_module(module_name).setup_sphinx(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
