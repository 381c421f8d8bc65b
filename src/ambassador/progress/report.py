"""report.html: one self-contained page for HR (Dutch), charts embedded as PNG.

``render_charts`` draws the figures (via ``charts``) and returns them as
base64 PNG with alt text; ``render_html`` turns computed tables into the
page. The page loads nothing: no scripts, fonts, style sheets or images
from elsewhere, so it can be mailed or archived as a single file.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from datetime import datetime, timezone

import pandas as pd

from ambassador.progress import charts
from ambassador.progress.completion import OTHER_DEPARTMENTS, OTHER_ROLES
from ambassador.progress.rule import CompletionRule


@dataclass(frozen=True)
class Chart:
    png_base64: str
    alt: str
    caption: str


def _png(fig) -> str:
    buffer = io.BytesIO()
    # fixed margins (set where the figure is made): one draw, no layout engine
    fig.savefig(buffer, format="png", dpi=96, pil_kwargs={"compress_level": 3})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _pct(value: float) -> str:
    return f"{value:.0f} %"


def _group_alt(table: pd.DataFrame, what: str) -> str:
    if table.empty:
        return f"Geen grafiek per {what}: te weinig medewerkers."
    low, high = table.sort_values("rate").iloc[0], table.sort_values("rate").iloc[-1]
    return (f"Staafdiagram: percentage medewerkers dat de cursus afrondde per {what}, "
            f"{len(table)} balken. Laagste: {low['group']} ({_pct(low['rate'])}), "
            f"hoogste: {high['group']} ({_pct(high['rate'])}). De tabel onder de grafiek geeft alle cijfers.")


def render_charts(data, rule: CompletionRule) -> dict[str, Chart]:
    """Every chart of the report, keyed by section; only sections with data get one."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    result: dict[str, Chart] = {}
    for key, table, what, title in (
        ("departments", data.by_department, "afdeling", "Afgerond per afdeling"),
        ("roles", data.by_role, "rol", "Afgerond per rol (management eerst)"),
    ):
        if table.empty:
            continue
        height = max(1.6, 0.32 * len(table) + 0.9)
        fig, ax = plt.subplots(figsize=(8, height))
        # room for the longest group name on the left, title on top, axis label below
        label = max(len(str(g)) for g in table["group"]) * 0.065 + 0.2
        fig.subplots_adjust(left=min(0.5, label / 8), right=0.98, top=1 - 0.45 / height, bottom=0.55 / height)
        charts.plot_group_completion(ax, table, title)
        result[key] = Chart(_png(fig), _group_alt(table, what), title)
        plt.close(fig)

    if data.headline["shown"]:
        fig, ax = plt.subplots(figsize=(8, 3.2))
        fig.subplots_adjust(left=0.09, right=0.97, top=0.88, bottom=0.16)
        charts.plot_cumulative(ax, data.cumulative, data.headline["employees"])
        if data.cumulative.empty:
            alt = "Lijngrafiek van afgeronde cursussen door de tijd: nog geen afrondingen."
        else:
            first, last = data.cumulative.iloc[0], data.cumulative.iloc[-1]
            alt = (f"Lijngrafiek: aantal medewerkers dat de cursus afrondde, cumulatief, van "
                   f"{first['date']:%d-%m-%Y} tot {last['date']:%d-%m-%Y}; stijgt tot "
                   f"{int(last['cumulative'])} van {data.headline['employees']} ({_pct(last['share'])}).")
        result["timeline"] = Chart(_png(fig), alt, "Afgeronde cursussen door de tijd")
        plt.close(fig)

    shown = data.summary[data.summary["shown"]]
    if not shown.empty:
        fig, ax = plt.subplots(figsize=(8, 3.4))
        fig.subplots_adjust(left=0.09, right=0.98, top=0.88, bottom=0.28)
        charts.plot_pass_rates(ax, data.summary)
        parts = ", ".join(f"{r.title} {_pct(r.pass_rate)}" for r in shown.itertuples())
        result["pass_rates"] = Chart(_png(fig), f"Staafdiagram: slaagpercentage per opdracht: {parts}.",
                                     "Slaagpercentage per opdracht")
        plt.close(fig)

        cols = 2
        rows = (len(shown) + cols - 1) // cols
        fig, axes = plt.subplots(rows, cols, figsize=(8, 2.6 * rows), squeeze=False)
        fig.subplots_adjust(left=0.08, right=0.96, top=1 - 0.3 / (2.6 * rows), bottom=0.55 / (2.6 * rows),
                            hspace=0.75, wspace=0.3)
        for ax, row in zip(axes.flat, shown.itertuples()):
            charts.plot_score_distribution(ax, row.percents, rule.pass_mark, row.title)
        for ax in list(axes.flat)[len(shown):]:
            ax.set_axis_off()
        medians = ", ".join(f"{r.title} {_pct(pd.Series(r.percents).median())}" for r in shown.itertuples())
        result["scores"] = Chart(
            _png(fig),
            f"Histogrammen van de beste score per opdracht in stappen van 10 procentpunt, met de "
            f"slaaggrens van {rule.pass_mark:g} % als stippellijn. Mediaan: {medians}.",
            "Verdeling van de beste scores per opdracht")
        plt.close(fig)
    return result


# --- HTML -----------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1d2a30;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #d9e2e6}
.meta{color:#50616a}.cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1.5rem 0}
.card{flex:1 1 10rem;border:1px solid #d9e2e6;border-radius:.5rem;padding:.8rem 1rem}
.card strong{display:block;font-size:1.8rem;color:#1f6f8b}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}figcaption{color:#50616a;font-size:.9rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border-bottom:1px solid #d9e2e6;padding:.25rem .7rem;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#f3f6f7;border-left:4px solid #1f6f8b;padding:.6rem 1rem}
"""


def _e(value) -> str:
    return html.escape(str(value))


def _figure(chart: Chart | None) -> str:
    if chart is None:
        return ""
    return (f'<figure><img src="data:image/png;base64,{chart.png_base64}" alt="{_e(chart.alt)}">'
            f"<figcaption>{_e(chart.caption)}</figcaption></figure>")


def _group_table(table: pd.DataFrame, label: str, other: str, other_note: str) -> str:
    rows = []
    for row in table.itertuples(index=False):
        name = _e(row.group)
        if row.group == other:
            name += f" <small>({row.merged} {other_note})</small>"
        rows.append(f"<tr><td>{name}</td><td class=n>{row.employees}</td>"
                    f"<td class=n>{row.completed}</td><td class=n>{_pct(row.rate)}</td></tr>")
    return (f"<table><thead><tr><th scope=col>{label}</th><th scope=col>medewerkers</th>"
            f"<th scope=col>afgerond</th><th scope=col>percentage</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _too_small(what: str, rule: CompletionRule) -> str:
    return (f'<p class="note">Niet getoond: er zijn te weinig medewerkers om {what} te tonen zonder '
            f"dat iemand herkenbaar wordt (minimum {rule.min_group_size}).</p>")


def render_html(data, rule: CompletionRule, figures: dict[str, Chart], *, generated: datetime | None = None) -> str:
    """The complete report page."""
    generated = generated or datetime.now(timezone.utc)
    h = data.headline
    title = f"Voortgang ambassadeurscursus – {rule.organisation}"
    parts = [
        "<!DOCTYPE html>", '<html lang="nl">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>", "<main>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">Gemaakt op {generated:%d-%m-%Y} · cursusversie {_e(rule.course_version)} · '
        f"{len(data.sessions)} sessie(s) · afgerond = alle {len(rule.required_assignments)} verplichte "
        f"opdrachten met minstens {rule.pass_mark:g} %.</p>",
    ]
    if h["shown"]:
        parts.append(
            '<section class="cards" aria-label="Kerncijfers">'
            f'<div class="card"><strong>{h["employees"]}</strong>medewerkers in de personeelslijst</div>'
            f'<div class="card"><strong>{h["completed"]} ({_pct(h["rate"])})</strong>cursus afgerond</div>'
            f'<div class="card"><strong>{h["in_progress"]}</strong>bezig (minstens één opdracht ingeleverd)</div>'
            f'<div class="card"><strong>{h["not_started"]}</strong>nog niet begonnen</div></section>')
    else:
        parts.append(_too_small("cijfers", rule))

    parts.append("<h2>Per afdeling</h2>")
    if data.by_department.empty:
        parts.append(_too_small("afdelingen", rule))
    else:
        parts.append(f"<p>Afdelingen met minder dan {rule.min_group_size} medewerkers staan samen onder "
                     f"‘{OTHER_DEPARTMENTS}’. De afdelingen die het verst achterop liggen staan bovenaan.</p>")
        parts.append(_figure(figures.get("departments")))
        parts.append(_group_table(data.by_department, "afdeling", OTHER_DEPARTMENTS, "afdelingen samen"))

    parts.append("<h2>Per rol</h2>")
    if data.by_role.empty:
        parts.append(_too_small("rollen", rule))
    else:
        parts.append("<p>Volgens het ambassadeursmodel geeft het management het voorbeeld: "
                     "daarom staat het bovenaan. Zo zie je of leidinggevenden de cursus afrondden vóór hun teams."
                     + (f" Rollen met minder dan {rule.min_group_size} mensen staan samen onder ‘{OTHER_ROLES}’."
                        if (data.by_role["group"] == OTHER_ROLES).any() else "") + "</p>")
        parts.append(_figure(figures.get("roles")))
        parts.append(_group_table(data.by_role, "rol", OTHER_ROLES, "rollen samen"))

    parts.append("<h2>Door de tijd</h2>")
    parts.append(_figure(figures.get("timeline")) if "timeline" in figures else _too_small("een verloop", rule))

    parts.append("<h2>Per opdracht</h2>")
    summary = data.summary
    parts.append("<p>Per opdracht telt de beste score van elke medewerker (herkansingen tellen mee). "
                 f"Opdrachten die minder dan {rule.min_group_size} mensen inleverden, tonen geen cijfers.</p>")
    parts.append(_figure(figures.get("pass_rates")))
    parts.append(_figure(figures.get("scores")))
    rows = []
    for row in summary.itertuples(index=False):
        if row.shown:
            cells = f"<td class=n>{row.attempted}</td><td class=n>{row.passed}</td><td class=n>{_pct(row.pass_rate)}</td>"
        else:
            cells = "<td class=n colspan=3>te weinig inzendingen om te tonen</td>"
        rows.append(f"<tr><td>{_e(row.title)}</td>{cells}</tr>")
    parts.append("<table><thead><tr><th scope=col>opdracht</th><th scope=col>ingeleverd</th>"
                 "<th scope=col>geslaagd</th><th scope=col>slaagpercentage</th></tr></thead>"
                 f"<tbody>{''.join(rows)}</tbody></table>")

    parts.append("<h2>Over dit rapport</h2><ul>")
    parts.append("<li>Dit rapport toont alleen groepen, nooit personen, en rangschikt niemand. "
                 "Je mag het doorsturen naar het management.</li>")
    parts.append(f"<li>Groepen kleiner dan {rule.min_group_size} mensen worden samengevoegd of niet getoond, "
                 "zodat niemand herkenbaar is.</li>")
    if data.unknown:
        parts.append(f"<li>{len(data.unknown)} inzender(s) staan niet in de personeelslijst en tellen niet mee; "
                     "HR vindt hun nummers in <code>unknown_employees.txt</code>.</li>")
    if data.pending:
        parts.append(f"<li>{data.pending} inzending(en) wachten nog op beoordeling door een trainer en tellen "
                     "pas mee als ze beoordeeld zijn.</li>")
    if data.late:
        policy = {"count": "tellen gewoon mee", "penalty": "tellen mee met de strafpunten uit nbgrader",
                  "ignore": "tellen niet mee"}[rule.late_submissions]
        parts.append(f"<li>{data.late} inzending(en) kwamen na de deadline binnen; die {policy}.</li>")
    if data.roster_problems:
        parts.append(f"<li>{data.roster_problems} regel(s) van de personeelslijst hadden een fout en zijn "
                     "overgeslagen (details in de terminal).</li>")
    parts.append("</ul></main></body></html>")
    return "\n".join(parts)
