"""Stable trend identity across analyses (pure): a continuing topic keeps its id, so
people's decisions stay attached; splits, merges, dormancy and revivals are recorded."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment

from radar.models import DORMANT, Finding, Identity, KnownTrend, LineageEvent, Topic
from radar.thresholds import THRESHOLDS


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def jaccard_matrix(rows: Sequence[frozenset[str]], cols: Sequence[frozenset[str]]
                   ) -> np.ndarray:
    """`jaccard` of every (row, col) pair."""
    shared = shared_members(rows, cols)
    union = np.add.outer([len(r) for r in rows], [len(c) for c in cols]) - shared
    return np.divide(shared, union, out=np.zeros(shared.shape), where=union > 0)


def shared_members(rows: Sequence[frozenset[str]], cols: Sequence[frozenset[str]]
                   ) -> np.ndarray:
    """`len(row & col)` of every pair, from one sparse product of the sets' incidence
    matrices: a radar that ran for months knows thousands of trends, and each topic of a
    run is compared with all of them."""
    numbers: dict[str, int] = {}

    def incidence(sets: Sequence[frozenset[str]]) -> sparse.csr_matrix:
        columns = [numbers.setdefault(item, len(numbers)) for members in sets
                   for item in members]
        indptr = np.cumsum([0, *map(len, sets)])
        return sparse.csr_matrix((np.ones(len(columns), dtype=np.int64), columns, indptr),
                                 shape=(len(sets), len(numbers)))

    left, right = incidence(rows), incidence(cols)
    left.resize(len(rows), len(numbers))
    return (left @ right.T).toarray()


def term_similarity(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two weighted term lists (the fallback when no story is shared)."""
    dot = sum(weight * b[term] for term, weight in a.items() if term in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def new_trend_id(topic: Topic, taken: set[str], *, salt: str = "") -> str:
    """A short id derived from the topic's stories, so a replay gives the same ids.
    `salt` keeps a theme and an event that start with the same story apart."""
    seed = min(topic.members) if topic.members else ",".join(sorted(topic.terms))
    digest = hashlib.sha256((salt + seed).encode()).hexdigest()
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


def _merged_by_person(trend: KnownTrend) -> bool:
    return trend.state == "merged" and trend.merged_by_person


def match_identities(topics: Sequence[Topic], known: Sequence[KnownTrend], *,
                     in_window: frozenset[str], min_jaccard: float = 0.2,
                     min_term_similarity: float = 0.5, absorb_share: float = 0.5,
                     reserved: frozenset[str] = frozenset(), salt: str = "") -> Identity:
    """Give each topic of this run an id, keeping ids of the trends it continues.

    1. Shared stories first: Jaccard of story sets (earlier members restricted to what is
       still in the window), optimal one-to-one assignment (Hungarian).
    2. A topic left over that takes most of its stories from a matched trend is a split:
       new id, parent recorded. One with no shared stories may continue a quiet trend
       whose terms it resembles (revived), or is new (emerged).
    3. Trends left over whose stories went mostly into one topic are merged into it: the
       id kept is the one with a human decision, else the oldest. The rest go dormant.
    Topics continuing a trend a person merged away take the id it was merged into. A trend
    the engine itself merged stays in the pool: when its subject is found on its own again
    (or an analysis of an earlier date is run), it continues under its own id.
    """
    pool = [k for k in known if not _merged_by_person(k)]
    by_id = {k.id: k for k in known}
    members = [k.members & in_window for k in pool]
    identity = Identity(ids=[""] * len(topics))
    taken = {k.id for k in known} | set(reserved)

    # A topic continuing a trend a person merged away belongs to the trend it went into.
    for index, topic in enumerate(topics):
        merged_away = [k for k in known if _merged_by_person(k)
                       and jaccard(topic.members, k.members & in_window) >= min_jaccard]
        if merged_away:
            identity.ids[index] = final_id(max(merged_away, key=lambda k: jaccard(
                topic.members, k.members & in_window)).id, by_id)

    open_rows = [i for i, trend_id in enumerate(identity.ids) if not trend_id]
    if open_rows and pool:
        scores = jaccard_matrix([topics[i].members for i in open_rows], members)
        rows, cols = linear_sum_assignment(-scores)
        for row, col in zip(rows, cols, strict=True):
            if scores[row, col] >= min_jaccard:
                identity.ids[open_rows[row]] = pool[col].id
    assigned = {i for i in identity.ids if i}
    shared = shared_members([topic.members for topic in topics], members)

    # Keepers: trends whose stories went mostly into a topic someone else continues.
    for index, counts in enumerate(shared):
        absorbed = [k for k, m, n in zip(pool, members, counts, strict=True)
                    if k.id not in assigned and m and n / len(m) >= absorb_share]
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
        parent = max(((k, n) for k, n in zip(pool, shared[index], strict=True)
                      if k.id in assigned), key=lambda pair: pair[1], default=(None, 0))
        if parent[0] is not None and parent[1] >= absorb_share * len(topic.members):
            new_id = new_trend_id(topic, taken, salt=salt)
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
                new_id = new_trend_id(topic, taken, salt=salt)
                identity.events.append(LineageEvent(new_id, "emerged"))
        identity.ids[index] = new_id
        taken.add(new_id)
        assigned.add(new_id)

    for k in pool:
        if k.id not in assigned and k.id not in identity.merged and k.state == "active":
            identity.dormant.append(k.id)
            identity.events.append(LineageEvent(k.id, DORMANT))
    return identity


def merge_same_id(findings: list[Finding]) -> list[Finding]:
    """Topics that resolved to one id (a person merged their trends) become one trend:
    the larger topic's description, everyone's members."""
    by_id: dict[str, Finding] = {}
    for found in sorted(findings, key=lambda t: (-t.story_count, t.id)):
        if found.id in by_id:
            kept = by_id[found.id]
            by_id[found.id] = replace(kept, members=kept.members | found.members,
                                      article_count=kept.article_count + found.article_count)
        else:
            by_id[found.id] = found
    return sorted(by_id.values(), key=lambda t: (-t.score, t.id))


def theme_of(event: np.ndarray, themes: Mapping[str, np.ndarray]) -> str | None:
    """The id of the theme (of `themes`: id -> its story rows) holding most of an event's
    stories, at least `Events.of_theme` of them; the smaller theme among equals."""
    rows = set(event.tolist())
    best, best_share = None, THRESHOLDS.events.of_theme
    for theme_id, theme in themes.items():
        share = len(rows.intersection(theme.tolist())) / len(rows)
        if share >= best_share and (best is None or share > best_share or
                                    len(theme) < len(themes[best])):
            best, best_share = theme_id, share
    return best
