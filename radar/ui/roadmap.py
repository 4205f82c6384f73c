"""The Roadmap view: the CIO's initiatives with the trends that touch them, our stack, and
the exploited flaws (CISA KEV) in it. Every change goes through the library and re-links
the trends at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from radar.errors import ImportFileError
from radar.flaws import flaws_line, open_flaws
from radar.links import Ties, update_links
from radar.models import CONFIRMED, KEV_MARKS, REJECTED, Flaw, Initiative, KevMark, Link, Trend
from radar.org import make_initiative, make_stack_item, read_initiatives_csv, read_stack_file
from radar.store import Store
from radar.text import md_escape, now_iso, plural, utc_now
from radar.ui import data
from radar.ui.access import can_edit
from radar.ui.common import (
    FLASH_ERROR,
    act,
    open_on_radar,
    perform,
    place_key,
    recorded_author,
)

if TYPE_CHECKING:
    from pandas import DataFrame

STATE_MARK = {CONFIRMED: "✔ confirmed", REJECTED: "✘ rejected", "suggested": "suggested"}


def roadmap_page(key: tuple) -> None:
    initiatives_tab, stack_tab, exposure_tab = st.tabs(
        ["Initiatives", "Our stack", "Exploited flaws in our stack"])
    with initiatives_tab:
        initiatives_section(key)
    with stack_tab:
        stack_section(key)
    with exposure_tab:
        exposure_section(key)


# --- initiatives -------------------------------------------------------------------------------


def initiatives_section(key: tuple) -> None:
    initiatives = data.initiatives(key)
    trends = {t.id: t for t in data.trends(key)}
    ties = data.ties(key)
    if not initiatives:
        st.info("No initiatives yet. Add the CIO's roadmap below (or import a CSV: "
                "name, owner, target, description, keywords) and the radar shows which "
                "trends touch each initiative.")
    for initiative in initiatives:
        initiative_block(initiative, trends, ties, data.settings().rings)
    if not can_edit():
        return
    with st.expander("Add an initiative"):
        initiative_form(None)
    uploaded = st.file_uploader("Import initiatives (CSV)", type=["csv"], key="roadmap-csv")
    if uploaded is not None and st.button("Import these initiatives"):
        import_file(uploaded.getvalue(), "initiative")


def initiative_block(initiative: Initiative, trends: dict[str, Trend], ties: dict[str, Ties],
                     rings: tuple[str, ...]) -> None:
    """One initiative: who, when, and the trends touching it grouped by ring."""
    touching = [(trends[trend_id], link) for trend_id, tie in ties.items() if trend_id in trends
                for link, target in tie.initiatives if target.id == initiative.id]
    st.subheader(md_escape(initiative.name))
    facts = [f for f in (initiative.owner, initiative.target and f"target {initiative.target}",
                         "words: " + "; ".join(initiative.keywords)) if f]
    st.caption(" · ".join(md_escape(f) for f in facts))
    if initiative.description:
        st.markdown(md_escape(initiative.description))
    if not touching:
        st.caption("No trend touches it yet.")
    for ring in rings:
        in_ring = sorted(((t, link) for t, link in touching if t.shown_ring == ring),
                         key=lambda pair: (pair[1].state == REJECTED, -pair[0].score))
        if in_ring:
            st.markdown(f"**{md_escape(ring.upper())}**")
        for trend, link in in_ring:
            link_row(trend, link, ties.get(trend.id, Ties()), where=initiative.id)
    if can_edit():
        with st.expander(f"Edit or archive {md_escape(initiative.name)}"):
            initiative_form(initiative)
            st.button("Archive", key=f"archive-{initiative.id}", on_click=perform, args=(
                lambda store: (store.archive_initiative(initiative.id), relink(store)),
                f"Archived {md_escape(initiative.name)}."))
    st.divider()


def link_row(trend: Trend, link: Link, ties: Ties, *, where: str, name: str = "",
             open_button: bool = True) -> None:
    """A trend touching something: why, its state, and the buttons to confirm or reject.
    On the Roadmap the row names the trend; in a trend's detail, `name` names the target.
    `where` (the initiative's block, or the detail) keeps the buttons' keys apart."""
    left, middle, right = st.columns([6, 1, 1])
    mark = " · **act now**" if ties.act_now else ""
    head = (md_escape(name) if name else
            f"{md_escape(trend.label)} · {trend.kind} · {trend.status}{mark}")
    why = "" if name else f"  \n{md_escape(trend.why)}"
    left.markdown(f"{head} · {STATE_MARK[link.state]}{why}  \n_{md_escape(link.reason)}_")
    base = place_key(where, link.kind, link.target_id, trend.id)
    editor = can_edit()
    if editor and link.state != CONFIRMED:
        middle.button("Confirm", key=f"confirm-{base}", on_click=judge_link,
                      args=(link, CONFIRMED))
    if editor and link.state != REJECTED:
        right.button("Reject", key=f"reject-{base}", on_click=judge_link, args=(link, REJECTED))
    if open_button:
        right.button("Open", key=f"open-{base}", on_click=open_on_radar, args=(trend.id,))


def judge_link(link: Link, state: str) -> None:
    perform(lambda store: (store.record_link_state(link.trend_id, link.kind, link.target_id,
                                                   state, author=recorded_author(),
                                                   at=now_iso()), relink(store)),
            f"Link {state}.")


def relink(store: Store) -> None:
    """Links, and the rings they back, after the roadmap, the stack or a link changed."""
    update_links(store, data.settings())


def initiative_form(initiative: Initiative | None) -> None:
    """Add a new initiative, or edit one (its id follows its name)."""
    prefix = f"init-{initiative.id if initiative else 'new'}"
    with st.form(prefix):
        st.text_input("Name", value=initiative.name if initiative else "", key=f"{prefix}-name")
        left, right = st.columns(2)
        left.text_input("Owner", value=initiative.owner if initiative else "",
                        key=f"{prefix}-owner")
        right.text_input("Target (2026-Q3 or a date)",
                         value=initiative.target if initiative else "", key=f"{prefix}-target")
        st.text_area("Description", value=initiative.description if initiative else "",
                     key=f"{prefix}-description")
        st.text_input("Keywords (the words its news would use, separated by ';')",
                      value="; ".join(initiative.keywords) if initiative else "",
                      key=f"{prefix}-keywords")
        st.form_submit_button("Save initiative", on_click=save_initiative, args=(prefix,))


def save_initiative(prefix: str) -> None:
    state = st.session_state
    try:
        initiative = make_initiative(
            state[f"{prefix}-name"], owner=state[f"{prefix}-owner"],
            target=state[f"{prefix}-target"], description=state[f"{prefix}-description"],
            keywords=state[f"{prefix}-keywords"].split(";"))
    except ValueError as e:
        state[FLASH_ERROR] = f"Not saved: {md_escape(str(e))}."
        return
    perform(lambda store: (store.save_initiatives([initiative]), relink(store)),
            f"Saved {md_escape(initiative.name)}.")


def import_file(content: bytes, noun: str) -> None:
    """Import initiatives or stack items from an uploaded file: whole, or not at all."""
    text = content.decode("utf-8-sig", errors="replace")
    try:
        records = read_initiatives_csv(text) if noun == "initiative" else read_stack_file(text)
    except ImportFileError as e:
        st.session_state[FLASH_ERROR] = f"Nothing imported: {md_escape(str(e))}."
        st.rerun()
        return

    def save(store) -> None:
        if noun == "initiative":
            store.save_initiatives(records)
        else:
            store.save_stack(records)
        relink(store)

    act(save, f"Imported {plural(len(records), noun)}.")


# --- our stack ---------------------------------------------------------------------------------


def stack_section(key: tuple) -> None:
    items = data.stack(key)
    st.caption("The products we run. Trends naming them, and exploited flaws in them, are "
               "tied to them. Edit the table and save, or import a CSV (vendor, product, "
               "version, owner) or a CycloneDX SBOM (JSON).")
    import pandas as pd  # here: the radar's first paint does not wait for pandas

    table = pd.DataFrame([{"vendor": i.vendor, "product": i.product, "version": i.version,
                           "owner": i.owner} for i in items],
                         columns=["vendor", "product", "version", "owner"])
    if not can_edit():
        st.dataframe(table, hide_index=True, width="stretch")
        return
    edited = st.data_editor(table, num_rows="dynamic", hide_index=True, width="stretch",
                            key="stack-editor")
    if st.button("Save the stack"):
        save_stack(edited)
    uploaded = st.file_uploader("Import products (CSV or CycloneDX JSON)",
                                type=["csv", "json"], key="stack-file")
    if uploaded is not None and st.button("Import these products"):
        import_file(uploaded.getvalue(), "stack item")


def save_stack(table: DataFrame) -> None:
    """The edited table becomes the stack (rows without a product are dropped)."""
    try:
        items = [make_stack_item(str(row.vendor or ""), str(row.product or ""),
                                 version=str(row.version or ""), owner=str(row.owner or ""))
                 for row in table.fillna("").itertuples() if str(row.product or "").strip()]
    except ValueError as e:
        st.session_state[FLASH_ERROR] = f"Not saved: {md_escape(str(e))}."
        st.rerun()
        return
    act(lambda store: (store.save_stack(items, replace_all=True), relink(store)),
        f"Saved {plural(len(items), 'stack item')}.")


# --- exploited flaws -----------------------------------------------------------------------------


def exposure_section(key: tuple) -> None:
    catalog, flaws, marks = data.kev_exposure(key)
    if not catalog:
        st.info("CISA's Known Exploited Vulnerabilities catalog is not loaded: "
                "`radar kev update` (or the button below) fetches it.")
    else:
        today = utc_now().date().isoformat()
        st.markdown(f"**{md_escape(flaws_line(flaws, today))}**, of {catalog} entries in the "
                    "catalog. A flaw marked patched, mitigated or not affected on every "
                    "product it hits leaves *act now* and the counts.")
        still = open_flaws(flaws)
        import pandas as pd  # here: the radar's first paint does not wait for pandas

        if still:
            st.dataframe(pd.DataFrame([{
                "CVE": f.entry.cve, "product": f.products, "flaw": f.entry.name,
                "added": f.entry.date_added, "due": f.entry.due_date,
                "past due": f.past_due(today), "ransomware": f.entry.ransomware,
                "required action": f.entry.required_action} for f in still]),
                hide_index=True, width="stretch")
        if flaws and can_edit():
            mark_form(flaws)
        if marks:
            with st.expander(f"Marks given ({len(marks)}), oldest first"):
                st.dataframe(pd.DataFrame([{
                    "CVE": m.cve, "stack item": m.stack_id or "every product it hits",
                    "state": m.state, "who": m.author, "when": m.at, "why": m.note}
                    for m in marks]), hide_index=True, width="stretch")
    if can_edit() and st.button("Update the KEV catalog"):
        update_kev()


def mark_form(flaws: list[Flaw]) -> None:
    """Mark a flaw patched, mitigated or not affected (or open again), saying why."""
    with st.expander("Mark a flaw patched, mitigated or not affected"), \
            st.form("kev-mark", clear_on_submit=True):
        left, middle, right = st.columns([2, 2, 1])
        left.selectbox("Flaw", [f.entry.cve for f in flaws], key="kev-mark-cve",
                       format_func=lambda cve: f"{cve} · " + next(
                           f.entry.name for f in flaws if f.entry.cve == cve))
        items = {item.id: f"{item.vendor} {item.product}" for f in flaws
                 for item in (*f.items, *(i for i, _ in f.closed))}
        middle.selectbox("On", ["", *sorted(items)], key="kev-mark-item",
                         format_func=lambda i: items.get(i, "every product of ours it hits"))
        right.selectbox("State", KEV_MARKS, key="kev-mark-state")
        st.text_input("Why (the ticket, the mitigation, the check)", key="kev-mark-note")
        st.form_submit_button("Record the mark", on_click=record_kev_mark)


def record_kev_mark() -> None:
    state = st.session_state
    note = state["kev-mark-note"].strip()
    if not note:
        state[FLASH_ERROR] = "Say why: a mark without a reason cannot be checked later."
        return
    mark = KevMark(cve=state["kev-mark-cve"], state=state["kev-mark-state"], note=note,
                   author=recorded_author(), at=now_iso(), stack_id=state["kev-mark-item"])
    perform(lambda store: store.record_kev_mark(mark), f"{mark.cve} marked {mark.state}.")


def update_kev() -> None:
    from radar.collect import KEV_URL, FetchOptions, fetch_document
    from radar.org import check_kev_update, read_kev

    def run(store) -> str:
        fetched = fetch_document("kev", KEV_URL, store.load_document_state("kev"),
                                 options=FetchOptions(allow_private_networks=data.settings()
                                                      .allow_private_networks))
        if fetched.body is None:
            store.save_document_state(fetched.state)
            return "The KEV catalog has not changed."
        entries = read_kev(fetched.body)
        check_kev_update(entries, len(store.load_kev()))
        new = store.save_kev(entries, document=fetched.state)
        relink(store)
        return f"KEV catalog updated: {plural(new, 'new entry', 'new entries')}."

    act(run, lambda message: message)   # a failed fetch is shown; nothing changes
