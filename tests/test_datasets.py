"""Tests for ambassador.datasets: the synthetic mentions of Vlotwater."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ambassador import datasets
from ambassador.datasets import (
    AUTHORS, CHANNELS, COLUMNS, KOOKADVIES_WEEK, SENTIMENTS, STORING_WEEK, TOPICS,
    make_mentions, mentions_path, to_csv_text,
)


@pytest.fixture(scope="module")
def committed() -> pd.DataFrame:
    return pd.read_csv(mentions_path(), encoding="utf-8")


@pytest.fixture(scope="module")
def weekly(committed) -> pd.DataFrame:
    """The committed mentions with a 1-based week number (week 1 starts on 7 September 2026)."""
    frame = committed.copy()
    days = (pd.to_datetime(frame["datum"]) - pd.Timestamp(datasets.DEFAULT_START)).dt.days
    frame["week"] = days // 7 + 1
    return frame


def test_committed_csv_equals_fresh_generation():
    """Is data/mentions.csv exactly what `python -m ambassador.datasets` writes (no drift)?"""
    on_disk = mentions_path().read_text(encoding="utf-8")
    assert on_disk == to_csv_text(make_mentions()), (
        "data/mentions.csv differs from the generator: run `.venv/bin/python -m ambassador.datasets`"
    )


def test_generation_is_deterministic_and_seed_dependent():
    """Does the same seed give the same data, and another seed other data?"""
    assert make_mentions(seed=5).equals(make_mentions(seed=5))
    assert not make_mentions(seed=5).equals(make_mentions(seed=6))


def test_columns_and_types(committed):
    assert list(committed.columns) == COLUMNS
    assert 1200 <= len(committed) <= 2000
    assert committed["id"].tolist() == list(range(1, len(committed) + 1))
    assert pd.api.types.is_integer_dtype(committed["bereik"])
    assert (committed["bereik"] >= 1).all()
    assert committed["tekst"].str.len().between(10, 200).all()
    assert not committed.isna().any().any()


def test_allowed_values(committed):
    assert set(committed["kanaal"]) == set(CHANNELS)
    assert set(committed["auteur"]) == set(AUTHORS)
    assert set(committed["onderwerp"]) == set(TOPICS)
    assert set(committed["sentiment"]) == set(SENTIMENTS)


def test_dates_are_iso_and_cover_twelve_weeks_in_autumn_2026(committed):
    assert committed["datum"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    dates = pd.to_datetime(committed["datum"], format="%Y-%m-%d")
    assert dates.min() == pd.Timestamp("2026-09-07")
    assert dates.max() <= pd.Timestamp("2026-11-29")
    assert dates.is_monotonic_increasing
    assert dates.dt.month.isin([9, 10, 11]).all()


def test_storing_spikes_in_the_burst_pipe_week(weekly):
    storing = weekly[weekly["onderwerp"] == "storing"].groupby("week").size()
    others = storing.drop(STORING_WEEK)
    assert storing[STORING_WEEK] > 3 * others.max()


def test_kookadvies_week_spikes_in_negative_and_journalist_mentions(weekly):
    negative = weekly[weekly["sentiment"] == "negatief"].groupby("week").size()
    journalists = weekly[weekly["auteur"] == "journalist"].groupby("week").size()
    assert negative.idxmax() == KOOKADVIES_WEEK
    assert negative[KOOKADVIES_WEEK] > 2.5 * negative.drop([KOOKADVIES_WEEK, STORING_WEEK, KOOKADVIES_WEEK + 1]).median()
    assert journalists.idxmax() == KOOKADVIES_WEEK
    assert journalists[KOOKADVIES_WEEK] > 4 * journalists.drop([KOOKADVIES_WEEK, KOOKADVIES_WEEK + 1]).max()
    kook_weeks = set(weekly.loc[weekly["onderwerp"] == "kookadvies", "week"])
    assert kook_weeks == {KOOKADVIES_WEEK, KOOKADVIES_WEEK + 1}


def test_channels_have_their_own_character(committed):
    """LinkedIn is mostly vacancies and positive; Google Reviews mostly customer service."""
    linkedin = committed[committed["kanaal"] == "LinkedIn"]
    reviews = committed[committed["kanaal"] == "Google Reviews"]
    assert linkedin["onderwerp"].value_counts().idxmax() == "vacature"
    assert (linkedin["sentiment"] == "positief").mean() > 0.5
    assert reviews["onderwerp"].value_counts().idxmax() == "klantendienst"


def test_reach_is_heavy_tailed(committed):
    reach = committed["bereik"]
    assert reach.max() > 20 * reach.median()
    assert reach.mean() > 2 * reach.median()


def test_fewer_weeks_leave_out_incidents_outside_the_period():
    short = make_mentions(weeks=2)
    assert set(short["onderwerp"]) <= set(TOPICS) - {"kookadvies"}
    assert pd.to_datetime(short["datum"]).max() < pd.Timestamp("2026-09-21")


@pytest.mark.parametrize("kwargs, message", [
    ({"weeks": 0}, "weeks must be at least 1"),
    ({"per_week": -1}, "per_week must not be negative"),
    ({"start": date(2026, 9, 8)}, "start must be a Monday"),
])
def test_bad_arguments_are_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_mentions(**kwargs)


def test_main_writes_the_file(tmp_path, capsys):
    out = tmp_path / "m.csv"
    assert datasets.main(["--out", str(out), "--seed", "3"]) == 0
    assert out.read_text(encoding="utf-8") == to_csv_text(make_mentions(seed=3))
    assert str(out) in capsys.readouterr().out


# The lesson notebook that explores this dataset (chapter "luisteren").
NOTEBOOK = mentions_path().parents[1] / "notebooks" / "vermeldingen.ipynb"


def test_lesson_notebook_is_stored_without_outputs_and_uses_data_dir():
    """Is notebooks/vermeldingen.ipynb committed clean (the build executes it) and path-independent?"""
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "the notebook has no code cells"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, f"stored output in: {cell.source[:60]!r}"
    source = "\n".join(c.source for c in code)
    assert "from ambassador.paths import data_dir" in source
    assert "../" not in source
    assert "plt.subplots(" in source
    figures = [c.metadata["mystnb"] for c in code if "mystnb" in c.metadata]
    assert len(figures) >= 2
    for fig in figures:
        assert fig["figure"]["caption"] and fig["figure"]["name"] and fig["image"]["alt"]


@pytest.mark.slow
def test_rendered_notebook_page_has_captioned_figures_with_alt_text(book_html):
    """Did the book build execute the notebook and render its figures with caption and alt text?"""
    import re

    page = (book_html / "notebooks" / "vermeldingen.html").read_text(encoding="utf-8")
    figures = re.findall(r"<figure.*?</figure>", page, flags=re.S)
    assert len(figures) >= 2, "expected two figures on the notebook page"
    for figure in figures:
        alt = re.search(r'<img alt="([^"]+)"[^>]*src="([^"]+\.png)"', figure)
        assert alt, f"figure without alt text or PNG: {figure[:200]}"
        assert (book_html / "notebooks" / alt.group(2)).resolve().is_file()
        assert "<figcaption" in figure
    assert "traceback" not in page.lower() and "stderr" not in page
    rows = len(pd.read_csv(mentions_path()))
    assert f"{rows} vermeldingen ingelezen" in page


def test_kookadvies_mentions_follow_the_story_in_the_lessons(committed):
    """Nothing before Tuesday 3 November; nobody reports the lifting before Friday 6 November."""
    kook = committed[committed["onderwerp"] == "kookadvies"]
    assert kook["datum"].min() == "2026-11-03"
    lifted = kook[kook["tekst"].str.contains("opgeheven")]
    assert len(lifted) > 0
    assert lifted["datum"].min() >= "2026-11-06"
