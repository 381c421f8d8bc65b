"""Does every page of the built book work offline, pass axe-core, link correctly and fit a phone?

Each page is opened in Debian's chromium with every request outside the
book's own files blocked (``OfflinePage`` in conftest.py). One browser tab per
viewport is reused for all pages: a new context per page cost about half a
second each and threw away the browser's cache of the theme's files. Pages are
checked once "load" has fired and the fonts are ready; waiting for network
idle first cost another half second a page.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, OfflinePage, book_output

pytestmark = pytest.mark.slow

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LANGUAGE = "nl"
REFRESH = re.compile(r"""<meta\s+http-equiv=["']?refresh["']?\s+content=["']?\d+;\s*url=([^"'>\s]+)""", re.I)
QUIZ_MARKER = 'class="amb-quiz"'   # the outer <section> of a rendered quiz (ambassador.quiz.html)


def _html_files() -> dict[str, str]:
    html = book_output() / "_build" / "html"
    # _static/ holds the theme's template fragments, not pages.
    return {
        p.relative_to(html).as_posix(): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(html.rglob("*.html")) if "_static" not in p.relative_to(html).parts
    }


_FILES = _html_files()
# index.html only sends the browser on to the root page: it is checked as a redirect.
REDIRECTS = {name: REFRESH.search(text).group(1) for name, text in _FILES.items() if REFRESH.search(text)}
PAGES = [name for name in _FILES if name not in REDIRECTS]
QUIZ_PAGES = [name for name in PAGES if QUIZ_MARKER in _FILES[name]]


def page_ids(pages):
    return [p.removesuffix(".html") for p in pages]


# --- Browser helpers ---------------------------------------------------------------------

def reusable_tab(browser, book_server, viewport) -> OfflinePage:
    offline = OfflinePage(browser, book_server, viewport=viewport)
    # Requests still running when the next page is opened (the icon is fetched
    # after "load") are cut off by the navigation; visit() lets them end first,
    # so their failure is not blamed on the next page.
    offline.pending = Counter()   # URL -> requests under way

    def ended(request):
        offline.pending[request.url] -= 1
        if offline.pending[request.url] <= 0:
            del offline.pending[request.url]

    offline.page.on("request", lambda request: offline.pending.update([request.url]))
    offline.page.on("requestfinished", ended)
    offline.page.on("requestfailed", ended)
    return offline


@pytest.fixture(scope="module")
def desktop(browser, book_server):
    page = reusable_tab(browser, book_server, DESKTOP)
    yield page
    page.close()


@pytest.fixture(scope="module")
def phone(browser, book_server):
    page = reusable_tab(browser, book_server, PHONE)
    yield page
    page.close()


def start_fresh(offline: OfflinePage) -> None:
    """Let the previous page's requests end, then empty the records and the theme's storage.

    Only the HTTP cache carries over, as for a reader going from page to page; the
    storage the theme's scripts keep (sidebar scroll, colour mode) is emptied.
    """
    waited = 0
    while getattr(offline, "pending", None) and waited < 5_000:
        offline.page.wait_for_timeout(25)
        waited += 25
    if offline.page.url.startswith(offline.base_url):
        offline.page.evaluate("() => { sessionStorage.clear(); localStorage.clear(); }")
    for record in (offline.blocked, offline.failed, offline.errors):
        record.clear()


def visit(offline: OfflinePage, path: str):
    """Open ``path`` in a reused tab, with fresh records of blocked and failed requests and errors."""
    start_fresh(offline)
    page = offline.goto(path)  # waits for "load": every script, stylesheet and image
    page.evaluate("() => document.fonts.ready.then(() => true)")  # layout and contrast need the fonts
    return page


def settle_and_assert_offline(offline: OfflinePage, path: str) -> None:
    # Requests started after "load" (scripts fetching data) end within the
    # network-idle window. Called after axe has run, so it rarely waits.
    offline.page.wait_for_load_state("networkidle")
    assert offline.blocked == [], f"{path}: requests outside the book: {offline.blocked}"
    assert offline.failed == [], f"{path}: failed requests: {offline.failed}"
    assert offline.errors == [], f"{path}: console errors: {offline.errors}"


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations axe-core finds in the page as it is now."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make test` installs axe-core from the npm registry")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                    resultTypes: ['violations']});
            return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""",
        AXE_TAGS,
    )


def sideways_overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


# --- Every page ----------------------------------------------------------------------------

def test_the_book_has_pages(book_html):
    """Guard: an empty build must not pass the per-page checks vacuously."""
    assert len(PAGES) >= 20, PAGES
    assert len(QUIZ_PAGES) >= 8, QUIZ_PAGES  # one quiz per lesson


def test_requests_outside_the_book_fail_and_are_recorded(desktop):
    """Guard for the fixture: a page that reaches for the internet is caught, and gets nothing."""
    page = visit(desktop, PAGES[0])
    outcome = page.evaluate(
        # no-cors: an opaque answer would still count as loaded; only a network failure rejects.
        """() => fetch('https://cdn.example.org/x.js', {mode: 'no-cors'}).then(() => 'loaded', () => 'failed')"""
    )
    assert outcome == "failed"
    assert desktop.blocked == ["https://cdn.example.org/x.js"]


@pytest.mark.parametrize("path", PAGES, ids=page_ids(PAGES))
def test_page_loads_offline_without_errors_and_passes_axe(desktop, path):
    page = visit(desktop, path)
    # axe's html-has-lang only wants some language; screen readers need the right one.
    assert page.evaluate("() => document.documentElement.lang") == LANGUAGE, f"{path}: <html lang> is not {LANGUAGE}"
    violations = axe_violations(page)
    assert violations == [], f"{path}:\n" + json.dumps(violations, indent=1, ensure_ascii=False)
    settle_and_assert_offline(desktop, path)


@pytest.mark.parametrize("path", PAGES, ids=page_ids(PAGES))
def test_page_fits_a_phone(phone, path):
    """On a 390 px wide phone no page scrolls sideways (wide tables may scroll inside their own box)."""
    page = visit(phone, path)
    overflow = sideways_overflow(page)
    assert overflow <= 0, f"{path} scrolls {overflow}px sideways on a phone"


@pytest.mark.parametrize("path", sorted(REDIRECTS), ids=page_ids(sorted(REDIRECTS)))
def test_redirect_page_leads_into_the_book(desktop, book_server, path):
    """The front door sends the browser to a page of the book, and still makes sense if it does not."""
    target = REDIRECTS[path]
    resolved = (Path("/") / Path(path).parent / target).resolve().as_posix().lstrip("/")
    assert resolved in PAGES, f"{path} redirects to {target}, which is not a page of the book"
    text = _FILES[path]
    assert f'<html lang="{LANGUAGE}"' in text and re.search(r"<title>\S", text), f"{path} needs lang and a title"
    assert f'href="{target}"' in text, f"{path} needs a link to {target} for browsers that do not redirect"
    start_fresh(desktop)
    desktop.goto(path)
    desktop.page.wait_for_url(f"{book_server}/{resolved}")
    settle_and_assert_offline(desktop, path)


def test_search_works_offline(desktop):
    """search.html finds a word of the course from the local searchindex.js, with no request outside."""
    page = visit(desktop, "search.html?q=ambassadeur")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=10_000)
    assert results.count() >= 3
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(r => r.name)")
    assert any(url.startswith(f"{desktop.base_url}/searchindex.js") for url in loaded), loaded
    settle_and_assert_offline(desktop, "search.html")


def test_the_book_stays_light_when_the_reader_prefers_dark(desktop):
    """Light is the one colour mode offered (and checked above): no switcher, no dark mode."""
    desktop.page.emulate_media(color_scheme="dark")
    try:
        page = visit(desktop, PAGES[0])
        assert page.evaluate("() => document.documentElement.dataset.theme") == "light"
        assert page.locator(".theme-switch-button").count() == 0
    finally:
        desktop.page.emulate_media(color_scheme="light")


class _Outline(HTMLParser):
    """Heading levels and images inside a page's article (the theme's chrome is checked by axe)."""

    def __init__(self):
        super().__init__()
        self.depth = 0          # > 0 while inside <article class="bd-article">
        self.levels: list[int] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article" and "bd-article" in (attrs.get("class") or ""):
            self.depth = 1
        elif self.depth and tag == "article":
            self.depth += 1
        elif self.depth and re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        elif self.depth and tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if self.depth and tag == "article":
            self.depth -= 1


def test_headings_in_order_and_images_described(book_html):
    """One h1 per page, no skipped heading level, and every figure in a page has a real text alternative.

    axe-core rates skipped levels "moderate" and accepts a file name as alt text; a reader
    who cannot see the figure needs neither.
    """
    problems = []
    for name in PAGES:
        outline = _Outline()
        outline.feed(_FILES[name])
        levels = outline.levels
        if not levels:
            continue  # search.html: no article
        if levels[0] != 1 or levels.count(1) != 1:
            problems.append(f"{name}: needs exactly one h1, first (levels {levels})")
        for before, after in zip(levels, levels[1:]):
            if after > before + 1:
                problems.append(f"{name}: heading h{before} is followed by h{after}")
        for image in outline.images:
            alt = (image.get("alt") or "").strip()
            if not alt or re.search(r"\.(png|jpe?g|svg|gif|webp)$|_images/", alt, re.I):
                problems.append(f"{name}: image {image.get('src')} has no description (alt={image.get('alt')!r})")
    assert not problems, "\n".join(problems)


# The theme's own words that its catalogs left in English; src/ambassador/locale/nl translates them.
ENGLISH_CHROME = ["Skip to main content", "Back to top", "Link to this heading", "Toggle primary sidebar",
                  "Toggle secondary sidebar", "On this page", "previous page", "next page", "Search...",
                  'aria-label="Main"', "Color mode"]


def test_the_theme_speaks_dutch(book_html):
    """Screen readers read a lang="nl" page with a Dutch voice: the buttons and landmarks must be Dutch too."""
    found = [f"{name}: {text}" for name in PAGES for text in ENGLISH_CHROME if text in _FILES[name]]
    assert not found, "\n".join(found[:30])


# --- Quizzes on a phone ---------------------------------------------------------------------
# test_quiz_browser.py checks the quiz's behaviour in depth on one lesson; here every
# question of every lesson is answered on a phone, and axe checks the answered states
# (right and wrong feedback, score, "Opnieuw proberen"), which are hidden at load.

@pytest.mark.parametrize("path", QUIZ_PAGES, ids=page_ids(QUIZ_PAGES))
def test_every_quiz_question_can_be_answered_on_a_phone(phone, path):
    page = visit(phone, path)
    questions = page.locator("form.amb-quiz__question")
    count = questions.count()
    assert count > 0
    for index in range(count):
        form = questions.nth(index)
        form_id = form.get_attribute("id")
        correct = form.get_attribute("data-correct").split()
        options = [o.get_attribute("value") for o in form.locator(".amb-quiz__option input").all()]
        answer_right = index % 2 == 0   # alternate, so both kinds of feedback are on the page
        chosen = correct if answer_right else [next(o for o in options if o not in correct)]
        for option in chosen:
            # check() scrolls to the control and fails if anything covers it.
            page.locator(f"#{form_id}-{option}").check()
        form.get_by_role("button", name="Controleer").click()
        verdict = form.locator(".amb-quiz__result").inner_text()
        expected = "Goed!" if answer_right else "Niet goed."
        assert expected in verdict, f"{path} {form_id}: expected {expected!r}, got {verdict!r}"
    score = page.locator(".amb-quiz__score").inner_text()
    assert f"van de {count}" in score, score
    assert page.get_by_role("button", name="Opnieuw proberen").is_visible()
    assert sideways_overflow(page) <= 0, f"{path}: the answered quiz makes the page scroll sideways"
    violations = axe_violations(page)
    assert violations == [], f"{path} (answered quiz, phone):\n" + json.dumps(violations, indent=1, ensure_ascii=False)
    settle_and_assert_offline(phone, path)


# --- Links ----------------------------------------------------------------------------------

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
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            match = REFRESH.search(f'<meta http-equiv="refresh" content="{attrs.get("content", "")}">')
            if match:
                self.urls.append(match.group(1))


def test_internal_links_and_anchors_resolve(book_html):
    parsed: dict[Path, _Links] = {}

    def links_of(path: Path) -> _Links:
        # Each file is parsed once (dict.setdefault would parse it again for every link).
        if path not in parsed:
            parsed[path] = _Links()
            parsed[path].feed(path.read_text(encoding="utf-8", errors="replace"))
        return parsed[path]

    broken = []
    for name in _FILES:
        page = book_html / name
        for url in links_of(page).urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//") or url.startswith(("mailto:", "tel:", "data:", "javascript:")):
                continue
            target_path, _, fragment = url.partition("#")
            target_path = target_path.split("?", 1)[0]  # cache-busting ?v=... / ?digest=...
            target = (page.parent / unquote(target_path)).resolve() if target_path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{name} -> {url} (no such file)")
                continue
            if fragment and target.suffix == ".html" and unquote(fragment) not in links_of(target).ids:
                broken.append(f"{name} -> {url} (no anchor #{fragment})")
    assert not broken, "\n".join(broken[:40])


# --- Screenshots for a person ----------------------------------------------------------------

def first_lesson() -> str:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return toc["parts"][0]["chapters"][0]["file"] + ".html"


def test_screenshots_of_the_first_lesson(browser, book_server, book_html):
    """Writes desktop and phone screenshots to _build/screenshots/ for a person to look at.

    Fresh tabs: a reused one remembers where its sidebar was scrolled on earlier pages.
    """
    out = book_html.parent / "screenshots"
    out.mkdir(exist_ok=True)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        offline = OfflinePage(browser, book_server, viewport=viewport)
        try:
            page = visit(offline, first_lesson())
            target = out / f"first-lesson-{name}.png"
            page.screenshot(path=str(target), full_page=False)
            assert target.stat().st_size > 10_000
            settle_and_assert_offline(offline, first_lesson())
        finally:
            offline.close()
