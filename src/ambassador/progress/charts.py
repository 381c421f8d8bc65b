"""Charts for the HR report: each function draws on a matplotlib ``ax`` it is given.

They draw aggregates only (tables from ``completion``), never individuals,
and take no decisions about what may be shown: that happened before.
Labels are Dutch because HR reads the report.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, PercentFormatter

DONE = "#1f6f8b"      # completed (blue-teal, readable in grey-scale too)
REST = "#d9e2e6"      # not (yet) completed
PASS_LINE = "#b5472c"
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def dutch_date(value: float, _pos=None) -> str:
    """Axis label for a matplotlib date number, in Dutch whatever the machine's locale: '8 sep 2026'."""
    day = mdates.num2date(value)
    return f"{day.day} {MONTHS[day.month - 1]}"


def plot_group_completion(ax: Axes, table: pd.DataFrame, title: str) -> None:
    """Horizontal bars: percent completed per group, first row on top, "x van n" beside each bar."""
    groups = list(table["group"])
    rates = list(table["rate"].astype(float))
    positions = range(len(groups))
    ax.barh(positions, [100] * len(groups), color=REST, height=0.7)
    ax.barh(positions, rates, color=DONE, height=0.7)
    for y, (rate, done, total) in enumerate(zip(rates, table["completed"], table["employees"])):
        ax.text(101, y, f"{rate:.0f} % ({done} van {total})", va="center", fontsize=8)
    ax.set_yticks(list(positions), groups, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 135)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.xaxis.set_major_formatter(PercentFormatter())
    ax.set_xlabel("medewerkers die de cursus afrondden")
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)


def plot_cumulative(ax: Axes, cumulative: pd.DataFrame, total: int) -> None:
    """Running total of completions over time, as a share of all employees."""
    if cumulative.empty:
        ax.text(0.5, 0.5, "Nog niemand heeft de cursus afgerond.", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return
    dates = pd.to_datetime(cumulative["date"])
    ax.step(dates, cumulative["share"], where="post", color=DONE, linewidth=2)
    ax.fill_between(dates, cumulative["share"], step="post", color=DONE, alpha=0.15)
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(PercentFormatter())
    ax.set_ylabel("afgerond (van alle medewerkers)")
    if dates.iloc[0] == dates.iloc[-1]:  # a single day: give the axis some width
        ax.set_xlim(dates.iloc[0] - pd.Timedelta(days=3), dates.iloc[0] + pd.Timedelta(days=3))
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(FuncFormatter(dutch_date))
    last = cumulative.iloc[-1]
    ax.annotate(f"{int(last['cumulative'])} van {total}", (dates.iloc[-1], last["share"]),
                textcoords="offset points", xytext=(-4, 6), ha="right", fontsize=8)
    ax.set_title("Afgeronde cursussen door de tijd (cumulatief)", loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)


def plot_pass_rates(ax: Axes, summary: pd.DataFrame) -> None:
    """Bars: share of employees who tried an assignment and passed it (best score)."""
    shown = summary[summary["shown"]]
    positions = range(len(shown))
    ax.bar(positions, shown["pass_rate"].astype(float), color=DONE, width=0.6)
    for x, (rate, passed, tried) in enumerate(zip(shown["pass_rate"], shown["passed"], shown["attempted"])):
        ax.text(x, float(rate) + 2, f"{rate:.0f} %\n({int(passed)} van {tried})", ha="center", fontsize=8)
    ax.set_xticks(list(positions), list(shown["title"]), fontsize=8, rotation=15, ha="right")
    ax.set_ylim(0, 118)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.yaxis.set_major_formatter(PercentFormatter())
    ax.set_ylabel("geslaagd (van wie de opdracht inleverde)")
    ax.set_title("Slaagpercentage per opdracht", loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)


def plot_score_distribution(ax: Axes, percents: list[float], pass_mark: float, title: str) -> None:
    """Histogram of best scores in 10-point bins, with the pass mark as a line."""
    bins = list(range(0, 101, 10))
    ax.hist([min(p, 99.999) for p in percents], bins=bins, color=DONE, edgecolor="white")
    ax.axvline(pass_mark, color=PASS_LINE, linestyle="--", linewidth=1.5)
    ax.text(pass_mark, 1.0, f" grens {pass_mark:g} %", color=PASS_LINE, fontsize=8,
            transform=ax.get_xaxis_transform(), va="top")
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(PercentFormatter())
    ax.set_xlabel("beste score")
    ax.set_ylabel("medewerkers")
    ax.set_title(title, loc="left", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
