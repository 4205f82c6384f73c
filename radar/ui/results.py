"""The Results view: how early we knew, what we decided and how fast, the backlog, the
roadmap and our exposure, for a period; each chart explained in one sentence, and a
click on a trend in a chart opens it on the radar."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

import plotly.graph_objects as go
import streamlit as st

from radar.results import Results, days, measure
from radar.text import md_escape, plural
from radar.ui import data
from radar.ui.common import open_on_radar, place_key

DEFAULT_DAYS = 90


@st.cache_data(show_spinner=False)
def results_for(key: tuple, start: date, end: date) -> Results:
    with data.open_store() as store:
        return measure(store, start=start, end=end)


def results_page(key: tuple) -> None:
    last = data.summary(key)["analysis"]
    end_default = date.fromisoformat(last["as_of"][:10]) if last else date.today()
    period = st.date_input("Period", (end_default - timedelta(days=DEFAULT_DAYS), end_default),
                           key="results_period")
    if not isinstance(period, tuple) or len(period) != 2:
        st.caption("Choose the first and the last day of the period.")
        return
    results = results_for(key, *period)
    st.markdown(f"**{md_escape(results.summary())}**")
    if results.replayed:
        st.caption("Part of this history was replayed from archives (`radar backtest "
                   "--keep`), not seen live.")
    lead_section(results)
    decision_section(results)
    backlog_section(results)
    roadmap_section(results)


def lead_section(results: Results) -> None:
    st.subheader("How early we knew")
    if not results.lead_times:
        st.info("No trend was flagged emerging or rising in this period. Analyses leave "
                "their flags day by day; `radar backtest --from … --to … --keep` replays "
                "the past to give a new radar its history.")
        return
    st.caption("Each line runs from the day a trend was first flagged (red) to the day "
               "its coverage peaked (blue): the days of warning we had. The largest trends; "
               "click one to open it.")
    largest = sorted((lt for lt in results.lead_times if lt.peak_day),
                     key=lambda lt: -lt.articles)[:15][::-1]
    figure = go.Figure()
    for lt in largest:
        figure.add_trace(go.Scatter(
            x=[lt.first_flagged, lt.peak_day], y=[escape(lt.label)] * 2, mode="lines+markers",
            marker={"color": ["#d62728", "#1f77b4"], "size": 9}, line={"color": "#aaa"},
            customdata=[lt.trend_id, lt.trend_id], showlegend=False,
            text=[escape(lt.label)] * 2,   # Plotly renders some HTML: names are text
            hovertemplate=f"%{{text}}: {plural(lt.lead_days, 'day')} early<extra></extra>"))
    figure.update_layout(height=120 + 28 * len(largest), margin={"l": 10, "r": 10, "t": 10,
                                                                 "b": 10})
    chosen = st.plotly_chart(figure, on_select="rerun", selection_mode="points",
                             key="lead_timeline", config={"displayModeBar": False})
    _open_clicked(chosen)
    if results.leads:
        st.caption(f"Days of warning per trend (negative: flagged after the peak): median "
                   f"{results.median_lead:g}.")
    st.plotly_chart(go.Figure(go.Histogram(x=results.leads,
                                           marker_color="#1f77b4")).update_layout(
        height=220, margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis_title="days between first flag and coverage peak"), key="lead_histogram",
        config={"displayModeBar": False})
    with st.expander(f"The {plural(len(results.lead_times), 'trend')} behind these figures"):
        import pandas as pd  # here: the radar's first paint does not wait for pandas

        st.dataframe(pd.DataFrame([{
            "trend": lt.label, "first flagged": lt.first_flagged, "coverage peak": lt.peak_day,
            "5 sources": lt.reached_sources_day, "days early": lt.lead_days,
            "KEV added": lt.kev_date_added} for lt in results.lead_times]),
            hide_index=True, width="stretch")


def decision_section(results: Results) -> None:
    st.subheader("What we decided")
    if results.decided_later:
        later_section(results)
    if not results.decisions_by_month:
        if not results.decided_later:
            st.info("No decision in this period: decide on trends from the radar or the "
                    "Inbox.")
        return
    st.caption("Decisions per month, by ring. Click a bar for its trends.")
    months = list(results.decisions_by_month)
    rings = list(dict.fromkeys(r for counts in results.decisions_by_month.values()
                               for r in counts))
    chosen = st.plotly_chart(go.Figure([go.Bar(name=ring, x=months, y=[
        results.decisions_by_month[m].get(ring, 0) for m in months],
        customdata=[ring] * len(months)) for ring in rings])
        .update_layout(barmode="stack", height=260, showlegend=True,
                       xaxis={"type": "category"},   # months, not dates on a time axis
                       margin={"l": 10, "r": 10, "t": 10, "b": 10}),
        on_select="rerun", selection_mode="points", key="decisions_chart",
        config={"displayModeBar": False})
    points = (chosen or {}).get("selection", {}).get("points", [])
    if points:   # a bar: the trends decided in that month and ring
        month, ring = points[0].get("x"), points[0].get("customdata")
        ring = ring[0] if isinstance(ring, list) else ring
        trend_buttons(f"Decided {ring} in {month}", results.decided.get(month, {}).get(ring, []),
                      "decided")
    if results.days_to_decision:
        st.caption(f"Days from the first flag to a decision: median "
                   f"{days(results.median_days_to_decision)}, 90 % within "
                   f"{days(results.p90_days_to_decision)}. Click a bar to open its trend.")
        waited = results.days_to_decision
        chosen = st.plotly_chart(go.Figure(go.Bar(
            x=[days for *_, days in waited], y=[escape(label) for _, label, _ in waited],
            orientation="h", customdata=[t for t, _, _ in waited], marker_color="#ff7f0e"))
            .update_layout(height=120 + 24 * len(waited),
                           margin={"l": 10, "r": 10, "t": 10, "b": 10}),
            on_select="rerun", selection_mode="points", key="decision_delay",
            config={"displayModeBar": False})
        _open_clicked(chosen)


def later_section(results: Results) -> None:
    """Decisions taken after the period on the trends it flagged, with how they relate."""
    import pandas as pd  # here: the radar's first paint does not wait for pandas

    st.caption(f"Decisions are dated when they are taken: "
               f"{plural(len(results.decided_later), 'decision')} on trends this period "
               f"flagged came after it (for a period replayed from archives, every "
               f"decision does). They are not counted in the period's figures.")
    with st.expander(f"Decided after {results.end}"):
        st.dataframe(pd.DataFrame([{"trend": label, "ring": ring, "decided": day}
                                   for _, label, ring, day in results.decided_later]),
                     hide_index=True, width="stretch")
        trend_buttons("Open on the radar", [(t, label) for t, label, *_ in results.decided_later],
                      "decided-later")


def backlog_section(results: Results) -> None:
    st.subheader("Triage backlog")
    if not results.backlog:
        return
    st.caption("Flagged trends that had waited 14 days or more for a decision, day by day. "
               "Click a day for its trends.")
    chosen = st.plotly_chart(go.Figure(go.Scatter(
        x=[d for d, _ in results.backlog], y=[n for _, n in results.backlog],
        mode="lines+markers", marker={"size": 4}, line={"color": "#ff7f0e"})).update_layout(
        height=220, margin={"l": 10, "r": 10, "t": 10, "b": 10},
        # days, never hours: a period with one analysis would zoom to its milliseconds
        xaxis={"tickformat": "%Y-%m-%d", "range": [
            results.backlog[0][0] - timedelta(days=3), results.backlog[-1][0]
            + timedelta(days=3)]}), key="backlog_chart",
        on_select="rerun", selection_mode="points", config={"displayModeBar": False})
    points = (chosen or {}).get("selection", {}).get("points", [])
    if points:
        day = date.fromisoformat(str(points[0].get("x"))[:10])
        trend_buttons(f"Waiting on {day}", results.waiting_on(day), "backlog")
    elif results.open_at_end:
        st.caption(f"Waiting on {results.end}: " + ", ".join(
            md_escape(label) for label, _ in results.open_at_end))


def roadmap_section(results: Results) -> None:
    if results.roadmap:
        st.subheader("The roadmap")
        roadmap = results.roadmap
        st.markdown(f"{roadmap['assessed']} of {plural(roadmap['initiatives'], 'initiative')} "
                    "have an assessed trend: " + md_escape(", ".join(
                        roadmap["assessed_names"]) or "none") + ".")
        if roadmap["undecided_trends"]:
            st.caption("Touching the roadmap, flagged, not decided: " + md_escape(
                ", ".join(roadmap["undecided_trends"])))
    if results.exposure:
        exposure = results.exposure
        st.subheader("Exploited flaws in our stack")
        st.markdown(md_escape(exposure["summary"]) + ".")


def trend_buttons(title: str, trends: list[tuple[str, str]], section: str) -> None:
    """The trends behind a chart's point, each one click from its detail (a trend decided
    twice in a month is listed twice, so the key holds the position)."""
    st.markdown(f"**{md_escape(title)}** ({plural(len(trends), 'trend')})")
    for position, (trend_id, label) in enumerate(trends[:30]):
        st.button(md_escape(label), key=place_key("results", section, position, trend_id),
                  on_click=open_on_radar, args=(trend_id,))


def _open_clicked(event) -> None:
    points = (event or {}).get("selection", {}).get("points", [])
    if points and points[0].get("customdata"):
        trend_id = points[0]["customdata"]
        open_on_radar(trend_id[0] if isinstance(trend_id, list) else trend_id)
        st.rerun()
