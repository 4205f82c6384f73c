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
from datetime import timedelta
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
    prefixes = _rarest_first(words, threshold, min_tokens)
    # Lists read by index: every item's site and words, and the group of each one seen.
    sites = [item.site for item in items]
    groups: list[str] = []
    postings: dict[int, deque[int]] = defaultdict(deque)  # prefix word -> items, oldest first
    oldest = 0   # the first item still inside the window of the current one
    result: dict[str, str] = {}
    for index, item in enumerate(items):
        cutoff = item.published - window
        while items[oldest].published < cutoff:
            for word in prefixes[oldest]:
                postings[word].popleft()  # oldest first, so the stale index leads
            oldest += 1
        group = item.group
        if group is None:
            candidates = _candidates(prefixes[index], postings)
            best = _best_match(index, candidates, sites, words, groups, threshold, min_tokens)
            group = result[item.id] = best or item.id
        groups.append(group)
        for word in prefixes[index]:
            postings[word].append(index)
    return result


def _rarest_first(words: list[frozenset[str]], threshold: float, min_tokens: int
                  ) -> list[list[int]]:
    """Each title's prefix: the ranks (rarest first) of the words a match must share one of.

    Short titles (fewer than `min_tokens` words) keep them all: they must match exactly.
    """
    frequency = Counter(word for item_words in words for word in item_words)
    rank = {word: n for n, word in
            enumerate(sorted(frequency, key=lambda word: (frequency[word], word)))}.__getitem__
    longest = max(map(len, words), default=0)
    # ceil of the overlap a match needs, a hair low so rounding never drops one
    keep = [size if size < min_tokens else size - math.ceil(threshold * size - 1e-9) + 1
            for size in range(longest + 1)]
    return [sorted(map(rank, item_words))[:keep[len(item_words)]] for item_words in words]


def _candidates(prefix: list[int], postings: dict[int, deque[int]]) -> list[int]:
    """The items in the window sharing a word of `prefix`, oldest first."""
    found: set[int] = set()
    for word in prefix:
        if word in postings:
            found.update(postings[word])
    return sorted(found)


def _best_match(index: int, candidates: list[int], sites: list[str],
                words: list[frozenset[str]], groups: list[str], threshold: float,
                min_tokens: int) -> str | None:
    """The group of the most similar earlier title (the earliest among equals), if any."""
    tokens, site = words[index], sites[index]
    best_score, best_group = 0.0, None
    for other in candidates:
        if sites[other] == site:
            continue
        other_tokens = words[other]
        if min(len(tokens), len(other_tokens)) < min_tokens:
            score = 1.0 if tokens == other_tokens else 0.0
        else:
            shared = len(tokens & other_tokens)
            score = shared / (len(tokens) + len(other_tokens) - shared)
        if score >= threshold and score > best_score:
            best_score, best_group = score, groups[other]
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
