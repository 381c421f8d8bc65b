"""Shared fixtures: where the course and its built book are, and how to run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def book_output() -> Path:
    """Where the book was built: `jupyter-book build --path-output DIR` puts it in DIR/_build.

    `BOOK_OUTPUT=DIR` lets a developer test a build made elsewhere; the default is the
    repository root, where `make book` builds.
    """
    return Path(os.environ.get("BOOK_OUTPUT", ROOT)).resolve()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def book_html() -> Path:
    """The built book. `make test` builds it first; a missing build is a failure, not a skip."""
    html = book_output() / "_build" / "html"
    if not (html / "index.html").is_file():
        pytest.fail("the book is not built: run `make book` (or `make test`, which builds it first)")
    return html


def run_ambassador(*args: str, cwd: Path | None = None, env: dict | None = None,
                   timeout: float = 600, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the real `ambassador` entry point, as a user would."""
    return subprocess.run(
        [str(BIN / "ambassador"), *args],
        cwd=cwd or ROOT,
        env=env if env is not None else os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input,
    )


@pytest.fixture(scope="session")
def ambassador():
    return run_ambassador


# --- Browser -----------------------------------------------------------------
# Pages are tested as a person sees them: Debian's chromium driven by
# Playwright, the book served from loopback, every other request blocked.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def book_server(book_html):
    """Serve the built book on 127.0.0.1 (a random free port); yields its base URL."""
    import functools
    import http.server
    import threading

    handler = functools.partial(QuietHandler, directory=str(book_html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(__import__("http.server").server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OfflinePage:
    """A browser page that may only talk to the local book server.

    Every other request is recorded in ``blocked`` and fails: it is sent to a
    proxy that does not exist (only the loopback server bypasses it). Console
    errors and uncaught page errors are recorded in ``errors``; failed local
    requests in ``failed``. Unlike ``page.route``, this keeps the browser's
    cache, so pages after the first load the theme's files from it.
    """

    def __init__(self, browser, base_url: str, viewport: dict | None = None):
        self.base_url = base_url
        self.context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900},
            proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"},  # port 9: discard, nothing listens
        )
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.page.on("request", self._record_outside)
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("requestfailed", lambda req: req.url.startswith(base_url) and self.failed.append(req.url))
        self.page.on("response", lambda res: res.status >= 400 and self.failed.append(f"{res.status} {res.url}"))

    def _record_outside(self, request):
        url = request.url
        if not url.startswith((self.base_url, "data:", "blob:")):
            self.blocked.append(url)

    def goto(self, path: str):
        self.page.goto(f"{self.base_url}/{path.lstrip('/')}", wait_until="load")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def offline_page(browser, book_server):
    """A desktop-sized page on the local book, with the network blocked."""
    page = OfflinePage(browser, book_server)
    yield page
    page.close()


@pytest.fixture
def phone_page(browser, book_server):
    """A phone-sized (390x844) page on the local book, with the network blocked."""
    page = OfflinePage(browser, book_server, viewport={"width": 390, "height": 844})
    yield page
    page.close()
