"""How early a trend was flagged (pure): its first flag against the day its coverage
took off, the day it peaked and the day it reached N sources; for trends naming KEV CVEs,
against the day CISA added them. A trend whose articles up to its first flag were all
back-filled was not seen early: it claims no lead time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

SOURCES_REACHED = 5       # "reached N sources": when everyone was writing about it
# The peak a flag warned of is the busiest day within four weeks of it: a theme covered
# all year peaks again and again, and its December peak says nothing about a February flag.
PEAK_HORIZON = timedelta(days=28)
# A take-off: a week holding TAKEOFF_STORIES and TAKEOFF_RATIO times the weekly average of
# the TAKEOFF_WEEKS before; the one a flag answers is sought from TAKEOFF_LOOKBACK before it.
TAKEOFF_STORIES, TAKEOFF_RATIO, TAKEOFF_WEEKS = 3, 3.0, 8
TAKEOFF_LOOKBACK = timedelta(days=60)


@dataclass(frozen=True)
class LeadTime:
    trend_id: str
    label: str
    first_flagged: date
    peak_day: date | None            # None: none of its articles is from around the flag
    reached_sources_day: date | None
    lead_days: int | None            # peak day - first flag: days of warning
    kev_date_added: date | None = None
    replayed: bool = False
    articles: int = 0
    kind: str = "theme"
    takeoff_day: date | None = None  # None: its coverage never took off around the flag

    @property
    def takeoff_lag_days(self) -> int | None:
        """Days from the take-off to the first flag (negative: flagged before it)."""
        return (self.first_flagged - self.takeoff_day).days if self.takeoff_day else None

    @property
    def sources_lead_days(self) -> int | None:
        return (self.reached_sources_day - self.first_flagged).days \
            if self.reached_sources_day else None

    @property
    def kev_lead_days(self) -> int | None:
        return (self.kev_date_added - self.first_flagged).days if self.kev_date_added else None


def first_flags(flags: Iterable[tuple[str, str, str, bool]]) -> dict[str, tuple[date, bool]]:
    """Each trend's first day flagged emerging or rising, and whether that was replayed."""
    first: dict[str, tuple[date, bool]] = {}
    for trend_id, as_of, _, replayed in flags:
        day = date.fromisoformat(as_of[:10])
        if trend_id not in first or day < first[trend_id][0]:
            first[trend_id] = (day, replayed)
    return first


def takeoff(per_day: Counter, flagged: date) -> date | None:
    """The first day, from TAKEOFF_LOOKBACK before the flag to PEAK_HORIZON after it, whose
    week holds TAKEOFF_STORIES stories and TAKEOFF_RATIO times the weekly average of the
    TAKEOFF_WEEKS weeks before."""
    def week(end: date) -> int:
        return sum(per_day.get(end - timedelta(days=i), 0) for i in range(7))

    day = flagged - TAKEOFF_LOOKBACK
    while day <= flagged + PEAK_HORIZON:
        now = week(day)
        before = sum(week(day - timedelta(weeks=k)) for k in range(1, TAKEOFF_WEEKS + 1))
        if now >= TAKEOFF_STORIES and now >= TAKEOFF_RATIO * before / TAKEOFF_WEEKS:
            return day
        day += timedelta(days=1)
    return None


def lead_time(trend_id: str, label: str, flagged: date, members: Sequence[tuple[str, str, bool]],
              *, replayed: bool = False, kev_added: date | None = None,
              sources: int = SOURCES_REACHED, kind: str = "theme") -> LeadTime | None:
    """How early a trend was flagged; None when nothing seen live came before the flag."""
    seen_by_then = [backfilled for day, _, backfilled in members
                    if date.fromisoformat(day) <= flagged]
    if not members or (seen_by_then and all(seen_by_then)):
        return None
    per_day = Counter(date.fromisoformat(day) for day, _, _ in members)
    near = [day for day in per_day if abs(day - flagged) <= PEAK_HORIZON]
    # Its articles now may all be from other times: then there is no peak to measure.
    peak = min(near, key=lambda day: (-per_day[day], day)) if near else None
    sites, reached = set(), None
    for day, site, _ in members:
        sites.add(site)
        if len(sites) >= sources:
            reached = date.fromisoformat(day)
            break
    return LeadTime(trend_id, label, flagged, peak, reached,
                    (peak - flagged).days if peak else None,
                    kev_date_added=kev_added, replayed=replayed, articles=len(members),
                    kind=kind, takeoff_day=takeoff(per_day, flagged))
