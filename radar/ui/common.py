"""Small helpers shared by the pages: running an action safely, flash confirmations."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from radar.errors import RadarError
from radar.store import Store
from radar.ui.data import open_store

FLASH = "flash_message"


def act(action: Callable[[Store], object], confirmation: str | Callable[[object], str]
        ) -> None:
    """Run a write through the library; show errors as messages, confirm on success.

    `confirmation` is the message, or a function of what the action returned.
    """
    try:
        with open_store() as store:
            result = action(store)
    except RadarError as e:
        st.error(str(e))
        return
    st.session_state[FLASH] = confirmation(result) if callable(confirmation) else confirmation
    st.rerun()


def show_flash() -> None:
    """The confirmation of the last action, shown once after the rerun it caused."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)


def select_trend(trend_id: str | None) -> None:
    """Open a trend's detail (kept in the URL, so the view can be linked)."""
    if trend_id:
        st.query_params["trend"] = trend_id
    else:
        st.query_params.pop("trend", None)
