"""Small helpers shared by the pages: running an action safely, flash confirmations."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from radar.access import require_editor
from radar.errors import RadarError
from radar.store import Store
from radar.text import md_escape
from radar.ui.access import current_person, signed_in
from radar.ui.data import open_store

FLASH = "flash_message"
FLASH_WARNING = "flash_warning"
FLASH_ERROR = "flash_error"


def place_key(*where: object) -> str:
    """A widget key from where the element is (view, section, position, the item's id): an
    id alone repeats when one trend is listed in two places on a page (an emerging event
    without a theme is both a subject waiting and one of this week's events), and two
    widgets with one key stop the page."""
    return "-".join(str(part) for part in where)


def recorded_author(typed: str = "") -> str:
    """Who a change is recorded as: the signed-in identity; in single-user mode, what
    the person typed (or 'ciso')."""
    return current_person().author if signed_in() else (typed.strip() or "ciso")


def perform(action: Callable[[Store], object],
            confirmation: str | Callable[[object], str | Warning]) -> None:
    """Run a write through the library and leave a message for the next run to show. Every
    change to the radar goes through here, so only editors can make one.

    Used from widget callbacks, which Streamlit runs before the script: the page that
    follows is drawn once, from the new data. `confirmation` is the message, or a
    function of what the action returned (a `Warning` instance is shown as a warning); a
    library error becomes the message instead.
    """
    try:
        require_editor(current_person())   # enforced here, not only by hiding buttons
        with open_store() as store:
            result = action(store)
    except RadarError as e:
        st.session_state[FLASH_ERROR] = md_escape(str(e))   # errors quote what was typed
        return
    message = confirmation(result) if callable(confirmation) else confirmation
    if isinstance(message, Warning):  # done, but something needs the reader's attention
        st.session_state[FLASH_WARNING] = str(message)
    else:
        st.session_state[FLASH] = message


def act(action: Callable[[Store], object],
        confirmation: str | Callable[[object], str | Warning]) -> None:
    """`perform` from the script itself (long actions with progress), then redraw."""
    perform(action, confirmation)
    st.rerun()


def show_flash() -> None:
    """The outcome of the last action, shown once."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)
    warning = st.session_state.pop(FLASH_WARNING, None)
    if warning:
        st.warning(warning)
    error = st.session_state.pop(FLASH_ERROR, None)
    if error:
        st.error(error)


def select_trend(trend_id: str | None) -> None:
    """Open a trend's detail (kept in the URL, so the view can be linked)."""
    if trend_id:
        st.query_params["trend"] = trend_id
    else:
        st.query_params.pop("trend", None)


GO_TO = "go_to_trend"


def open_on_radar(trend_id: str) -> None:
    """Show a trend's detail on the Radar view, from anywhere: the view is switched on the
    next run, before its widget is drawn (a drawn widget's value cannot be changed)."""
    st.session_state[GO_TO] = trend_id


def apply_navigation() -> None:
    """Called before the view choice is drawn: carry out a pending `open_on_radar`."""
    trend_id = st.session_state.pop(GO_TO, None)
    if trend_id:
        st.session_state["view_choice"] = "Radar"
        st.query_params["view"] = "Radar"
        select_trend(trend_id)
