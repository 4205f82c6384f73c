"""Database access for the app: one short-lived Store per call (never shared across
Streamlit threads), reads cached per data version so new collections show up."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from radar.config import Settings, load_feeds, load_settings
from radar.layout import Blip, BlipSpec, place_blips
from radar.models import Feed, Trend
from radar.store import Store, opened


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


@st.cache_data(show_spinner=False)
def new_ids(key: tuple) -> frozenset[str]:
    with open_store() as store:
        return frozenset(store.new_trend_ids())


@st.cache_data(show_spinner=False)
def search(key: tuple, query: str) -> frozenset[str]:
    with open_store() as store:
        return frozenset(store.search_trend_ids(query))


@st.cache_data(show_spinner=False)
def feed_health(key: tuple) -> dict[str, dict]:
    with open_store() as store:
        return store.load_feed_health()


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


@st.cache_data(show_spinner=False)
def layout(key: tuple, specs: tuple[BlipSpec, ...], rings: int) -> list[Blip]:
    """Blip positions change only when the data does: computed once per data version."""
    return place_blips(specs, rings=rings)
