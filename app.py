"""Trend Radar: the Streamlit app. Thin: pages live in radar/ui, computation in radar/."""

import streamlit as st

from radar.errors import RadarError
from radar.text import md_escape, plural
from radar.ui import access, data, editions, notify, pages, results, roadmap
from radar.ui.common import apply_navigation, show_flash

st.set_page_config(page_title="Trend Radar", layout="wide")
VIEWS = {"Radar": pages.radar_page, "Inbox": pages.inbox_page, "Browse": pages.browse_page,
         "Roadmap": roadmap.roadmap_page, "Results": results.results_page,
         "Editions": editions.editions_page, "Feeds": pages.feeds_page,
         "Notifications": notify.notifications_page}

# With sign-in configured: only people in the editors or viewers list.
access.gate(read_only=bool(st.query_params.get("snapshot")))
if st.query_params.get("snapshot"):  # a shared link to one edition: read-only
    st.title("Trend Radar")
    editions.read_only_page(st.query_params["snapshot"])
    st.stop()

apply_navigation()
view = st.sidebar.radio("View", list(VIEWS), key="view_choice",
                        index=list(VIEWS).index(st.query_params.get("view", "Radar"))
                        if st.query_params.get("view", "Radar") in VIEWS else 0)
st.query_params["view"] = view
st.title("Trend Radar")
show_flash()
try:
    key = data.version()
    status = data.summary(key)
    if status["articles"] == 0 and view != "Feeds":
        st.info("No articles yet. Collect the feeds in feeds.yaml (Feeds → Collect now, or "
                "`make run`), or import an archive with `radar import FILE`.")
        if access.can_edit() and st.button("Collect now", type="primary"):
            pages.collect_now()
    elif status["analysis"] is None and view != "Feeds":
        st.info("Articles are stored but not analysed yet: run `radar analyze` or press "
                "Re-analyse on the Feeds page.")
    else:
        if status["analysis"]:
            st.caption(f"Analysis as of {status['analysis']['as_of']} · "
                       f"{plural(status['articles'], 'article')}")
        VIEWS[view](key)
except RadarError as e:
    st.error(md_escape(f"Trend Radar could not read its data: {e}"))
data.warm_up()
