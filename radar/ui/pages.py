"""The app's pages: radar, inbox, browse, feeds. Each reads through ui.data and acts
through the library; none computes anything the library does not already offer."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import streamlit as st

from radar.errors import RadarError
from radar.health import failure_lines, feed_rows
from radar.models import DORMANT, STATUSES, THEME, Trend
from radar.picture import Picture
from radar.selection import Filters, filter_trends, inbox, this_weeks_events
from radar.store import Store
from radar.text import md_escape, now_iso, parse_iso_utc, plural, utc_now
from radar.ui import data
from radar.ui.access import can_edit
from radar.ui.chart import radar_chart
from radar.ui.common import act, open_on_radar, perform, place_key, select_trend
from radar.ui.detail import show_detail

if TYPE_CHECKING:   # the collector is imported when it runs (see collect_now)
    from radar.pipeline import Analysed

KEY = ("Numbers match the names beside the radar. Colour: red emerging · orange rising · "
       "blue steady · grey fading or dormant. Filled: ring decided · hollow: ring suggested. "
       "★ new on the radar since the last analysis · ▲ moved to another ring · ◉ on a "
       "watchlist. Click a blip "
       "or a name to open it; every other trend is in Browse.")
BACKFILL_DAYS = 90   # the history offered to a new radar, as `make run` fetches it
# Quadrants 1 and 2 are drawn on the left of the radar, 0 and 3 on the right.
LEGEND_SIDES = ((1, 2), (0, 3))
PICKER = "trend_picker"


def radar_page(key: tuple) -> None:
    trends = data.trends(key)
    selected = st.query_params.get("trend")
    focus = st.radio("Show", [data.ALL, *data.FOCUS], horizontal=True, key="radar_focus",
                     label_visibility="collapsed")
    picture = data.picture(key, focus)
    if focus != data.ALL and not picture.spots:
        st.info(f"No trend on the radar matches “{focus}”. The Roadmap view lists the "
                "initiatives and the stack the radar compares trends with.")
    left, middle, right = st.columns([1, 2.4, 1])
    with middle:
        radar_chart(picture, key="radar_chart", selected=selected, on_click=select_trend)
        st.caption(KEY)
    for column, quadrants in zip((left, right), LEGEND_SIDES, strict=True):
        with column:
            for number in quadrants:
                legend_block(picture, number, selected, data.watched(key))
    trend_picker(trends, selected)
    detail_for(st.query_params.get("trend"), trends, key)


def legend_block(picture: Picture, quadrant: int, selected: str | None,
                 watched: dict[str, list[str]]) -> None:
    """One quadrant's names, ring by ring with what the ring means there (◉ marks a trend
    on a watchlist); choosing a name opens its trend (one compact list per ring)."""
    name, rings = picture.legend()[quadrant]
    st.markdown(f"**{md_escape(name)}**")
    for ring, meaning, spots in rings:
        if not spots:
            continue
        names = {s.item.id: md_escape(f"{s.number}. {s.item.label}")   # options are Markdown
                 + (" ★" if s.item.new else "") + (" ▲" if s.item.moved else "")
                 + (" ◉" if s.item.id in watched else "") for s in spots}
        ids = list(names)
        # One widget per ring for good, shown with the open trend chosen: a key naming the
        # open trend made every click rebuild every list in the browser.
        key = f"legend-{quadrant}-{ring}"
        st.session_state[key] = selected if selected in ids else None
        st.radio(f"**{md_escape(ring.upper())}**" + (f" — {md_escape(meaning)}"
                                                     if meaning else ""),
                 ids, index=None, format_func=names.get, key=key,
                 on_change=choose_from_legend, args=(key,))


def choose_from_legend(widget_key: str) -> None:
    select_trend(st.session_state.get(widget_key))


def trend_picker(trends: list[Trend], selected: str | None) -> None:
    """The keyboard way to the same detail the radar click opens. One widget for good,
    shown with the open trend chosen (as the legend's lists): a key naming the open trend
    sent its every option to the browser again on each click."""
    labels = {"": "—"} | {t.id: f"{t.label} — {t.kind}, {t.status}, {t.score:.1f}"
                          for t in trends}
    st.session_state[PICKER] = selected if selected in labels else ""
    st.selectbox("Trend", list(labels), format_func=labels.get, key=PICKER,
                 on_change=choose_from_picker)


def choose_from_picker() -> None:
    select_trend(st.session_state.get(PICKER) or None)


def detail_for(trend_id: str | None, trends: list[Trend], key: tuple) -> None:
    if not trend_id:
        return
    everything = data.trends(key, include_hidden=True)
    trend = next((t for t in everything if t.id == trend_id), None)
    if trend is None:
        st.warning(f"No trend with id {md_escape(trend_id)}.")
        return
    st.divider()
    show_detail(trend, trends, data.settings(), key)


def inbox_page(key: tuple) -> None:
    trends = data.trends(key)
    # One entry per subject: an event stands under its theme when both wait, and on its
    # own when its theme does not ("BianLian" of the steady "FBI"), as on the radar.
    waiting = inbox(trends)
    st.markdown(f"**{plural(len(waiting), 'subject')} emerging or rising "
                f"{'waits' if len(waiting) == 1 else 'wait'} for a decision.**")
    if not waiting:
        st.caption("Nothing to triage. New trends appear here after each analysis.")
    for trend, alike in waiting[:50]:
        inbox_row("waiting", trend, alike=alike)
    names = {t.id: t.label for t in trends}
    recent = this_weeks_events(trends, data.settings().recent_days)
    st.markdown(f"**This week's events** ({len(recent)})")
    for event in recent:
        inbox_row("this-week", event, theme=names.get(event.theme or ""))


def inbox_row(section: str, trend: Trend, *, theme: str | None = None,
              alike: list[Trend] = ()) -> None:
    with st.container(border=True):
        left, right = st.columns([5, 1])
        left.markdown(f"**{md_escape(trend.label)}** · {trend.kind} · {trend.status} · "
                      f"score {trend.score:.1f} · {md_escape(trend.quadrant)}"
                      + (f" · theme: {md_escape(theme)}" if theme else ""))
        left.caption(md_escape(trend.why) + ("  \nAlso: " + ", ".join(
            md_escape(other.label) for other in alike) if alike else ""))
        right.button("Open", key=place_key("inbox", section, trend.id), on_click=open_on_radar,
                     args=(trend.id,))


def browse_page(key: tuple) -> None:
    settings = data.settings()
    params = st.query_params
    quadrants, rings = [q.name for q in settings.quadrants], list(settings.rings)
    columns = st.columns(3)
    query = columns[0].text_input("Search trends and articles", value=params.get("q", ""))
    quadrant = columns[1].selectbox("Quadrant", ["any", *quadrants],
                                    index=_index(["any", *quadrants], params.get("quadrant")))
    ring = columns[2].selectbox("Ring", ["any", *rings], index=_index(["any", *rings],
                                                                       params.get("ring")))
    columns = st.columns(4)
    windows = ["any", "7", "30", "90"]
    days = columns[3].selectbox("Seen in the last", windows,
                                index=_index(windows, params.get("days")),
                                format_func=lambda d: d if d == "any" else f"{d} days")
    status = columns[0].selectbox("Status", ["any", *STATUSES],
                                  index=_index(["any", *STATUSES], params.get("status")))
    decided = columns[1].selectbox("Decision", ["any", "decided", "undecided"],
                                   index=_index(["any", "decided", "undecided"],
                                                params.get("decided")))
    min_score = columns[2].number_input("Minimum score", min_value=0.0, step=1.0,
                                        value=_float(params.get("min_score")))
    chosen = {"q": query, "quadrant": quadrant, "ring": ring, "status": status,
              "decided": decided, "min_score": f"{min_score:g}" if min_score else "",
              "days": days}
    for name, value in chosen.items():  # the URL mirrors the filters, so views can be linked
        if value and value != "any":
            params[name] = value
        else:
            params.pop(name, None)
    filters = Filters(
        quadrant=None if quadrant == "any" else quadrant,
        ring=None if ring == "any" else ring,
        status=None if status == "any" else status,
        decided=None if decided == "any" else decided == "decided",
        min_score=min_score,
        since=None if days == "any" else seen_since(key, int(days)),
        matching=data.search(key, query) if query.strip() else None)
    pool = data.trends(key, include_hidden=status == DORMANT)
    found = filter_trends(pool, filters)
    st.caption(plural(len(found), "trend") + (" — most about the search first"
                                              if query.strip() else ""))
    import pandas as pd  # here: the radar's first paint does not wait for pandas

    table = pd.DataFrame([{"id": t.id, "label": t.label, "kind": t.kind, "status": t.status,
                           "score": round(t.score, 1), "quadrant": t.quadrant,
                           "ring": t.ring or f"({t.suggested_ring})",
                           "articles": t.article_count, "sources": t.source_count,
                           "last seen": t.last_seen[:10]} for t in found],
                         columns=["id", "label", "kind", "status", "score", "quadrant", "ring",
                                  "articles", "sources", "last seen"])
    st.dataframe(table, hide_index=True, width="stretch")
    trend_picker(found, st.query_params.get("trend"))
    detail_for(st.query_params.get("trend"), found, key)


def seen_since(key: tuple, days: int) -> str | None:
    """The ISO date `days` before the last analysis (its as-of, not today)."""
    analysis = data.summary(key)["analysis"]
    as_of = parse_iso_utc(analysis["as_of"]) if analysis else None
    return (as_of - timedelta(days=days)).date().isoformat() if as_of else None


def _index(options: list[str], value: str | None) -> int:
    return options.index(value) if value in options else 0


def _float(value: str | None) -> float:
    try:
        return max(float(value or 0), 0.0)
    except ValueError:
        return 0.0


def feeds_page(key: tuple) -> None:
    if can_edit():
        feed_actions(key)
    show_feed_table(key)


def feed_actions(key: tuple) -> None:
    left, middle, right = st.columns(3)
    if left.button("Collect now", type="primary"):
        collect_now()
    right.button("Re-analyse", on_click=perform, args=(reanalyse, as_message))
    waiting = [row for row in data.feed_health(key).values()
               if row.get("next_attempt_after") and row["next_attempt_after"] > now_iso()]
    if waiting and middle.button(f"Fetch the {plural(len(waiting), 'feed')} backing off"):
        collect_now(ignore_backoff=True)
    if not data.walks(key):  # offered once, to a new radar; later: `collect --backfill`
        st.info(f"History from day one: many feeds keep older pages (WordPress, Ghost, "
                f"RFC 5005 archives). Reading their last {BACKFILL_DAYS} days once gives the "
                "analyses a baseline.")
        if st.button(f"Fetch {BACKFILL_DAYS} days of history"):
            collect_now(backfill_days=BACKFILL_DAYS)


def show_feed_table(key: tuple) -> None:
    health = data.feed_health(key)
    try:
        configured = data.feeds()
    except RadarError as e:
        st.error(md_escape(str(e)))
        return
    rows = [{"feed": r["name"], "category": r["category"], "status": r["status"],
             "http": str(r["last_status"] or "—"), "last success": r["last_success"] or "never",
             "next try": r["next_try"] or "—", "articles": r["articles"],
             "history from": r["history_from"] or "—", "error": r["error"] or ""}
            for r in feed_rows(configured, health, data.article_origins(key))]
    import pandas as pd  # here: the radar's first paint does not wait for pandas

    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


# The collector and the engine (httpx, feedparser, scikit-learn) are imported where they
# are used: importing them up front would add ~1.5 s to the app's first paint.


def reanalyse(store: Store) -> str | Warning:
    """Analyse as of now; when nothing stored is recent, keep the radar and say why."""
    from radar.pipeline import analyse_now

    return analysed_summary(analyse_now(store, data.settings()))


def analysed_summary(analysed: Analysed) -> str | Warning:
    """'Analysed 120 stories: 5 themes and 12 events.', or a warning saying why not."""
    if analysed.result is None:
        return Warning(f"Not re-analysed. {analysed.not_done}")
    result = analysed.result
    themes = sum(t.kind == THEME for t in result.trends)
    return (f"Analysed {plural(result.stories, 'story', 'stories')}: "
            f"{plural(themes, 'theme')} and {plural(len(result.trends) - themes, 'event')}.")


def collect_now(*, ignore_backoff: bool = False, backfill_days: int | None = None) -> None:
    """Fetch every feed with a progress bar (then walk their older pages when asked),
    group duplicates and re-analyse: the library's one collect run."""
    from radar.collect import FetchOptions
    from radar.pipeline import run_collect

    try:
        feeds = [f for f in data.feeds() if f.enabled]
    except RadarError as e:
        st.error(md_escape(str(e)))
        return
    bar = st.progress(0.0, text="Collecting…")
    done = {"n": 0}

    def progress(outcome, new: int) -> None:
        done["n"] += 1
        bar.progress(done["n"] / max(len(feeds), 1),
                     text=f"{md_escape(outcome.feed.name)}: {outcome.outcome}")

    options = FetchOptions(respect_backoff=not ignore_backoff,
                           allow_private_networks=data.settings().allow_private_networks)

    def run(store: Store) -> str | Warning:
        ran = run_collect(
            store, feeds, options=options,
            backfill_cutoff=utc_now() - timedelta(days=backfill_days) if backfill_days
            else None, settings=data.settings(), on_outcome=progress,
            on_walk=lambda walk: bar.progress(1.0, text=f"Older pages of {walk.feed} read"))
        report = ran.collected
        lines = [collect_summary(report), *failure_lines(report.failures)]
        if ran.backfilled is not None:
            lines.append(backfill_summary(ran.backfilled))
        if report.skipped:
            lines.append(f"{plural(len(report.skipped), 'feed')} backing off, the first due "
                         f"again at {min(due for _, due in report.skipped)}.")
        lines += [ran.next_step] if ran.next_step else []
        analysed = analysed_summary(ran.analysed)
        lines.append(str(analysed))
        text = "  \n".join(lines)
        quiet = report.succeeded == 0 or isinstance(analysed, Warning)
        return Warning(text) if quiet else text

    act(run, as_message)


def collect_summary(report) -> str:
    """'Collected: 12 feeds ok, 40 not modified, 1 failed, 2 backing off; 35 new
    articles in 14s.'"""
    return (f"Collected: {plural(report.outcomes['ok'], 'feed')} ok, "
            f"{report.outcomes['not_modified']} not modified, "
            f"{report.outcomes['failed']} failed, {report.outcomes['skipped']} backing off; "
            f"{plural(report.new_articles, 'new article')} in {report.seconds:.0f}s.")


def backfill_summary(report) -> str:
    """'History: 1,204 older articles from 21 feeds, back to 2026-09-01 (30 offer none).'"""
    deeper = [walk for walk in report.walks if walk.pages > 1]
    oldest = min((walk.oldest for walk in deeper if walk.oldest), default=None)
    return (f"History: {plural(sum(w.new_articles for w in report.walks), 'older article')} "
            f"from {plural(len(deeper), 'feed')}"
            + (f", back to {oldest[:10]}" if oldest else "")
            + f" ({len(report.walks) - len(deeper)} offer no older pages).")


def as_message(result: str | Warning) -> str | Warning:
    """An action's own message is what the page shows."""
    return result
