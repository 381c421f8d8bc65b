"""Does every page of the built book work offline, pass axe-core, link correctly and fit a phone?

Each page is opened in Debian's chromium with every request outside the
book's own files blocked (see the `offline_page` fixture in conftest.py).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, book_output

pytestmark = pytest.mark.slow

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}


def built_pages() -> list[str]:
    html = book_output() / "_build" / "html"
    # _static/ holds the theme's template fragments, not pages.
    return sorted(
        p.relative_to(html).as_posix() for p in html.rglob("*.html") if "_static" not in p.parts
    )


def page_ids(pages):
    return [p.removesuffix(".html") for p in pages]


PAGES = built_pages()


def test_the_book_has_pages(book_html):
    """Guard: an empty build must not pass the per-page checks vacuously."""
    assert len(PAGES) >= 20, PAGES


@pytest.mark.parametrize("page", PAGES, ids=page_ids(PAGES))
def test_page_loads_offline_without_errors_and_passes_axe(offline_page, page):
    offline_page.goto(page)
    offline_page.page.wait_for_load_state("networkidle")
    assert offline_page.blocked == [], f"requests outside the book: {offline_page.blocked}"
    assert offline_page.failed == [], f"failed requests: {offline_page.failed}"
    assert offline_page.errors == [], f"console errors: {offline_page.errors}"

    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make test` installs axe-core from the npm registry")
    offline_page.page.add_script_tag(path=str(AXE))
    violations = offline_page.page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""",
        AXE_TAGS,
    )
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("page", PAGES, ids=page_ids(PAGES))
def test_page_fits_a_phone(phone_page, page):
    """On a 390 px wide phone no page scrolls sideways (wide tables may scroll inside their own box)."""
    phone_page.goto(page)
    overflow = phone_page.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page} scrolls {overflow}px sideways on a phone"


class _Links(HTMLParser):
    """Collects ids (anchors) and the local URLs a page refers to."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag in ("a",) else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            value = attrs.get(key)
            if value and tag in ("a", "link", "img", "script", "source", "iframe"):
                self.urls.append(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def test_internal_links_and_anchors_resolve(book_html):
    parsed: dict[Path, _Links] = {}
    broken = []
    for page in sorted(book_html.rglob("*.html")):
        if "_static" in page.relative_to(book_html).parts:
            continue  # the theme's template fragments, not pages
        links = parsed.setdefault(page, _parse(page))
        for url in links.urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//") or url.startswith(("mailto:", "tel:", "data:", "javascript:")):
                continue
            target_path, _, fragment = url.partition("#")
            target_path = target_path.split("?", 1)[0]  # cache-busting ?v=... / ?digest=...
            target = (page.parent / unquote(target_path)).resolve() if target_path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(book_html)} -> {url} (no such file)")
                continue
            if fragment and target.suffix == ".html":
                ids = parsed.setdefault(target, _parse(target)).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{page.relative_to(book_html)} -> {url} (no anchor #{fragment})")
    assert not broken, "\n".join(broken[:40])


def first_lesson() -> str:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return toc["parts"][0]["chapters"][0]["file"] + ".html"


def test_screenshots_of_the_first_lesson(browser, book_server, book_html):
    """Writes desktop and phone screenshots to _build/screenshots/ for a person to look at."""
    from conftest import OfflinePage

    out = book_html.parent / "screenshots"
    out.mkdir(exist_ok=True)
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        page = OfflinePage(browser, book_server, viewport=viewport)
        try:
            page.goto(first_lesson())
            target = out / f"first-lesson-{name}.png"
            page.page.screenshot(path=str(target), full_page=False)
            assert target.stat().st_size > 10_000
            assert page.blocked == []
        finally:
            page.close()
