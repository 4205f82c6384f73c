"""One trend in full: signals, evidence, decision history, and the actions on it."""

from __future__ import annotations

import streamlit as st

from radar.config import Settings
from radar.links import Ties
from radar.models import Trend
from radar.text import md_escape, now_iso, plural
from radar.ui import data
from radar.ui.access import can_edit, signed_in
from radar.ui.common import FLASH_ERROR, perform, place_key, recorded_author, select_trend
from radar.ui.roadmap import link_row


def show_detail(trend: Trend, others: list[Trend], settings: Settings, key: tuple) -> None:
    ring = trend.ring_label
    st.subheader(md_escape(trend.label))
    st.caption(f"{trend.kind} · {md_escape(trend.quadrant)} · {trend.status} · score "
               f"{trend.score:.1f} · ring: {md_escape(ring)} · id {trend.id}")
    quadrant = next((q for q in settings.quadrants if q.name == trend.quadrant), None)
    meaning = quadrant.meaning(trend.shown_ring) if quadrant else ""
    if meaning:
        st.caption(f"{md_escape(trend.shown_ring.capitalize())} here means: "
                   f"{md_escape(meaning)}")
    columns = st.columns(4)
    columns[0].metric("Articles", trend.article_count)
    columns[1].metric("Sources", trend.source_count)
    columns[2].metric("First seen", trend.first_seen[:10])
    columns[3].metric("Last seen", trend.last_seen[:10])
    st.markdown(f"**Why now:** {md_escape(trend.why)}")
    st.markdown("**Keywords:** " + ", ".join(md_escape(k) for k in trend.keywords))
    if trend.entities:
        st.markdown("**Entities:** " + ", ".join(md_escape(e) for e in trend.entities))
    st.caption(f"Quadrant reason: {md_escape(trend.quadrant_reason)}")
    related(trend, data.trends(key, include_hidden=True))
    organisation(trend, data.ties(key).get(trend.id, Ties()))
    watchlists = data.watched(key).get(trend.id)
    if watchlists:
        st.markdown("**◉ On watchlists:** " + ", ".join(md_escape(n) for n in watchlists))
    import pandas as pd  # here: the radar's first paint does not wait for pandas

    weekly = trend.weekly_counts
    if weekly:   # once, as a chart (a text sparkline beside it said the same again)
        st.markdown("**Stories per week**")
        st.bar_chart(pd.DataFrame(weekly, columns=["week", "stories"]).set_index("week"),
                     height=140)
    articles = data.trend_articles(key, trend.id)
    st.markdown(f"**Evidence** ({plural(len(articles), 'article')}, newest first)")
    st.dataframe(
        pd.DataFrame(articles, columns=["published", "title", "source", "link"]),
        column_config={"link": st.column_config.LinkColumn("link", display_text="open")},
        hide_index=True, width="stretch")
    if not can_edit():   # viewers read the history; perform() refuses them anyway
        st.markdown("**History**")
        show_history(key, trend.id)
        return
    decide, edit, past = st.tabs(["Decide", "Edit", "History"])
    with decide:
        decision_form(trend, settings)
    with edit:
        edit_forms(trend, others, settings)
    with past:
        show_history(key, trend.id)


def show_history(key: tuple, trend_id: str) -> None:
    import pandas as pd

    entries = data.history(key, trend_id)
    if entries:
        st.dataframe(pd.DataFrame(entries), hide_index=True, width="stretch")
    else:
        st.caption("No decisions or edits yet.")


def related(trend: Trend, everything: list[Trend]) -> None:
    """A theme's events (newest first), or the theme an event belongs to."""
    by_id = {t.id: t for t in everything}
    if trend.theme and trend.theme in by_id:
        theme = by_id[trend.theme]
        left, right = st.columns([5, 1])
        left.markdown(f"**Part of the theme** {md_escape(theme.label)} · {theme.status}")
        right.button("Open theme", key=place_key("detail", "theme-of", trend.id),
                     on_click=select_trend, args=(theme.id,))
    events = sorted((by_id[e] for e in trend.events if e in by_id),
                    key=lambda e: e.last_seen, reverse=True)
    if events:
        st.markdown(f"**Events in this theme** ({len(events)})")
        for event in events:
            left, right = st.columns([5, 1])
            left.markdown(f"{md_escape(event.label)} · {event.status} · "
                          f"{event.first_seen[:10]} to {event.last_seen[:10]} · "
                          f"{plural(event.source_count, 'source')}")
            right.button("Open", key=place_key("detail", "events", event.id), on_click=select_trend,
                         args=(event.id,))


def organisation(trend: Trend, ties: Ties) -> None:
    """What ties the trend to us: initiatives and stack items (confirm or reject each),
    and the exploited flaws it names, ours first."""
    if ties.act_now:
        st.error("**Act now**: " + "; ".join(
            f"{e.cve} in {md_escape(item.vendor)} {md_escape(item.product)} is being "
            f"exploited (CISA KEV), due {e.due_date}: {md_escape(e.required_action)}"
            for e, item in ties.open_in_stack))
    if ties.closed_in_stack:
        st.caption("Exploited flaws it names, closed in our stack: " + "; ".join(
            f"{e.cve} in {md_escape(item.vendor)} {md_escape(item.product)} marked "
            f"{mark.state} by {md_escape(mark.author)} on {mark.at[:10]}: {md_escape(mark.note)}"
            for e, item, mark in ties.closed_in_stack))
    pairs = [(link, f"initiative {target.name}") for link, target in ties.initiatives] + \
        [(link, f"stack item {target.vendor} {target.product}") for link, target in ties.stack]
    if pairs:
        st.markdown("**Touches our roadmap and stack**")
    for link, name in pairs:
        link_row(trend, link, ties, where="detail", name=name, open_button=False)
    others = [e for e, item in ties.kev if item is None]
    if others:
        st.caption("Exploited flaws it names (CISA KEV, not in our stack): " + ", ".join(
            f"{e.cve} ({md_escape(e.vendor)} {md_escape(e.product)})" for e in others))


def decision_form(trend: Trend, settings: Settings) -> None:
    trend_id = trend.id
    with st.form(f"decide-{trend_id}"):
        rings = list(settings.rings)
        current = trend.shown_ring
        st.radio("Ring", rings, index=rings.index(current) if current in rings else 0,
                 horizontal=True, key=f"ring-{trend_id}")
        st.text_area("Rationale (required)", key=f"note-{trend_id}")
        if not signed_in():   # signed in, the author is who you are
            st.text_input("Author", value="ciso", key=f"author-{trend_id}")
        st.checkbox("Internal note (left out of exports)", key=f"internal-{trend_id}")
        st.form_submit_button("Record decision", on_click=record_decision,
                              args=(trend_id, trend.label))
    if trend.ring:
        st.button("Withdraw decision", key=f"untag-{trend_id}", on_click=perform, args=(
            lambda store: store.record_decision(trend_id, None, note="withdrawn in app",
                                                author=recorded_author(), at=now_iso()),
            f"Decision on {md_escape(trend.label)} withdrawn."))


def record_decision(trend_id: str, label: str) -> None:
    state = st.session_state
    ring, note = state[f"ring-{trend_id}"], state[f"note-{trend_id}"].strip()
    if not note:
        state[FLASH_ERROR] = "A rationale is required: say why, for whoever reads this later."
        return
    author = recorded_author(state.get(f"author-{trend_id}", ""))
    internal = bool(state.get(f"internal-{trend_id}"))
    perform(lambda store: store.record_decision(trend_id, ring, note=note, author=author,
                                                at=now_iso(), internal=internal),
            f"Recorded: {md_escape(label)} → {md_escape(ring)}.")


def edit_forms(trend: Trend, others: list[Trend], settings: Settings) -> None:
    trend_id = trend.id
    with st.form(f"rename-{trend_id}"):
        st.text_input("Label", value=trend.label, key=f"label-{trend_id}")
        st.form_submit_button("Rename", on_click=edit, args=(trend_id, "rename", "label"))
    names = [q.name for q in settings.quadrants]
    with st.form(f"quadrant-{trend_id}"):
        st.selectbox("Quadrant", names, index=names.index(trend.quadrant)
                     if trend.quadrant in names else 0, key=f"quad-{trend_id}")
        st.form_submit_button("Move to quadrant", on_click=edit,
                              args=(trend_id, "quadrant", "quad"))
    targets = {f"{t.label} ({t.id})": t.id for t in others if t.id != trend_id}
    with st.form(f"merge-{trend_id}"):
        st.selectbox("Merge into", list(targets), key=f"merge-{trend_id}")
        st.form_submit_button("Merge", on_click=edit, args=(trend_id, "merge", "merge",
                                                             targets))
    with st.form(f"dismiss-{trend_id}"):
        st.text_input("Why is this noise?", key=f"dismiss-note-{trend_id}")
        st.form_submit_button("Dismiss as noise", on_click=edit,
                              args=(trend_id, "dismiss", "dismiss-note"))


def edit(trend_id: str, action: str, field: str, choices: dict | None = None) -> None:
    """Callback of the edit forms: the value comes from the form's widget state."""
    value = (st.session_state.get(f"{field}-{trend_id}") or "").strip()
    if action == "dismiss":
        new, note = "dismissed", value
    elif choices is not None:
        new, note = choices.get(value), ""
    else:
        new, note = value, ""
    if not new:
        st.session_state[FLASH_ERROR] = "Nothing to change."
        return
    messages = {"rename": f"Renamed to {md_escape(new)}.",
                "quadrant": f"Moved to {md_escape(new)}.",
                "merge": f"Merged into {md_escape(value)}.", "dismiss": "Dismissed as noise."}
    perform(lambda store: store.record_edit(trend_id, action, new, note=note,
                                            author=recorded_author(), at=now_iso()),
            messages[action])
