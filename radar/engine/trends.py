"""Emergence scores, statuses, quadrants, suggested rings and stable trend identity (pure).

Emergence is measured against each trend's own baseline and against the volume of
everything else, so a quiet week or a busy one does not turn every topic "emerging": the
share of the last `recent_days` that a trend takes is compared with its share before,
with a binomial z-score for significance and a minimum of stories and sources.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy.optimize import linear_sum_assignment

from radar.models import (
    DORMANT,
    EMERGING,
    FADING,
    RISING,
    STEADY,
    Identity,
    KnownTrend,
    LineageEvent,
    Quadrant,
    Topic,
)
from radar.text import term_pattern


@dataclass(frozen=True)
class Thresholds:
    """When a trend counts as emerging or rising (defaults chosen on the shared corpus)."""

    min_stories: int = 3
    min_sources: int = 3
    emerging_z: float = 3.0
    emerging_novelty: float = 0.6  # most of its stories are recent ...
    surge_ratio: float = 4.0        # ... or its share of the news quadrupled (a takedown
                                    # of a gang that is always in the news)
    rising_z: float = 2.0
    rising_ratio: float = 1.5
    fading_ratio: float = 0.5


@dataclass(frozen=True)
class Signal:
    status: str
    score: float
    recent: int
    baseline: int
    recent_sources: int
    z: float
    log_ratio: float
    novelty: float


def score_emergence(*, recent: int, baseline: int, recent_total: int, baseline_total: int,
                    recent_sources: int, thresholds: Thresholds = Thresholds()) -> Signal:
    """Status and score of one trend from its recent and baseline story counts.

    p0 is the trend's smoothed share of the baseline period; z compares the recent count
    with what that share predicts for the recent volume. Novelty is the part of the
    trend's stories that are recent (1.0 = nothing before). The score grows with the
    number of sources, then with z, then with novelty, so a burst that many outlets
    report outranks one blog's series of posts.
    """
    p0 = (baseline + 0.5) / (baseline_total + 1)
    # At least half a story is expected: with a near-zero baseline the z-score would
    # otherwise explode for any three headlines and drown the big stories.
    expected = max(recent_total * p0, 0.5)
    z = (recent - expected) / math.sqrt(expected * (1 - p0))
    log_ratio = math.log(((recent + 0.5) / (recent_total + 1)) / p0)
    novelty = recent / (recent + baseline) if recent + baseline else 0.0
    supported = recent >= thresholds.min_stories and recent_sources >= thresholds.min_sources
    surging = log_ratio >= math.log(thresholds.surge_ratio)
    if supported and z >= thresholds.emerging_z and (
            novelty >= thresholds.emerging_novelty or surging):
        status = EMERGING
    elif supported and z >= thresholds.rising_z and log_ratio >= math.log(thresholds.rising_ratio):
        status = RISING
    elif baseline >= thresholds.min_stories and log_ratio <= math.log(thresholds.fading_ratio):
        status = FADING
    else:
        status = STEADY
    # Breadth of coverage first, then significance (log: it grows fast with a few
    # stories), and novelty only as a nudge: a takedown of a gang that is always in the
    # news is still the story of the week.
    score = (math.log2(1 + recent_sources) * math.log2(1 + max(z, 0.0))
             * (0.75 + novelty / 4))
    return Signal(status=status, score=round(score, 3), recent=recent, baseline=baseline,
                  recent_sources=recent_sources, z=round(z, 3), log_ratio=round(log_ratio, 3),
                  novelty=round(novelty, 3))


def why_now(signal: Signal, *, recent_articles: int, recent_days: int) -> str:
    """One line a CISO can triage by: '14 articles from 9 sources in 7 days, 1 before'."""
    before = "none before" if signal.baseline == 0 else f"{signal.baseline} stories before"
    return (f"{recent_articles} articles from {signal.recent_sources} sources in the last "
            f"{recent_days} days, {before}")


def weekly_counts(days: Sequence[date], *, start: date, end: date) -> list[list]:
    """[[monday ISO date, stories], ...] for every week from start to end (zeros kept)."""
    first = start - timedelta(days=start.weekday())
    weeks = {first + timedelta(weeks=i): 0 for i in range((end - first).days // 7 + 1)}
    for day in days:
        monday = day - timedelta(days=day.weekday())
        if monday in weeks:
            weeks[monday] += 1
    return [[monday.isoformat(), count] for monday, count in weeks.items()]


# --- quadrants and rings -------------------------------------------------------------------


def place_quadrant(titles: Sequence[str], quadrants: Sequence[Quadrant], *,
                   default: str) -> tuple[str, str]:
    """The quadrant whose seed vocabulary the trend's headlines use most, and why.

    Returns (quadrant name, reason), e.g. ("Threats & Vulnerabilities",
    "matched: ransomware (4), exploited (3)"). Ties go to the earlier quadrant.
    """
    best, best_hits, best_reason = default, 0, "no seed term matched; default quadrant"
    text = "\n".join(titles).lower()
    for quadrant in quadrants:
        found = Counter(term_pattern(quadrant.terms).findall(text))
        counts = {term: found[term.lower()] for term in quadrant.terms}
        hits = sum(counts.values())
        if hits > best_hits:
            top = sorted((c for c in counts.items() if c[1]), key=lambda c: (-c[1], c[0]))[:3]
            best, best_hits = quadrant.name, hits
            best_reason = "matched: " + ", ".join(f"{term} ({n})" for term, n in top)
    return best, best_reason


def suggest_ring(signal: Signal, *, source_count: int, rings: Sequence[str]) -> str:
    """Inner ring for established, widely covered trends; middle for emerging or rising
    ones (look into them now); outer for the rest (keep an eye on them)."""
    if signal.status in (EMERGING, RISING):
        return rings[len(rings) // 2]
    if signal.status == STEADY and source_count >= 5 and signal.baseline >= 10:
        return rings[0]
    return rings[-1]


# --- identity ------------------------------------------------------------------------------


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def term_similarity(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two weighted term lists (the fallback when no story is shared)."""
    dot = sum(weight * b[term] for term, weight in a.items() if term in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def new_trend_id(topic: Topic, taken: set[str]) -> str:
    """A short id derived from the topic's stories, so a replay gives the same ids."""
    seed = min(topic.members) if topic.members else ",".join(sorted(topic.terms))
    digest = hashlib.sha256(seed.encode()).hexdigest()
    for start in range(0, len(digest) - 8):
        candidate = f"T{digest[start:start + 8]}"
        if candidate not in taken:
            return candidate
    raise ValueError("no free trend id")  # unreachable in practice: 2^32 candidates


def final_id(trend_id: str, by_id: dict[str, KnownTrend]) -> str:
    """Follow merged_into links to the trend that absorbed this one (cycles stop)."""
    seen = {trend_id}
    while by_id.get(trend_id) and by_id[trend_id].merged_into and \
            by_id[trend_id].merged_into not in seen:
        trend_id = by_id[trend_id].merged_into
        seen.add(trend_id)
    return trend_id


def match_identities(topics: Sequence[Topic], known: Sequence[KnownTrend], *,
                     in_window: frozenset[str], min_jaccard: float = 0.2,
                     min_term_similarity: float = 0.5, absorb_share: float = 0.5) -> Identity:
    """Give each topic of this run an id, keeping ids of the trends it continues.

    1. Shared stories first: Jaccard of story sets (earlier members restricted to what is
       still in the window), optimal one-to-one assignment (Hungarian).
    2. A topic left over that takes most of its stories from a matched trend is a split:
       new id, parent recorded. One with no shared stories may continue a quiet trend
       whose terms it resembles (revived), or is new (emerged).
    3. Trends left over whose stories went mostly into one topic are merged into it: the
       id kept is the one with a human decision, else the oldest. The rest go dormant.
    Topics continuing a trend a person merged away take the id it was merged into.
    """
    pool = [k for k in known if k.state != "merged"]
    by_id = {k.id: k for k in known}
    members = [k.members & in_window for k in pool]
    identity = Identity(ids=[""] * len(topics))
    taken = {k.id for k in known}

    # A topic continuing a trend a person merged away belongs to the trend it went into.
    for index, topic in enumerate(topics):
        merged_away = [k for k in known if k.state == "merged"
                       and jaccard(topic.members, k.members & in_window) >= min_jaccard]
        if merged_away:
            identity.ids[index] = final_id(max(merged_away, key=lambda k: jaccard(
                topic.members, k.members & in_window)).id, by_id)

    open_rows = [i for i, trend_id in enumerate(identity.ids) if not trend_id]
    if open_rows and pool:
        scores = np.array([[jaccard(topics[i].members, m) for m in members] for i in open_rows])
        rows, cols = linear_sum_assignment(-scores)
        for row, col in zip(rows, cols, strict=True):
            if scores[row, col] >= min_jaccard:
                identity.ids[open_rows[row]] = pool[col].id
    assigned = {i for i in identity.ids if i}

    # Keepers: trends whose stories went mostly into a topic someone else continues.
    for index, topic in enumerate(topics):
        absorbed = [k for k, m in zip(pool, members, strict=True)
                    if k.id not in assigned and m and len(m & topic.members) / len(m)
                    >= absorb_share]
        if not absorbed or not identity.ids[index]:
            continue
        current = by_id[identity.ids[index]]
        candidates = [current, *absorbed]
        keeper = min(candidates, key=lambda k: (not k.decided, k.created or "~", k.id))
        identity.ids[index] = keeper.id
        for k in candidates:
            if k.id != keeper.id:
                identity.merged[k.id] = keeper.id
                identity.events.append(LineageEvent(keeper.id, "merged", k.id))
        assigned |= {k.id for k in candidates}

    for index, topic in enumerate(topics):
        if identity.ids[index]:
            continue
        parent = max(((k, len(m & topic.members)) for k, m in zip(pool, members, strict=True)
                      if k.id in assigned), key=lambda pair: pair[1], default=(None, 0))
        if parent[0] is not None and parent[1] >= absorb_share * len(topic.members):
            new_id = new_trend_id(topic, taken)
            identity.parents[new_id] = parent[0].id
            identity.events.append(LineageEvent(new_id, "split", parent[0].id))
        else:
            quiet = [k for k in pool if k.id not in assigned]
            similar = max(quiet, key=lambda k: term_similarity(topic.terms, k.terms),
                          default=None)
            if similar and term_similarity(topic.terms, similar.terms) >= min_term_similarity:
                new_id = similar.id
                identity.events.append(LineageEvent(new_id, "revived" if similar.state ==
                                                    DORMANT else "continued"))
            else:
                new_id = new_trend_id(topic, taken)
                identity.events.append(LineageEvent(new_id, "emerged"))
        identity.ids[index] = new_id
        taken.add(new_id)
        assigned.add(new_id)

    for k in pool:
        if k.id not in assigned and k.id not in identity.merged and k.state == "active":
            identity.dormant.append(k.id)
            identity.events.append(LineageEvent(k.id, DORMANT))
    return identity
