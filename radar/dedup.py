"""Near-duplicate grouping: the same story told by several sites counts once.

Security news is syndicated and rewritten a lot; later counting (trend sizes, emergence)
must see one story where ten sites told it. Each article gets `dup_of`, the id of the
first article of its group (its own id when it starts one).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from radar.models import DedupItem

if TYPE_CHECKING:
    from radar.store import Store

LOOKBACK = timedelta(days=3)

STOPWORDS = frozenset("""
    a an and are as at be by for from has have how in into is it its of on or over that the
    their this to up was were what when who why will with after about new
""".split())
TOKEN = re.compile(r"cve-\d{4}-\d{4,}|[a-z0-9]+(?:'[a-z]+)?", re.IGNORECASE)


def content_words(title: str) -> frozenset[str]:
    """Content words of a title, the unit near-duplicate matching compares."""
    return frozenset(TOKEN.findall(title.lower())).difference(STOPWORDS)


def group_near_duplicates(items: Iterable[DedupItem], *, threshold: float = 0.6,
                          window: timedelta = LOOKBACK,
                          min_tokens: int = 4) -> dict[str, str]:
    """Link each new article to an earlier one from another site telling the same story.

    Items must come in publication order. Two titles match when the Jaccard similarity
    of their content words reaches `threshold` within `window`; short titles (fewer than
    `min_tokens` words) must match exactly. Only different sites are linked: one site
    repeating a title (CISA's daily "Adds N Known Exploited Vulnerabilities") is news
    each time. Items that already have a `group` keep it and serve as anchors; the
    result maps every other item's id to its group (its own id when it starts one).

    Titles are compared only with those sharing one of their rarest words (prefix
    filtering): two titles similar enough always share one of their first
    `len - ceil(threshold * len) + 1` words in rarity order, so no match is missed, and
    the common words ("vulnerability", "attack") no longer make everything a candidate.
    """
    items = list(items)
    words = [content_words(item.title) for item in items]
    frequency = Counter(word for item_words in words for word in item_words)
    rarity = {word: rank for rank, word in
              enumerate(sorted(frequency, key=lambda word: (frequency[word], word)))}
    recent: deque[tuple[datetime, int]] = deque()
    postings: dict[str, deque[int]] = defaultdict(deque)
    seen: list[tuple[DedupItem, frozenset[str], str]] = []
    prefixes: list[list[str]] = []
    result: dict[str, str] = {}
    for item, tokens in zip(items, words, strict=True):
        while recent and item.published - recent[0][0] > window:
            _, stale = recent.popleft()
            for token in prefixes[stale]:
                postings[token].popleft()  # oldest first, so the stale index leads
        prefix = sorted(tokens, key=rarity.__getitem__)
        if len(tokens) >= min_tokens:
            # ceil of the overlap a match needs, a hair low so rounding never drops one
            prefix = prefix[:len(tokens) - math.ceil(threshold * len(tokens) - 1e-9) + 1]
        group = item.group or _best_match(item, tokens, prefix, seen, postings, threshold,
                                          min_tokens)
        if item.group is None:
            result[item.id] = group or item.id
        index = len(seen)
        seen.append((item, tokens, item.group or result[item.id]))
        prefixes.append(prefix)
        recent.append((item.published, index))
        for token in prefix:
            postings[token].append(index)
    return result


def _best_match(item: DedupItem, tokens: frozenset[str], prefix: list[str], seen: list,
                postings: dict, threshold: float, min_tokens: int) -> str | None:
    """The group of the most similar earlier title (the earliest among equals), if any."""
    if not tokens:
        return None
    candidates = {index for token in prefix for index in postings.get(token, ())}
    best_score, best_group = 0.0, None
    for index in sorted(candidates):
        other, other_tokens, other_group = seen[index]
        if other.site == item.site:
            continue
        if min(len(tokens), len(other_tokens)) < min_tokens:
            score = 1.0 if tokens == other_tokens else 0.0
        else:
            score = len(tokens & other_tokens) / len(tokens | other_tokens)
        if score >= threshold and score > best_score:
            best_score, best_group = score, other_group
    return best_group


def update_duplicate_groups(store: Store) -> int:
    """Group every article not grouped yet against its recent neighbours; returns how many.

    One write transaction: no article arrives between reading the ungrouped ones and
    storing their groups."""
    with store.writing():
        items = store.load_dedup_items(lookback=LOOKBACK)
        groups = group_near_duplicates(items)
        store.save_dedup_groups(groups)
    return len(groups)
