"""One trend in full: signals, evidence, decision history, and the actions on it."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from radar.config import Settings
from radar.text import iso_utc
from radar.ui import data
from radar.ui.common import act
from radar.views import md_escape, sparkline


def show_detail(trend: dict, others: list[dict], settings: Settings, key: tuple) -> None:
    ring = trend["ring"] or f"{trend['suggested_ring']} (suggested)"
    st.subheader(md_escape(trend["label"]))
    st.caption(f"{md_escape(trend['quadrant'])} · {trend['status']} · score "
               f"{trend['score']:.1f} · ring: {md_escape(ring)} · id {trend['id']}")
    columns = st.columns(4)
    columns[0].metric("Articles", trend["article_count"])
    columns[1].metric("Sources", trend["source_count"])
    columns[2].metric("First seen", (trend["first_seen"] or "")[:10])
    columns[3].metric("Last seen", (trend["last_seen"] or "")[:10])
    st.markdown(f"**Why now:** {md_escape(trend['why'] or '')}")
    st.markdown("**Keywords:** " + ", ".join(md_escape(k) for k in trend["keywords"]))
    if trend["entities"]:
        st.markdown("**Entities:** " + ", ".join(md_escape(e) for e in trend["entities"]))
    st.caption(f"Quadrant reason: {md_escape(trend['quadrant_reason'] or '')}")
    weekly = trend["weekly_counts"]
    if weekly:
        st.markdown(f"**Weekly stories:** `{sparkline(weekly)}`")
        st.bar_chart(pd.DataFrame(weekly, columns=["week", "stories"]).set_index("week"),
                     height=140)
    articles = data.trend_articles(key, trend["id"])
    st.markdown(f"**Evidence** ({len(articles)} articles, newest first)")
    st.dataframe(
        pd.DataFrame(articles, columns=["published", "title", "source", "link"]),
        column_config={"link": st.column_config.LinkColumn("link", display_text="open")},
        hide_index=True, width="stretch")
    decide, edit, past = st.tabs(["Decide", "Edit", "History"])
    with decide:
        decision_form(trend, settings)
    with edit:
        edit_forms(trend, others, settings)
    with past:
        entries = data.history(key, trend["id"])
        if entries:
            st.dataframe(pd.DataFrame(entries), hide_index=True, width="stretch")
        else:
            st.caption("No decisions or edits yet.")


def _now() -> str:
    return iso_utc(datetime.now(UTC))


def decision_form(trend: dict, settings: Settings) -> None:
    with st.form(f"decide-{trend['id']}"):
        rings = list(settings.rings)
        current = trend["ring"] or trend["suggested_ring"]
        ring = st.radio("Ring", rings, index=rings.index(current) if current in rings else 0,
                        horizontal=True, key=f"ring-{trend['id']}")
        note = st.text_area("Rationale (required)", key=f"note-{trend['id']}")
        author = st.text_input("Author", value="ciso", key=f"author-{trend['id']}")
        submitted = st.form_submit_button("Record decision")
    if submitted:
        if not note.strip():
            st.error("A rationale is required: say why, for whoever reads this later.")
            return
        act(lambda store: store.record_decision(trend["id"], ring, note=note.strip(),
                                                author=author.strip() or "ciso", at=_now()),
            f"Recorded: {trend['label']} → {ring}.")
    if trend["ring"] and st.button("Withdraw decision", key=f"untag-{trend['id']}"):
        act(lambda store: store.record_decision(trend["id"], None, note="withdrawn in app",
                                                author="ciso", at=_now()),
            f"Decision on {trend['label']} withdrawn.")


def edit_forms(trend: dict, others: list[dict], settings: Settings) -> None:
    trend_id = trend["id"]
    with st.form(f"rename-{trend_id}"):
        label = st.text_input("Label", value=trend["label"], key=f"label-{trend_id}")
        if st.form_submit_button("Rename") and label.strip():
            act(lambda store: store.record_edit(trend_id, "rename", label.strip(), note="",
                                                author="ciso", at=_now()),
                f"Renamed to {label.strip()}.")
    names = [q.name for q in settings.quadrants]
    with st.form(f"quadrant-{trend_id}"):
        quadrant = st.selectbox("Quadrant", names, index=names.index(trend["quadrant"])
                                if trend["quadrant"] in names else 0, key=f"quad-{trend_id}")
        if st.form_submit_button("Move to quadrant"):
            act(lambda store: store.record_edit(trend_id, "quadrant", quadrant, note="",
                                                author="ciso", at=_now()),
                f"Moved to {quadrant}.")
    targets = {f"{t['label']} ({t['id']})": t["id"] for t in others if t["id"] != trend_id}
    with st.form(f"merge-{trend_id}"):
        target = st.selectbox("Merge into", list(targets), key=f"merge-{trend_id}")
        if st.form_submit_button("Merge") and target:
            act(lambda store: store.record_edit(trend_id, "merge", targets[target], note="",
                                                author="ciso", at=_now()),
                f"Merged into {target}.")
    with st.form(f"dismiss-{trend_id}"):
        reason = st.text_input("Why is this noise?", key=f"dismiss-note-{trend_id}")
        if st.form_submit_button("Dismiss as noise"):
            act(lambda store: store.record_edit(trend_id, "dismiss", "dismissed",
                                                note=reason, author="ciso", at=_now()),
                f"Dismissed {trend['label']}.")
