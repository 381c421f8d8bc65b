"""Employee ambassador training course: tooling for learners, trainers and HR."""

__version__ = "1.0.0"
