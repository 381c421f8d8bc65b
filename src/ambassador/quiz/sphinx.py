"""The ``{quiz}`` directive (to be completed by the quiz work)."""


def setup_sphinx(app) -> None:
    pass
