"""Make the theme's own markup accessible (WCAG 2.1 AA) and fit a phone.

What axe-core found on every page of the book, fixed where the markup is made:

- the search button's ``aria-label`` hid its visible text, and the colour-mode
  switcher's name did not match its (English) icon titles: both component
  templates are overridden from ``templates/`` (the switcher with nothing: the
  book is offered and checked in light mode only, ``default_mode: light``);
- the page is Dutch (``lang="nl"``) but the tools' own words were partly English
  (WCAG 3.1.2): ``locale/nl`` translates them, and the sidebar buttons'
  templates use those words instead of fixed English titles;
- the sidebar's expand toggles (``<details><summary>`` with only a chevron,
  made by pydata-sphinx-theme's ``generate_toctree_html``) had no accessible
  name: they get a Dutch one when the sidebar is generated;
- ``static/course.css`` holds the course's own layout fixes (long Dutch
  compound words in headings pushed pages sideways on a phone);
- the book's front door ``index.html`` (a redirect to the root page, which
  sphinx-external-toc writes as a bare ``<meta>`` line) becomes a small Dutch
  HTML page with a title and a link, for browsers that do not follow it;
- a small icon (``static/favicon.svg``), so browsers do not ask for a missing
  ``/favicon.ico`` (a 404 and a console error on every first visit).

``tests/test_pages.py`` checks every page of the built book with axe-core.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

HERE = Path(__file__).parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
LOCALE_DIR = HERE / "locale"
CSS_FILE = "course.css"
FAVICON_FILE = "favicon.svg"


def toggle_name(title: str) -> str:
    """The accessible name of the toggle that shows a page's sub-pages in the sidebar."""
    from sphinx.locale import get_translation

    return get_translation("sphinx")("Parts of %s") % title  # Dutch from locale/nl


def name_toctree_toggles(soup) -> None:
    """Give every icon-only ``<summary>`` in a generated toctree a name ("Onderdelen van ...").

    The browser announces whether the ``<details>`` is open, so the name says
    what the toggle is about, not what it will do.
    """
    for summary in soup.select("li.has-children > details > summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue  # a part caption inside the summary already names it
        link = summary.find_parent("li").find("a", recursive=False)
        if link is not None:
            summary["aria-label"] = toggle_name(link.get_text(" ", strip=True))


def _wrap_toctree_function(app, pagename, templatename, context, doctree) -> None:
    # pydata-sphinx-theme puts generate_toctree_html into the context at the
    # default priority (500); this handler runs after it.
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "_ambassador_named", False):
        return

    @functools.wraps(generate)
    def generate_named(*args, **kwargs):
        result = generate(*args, **kwargs)
        if hasattr(result, "select"):  # a BeautifulSoup tree, as the theme returns
            name_toctree_toggles(result)
        return result

    generate_named._ambassador_named = True
    context["generate_toctree_html"] = generate_named


# The icon is "data:," (none): the page is left at once, and a request for a
# real icon would be cut off by the redirect.
REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={url}">
<title>{title}</title>
<link rel="icon" href="data:,">
</head>
<body>
<p>De cursus begint op <a href="{url}">{start}</a>.</p>
</body>
</html>
"""


def _write_front_door(app, exception) -> None:
    """Write ``index.html`` as a redirect to the root page, unless the root page is index."""
    if exception is not None or app.builder.name != "html":
        return
    root = app.config.root_doc
    if root == "index":
        return
    start = app.env.titles[root].astext() if root in app.env.titles else root
    page = REDIRECT_PAGE.format(
        lang=html.escape(app.config.language or "nl"),
        url=html.escape(app.builder.get_target_uri(root)),
        title=html.escape(app.config.html_title or app.config.project),
        start=html.escape(start),
    )
    Path(app.outdir, "index.html").write_text(page, encoding="utf-8")


def _register_paths(app, config) -> None:
    # First in templates_path, so these components win over the themes' own
    # (which the themes append to templates_path themselves).
    config.templates_path.insert(0, str(TEMPLATES_DIR))
    config.html_static_path.append(str(STATIC_DIR))
    # Without an icon every browser asks the server for /favicon.ico and gets a 404.
    if not config.html_favicon:
        config.html_favicon = str(STATIC_DIR / FAVICON_FILE)


def _compile_catalogs(out: Path) -> Path:
    """Compile ``locale/*/LC_MESSAGES/*.po`` (the source) into ``.mo`` files under ``out``."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        mo = out / po.relative_to(LOCALE_DIR).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as source:
            catalog = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalog)
    return out


def setup_sphinx(app) -> None:
    # Dutch for the tools' words their own catalogs leave in English ("Skip to
    # main content", "Link to this heading", the sidebar buttons...). Added as
    # fallbacks: a translation the tools ship themselves still wins.
    catalogs = _compile_catalogs(Path(app.doctreedir) / "ambassador-locale")
    for domain in ("sphinx", "booktheme"):
        app.add_message_catalog(domain, catalogs)
    app.connect("config-inited", _register_paths)
    app.connect("html-page-context", _wrap_toctree_function, priority=600)
    app.add_css_file(CSS_FILE)
    # Before sphinx-external-toc's handler (priority 500), which keeps an
    # existing index.html and would otherwise write its bare one-line redirect.
    app.connect("build-finished", _write_front_door, priority=400)
