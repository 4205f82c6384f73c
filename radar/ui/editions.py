"""Editions in the app: freeze one, see what changed, download it, or open one read-only
(`?snapshot=ID`) as a link to send inside the company."""

from __future__ import annotations

from functools import partial

import streamlit as st

from radar.errors import RadarError
from radar.share.editions import create_edition, edition_with_changes
from radar.share.formats import FORMATS
from radar.share.snapshot import Snapshot, SnapshotDiff, changes_summary, picture_of
from radar.text import md_escape, now_iso
from radar.ui import data
from radar.ui.access import can_edit
from radar.ui.chart import radar_chart
from radar.ui.common import perform


def editions_page(key: tuple) -> None:
    if can_edit():
        freeze_form()
    with data.open_store() as store:
        listed = store.list_snapshots()
        if not listed:
            st.info("No edition yet: freeze the radar to share it.")
            return
        newest, changes = edition_with_changes(store)
    st.markdown(f"**Newest edition:** {md_escape(newest.name)} · {newest.sharing} · "
                f"id `{newest.id}` · read-only link: `?snapshot={newest.id}`")
    show_changes(changes)
    downloads(newest, changes)
    st.dataframe(listed, hide_index=True, width="stretch")


def freeze_form() -> None:
    with st.form("freeze"):
        st.text_input("Edition name", placeholder="Radar for the CIO, December",
                      key="freeze-name")
        st.text_input("Note for the readers", key="freeze-note")
        st.selectbox("Sharing label", ["TLP:AMBER", "TLP:CLEAR", "TLP:GREEN",
                                       "TLP:AMBER+STRICT", "TLP:RED"], key="freeze-sharing")
        st.form_submit_button("Freeze this radar", on_click=freeze_now)


def freeze_now() -> None:
    """Form callback: the form's values are in the session state."""
    state = st.session_state
    perform(lambda store: create_edition(
        store, data.settings(), name=state["freeze-name"].strip(),
        note=state["freeze-note"].strip(), sharing=state["freeze-sharing"],
        created_at=now_iso()),
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
        st.caption(md_escape(changes_summary(changes)))
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.caption(md_escape(changes_summary(changes)))


def downloads(edition: Snapshot, changes: SnapshotDiff) -> None:
    """One button per format; each file is rendered only when its button is clicked."""
    columns = st.columns(3)
    for index, fmt in enumerate(FORMATS):
        refusal = fmt.refusal(edition)
        columns[index % 3].download_button(
            fmt.label, data=partial(fmt.render, edition, changes), mime=fmt.mime,
            key=f"download-{fmt.id}", file_name=fmt.file_name(edition.id),
            disabled=bool(refusal), help=md_escape(refusal or fmt.description),
            on_click="ignore")   # a download changes nothing: no rerun of the page
    advice = {fmt.advice_for(edition) for fmt in FORMATS
              if fmt.advice and not fmt.refusal(edition)}
    for text in sorted(advice):
        head, _, commands = text.partition("\n")
        st.caption(head)
        if commands:
            st.code(commands, language="bash")


def read_only_page(snapshot_id: str) -> None:
    """A frozen edition, as sent by link: the radar and its trends, no actions."""
    try:
        with data.open_store() as store:
            edition, changes = edition_with_changes(store, snapshot_id)
    except RadarError as e:   # names the ?snapshot= value: text from a link, not Markdown
        st.error(md_escape(str(e)))
        return
    st.warning(f"Read-only edition {md_escape(edition.id)} · {md_escape(edition.sharing)} · "
               f"analysis as of {edition.as_of[:10]}")
    st.subheader(md_escape(edition.name))
    if edition.note:
        st.markdown(md_escape(edition.note))
    radar_chart(picture_of(edition, changes), key="edition_chart")
    show_changes(changes)
    st.dataframe([{"#": e.number, "trend": e.label, "quadrant": e.quadrant, "ring": e.ring,
                   "decided": e.decided, "status": e.status, "why": e.why}
                  for e in edition.entries], hide_index=True, width="stretch")
