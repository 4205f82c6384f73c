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
from typing import Any

import streamlit as st

from radar import policy
from radar.config import Settings, load_feeds, load_settings
from radar.flaws import exposure
from radar.health import Origin
from radar.links import Ties, load_ties
from radar.models import Feed, Flaw, Initiative, KevMark, StackItem, Trend, Walk
from radar.notify.watch import watch_marks
from radar.picture import Picture, draw, meanings_of, trend_items
from radar.selection import radar_selection, search_relevance
from radar.store import Store, opened

ALL = "All trends"
FOCUS = {"Touch our roadmap": lambda ties: ties.touches_roadmap,
         "Touch our stack": lambda ties: ties.touches_stack,
         "Act now": lambda ties: ties.act_now}


def warm_up() -> None:
    """Load pandas and altair (the detail's weekly chart) in the background once a page is
    out: the pages import them only where a table or chart needs them, so the radar paints
    without waiting for them, and this way the first trend opened does not wait either."""
    if "altair" not in sys.modules:
        threading.Thread(target=_import, args=("pandas", "altair"), daemon=True,
                         name="warm-up").start()


def _import(*modules: str) -> None:
    for module in modules:
        importlib.import_module(module)


def db_path() -> Path:
    return Path(os.environ.get("RADAR_DB", "data/radar.db"))


def feeds_path() -> Path:
    return Path(os.environ.get("RADAR_FEEDS", "feeds.yaml"))


def channels_path() -> Path:
    return Path(os.environ.get("RADAR_CHANNELS", "channels.yaml"))


@contextmanager
def open_store() -> Iterator[Store]:
    with opened(db_path()) as store:
        yield store


def version() -> tuple:
    """Cheap, uncached: the key every cached read below depends on."""
    with open_store() as store:
        return (str(db_path()), *store.data_version())


# Positions of `Store.data_version()` in the key: each read is cached on the parts it
# reads, so a collect (a fetch_log row per feed) keeps the radar's reads, and a decision
# keeps the links'.
ANALYSIS, DECISIONS, EDITS, FETCHES, ARTICLES, BLIPS, ORG = range(1, 8)
# Trends as people see them: the ring suggested also follows the stack and KEV (act now).
JUDGED = (ANALYSIS, DECISIONS, EDITS, BLIPS, ORG)


def part(key: tuple, *positions: int) -> tuple:
    """The database and the parts of its data version a read depends on."""
    return (key[0], *(key[p] for p in positions))


@st.cache_data(show_spinner=False)
def _load(key: tuple, method: str, *args: object, **options: object) -> Any:
    """`store.<method>(*args, **options)`, cached per `key` (the database and the parts
    of its data version the read depends on) and arguments: the reads below that are one
    store method."""
    with open_store() as store:
        return getattr(store, method)(*args, **options)


def trends(key: tuple, *, include_hidden: bool = False) -> list[Trend]:
    return _trends(part(key, *JUDGED), include_hidden=include_hidden)


@st.cache_resource(show_spinner=False, max_entries=8)   # a few data versions, both lists
def _trends(key: tuple, *, include_hidden: bool) -> list[Trend]:
    """Shared by every run, not copied for each (as st.cache_data would: ~750 trends cost a
    click 10-30 ms each time): the list of frozen records is never changed in place."""
    with open_store() as store:
        return store.load_trends(include_hidden=include_hidden)


def trend_articles(key: tuple, trend_id: str) -> list[dict]:
    return _load(part(key, ANALYSIS), "load_trend_articles", trend_id)


def history(key: tuple, trend_id: str) -> list[dict]:
    return _load(part(key, *JUDGED), "load_history", trend_id)


def picture(key: tuple, focus: str = ALL) -> Picture:
    """The radar picture: the trends on the radar, numbered, placed and named; with a
    `focus`, only the trends touching our roadmap, our stack, or to act on now."""
    return _picture(part(key, *JUDGED), str(feeds_path()), _mtime(feeds_path()), focus)


@st.cache_data(show_spinner=False)
def _picture(key: tuple, path: str, mtime: float, focus: str) -> Picture:
    """Computed once per data version, settings file version and focus."""
    current = settings()
    candidates = _trends(key, include_hidden=False)   # the list the radar page reads too
    with open_store() as store:
        if focus != ALL:
            found = load_ties(store)
            candidates = [t for t in candidates if FOCUS[focus](found.get(t.id, Ties()))]
        shown = radar_selection(candidates, current)
        previous = store.previous_radar()
    new = policy.new_on_radar({t.id for t in shown}, previous)
    return draw(trend_items(shown, new=frozenset(new)),
                quadrants=[q.name for q in current.quadrants], rings=current.rings,
                meanings=meanings_of(current))


def search(key: tuple, query: str) -> dict[str, float]:
    return _search(part(key, *JUDGED), query)


@st.cache_data(show_spinner=False)
def _search(key: tuple, query: str) -> dict[str, float]:
    with open_store() as store:
        return search_relevance(store.load_search_hits(query))


def feed_health(key: tuple) -> dict[str, dict]:
    return _load(part(key, FETCHES), "load_feed_health")


def ties(key: tuple) -> dict[str, Ties]:
    return _ties(part(key, ANALYSIS, ORG))


@st.cache_data(show_spinner=False)
def _ties(key: tuple) -> dict[str, Ties]:
    with open_store() as store:
        return load_ties(store)


@st.cache_data(show_spinner=False)
def watched(key: tuple) -> dict[str, list[str]]:
    """Per trend id, the watchlists it matches."""
    with open_store() as store:
        return watch_marks(store.load_trends(include_hidden=True), store.load_watchlists())


def initiatives(key: tuple) -> list[Initiative]:
    return _load(part(key, ORG), "load_initiatives")


def stack(key: tuple) -> list[StackItem]:
    return _load(part(key, ORG), "load_stack")


def kev_exposure(key: tuple) -> tuple[int, list[Flaw], list[KevMark]]:
    """The catalog's size, the exploited flaws in products we run (open and closed), and
    every mark people gave them, oldest first."""
    return _kev_exposure(part(key, ORG))


@st.cache_data(show_spinner=False)
def _kev_exposure(key: tuple) -> tuple[int, list[Flaw], list[KevMark]]:
    with open_store() as store:
        kev, marks = store.load_kev(), store.load_kev_marks()
        return len(kev), exposure(kev, store.load_stack(), marks), marks


def walks(key: tuple) -> dict[str, Walk]:
    return _load(part(key, FETCHES, ARTICLES), "load_walks")


def article_origins(key: tuple) -> list[Origin]:
    return _load(part(key, ARTICLES), "count_articles_by_origin")


def summary(key: tuple) -> dict:
    return _summary(part(key, ANALYSIS, ARTICLES))


@st.cache_data(show_spinner=False)
def _summary(key: tuple) -> dict:
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
