"""Editions in the app: freeze one, see what changed, download it, or open one read-only
(`?snapshot=ID`) as a link to send inside the company."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from radar.chart import build_radar_figure
from radar.errors import RadarError
from radar.layout import Blip
from radar.snapshot import Snapshot, SnapshotDiff, create_snapshot, diff, load_snapshot
from radar.text import iso_utc
from radar.ui import data
from radar.ui.common import perform
from radar.views import md_escape

MIME = {"html": "text/html", "svg": "image/svg+xml", "png": "image/png",
        "pdf": "application/pdf", "md": "text/markdown", "byor-csv": "text/csv",
        "byor-json": "application/json", "zalando": "application/json",
        "backstage": "application/json"}
SUFFIX = {"byor-csv": "csv", "byor-json": "json", "zalando": "json", "backstage": "json"}


def editions_page(key: tuple) -> None:
    with st.form("freeze"):
        st.text_input("Edition name", placeholder="Radar for the CIO, December",
                      key="freeze-name")
        st.text_input("Note for the readers", key="freeze-note")
        st.selectbox("Sharing label", ["TLP:AMBER", "TLP:CLEAR", "TLP:GREEN",
                                       "TLP:AMBER+STRICT", "TLP:RED"], key="freeze-sharing")
        st.form_submit_button("Freeze this radar", on_click=freeze_now)
    with data.open_store() as store:
        listed = store.list_snapshots()
        newest = load_snapshot(store) if listed else None
        previous = load_snapshot(store, offset=1) if len(listed) > 1 else None
    if newest is None:
        st.info("No edition yet: freeze the radar to share it.")
        return
    st.markdown(f"**Newest edition:** {md_escape(newest.name)} · {newest.sharing} · "
                f"id `{newest.id}` · read-only link: `?snapshot={newest.id}`")
    changes = diff(previous, newest)
    show_changes(changes)
    downloads(newest, changes)
    st.dataframe(listed, hide_index=True, width="stretch")


def freeze_now() -> None:
    """Form callback: the form's values are in the session state."""
    state = st.session_state
    perform(lambda store: create_snapshot(
        store, data.settings(), name=state["freeze-name"].strip(),
        note=state["freeze-note"].strip(), sharing=state["freeze-sharing"],
        created_at=iso_utc(datetime.now(UTC))),
        lambda result: f"Edition {result[0].id} "
                       f"{'frozen' if result[1] else 'already existed (nothing changed)'}.")


def show_changes(changes: SnapshotDiff) -> None:
    st.markdown("**What changed since the edition before**")
    rows = [{"change": c.kind, "trend": c.entry.label, "ring": c.entry.ring,
             "before": c.before or ""} for c in changes.changes]
    rows += [{"change": "decision", "trend": e.label, "ring": d["new"] or "undecided",
              "before": d["old"] or ""}
             for e, d in changes.shared_decisions(include_internal=False)]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.caption("No changes." if changes.older else "First edition.")


def downloads(edition: Snapshot, changes: SnapshotDiff) -> None:
    from radar.export_image import render_pdf, render_png  # matplotlib: only when used
    from radar.export_page import WRITERS

    writers = {**WRITERS, "png": render_png, "pdf": render_pdf}
    columns = st.columns(5)
    for index, (fmt, write) in enumerate(writers.items()):
        content = write(edition, changes, include_internal=False)
        columns[index % 5].download_button(
            fmt, data=content, mime=MIME[fmt], key=f"download-{fmt}",
            file_name=f"radar-{edition.id}.{SUFFIX.get(fmt, fmt)}")


def read_only_page(snapshot_id: str) -> None:
    """A frozen edition, as sent by link: the radar and its trends, no actions."""
    try:
        with data.open_store() as store:
            edition = load_snapshot(store, snapshot_id)
            ids = [e["id"] for e in store.list_snapshots()]
            position = ids.index(edition.id)
            previous = load_snapshot(store, ids[position + 1]) if position + 1 < len(
                ids) else None
    except RadarError as e:
        st.error(str(e))
        return
    st.warning(f"Read-only edition {edition.id} · {edition.sharing} · analysis as of "
               f"{edition.as_of[:10]}")
    st.subheader(md_escape(edition.name))
    trends = [{"id": e.id, "label": e.label, "status": e.status, "score": e.score,
               "ring": e.ring if e.decided else None, "suggested_ring": e.ring,
               "article_count": e.article_count, "source_count": e.source_count}
              for e in edition.entries]
    blips = [Blip(e.id, e.x, e.y, e.radius, 0, 0) for e in edition.entries]
    st.plotly_chart(build_radar_figure(trends, blips, quadrants=edition.quadrants,
                                       rings=edition.rings), key="edition_chart",
                    config={"displayModeBar": False})
    show_changes(diff(previous, edition))
    st.dataframe([{"trend": e.label, "quadrant": e.quadrant, "ring": e.ring,
                   "decided": e.decided, "status": e.status, "why": e.why}
                  for e in edition.entries], hide_index=True, width="stretch")
