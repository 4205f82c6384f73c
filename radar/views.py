"""What each app view shows, as pure functions over listed trends (no Streamlit here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from radar.layout import BlipSpec

STATUSES = ("emerging", "rising", "steady", "fading", "dormant")


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


def filter_trends(trends: Iterable[dict], filters: Filters) -> list[dict]:
    """Trends that pass every filter, in the order given (score order from the store)."""
    result = []
    for trend in trends:
        ring = trend["ring"] or trend["suggested_ring"]
        if filters.quadrant and trend["quadrant"] != filters.quadrant:
            continue
        if filters.ring and ring != filters.ring:
            continue
        if filters.status and trend["status"] != filters.status:
            continue
        if filters.decided is not None and (trend["ring"] is not None) != filters.decided:
            continue
        if trend["score"] < filters.min_score:
            continue
        if filters.since and (trend["last_seen"] or "") < filters.since:
            continue
        if filters.matching is not None and trend["id"] not in filters.matching:
            continue
        result.append(trend)
    return result


def inbox(trends: Iterable[dict]) -> list[dict]:
    """Emerging and rising trends nobody has decided on, highest score first."""
    waiting = [t for t in trends if t["status"] in ("emerging", "rising") and t["ring"] is None]
    return sorted(waiting, key=lambda t: (-t["score"], t["id"]))


def blip_specs(trends: Sequence[dict], *, quadrants: Sequence[str],
               rings: Sequence[str]) -> list[BlipSpec]:
    """Where each trend belongs on the radar, and how strong its blip is (0..1)."""
    top = max((t["score"] for t in trends), default=0.0) or 1.0
    specs = []
    for trend in trends:
        ring = trend["ring"] or trend["suggested_ring"]
        specs.append(BlipSpec(
            id=trend["id"],
            quadrant=quadrants.index(trend["quadrant"]) if trend["quadrant"] in quadrants else 0,
            ring=rings.index(ring) if ring in rings else len(rings) - 1,
            strength=max(trend["score"], 0.0) / top))
    return specs


def sparkline(weekly_counts: Sequence[Sequence]) -> str:
    """Weekly counts as a one-line text sparkline (▁▂▃▄▅▆▇█)."""
    bars = "▁▂▃▄▅▆▇█"
    counts = [int(n) for _, n in weekly_counts]
    peak = max(counts, default=0)
    if not peak:
        return bars[0] * len(counts)
    return "".join(bars[min(len(bars) - 1, n * (len(bars) - 1) // peak)] for n in counts)


MARKDOWN_SPECIALS = "\\`*_{}[]()<>#+-.!|~$"


def md_escape(text: str) -> str:
    """Feed text made inert for Markdown: every character Markdown (or Streamlit's
    extensions) could act on is backslash-escaped, so a title is shown, never run."""
    return "".join(f"\\{c}" if c in MARKDOWN_SPECIALS else c for c in text)
