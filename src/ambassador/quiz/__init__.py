"""Quizzes: one question bank (``data/quizzes/``), rendered for the book, JupyterLab and the big screen."""
