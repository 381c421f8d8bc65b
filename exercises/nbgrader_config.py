"""nbgrader settings for the course: only what differs from nbgrader's defaults.

This folder is an nbgrader course root: the source assignments live in
``source/<name>/``. ``ambassador exercises release-book`` and
``ambassador workshop`` copy this file into a temporary course folder, so every
path below is relative to wherever the file itself lies.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

# The course root is the folder holding this file, whatever the working
# directory of the `nbgrader` command (traitlets sets __file__ when loading).
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# Trainers run one session at a time; a course id keeps gradebooks apart.
c.CourseDirectory.course_id = "ambassadeurscursus"

# Each cell may take at most a minute (default 30 s): the luisterrapport
# exercise loads 1,800 mentions and draws a chart on slow laptops.
c.Execute.timeout = 60

# A learner who deletes a test cell must not escape its points: nbgrader puts
# the cell back from the gradebook (the default silently drops it).
c.OverwriteCells.add_missing_cells = True
c.OverwriteCells.missing_cell_notification = (
    "Deze cel was uit je notebook verdwenen; de nakijker heeft ze teruggezet.\n\n"
)

# What learners see where a solution was cut out: Dutch, and saying what to do
# with the line that stops the notebook.
c.ClearSolutions.code_stub = {
    "python": "# JOUW ANTWOORD HIER (en haal de regel hieronder weg)\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "JOUW ANTWOORD HIER"

# Endless output from a runaway loop must not flood the feedback.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40
