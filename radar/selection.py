"""Which trends each view lists: browse filters and the inbox (pure, no Streamlit)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from radar.models import Trend


@dataclass(frozen=True)
class Filters:
    """The browse filters; every field narrows, None or empty means 'any'."""

    quadrant: str | None = None
    ring: str | None = None
    status: str | None = None
    decided: bool | None = None
    min_score: float = 0.0
    since: str | None = None           # ISO date: last seen on or after
    matching: frozenset[str] | None = None  # ids from a full-text search


def filter_trends(trends: Iterable[Trend], filters: Filters) -> list[Trend]:
    """Trends that pass every filter, in the order given (score order from the store)."""
    return [t for t in trends if _passes(t, filters)]


def _passes(trend: Trend, filters: Filters) -> bool:
    return ((not filters.quadrant or trend.quadrant == filters.quadrant)
            and (not filters.ring or trend.shown_ring == filters.ring)
            and (not filters.status or trend.status == filters.status)
            and (filters.decided is None or trend.decided == filters.decided)
            and trend.score >= filters.min_score
            and (not filters.since or trend.last_seen >= filters.since)
            and (filters.matching is None or trend.id in filters.matching))


def inbox(trends: Iterable[Trend]) -> list[Trend]:
    """Emerging and rising trends nobody has decided on, highest score first."""
    waiting = [t for t in trends if t.flagged and not t.decided]
    return sorted(waiting, key=lambda t: (-t.score, t.id))


def sparkline(weekly_counts: Sequence[Sequence]) -> str:
    """Weekly counts as a one-line text sparkline (▁▂▃▄▅▆▇█)."""
    bars = "▁▂▃▄▅▆▇█"
    counts = [int(n) for _, n in weekly_counts]
    peak = max(counts, default=0)
    if not peak:
        return bars[0] * len(counts)
    return "".join(bars[min(len(bars) - 1, n * (len(bars) - 1) // peak)] for n in counts)
