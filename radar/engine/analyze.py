"""One analysis: articles in a window -> stories -> topics -> scored trends with stable ids.

I/O stays at the edges: `analyze` reads the window from the store, the pure steps
(`build_stories`, clustering, `describe_topic`, identity matching) do the work, and the
result is saved in one transaction. `backtest` replays it day by day on a scratch copy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np

from radar.config import Settings
from radar.engine.cluster import (
    ClassTfidf,
    ClusterOptions,
    cluster_rows,
    extract_entities,
    group_rows,
    is_boilerplate,
    make_label,
    vectorize,
)
from radar.engine.trends import (
    Thresholds,
    match_identities,
    place_quadrant,
    score_emergence,
    suggest_ring,
    weekly_counts,
    why_now,
)
from radar.models import EMERGING, Finding, Identity, Topic
from radar.store import Store
from radar.text import iso_utc, parse_iso_utc


@dataclass(frozen=True)
class Story:
    """Near-duplicate articles counted once: the first telling plus its retellings."""

    id: str
    title: str
    summary: str
    published: datetime
    sites: frozenset[str]
    article_ids: tuple[str, ...]


@dataclass
class Analysis:
    as_of: datetime
    trends: list[Finding]
    identity: Identity
    stories: int
    seconds: float = 0.0


def build_stories(articles: Sequence[dict]) -> list[Story]:
    """Group articles by their near-duplicate group, keeping recurring formats out."""
    groups: dict[str, list[dict]] = {}
    for article in articles:
        groups.setdefault(article["dup_of"] or article["id"], []).append(article)
    stories = []
    for members in groups.values():
        first = members[0]  # articles arrive oldest first
        if is_boilerplate(first["title"]):
            continue
        summary = next((m["summary"] for m in members if m["summary"]), "")
        stories.append(Story(id=first["id"], title=first["title"], summary=summary,
                             published=parse_iso_utc(first["published"]),
                             sites=frozenset(m["site"] or m["source"] for m in members),
                             article_ids=tuple(m["id"] for m in members)))
    stories.sort(key=lambda s: (s.published, s.id))
    return stories


def describe_topic(stories: Sequence[Story], terms: list[tuple[str, float, int]], *,
                   as_of: datetime, settings: Settings, totals: tuple[int, int]) -> Finding:
    """Everything the radar shows about one topic, except its id."""
    recent_start = as_of - timedelta(days=settings.recent_days)
    recent = [s for s in stories if s.published > recent_start]
    titles = [s.title for s in stories]
    signal = score_emergence(
        recent=len(recent), baseline=len(stories) - len(recent), recent_total=totals[0],
        baseline_total=totals[1], recent_sources=len(frozenset().union(*(s.sites for s in recent))),
        thresholds=Thresholds(min_stories=settings.min_stories,
                              min_sources=settings.min_sources))
    sources = frozenset().union(*(s.sites for s in stories))
    quadrant, reason = place_quadrant(titles, settings.quadrants,
                                      default=settings.default_quadrant)
    window_start = (as_of - timedelta(days=settings.window_days)).date()
    return Finding(
        id="", label=make_label(terms, titles),
        keywords=tuple(term for term, _, _ in terms[:8]),
        entities=tuple(extract_entities(titles, settings.vendors)),
        terms={term: round(weight, 4) for term, weight, _ in terms[:30]},
        quadrant=quadrant, quadrant_reason=reason,
        suggested_ring=suggest_ring(signal, source_count=len(sources), rings=settings.rings),
        status=signal.status, score=signal.score,
        article_count=sum(len(s.article_ids) for s in stories), story_count=len(stories),
        source_count=len(sources), first_seen=iso_utc(stories[0].published),
        last_seen=iso_utc(stories[-1].published),
        weekly_counts=tuple(tuple(w) for w in weekly_counts(
            [s.published.date() for s in stories], start=window_start, end=as_of.date())),
        why=why_now(signal, recent_articles=sum(len(s.article_ids) for s in recent),
                    recent_days=settings.recent_days),
        members=frozenset(a for s in stories for a in s.article_ids),
    )


def find_trends(stories: Sequence[Story], *, as_of: datetime, settings: Settings,
                options: ClusterOptions | None = None) -> list[Finding]:
    """Cluster stories and describe each topic (ids not assigned yet). Pure."""
    options = options or ClusterOptions()
    if len(stories) < options.min_samples:
        return []
    matrix = vectorize([(s.title, s.summary) for s in stories],
                       sites=[min(s.sites) for s in stories], max_df=options.max_df,
                       idf_power=options.idf_power)
    days = np.array([s.published.timestamp() / 86400 for s in stories])
    labels = cluster_rows(matrix, options, days=days)
    groups = group_rows(labels)
    if not groups:
        return []
    naming = ClassTfidf().fit([s.title for s in stories], labels)
    recent_start = as_of - timedelta(days=settings.recent_days)
    recent_total = sum(s.published > recent_start for s in stories)
    totals = (recent_total, len(stories) - recent_total)
    return [describe_topic([stories[i] for i in rows], naming.top_terms(topic, k=30),
                           as_of=as_of, settings=settings, totals=totals)
            for topic, rows in groups.items()]


def analyze(store: Store, settings: Settings, *, as_of: datetime,
            window_days: int | None = None, save: bool = True) -> Analysis:
    """Analyse the window ending at `as_of`; nothing published later is read."""
    started = time.perf_counter()
    if window_days:
        settings = Settings(**{**settings.__dict__, "window_days": window_days})
    start = as_of - timedelta(days=settings.window_days)
    articles = store.load_window_articles(start=iso_utc(start), end=iso_utc(as_of))
    stories = build_stories(articles)
    found = find_trends(stories, as_of=as_of, settings=settings)
    identity = match_identities(
        [Topic(members=t.members, terms=t.terms) for t in found], store.load_known_trends(),
        in_window=frozenset(a["id"] for a in articles))
    trends = [Finding(**{**t.__dict__, "id": trend_id,
                       "parent_id": identity.parents.get(trend_id)})
              for t, trend_id in zip(found, identity.ids, strict=True)]
    trends = merge_same_id(trends)
    analysis = Analysis(as_of=as_of, trends=trends, identity=identity, stories=len(stories),
                        seconds=time.perf_counter() - started)
    if save:
        store.save_analysis(trends, identity, as_of=iso_utc(as_of),
                            window_days=settings.window_days, stories=len(stories),
                            seconds=analysis.seconds)
    return analysis


def merge_same_id(trends: list[Finding]) -> list[Finding]:
    """Topics that resolved to one id (a person merged their trends) become one trend:
    the larger topic's description, everyone's members."""
    by_id: dict[str, Finding] = {}
    for trend in sorted(trends, key=lambda t: (-t.story_count, t.id)):
        if trend.id in by_id:
            kept = by_id[trend.id]
            by_id[trend.id] = Finding(**{**kept.__dict__, "members": kept.members | trend.members,
                                       "article_count": kept.article_count + trend.article_count})
        else:
            by_id[trend.id] = trend
    return sorted(by_id.values(), key=lambda t: (-t.score, t.id))


# --- backtest -----------------------------------------------------------------------------


@dataclass
class Backtest:
    """First day each trend was flagged emerging, and identity churn between days."""

    days: list[date] = field(default_factory=list)
    first_emerging: dict[str, tuple[date, int, str]] = field(default_factory=dict)
    continuing: int = 0
    kept_id: int = 0
    seconds: float = 0.0

    @property
    def churn(self) -> float:
        """Share of continuing topics that changed id from one day to the next."""
        return 1 - self.kept_id / self.continuing if self.continuing else 0.0


def backtest(source: Store, settings: Settings, *, start: date, end: date,
             every: timedelta = timedelta(days=1), scratch: Store,
             on_day: Callable[[date, Analysis], None] | None = None) -> Backtest:
    """Replay daily analyses on `scratch` (a copy of the articles, no trends yet)."""
    source.copy_articles_to(scratch)
    result = Backtest()
    previous: dict[str, frozenset[str]] = {}
    started = time.perf_counter()
    day = start
    while day <= end:
        as_of = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)
        analysis = analyze(scratch, settings, as_of=as_of)
        current = {t.id: t.members for t in analysis.trends}
        count_continuity(previous, current, result)
        emerging = [t for t in analysis.trends if t.status == EMERGING]
        for rank, trend in enumerate(emerging, start=1):
            result.first_emerging.setdefault(trend.id, (day, rank, trend.label))
        result.days.append(day)
        if on_day:
            on_day(day, analysis)
        previous = current
        day += every
    result.seconds = time.perf_counter() - started
    return result


def count_continuity(previous: dict[str, frozenset[str]], current: dict[str, frozenset[str]],
                     result: Backtest) -> None:
    """A topic continues when most of yesterday's topic is in it; did it keep its id?"""
    for trend_id, members in current.items():
        best_id, best = None, 0.0
        for old_id, old_members in previous.items():
            shared = len(members & old_members) / max(len(old_members), 1)
            if shared > best:
                best_id, best = old_id, shared
        if best >= 0.5:
            result.continuing += 1
            result.kept_id += best_id == trend_id
