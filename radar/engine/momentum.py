"""Momentum: is a subject new, growing, steady or fading, against its own baseline (pure).

Coverage is compared source by source. For every site that was already publishing before
the recent period, the subject's share of that site's baseline predicts how many of its
recent stories should be about the subject; the sum over sites is the expected count.
So a feed added to feeds.yaml, or an archive back-filled, cannot make its usual subjects
look new, and a site publishing twice as much as usual raises the expectation, not the
subject. Sites without a baseline only corroborate a subject that is new to the
established ones and already growing there (at least two stories where fewer than one was
expected): their stories on it count up to as many as the established sites published,
never alone, and not at all for a subject with a past.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import numpy as np
from scipy import sparse

from radar.models import EMERGING, FADING, RISING, STEADY
from radar.text import plural
from radar.thresholds import THRESHOLDS, Gate

MOMENTUM = THRESHOLDS.momentum


@dataclass(frozen=True)
class Coverage:
    """Who published what when: per story its site, whether it is recent, and whether its
    site was publishing before the recent period (established)."""

    site: np.ndarray          # site number per story
    recent: np.ndarray        # bool per story
    established: np.ndarray   # bool per story
    sites: int

    @classmethod
    def of(cls, story_sites: Sequence[frozenset[str]], published: Sequence[datetime], *,
           recent_start: datetime, settle: timedelta) -> Coverage:
        """`settle`: how long before the recent period a site must have been publishing.
        A story told by several sites counts for an established one among them. When no
        site qualifies (a radar in its first weeks), every site counts. A dumped archive
        (MOMENTUM.dump_size stories of a site at one instant) is never recent."""
        first: dict[str, datetime] = {}
        for sites, moment in zip(story_sites, published, strict=True):
            for site in sites:
                first.setdefault(site, moment)
        cutoff = recent_start - settle
        settled = {site for site, moment in first.items() if moment <= cutoff} or set(first)
        names = {name: i for i, name in enumerate(sorted(first))}
        chosen = [min(sites & settled) if sites & settled else min(sites)
                  for sites in story_sites]
        site = np.array([names[name] for name in chosen], dtype=np.int64)
        established = np.array([name in settled for name in chosen], dtype=bool)
        stamps = Counter(zip(chosen, published, strict=True))
        recent = np.array([moment > recent_start and stamps[name, moment] < MOMENTUM.dump_size
                           for name, moment in zip(chosen, published, strict=True)],
                          dtype=bool)
        return cls(site=site, recent=recent, established=established, sites=len(names))


@dataclass(frozen=True)
class Signal:
    status: str
    score: float
    recent: int            # recent stories, every site
    baseline: int          # earlier stories, every site
    recent_sources: int
    observed: int          # recent stories from established sites (and corroborating new ones)
    expected: float        # what their baselines predict
    z: float
    novelty: float
    window_days: int = 7   # the "recent" period these counts are of

    @property
    def growth(self) -> float:
        """Recent coverage as a multiple of the usual: the ratio the status is decided on."""
        return growth_ratio(self.observed, self.expected)

    @property
    def flagged(self) -> bool:
        return self.status in (EMERGING, RISING)


def growth_ratio(observed: float, expected: float) -> float:
    """Observed over expected, both smoothed by half a story so that a first story where
    none was expected is growth, not infinity."""
    return (observed + 0.5) / (expected + 0.5)


def membership_matrix(row_sets: Sequence[Sequence[int]], stories: int) -> sparse.csr_matrix:
    """Topics x stories, 1 where the story (a row of `row_sets`) is about the topic."""
    rows = [i for i, members in enumerate(row_sets) for _ in members]
    cols = [int(r) for members in row_sets for r in members]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                             shape=(len(row_sets), stories))


def measure(membership: sparse.csr_matrix, coverage: Coverage, story_sites: Sequence[frozenset],
            *, thresholds: Gate, window_days: int = 7) -> list[Signal]:
    """A signal per row of `membership` (topics x stories, 1 = the story is about it)."""
    membership = sparse.csr_matrix(membership, dtype=np.float64)
    stories = membership.shape[1]
    by_site = sparse.csr_matrix((np.ones(stories), (np.arange(stories), coverage.site)),
                                shape=(stories, coverage.sites))
    base_mask = (~coverage.recent & coverage.established).astype(np.float64)
    recent_mask = (coverage.recent & coverage.established).astype(np.float64)
    site_base = np.asarray(by_site.T @ base_mask).ravel()       # baseline stories per site
    site_recent = np.asarray(by_site.T @ recent_mask).ravel()   # recent stories per site
    topic_base = (membership @ sparse.diags(base_mask) @ by_site).toarray()
    established = np.asarray(membership @ recent_mask).ravel()
    newcomers = np.asarray(membership @ (coverage.recent & ~coverage.established)
                           .astype(np.float64)).ravel()
    overall = topic_base.sum(axis=1) / max(site_base.sum(), 1.0)
    shrink = MOMENTUM.shrink
    shares = (topic_base + shrink * overall[:, None]) / (site_base + shrink)[None, :]
    expected = shares @ site_recent
    corroborated = (expected < 1.0) & (established >= 2)
    observed = established + np.where(corroborated, np.minimum(newcomers, established), 0.0)
    recent_all = np.asarray(membership @ coverage.recent.astype(np.float64)).ravel()
    total = np.asarray(membership.sum(axis=1)).ravel()
    signals = []
    for row in range(membership.shape[0]):
        members = membership.indices[membership.indptr[row]:membership.indptr[row + 1]]
        sources = len(frozenset().union(*(story_sites[i] for i in members
                                          if coverage.recent[i])))
        signals.append(classify(recent=int(recent_all[row]), total=int(total[row]),
                                observed=int(observed[row]), expected=float(expected[row]),
                                recent_sources=sources, thresholds=thresholds,
                                window_days=window_days))
    return signals


def classify(*, recent: int, total: int, observed: int, expected: float,
             recent_sources: int, thresholds: Gate, window_days: int = 7) -> Signal:
    """Status and score from recent and expected counts.

    z compares what established sites published recently with what their baselines
    predict (Poisson, at least one story expected). The score grows with the number of
    sources, then with z, then with novelty, so a burst many outlets report outranks one
    blog's series of posts.
    """
    z = (observed - expected) / math.sqrt(max(expected, 1.0))
    ratio = growth_ratio(observed, expected)
    novelty = recent / total if total else 0.0
    supported = recent >= thresholds.min_stories and recent_sources >= thresholds.min_sources
    if supported and z >= thresholds.emerging_z and (
            novelty >= thresholds.emerging_novelty or ratio >= thresholds.surge_ratio):
        status = EMERGING
    elif supported and z >= thresholds.rising_z and ratio >= thresholds.rising_ratio:
        status = RISING
    elif expected >= thresholds.min_stories and ratio <= thresholds.fading_ratio:
        status = FADING
    else:
        status = STEADY
    score = math.log2(1 + recent_sources) * math.log2(1 + max(z, 0.0)) * (0.75 + novelty / 4)
    return Signal(status=status, score=round(score, 3), recent=recent, baseline=total - recent,
                  recent_sources=recent_sources, observed=observed,
                  expected=round(expected, 2), z=round(z, 3), novelty=round(novelty, 3),
                  window_days=window_days)


def keeps_pace(published: Sequence[datetime], *, as_of: datetime, days: int) -> bool:
    """Its last `days` hold as many stories a day as the `Momentum.past_weeks` before them
    (times `Momentum.past_pace`): a subject past its peak is fading, however its year
    compares ("TeamPCP" a month after its month of coverage)."""
    start = as_of - timedelta(days=days)
    before = start - timedelta(weeks=MOMENTUM.past_weeks)
    recent = sum(start < moment <= as_of for moment in published)
    earlier = sum(before < moment <= start for moment in published)
    return recent / days >= MOMENTUM.past_pace * earlier / (7 * MOMENTUM.past_weeks)


def theme_signal(sustained: Signal, takeoff: Signal, *, last_two_weeks: int,
                 lately: int) -> Signal:
    """A theme's status from its four weeks (`sustained`) and its last week (`takeoff`).

    The four-week flag only holds while the growth goes on (MOMENTUM.sustained_share of its stories
    in the last two weeks, and `Momentum.lately_stories` in its `lately_days`: a burst
    gone quiet is over); a take-off in the last week flags the theme at once. The signal
    that decided the status is kept, so "why now" states its figures.
    """
    if sustained.flagged and (last_two_weeks < MOMENTUM.sustained_share * sustained.recent
                              or lately < MOMENTUM.lately_stories):
        sustained = replace(sustained, status=STEADY)
    if not takeoff.flagged:
        return sustained
    if not sustained.flagged or (takeoff.status == EMERGING and sustained.status == RISING):
        return replace(takeoff, score=max(takeoff.score, sustained.score))
    return replace(sustained, score=max(takeoff.score, sustained.score))


def why_now(signal: Signal, *, recent_articles: int, recent_days: int) -> str:
    """One line a CISO can triage by: '14 articles from 9 sources in the last 7 days, …'."""
    before = (f"{plural(signal.baseline, 'story', 'stories')} before" if signal.baseline
              else "none before")
    line = (f"{plural(recent_articles, 'article')} from "
            f"{plural(signal.recent_sources, 'source')} in the last {recent_days} days, {before}")
    if signal.flagged and signal.baseline:
        line += (f"; {signal.growth:.1f}x the usual coverage ({signal.observed} stories by "
                 f"sites with a baseline, where {signal.expected:g} were expected)")
    return line


def weekly_counts(days: Sequence[date], *, start: date, end: date) -> list[list]:
    """[[monday ISO date, stories], ...] for every week from start to end (zeros kept)."""
    first = start - timedelta(days=start.weekday())
    weeks = {first + timedelta(weeks=i): 0 for i in range((end - first).days // 7 + 1)}
    for day in days:
        monday = day - timedelta(days=day.weekday())
        if monday in weeks:
            weeks[monday] += 1
    return [[monday.isoformat(), count] for monday, count in weeks.items()]
