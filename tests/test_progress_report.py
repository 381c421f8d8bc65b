"""report.html: aggregated, self-contained, Dutch, and its charts visible in a browser with no network."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pandas as pd
import pytest

from ambassador.progress.completion import OTHER_DEPARTMENTS
from ambassador.progress.pipeline import compute, write_outputs
from ambassador.progress.report import render_charts, render_html
from ambassador.progress.rule import CompletionRule

RULE = CompletionRule(required_assignments=("a", "b"), min_group_size=5)
TITLES = {"a": "Privacycheck", "b": "Posten of niet?"}


def _organisation():
    """20 in Netbeheer, 8 in ICT, 3 in Juridische zaken (too small alone) and 2 in Audit."""
    rows, attempts = [], []
    sizes = {"Netbeheer": 20, "ICT": 8, "Juridische zaken": 3, "Audit": 2}
    n = 0
    for dept, size in sizes.items():
        for i in range(size):
            n += 1
            emp = f"E{n:03d}"
            role = "management" if i < 2 else ("conversation_team" if i % 5 == 2 else "employee")
            rows.append({"employee_id": emp, "name": f"Naam{n} Ελένη", "email": f"{emp}@vlotwater.example",
                         "department": dept, "manager": "baas@vlotwater.example", "role": role})
            for k, assignment in enumerate(("a", "b")):
                if n % 4 == 0:
                    continue
                attempts.append({"session": "s1", "employee_id": emp, "assignment": assignment,
                                 "timestamp": pd.Timestamp("2026-09-08 11:00", tz="UTC") + pd.Timedelta(days=n % 9, minutes=k),
                                 "late": False, "raw": float(5 + (n * 3 + k) % 6), "penalty": 0.0, "max_score": 10.0})
    return pd.DataFrame(rows), pd.DataFrame(attempts)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    employees, attempts = _organisation()
    data = compute(employees, attempts, RULE, TITLES)
    out = tmp_path_factory.mktemp("report")
    files = write_outputs(out, data, employees, RULE, TITLES)
    return data, files["report.html"]


def test_report_is_aggregated_only(report):
    _, path = report
    page = path.read_text(encoding="utf-8")
    assert "Naam" not in page and "vlotwater.example" not in page and not re.search(r"\bE\d{3}\b", page)
    assert "Juridische zaken" not in page and "Audit" not in page
    assert OTHER_DEPARTMENTS in page
    assert "rangschikt niemand" in page


def test_report_is_self_contained(report):
    _, path = report
    page = path.read_text(encoding="utf-8")
    assert '<html lang="nl">' in page
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "<script" not in page and "@import" not in page and "url(" not in page


def test_every_chart_has_alt_text_and_a_caption(report):
    _, path = report
    page = path.read_text(encoding="utf-8")
    images = re.findall(r"<img [^>]*>", page)
    assert len(images) == 5  # departments, roles, timeline, pass rates, score distributions
    for image in images:
        alt = re.search(r'alt="([^"]+)"', image)
        assert alt and len(alt.group(1)) > 40
    assert page.count("<figcaption>") == 5


def test_roles_management_first(report):
    data, _ = report
    assert data.by_role["group"].iloc[0] == "Management"


def test_small_organisation_shows_no_numbers():
    employees, attempts = _organisation()
    employees = employees.head(3)
    data = compute(employees, attempts, RULE, TITLES)
    page = render_html(data, RULE, render_charts(data, RULE), generated=datetime(2026, 11, 21, tzinfo=timezone.utc))
    assert "<img" not in page
    assert page.count("Niet getoond") >= 3
    assert "21-11-2026" in page


@pytest.mark.slow
def test_report_charts_visible_in_chromium_offline(browser, report):
    """Opened from disk with every network request blocked: do all charts load and have alt text?"""
    _, path = report
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    requests, blocked, errors = [], [], []

    def route(r):
        requests.append(r.request.url)
        if r.request.url.startswith(("file://", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(path.as_uri(), wait_until="load")
    images = page.eval_on_selector_all(
        "img", "els => els.map(e => ({ok: e.complete && e.naturalWidth > 0, w: e.getBoundingClientRect().width,"
               " alt: e.getAttribute('alt')}))")
    context.close()
    assert blocked == [] and errors == []
    assert len(images) == 5
    for image in images:
        assert image["ok"] and image["w"] > 200 and image["alt"]
    assert requests == [path.as_uri()]


def test_date_labels_are_dutch():
    import matplotlib.dates as mdates

    from ambassador.progress.charts import dutch_date

    assert dutch_date(mdates.date2num(datetime(2026, 10, 3))) == "3 okt"
    assert dutch_date(mdates.date2num(datetime(2026, 3, 15))) == "15 mrt"
