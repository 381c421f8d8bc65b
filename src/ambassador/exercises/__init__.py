"""The course's graded exercises (nbgrader source assignments)."""
