"""Platform privacy settings (to be completed by the lessons work)."""


def setup_sphinx(app) -> None:
    pass
