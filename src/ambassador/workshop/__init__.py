"""Lunch sessions: hand out, collect, grade and give feedback on exercises."""
