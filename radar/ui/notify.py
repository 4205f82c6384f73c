"""The Notifications view, for editors: channels with a test message, watchlists, the
digest as it would go out, and the log of what was sent. Channels are edited in the
channels file (their URLs hold secrets); everything else goes through the library."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import streamlit as st

from radar.errors import RadarError
from radar.notify.channels import Channel, Message, load_channel_settings, shown_url
from radar.notify.deliver import DIGEST, TEST, Outcome, radar_day, send_message
from radar.notify.digest import digest_message, load_digest
from radar.notify.watch import parse_watchlist
from radar.store import Store
from radar.text import md_escape, now_iso
from radar.ui import data
from radar.ui.access import can_edit
from radar.ui.common import act, perform, recorded_author

TEST_MESSAGE = Message("Trend Radar: test message",
                       "This channel is set up: Trend Radar's alerts and digest will arrive "
                       "here.", "<p>This channel is set up: Trend Radar's alerts and digest "
                       "will arrive here.</p>")


def notifications_page(key: tuple) -> None:
    if not can_edit():
        st.info("Notifications are set up by editors.")
        return
    channels_tab, watch_tab, digest_tab, log_tab = st.tabs(
        ["Channels", "Watchlists", "Digest preview", "Sent"])
    try:
        settings = load_channel_settings(data.channels_path())
    except RadarError as e:
        st.error(str(e))
        return
    with channels_tab:
        channels_section(settings.channels, str(data.channels_path()))
    with watch_tab:
        watchlists_section(key)
    with digest_tab:
        digest_section(key, settings.app_url, list(settings.channels.items()))
    with log_tab:
        log_section()


def as_outcome(outcomes: list[Outcome]) -> str | Warning:
    failed = [o.line for o in outcomes if o.error]
    return Warning("; ".join(failed)) if failed else "; ".join(o.line for o in outcomes)


def channels_section(channels: dict[str, str], source: str) -> None:
    st.caption(f"Channels are named in {source} (kept out of git: their URLs hold tokens). "
               "Two lines set one up, e.g. `channels:` then `  soc: https://hooks.slack.com/"
               "services/T…/B…/X…`; see the README for Teams and e-mail.")
    if not channels:
        st.info(f"No channel yet: add one to {source}.")
    for name, url in channels.items():
        left, middle, right = st.columns([2, 4, 1])
        left.text(name)
        middle.text(shown_url(url))
        right.button("Send test", key=f"channel-test-{name}", on_click=perform,
                     args=(partial(send_test, Channel(name, url)), as_outcome))


def send_test(channel: Channel, store: Store) -> list[Outcome]:
    return send_message(store, [channel], TEST_MESSAGE, kind=TEST)


def watchlists_section(key: tuple) -> None:
    with data.open_store() as store:
        watchlists = store.load_watchlists()
    marks = data.watched(key)
    labels = {t.id: t.label for t in data.trends(key, include_hidden=True)}
    if not watchlists:
        st.info("No watchlist yet. A watchlist is a name and keywords or regular expressions "
                "(matched as whole words, any case); a flagged trend matching one sends an "
                "alert and is marked ◉ on the radar.")
    for n, watchlist in enumerate(watchlists):
        matching = [labels[t] for t, names in marks.items() if watchlist.name in names
                    and t in labels]
        left, right = st.columns([5, 1])
        left.markdown(f"**{md_escape(watchlist.name)}**: "
                      + " · ".join(md_escape(p) for p in watchlist.patterns))
        left.caption("Matching now: " + (", ".join(md_escape(m) for m in matching)
                                         if matching else "none"))
        right.button("Remove", key=f"watch-remove-{n}", on_click=perform, args=(
            lambda store, name=watchlist.name: store.remove_watchlist(name),
            f"Watchlist {watchlist.name!r} removed."))
    with st.form("watch-add", clear_on_submit=True):
        name = st.text_input("Name", placeholder="post-quantum")
        patterns = st.text_area("Keywords or regular expressions, one per line",
                                placeholder="post-quantum|PQC|ML-KEM")
        if st.form_submit_button("Save watchlist"):
            act(lambda store: save_watchlist(store, name, patterns),
                f"Watchlist {' '.join(name.split())!r} saved.")


def save_watchlist(store: Store, name: str, patterns: str) -> None:
    store.save_watchlist(parse_watchlist(name, patterns.splitlines()),
                         author=recorded_author(), at=now_iso())


def digest_section(key: tuple, app_url: str, channels: list[tuple[str, str]]) -> None:
    days = st.number_input("Days covered", min_value=1, max_value=90, value=7)
    with data.open_store() as store:
        message = digest_message(load_digest(store, data.settings(), end=radar_day(store),
                                             period=timedelta(days=int(days)),
                                             app_url=app_url))
    st.caption(f"Subject: {message.title}")
    st.text(message.text)
    if channels and st.button("Send this digest to every channel"):
        picked = [Channel(name, url) for name, url in channels]
        act(lambda store: send_message(store, picked, message, kind=DIGEST), as_outcome)


def log_section() -> None:
    with data.open_store() as store:
        sent = store.load_deliveries(limit=200)
    if not sent:
        st.info("Nothing sent yet.")
        return
    import pandas as pd  # here: the radar's first paint does not wait for pandas

    st.dataframe(pd.DataFrame([{
        "sent at": d["sent_at"], "channel": d["channel"], "kind": d["kind"],
        "title": d["title"], "alerts": len(d["keys"]), "delivered": d["ok"],
        "error": d["error"]} for d in sent]), hide_index=True, width="stretch")
