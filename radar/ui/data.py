"""Database access for the app: one short-lived Store per call (never shared across
Streamlit threads), reads cached per data version so new collections show up."""

from __future__ import annotations

import importlib
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from radar import policy
from radar.config import Settings, load_feeds, load_settings
from radar.links import Ties, exposure, load_ties
from radar.models import Feed, Initiative, KevEntry, StackItem, Trend, Walk
from radar.picture import Picture, draw, meanings_of, trend_items
from radar.selection import radar_selection
from radar.store import Store, opened

ALL = "All trends"
FOCUS = {"Touch our roadmap": lambda ties: ties.touches_roadmap,
         "Touch our stack": lambda ties: ties.touches_stack,
         "Act now": lambda ties: ties.act_now}


def warm_up() -> None:
    """Load pandas in the background once a page is out: the pages import it only where
    a table or chart needs it, so the radar paints without waiting for it, and this way
    the first trend opened does not wait for it either."""
    if "pandas" not in sys.modules:
        threading.Thread(target=importlib.import_module, args=("pandas",), daemon=True,
                         name="warm-up").start()


def db_path() -> Path:
    return Path(os.environ.get("RADAR_DB", "data/radar.db"))


def feeds_path() -> Path:
    return Path(os.environ.get("RADAR_FEEDS", "feeds.yaml"))


@contextmanager
def open_store() -> Iterator[Store]:
    with opened(db_path()) as store:
        yield store


def version() -> tuple:
    """Cheap, uncached: the key every cached read below depends on."""
    with open_store() as store:
        return (str(db_path()), *store.data_version())


@st.cache_data(show_spinner=False)
def trends(key: tuple, *, include_hidden: bool = False) -> list[Trend]:
    with open_store() as store:
        return store.load_trends(include_hidden=include_hidden)


@st.cache_data(show_spinner=False)
def trend_articles(key: tuple, trend_id: str) -> list[dict]:
    with open_store() as store:
        return store.load_trend_articles(trend_id)


@st.cache_data(show_spinner=False)
def history(key: tuple, trend_id: str) -> list[dict]:
    with open_store() as store:
        return store.load_history(trend_id)


def picture(key: tuple, focus: str = ALL) -> Picture:
    """The radar picture: the trends on the radar, numbered, placed and named; with a
    `focus`, only the trends touching our roadmap, our stack, or to act on now."""
    return _picture(key, str(feeds_path()), _mtime(feeds_path()), focus)


@st.cache_data(show_spinner=False)
def _picture(key: tuple, path: str, mtime: float, focus: str) -> Picture:
    """Computed once per data version, settings file version and focus."""
    current = settings()
    with open_store() as store:
        candidates = store.load_trends()
        if focus != ALL:
            found = load_ties(store)
            candidates = [t for t in candidates if FOCUS[focus](found.get(t.id, Ties()))]
        shown = radar_selection(candidates, current)
        previous = store.previous_radar()
    new = policy.new_on_radar({t.id for t in shown}, previous)
    return draw(trend_items(shown, new=frozenset(new)),
                quadrants=[q.name for q in current.quadrants], rings=current.rings,
                meanings=meanings_of(current))


@st.cache_data(show_spinner=False)
def search(key: tuple, query: str) -> dict[str, float]:
    with open_store() as store:
        return store.search_trends(query)


@st.cache_data(show_spinner=False)
def feed_health(key: tuple) -> dict[str, dict]:
    with open_store() as store:
        return store.load_feed_health()


@st.cache_data(show_spinner=False)
def ties(key: tuple) -> dict[str, Ties]:
    with open_store() as store:
        return load_ties(store)


@st.cache_data(show_spinner=False)
def initiatives(key: tuple) -> list[Initiative]:
    with open_store() as store:
        return store.load_initiatives()


@st.cache_data(show_spinner=False)
def stack(key: tuple) -> list[StackItem]:
    with open_store() as store:
        return store.load_stack()


@st.cache_data(show_spinner=False)
def kev_exposure(key: tuple) -> tuple[int, list[tuple[KevEntry, StackItem]]]:
    """The catalog's size and its entries for products we run."""
    with open_store() as store:
        kev = store.load_kev()
        return len(kev), exposure(kev, store.load_stack())


@st.cache_data(show_spinner=False)
def walks(key: tuple) -> dict[str, Walk]:
    with open_store() as store:
        return store.load_walks()


@st.cache_data(show_spinner=False)
def article_origins(key: tuple) -> list[tuple[str, str, str, int]]:
    with open_store() as store:
        return store.count_articles_by_origin()


@st.cache_data(show_spinner=False)
def summary(key: tuple) -> dict:
    with open_store() as store:
        return {"articles": store.count_articles(), "analysis": store.last_analysis()}


def settings() -> Settings:
    return _settings(str(feeds_path()), _mtime(feeds_path()))


def feeds() -> list[Feed]:
    return _feeds(str(feeds_path()), _mtime(feeds_path()))


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(show_spinner=False)
def _settings(path: str, mtime: float) -> Settings:
    """Parsed once per version of the file (an edit shows up on the next run)."""
    return load_settings(path)


@st.cache_data(show_spinner=False)
def _feeds(path: str, mtime: float) -> list[Feed]:
    return load_feeds(path)
