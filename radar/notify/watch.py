"""Watchlists: named groups of keywords or regular expressions, and which trends match
them (pure).

A pattern is a regular expression matched without regard to case, as whole words: "PQC"
finds "PQC migration" but not "PQCrypto"; a plain keyword is a pattern too. A trend
matches when its name, its keywords or the names its articles mention do, so the
watchlist follows the subject, not one headline that mentions it in passing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from radar.errors import ConfigError
from radar.models import Trend, Watchlist

MAX_NAME = 60


def parse_watchlist(name: str, patterns: Iterable[str]) -> Watchlist:
    """A watchlist from what a person typed; a clear error naming the bad part."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise ConfigError(f"watchlist name {name!r} must be 1 to {MAX_NAME} characters")
    cleaned = tuple(dict.fromkeys(p.strip() for p in patterns if p.strip()))
    if not cleaned:
        raise ConfigError(f"watchlist {name!r} needs at least one keyword or pattern")
    for pattern in cleaned:
        try:
            re.compile(pattern)
        except re.error as e:
            raise ConfigError(f"watchlist {name!r}: {pattern!r} is not a valid regular "
                              f"expression ({e})") from e
    return Watchlist(name, cleaned)


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


def trend_text(trend: Trend) -> tuple[str, ...]:
    """What a watchlist reads of a trend: its names, keywords and entities."""
    return (trend.label, trend.auto_label, *trend.keywords, *trend.entities)


def watched_by(trend: Trend, watchlists: Sequence[Watchlist]) -> list[str]:
    """The names of the watchlists a trend matches, in their order."""
    texts = trend_text(trend)
    return [w.name for w in watchlists
            if any(_compiled(p).search(text) for p in w.patterns for text in texts)]


def watch_marks(trends: Iterable[Trend], watchlists: Sequence[Watchlist]
                ) -> dict[str, list[str]]:
    """Per trend id, the watchlists it matches (trends matching none left out)."""
    if not watchlists:
        return {}
    marks = {t.id: watched_by(t, watchlists) for t in trends}
    return {trend_id: names for trend_id, names in marks.items() if names}
