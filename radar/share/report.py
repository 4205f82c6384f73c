"""The report for the CIO: the results of a period as sentences, charts and the lists
behind every number, in Markdown, HTML or PDF (pure: results in, text or bytes out).

Every writer renders the same `sections`; charts are matplotlib `Figure`s (never pyplot,
which is not thread-safe), embedded as PNG so each file opens offline on its own. No
decision note is in the report, so no internal note can leak.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from html import escape

from matplotlib.figure import Figure

from radar.results import Results, before_after, days
from radar.share.markdown import esc as md_escape  # a Markdown file: '$' is text
from radar.share.pdf import A4_PORTRAIT, Part, Table, write_pdf
from radar.text import plural

RING_COLOURS = ("#5ba300", "#c7ba00", "#e09b96", "#009eb0", "#9c6ade")


@dataclass(frozen=True)
class Section:
    title: str
    sentence: str                      # what the figure or list says, in one sentence
    headers: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()       # the list behind the sentence's numbers
    chart: Figure | None = None


def sections(results: Results) -> list[Section]:
    """The report's parts, in order; each number in a sentence is in its rows."""
    leads = results.lead_times
    found = [Section(
        "How early we knew",
        (f"{plural(len(leads), 'trend')} flagged; on median "
         f"{before_after(results.median_lead)} their coverage peaked ({len(results.leads)} "
         "with coverage in the four weeks around the flag)." if results.leads
         else f"{plural(len(leads), 'trend')} flagged." if leads
         else "No trend was flagged in the period.")
        + (" Part of this history was replayed from archives, not seen live."
           if results.replayed else ""),
        ("trend", "first flagged", "coverage peak", f"{5} sources", "days early",
         "KEV added"),
        tuple((lt.label, lt.first_flagged, lt.peak_day or "—", lt.reached_sources_day or "—",
               "—" if lt.lead_days is None else lt.lead_days, lt.kev_date_added or "—")
              for lt in leads),
        _lead_chart(results) if results.leads else None)]
    waited = results.days_to_decision
    decided_rows = tuple((month, ", ".join(f"{ring} {n}" for ring, n in rings.items()))
                         for month, rings in results.decisions_by_month.items())
    found.append(Section(
        "What we decided",
        (f"{plural(len(waited), 'trend')} decided, on median "
         f"{days(results.median_days_to_decision)} after the first flag (90 % within "
         f"{days(results.p90_days_to_decision)})." if waited else "No decision in the period."),
        ("trend", "days from first flag to decision"), tuple((label, days)
                                                            for _, label, days in waited),
        _decisions_chart(results) if decided_rows else None))
    if results.backlog:
        found.append(Section(
            "Triage backlog",
            f"On {results.end}, {plural(len(results.open_at_end), 'flagged trend')} had "
            "waited 14 days or more for a decision.", ("trend", "first flagged"),
            tuple(results.open_at_end), _backlog_chart(results)))
    if results.roadmap:
        roadmap = results.roadmap
        found.append(Section(
            "The roadmap",
            f"{roadmap['assessed']} of {plural(roadmap['initiatives'], 'initiative')} have "
            f"an assessed trend; {plural(len(roadmap['undecided_trends']), 'flagged trend')} "
            "touching the roadmap await a decision.",
            ("initiatives assessed", "trends awaiting a decision"),
            tuple((name, "") for name in roadmap["assessed_names"])
            + tuple(("", label) for label in roadmap["undecided_trends"])))
    if results.exposure:
        exposure = results.exposure
        found.append(Section(
            "Exploited flaws in our stack",
            exposure["summary"] + ".",
            ("CVE", "product", "due", "past due"),
            tuple((e["cve"], e["product"], e["due_date"], "yes" if e["past_due"] else "")
                  for e in exposure["entries"])
            + tuple((m["cve"], m["product"], "", f"marked {m['state']} on {m['at'][:10]}")
                    for m in exposure["closed"])))
    weeks = results.coverage
    found.append(Section(
        "What we watched",
        f"{plural(sum(w['articles'] for w in weeks), 'article')} over "
        f"{plural(len(weeks), 'week')}.", ("week", "articles", "sources", "feeds healthy"),
        tuple((w["week"], w["articles"], w["sources"], w["feeds_healthy"]) for w in weeks)))
    return found


# --- charts ------------------------------------------------------------------------------------


def _figure(height: float = 3.2) -> tuple[Figure, object]:
    figure = Figure(figsize=(8, height), layout="constrained")
    return figure, figure.add_subplot()


def _lead_chart(results: Results) -> Figure:
    """The largest trends: a line from the first flag to the coverage peak."""
    largest = sorted((lt for lt in results.lead_times if lt.peak_day),
                     key=lambda lt: -lt.articles)[:12][::-1]
    figure, axes = _figure(0.6 + 0.32 * len(largest))
    for row, lt in enumerate(largest):
        axes.plot([lt.first_flagged, lt.peak_day], [row, row], color="#999", lw=2)
        axes.plot([lt.first_flagged], [row], "o", color="#d62728")
        axes.plot([lt.peak_day], [row], "s", color="#1f77b4")
    axes.set_yticks(range(len(largest)), [lt.label[:40] for lt in largest], fontsize=8)
    axes.set_title("First flagged (red) and coverage peak (blue), largest trends",
                   fontsize=9)
    axes.tick_params(axis="x", labelsize=8)
    return figure


def _decisions_chart(results: Results) -> Figure:
    months = list(results.decisions_by_month)
    rings = list(dict.fromkeys(r for counts in results.decisions_by_month.values()
                               for r in counts))
    figure, axes = _figure()
    bottom = [0] * len(months)
    for ring, colour in zip(rings, RING_COLOURS, strict=False):
        values = [results.decisions_by_month[m].get(ring, 0) for m in months]
        axes.bar(months, values, bottom=bottom, label=ring, color=colour)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.legend(fontsize=8)
    axes.set_title("Decisions per month, by ring", fontsize=9)
    axes.tick_params(labelsize=8)
    return figure


def _backlog_chart(results: Results) -> Figure:
    figure, axes = _figure(2.6)
    axes.plot([d for d, _ in results.backlog], [n for _, n in results.backlog],
              color="#ff7f0e")
    axes.set_title("Flagged trends waiting 14 days or more for a decision", fontsize=9)
    axes.tick_params(labelsize=8)
    return figure


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=110)
    return out.getvalue()


def _data_uri(figure: Figure) -> str:
    return "data:image/png;base64," + base64.b64encode(_png(figure)).decode("ascii")


# --- writers -------------------------------------------------------------------------------------


def _heading(results: Results, title: str) -> str:
    return f"{title}: {results.start} to {results.end}"


def render_report_md(results: Results, *, title: str, sharing: str) -> str:
    lines = [f"# {md_escape(_heading(results, title))}", "", f"**{md_escape(sharing)}**", "",
             md_escape(results.summary()), ""]
    for section in sections(results):
        lines += [f"## {md_escape(section.title)}", "", md_escape(section.sentence), ""]
        if section.chart is not None:
            lines += [f"![{md_escape(section.title)}]({_data_uri(section.chart)})", ""]
        if section.rows:
            lines.append("| " + " | ".join(md_escape(h) for h in section.headers) + " |")
            lines.append("|" + "---|" * len(section.headers))
            lines += ["| " + " | ".join(md_escape(str(cell)) for cell in row) + " |"
                      for row in section.rows]
            lines.append("")
    lines.append(f"*{md_escape(sharing)}*")
    return "\n".join(lines) + "\n"


def render_report_html(results: Results, *, title: str, sharing: str) -> str:
    body = [f"<p class='label'>{escape(sharing)}</p>",
            f"<h1>{escape(_heading(results, title))}</h1>",
            f"<p class='summary'>{escape(results.summary())}</p>"]
    for section in sections(results):
        body.append(f"<section><h2>{escape(section.title)}</h2>"
                    f"<p>{escape(section.sentence)}</p>")
        if section.chart is not None:
            body.append(f"<img alt='{escape(section.title)}' src='{_data_uri(section.chart)}'>")
        if section.rows:
            body.append("<table><tr>" + "".join(f"<th>{escape(h)}</th>"
                                               for h in section.headers) + "</tr>"
                        + "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row)
                                  + "</tr>" for row in section.rows) + "</table>")
        body.append("</section>")
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{escape(title)} ({escape(sharing)})</title><style>{STYLE}</style>"
            "</head><body>\n" + "\n".join(body)
            + f"\n<footer>{escape(sharing)}</footer></body></html>\n")


STYLE = ("body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;"
         "padding:0 1rem;color:#222}.label,footer{color:#b45309;font-weight:bold}"
         ".summary{font-size:1.1rem}img{max-width:100%}table{border-collapse:collapse;"
         "font-size:.85rem;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #ddd;"
         "padding:.2rem .6rem;text-align:left}")


def render_report_pdf(results: Results, *, title: str, sharing: str) -> bytes:
    """A4 portrait pages: the summary, then each section's sentence, chart and table."""
    parts = [Part(_heading(results, title), f"{sharing}\n\n{results.summary()}")]
    parts += [Part(section.title, section.sentence, section.chart,
                   Table(section.headers, (2.5,) + (1,) * (len(section.headers) - 1),
                         section.rows) if section.rows else None)
              for section in sections(results)]
    return write_pdf(parts, title=f"{_heading(results, title)} ({sharing})",
                     footer=f"{title} · {sharing}", size=A4_PORTRAIT)
