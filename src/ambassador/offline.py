"""Keep every page of the book working offline.

Jupyter Book always loads sphinx-thebe (live code through Binder). Even with
launch buttons off it writes an inline script naming thebe's CDN bundle into
every page, once per environment read, so pages also end up with a duplicate
``const`` declaration and a console error. The book never runs code live, so
the extension's event handlers are disconnected here; its small local CSS file
stays harmless.
"""

from __future__ import annotations


def _drop_thebe(app) -> None:
    for event, listeners in app.events.listeners.items():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)


def setup_sphinx(app) -> None:
    # builder-inited runs after every extension's setup(), so thebe's handlers exist by then.
    app.connect("builder-inited", _drop_thebe)
