"""Replaying history: daily analyses on a scratch copy, to see when each trend was first
flagged and how stable ids stay from one day to the next."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np

from radar.config import Settings
from radar.engine.analyze import Analysis, analyze
from radar.engine.identity import shared_members
from radar.models import EMERGING, EVENT, FLAGGED, THEME, Finding
from radar.selection import MOMENTUM_ORDER, distinct
from radar.store import Store


@dataclass
class Backtest:
    """First day each trend was flagged emerging (and its rank that day among the emerging
    trends of its kind), and identity churn between days."""

    days: list[date] = field(default_factory=list)
    first_emerging: dict[str, tuple[date, int, str]] = field(default_factory=dict)
    first_flagged: dict[str, tuple[date, str]] = field(default_factory=dict)  # emerging/rising
    continuing: int = 0
    kept_id: int = 0
    seconds: float = 0.0
    most_flagged: int = 0          # the most trends one analysis flagged (the alert budget)
    newly_flagged: int = 0         # trends flagged that the analysis before did not flag
    newly_listed: int = 0          # ... as lists show them: a theme and its events are one
    span_days: int = 0

    @property
    def churn(self) -> float:
        """Share of continuing topics that changed id from one day to the next."""
        return 1 - self.kept_id / self.continuing if self.continuing else 0.0

    def per_week(self, count: int) -> float:
        """A count over the replayed span, per week."""
        return 7 * count / self.span_days if self.span_days else 0.0

    def count_flags(self, flagged: list[Finding], before: set[str]) -> None:
        """Add one analysis's flags: how many, and how many the analysis before did not
        flag, as trends and as the entries a list shows (`distinct`)."""
        ranked = sorted(flagged, key=lambda t: (MOMENTUM_ORDER[t.status], -t.score, t.id))
        self.most_flagged = max(self.most_flagged, len(flagged))
        self.newly_flagged += sum(t.id not in before for t in flagged)
        self.newly_listed += sum(not {head.id, *(t.id for t in held)} & before
                                 for head, held in distinct(ranked))


def backtest(source: Store, settings: Settings, *, start: date, end: date,
             every: timedelta = timedelta(days=1), scratch: Store,
             on_day: Callable[[date, Analysis], None] | None = None) -> Backtest:
    """Replay daily analyses on `scratch` (a copy of the articles, no trends yet), or on
    `source` itself when `scratch` is `source` (the radar's own history, from day one)."""
    if scratch is not source:
        source.copy_articles_to(scratch)
    result = Backtest()
    previous: dict[tuple[str, str], frozenset[str]] = {}
    flagged_before: set[str] = set()
    started = time.perf_counter()
    result.span_days = (end - start).days + 1
    day = start
    while day <= end:
        as_of = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)
        analysis = analyze(scratch, settings, as_of=as_of, replayed=True)
        current = {(t.kind, t.id): t.members for t in analysis.trends}
        count_continuity(previous, current, result)
        flagged = [t for t in analysis.trends if t.status in FLAGGED]
        result.count_flags(flagged, flagged_before)
        flagged_before = {t.id for t in flagged}
        for trend in analysis.trends:
            if trend.status in FLAGGED:
                result.first_flagged.setdefault(trend.id, (day, trend.label))
        for kind in (THEME, EVENT):  # ranked among the emerging trends of its kind
            emerging = [t for t in analysis.trends if t.status == EMERGING and t.kind == kind]
            for rank, trend in enumerate(emerging, start=1):
                result.first_emerging.setdefault(trend.id, (day, rank, trend.label))
        result.days.append(day)
        if on_day:
            on_day(day, analysis)
        previous = current
        day += every
    result.seconds = time.perf_counter() - started
    return result


def count_continuity(previous: dict[tuple[str, str], frozenset[str]],
                     current: dict[tuple[str, str], frozenset[str]], result: Backtest) -> None:
    """A topic continues when most of yesterday's topic of its kind is in it (the first of
    the largest share); did it keep its id? (A theme and its event share stories, but are
    not each other's past.) Shared stories of all pairs are counted at once."""
    if not previous:
        return
    before = list(previous)
    shared = shared_members(list(current.values()), list(previous.values()))
    sizes = np.array([max(len(members), 1) for members in previous.values()])
    kinds = np.array([kind for kind, _ in before])
    for (kind, trend_id), counts in zip(current, shared, strict=True):
        shares = np.where(kinds == kind, counts / sizes, 0.0)
        best = int(np.argmax(shares))
        if shares[best] >= 0.5:
            result.continuing += 1
            result.kept_id += before[best][1] == trend_id
