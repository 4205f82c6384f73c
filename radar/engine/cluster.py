"""Group the event window's stories into events with scikit-learn (pure, deterministic).

Titles are short and summaries often missing, so the features are built for that: title
words count twice, security ids (CVE-2024-3400, APT29, UNC5221, Storm-0558) stay whole,
and words in more than `max_df` of the stories are dropped, so topics form around what is
specific (a product, a campaign, a flaw) rather than around "ransomware". Rare words are
weighted by idf squared because one shared rare word ("Cleo", "MOVEit") says more about
two headlines than three shared ordinary ones.

DBSCAN over cosine distance gives a clear noise outcome: a story that resembles fewer than
`min_samples - 1` others is left unclustered instead of being forced somewhere. Stories
close to a topic's centroid are then attached to it, and oversized topics are split by
re-running DBSCAN with a tighter radius; topics whose core terms are alike are joined.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import DBSCAN
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
from sklearn.preprocessing import normalize

from radar.engine.vocabulary import ACTOR
from radar.text import term_pattern
from radar.thresholds import THRESHOLDS, Events

NOISE = -1
EVENTS = THRESHOLDS.events
WORKING_MEMORY_MB = 128  # caps scikit-learn's chunks of pairwise distances

TOKEN = re.compile(
    r"cve-\d{4}-\d{4,7}"
    r"|\b(?:apt|unc|uat|ta|fin|dev|storm|temp)-?\d{1,5}\b"
    r"|[^\W_][^\W_+#]*[+#]*(?:\.[^\W\d_][^\W_]*)*",
    re.IGNORECASE,
)
ACTOR_ID = re.compile(r"(?:apt|unc|uat|ta|fin|dev|storm|temp)-?\d{1,5}")
NEWS_STOPWORDS = frozenset("""
    says said new news report reports reported warns warning week weekly today update
    updates via using used use just now could may might also amid following ahead
    million billion thousands hundreds first last year years day days time one two three
    four five six seven eight nine ten 2023 2024 2025 2026 2027 don ll ve re vs
    how what why who top best latest here get gets got make makes
    confirms confirmed discloses disclosed reveals revealed launches launched announces
    announced unveils releases released urges urged hit hits targets targeting targeted
    inside manage prevent need know guide tips things ways look looks like part parts
    big major critical high severity security cyber cybersecurity online
""".split())
STOPWORDS = ENGLISH_STOP_WORDS | NEWS_STOPWORDS

# Recurring formats that are not topics: their titles would glue unrelated stories, and
# none of them is a subject a CISO decides on. Catalog additions, advisory batches,
# roundups, podcasts, webinars, diaries, newsletters, vendors' advisory notices, deals,
# product reviews, comparisons and listicles ("6 Best Open Source Password Managers for Mac
# in 2024"), how-to guides and analyst awards ("named a Leader in …").
BOILERPLATE = re.compile(
    r"week in (?:review|security)|weekly (?:recap|roundup|update|digest)|this week in"
    r"|newsletter|stormcast|podcast|\bepisode\b|\b(?:swn|psw|esw|asw|bsw|msw|ssw)\s*#?\d+"
    r"|known exploited vulnerabilit|\badds? .{0,25}\bcatalog\b"
    r"|releases? (?:\w+ )?industrial control systems? advisor|\bics advisor"
    r"|security update advisory|dark web issues week"
    r"|threatsday|\brecap\b|round-?up|\bdigest\b|good, the bad and the ugly"
    r"|friday squid|upcoming speaking|attacks timeline"
    r"|webinar|guest diary|\bwebcast\b|\blive stream\b"
    r"|\bdeals?\b.{0,40}\b(?:save|sale|off|discount|deals?)\b|\b(?:black friday|cyber monday"
    r"|prime day|big spring sale)\b|\bon sale\b|\bcoupons?\b|\bpromo codes?\b"
    r"|\bexpert[- ]tested\b|\bbest .{1,60}\b20\d\d\b|\bi (?:tested|tried)\b"
    r"|\bpros (?:&|and) cons\b|\btop \d+ .{1,40}\balternatives\b"
    r"|\breview(?:\s*\(?20\d\d\)?)?\s*:|\breviews?: |\bhands-on\b"
    r"|\b(?:named|recogni[sz]ed as|positioned as) an? leader\b|magic quadrant|marketscape"
    r"|forrester wave|\bcustomers'? choice\b"
    r"|^how to\b|\bvs\.? .{1,60}(?:\(20\d\d\)|\bwhich\b|comparison|compared|verdict|winner)",
    re.IGNORECASE,
)


# Words at least one of which every recurring format has: titles without any (nearly all)
# skip the long pattern above.
BOILERPLATE_WORDS = frozenset("""
    week weekly newsletter stormcast podcast episode known catalog releases release ics
    threatsday recap roundup round-up digest good friday upcoming timeline webinar diary
    webcast live deal deals black cyber prime spring sale coupon coupons promo expert
    expert-tested best tested tried review reviews hands-on swn psw esw asw bsw msw ssw
    newsletters podcasts webinars webinary episodes digests recaps roundups diaries
    webcasts catalogs named recognized recognised positioned magic marketscape forrester
    choice advisory issues how vs pros top
""".split())
BOILERPLATE_WORD = re.compile(r"[a-z0-9-]+")


@lru_cache(maxsize=100_000)
def is_boilerplate(title: str) -> bool:
    """A recurring roundup or notice format rather than a story about one thing."""
    words = BOILERPLATE_WORD.findall(title.lower())
    return not BOILERPLATE_WORDS.isdisjoint(words) and bool(BOILERPLATE.search(title))


def tokens(text: str) -> list[str]:
    """Lower-case content words; hyphenated words split, security ids kept whole."""
    found = []
    for raw in TOKEN.findall(text.lower()):
        if raw[-1].isdigit():  # ids and numbers: CVE-2024-3400, APT29, Storm-0558, 2024
            if raw.startswith("cve-"):
                found.append(raw)
            elif ACTOR_ID.fullmatch(raw):
                found.append(raw.replace("-", ""))
            elif not raw.isdigit() and raw not in STOPWORDS:
                found.append(raw)
        elif len(raw) > 1 and raw not in STOPWORDS:
            found.append(raw)
    return found


def title_tokens(title: str) -> list[str]:
    """Tokens of a title with hyphens as spaces ("Shai-Hulud" = "Shai Hulud"), ids kept."""
    return tokens(re.sub(r"(?i)(?<![0-9])(?<!\bcve)-|-(?![0-9])", " ", title))


@lru_cache(maxsize=100_000)
def story_terms(story: tuple[str, str]) -> tuple[str, ...]:
    """Clustering features of one (title, summary): title words twice, then the first
    `summary_words` content words of the summary's lead. Only the lead: long summaries would
    otherwise outweigh the headline and glue stories together through boilerplate."""
    title, summary = story
    headline = title_tokens(title)
    return (*headline, *headline, *tokens(summary[:EVENTS.summary_lead])[:EVENTS.summary_words])


def vectorize(stories: Sequence[tuple[str, str]], *, sites: Sequence[str], max_df: float,
              per_site: int = EVENTS.per_site, idf_power: float = EVENTS.idf_power
              ) -> sparse.csr_matrix:
    """(title, summary) pairs -> L2-normalised rows weighted by sublinear tf x idf².

    Words used by more than `max_df` of the stories are dropped as too common, counting
    at most `per_site` stories per site: a vendor naming itself in every blog title
    ("CrowdStrike", "Microsoft") must not hide the day everyone writes about it.
    """
    try:
        counts = CountVectorizer(analyzer=story_terms, min_df=2, dtype=np.float32
                                 ).fit_transform(stories).tocsr()
    except ValueError:  # no word used twice: nothing can group, every story is noise
        return sparse.csr_matrix((len(stories), 0), dtype=np.float32)
    presence = (counts > 0).astype(np.float32).tocsr()
    site_index = {site: i for i, site in enumerate(sorted(set(sites)))}
    by_site = sparse.csr_matrix(
        (np.ones(len(sites), dtype=np.float32),
         ([site_index[site] for site in sites], np.arange(len(sites)))),
        shape=(len(site_index), len(sites)))
    per_site_counts = (by_site @ presence).tocsr()
    per_site_counts.data = np.minimum(per_site_counts.data, per_site)
    spread = np.asarray(per_site_counts.sum(axis=0)).ravel()
    # A young radar's few stories: a word in 20 of them (a tenth at most) can still be an
    # event's name.
    stories = counts.shape[0]
    ceiling = max(max_df * stories, min(20, stories / 10))
    counts = counts[:, np.flatnonzero(spread <= ceiling)].tocsr()
    if counts.shape[1] == 0:  # every shared word is too common to tell stories apart
        return sparse.csr_matrix((counts.shape[0], 0), dtype=np.float32)
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + counts.shape[0]) / (1 + document_frequency)) + 1
    counts.data = 1 + np.log(counts.data)
    return normalize(counts.multiply(idf.astype(np.float32) ** idf_power).tocsr())


def cluster_rows(matrix: sparse.csr_matrix, options: Events = EVENTS, *,
                 days: np.ndarray | None = None) -> np.ndarray:
    """A topic number per row, or NOISE. Deterministic: nothing here is random.

    `days` (each row's publication time in days) enables attaching stories by anchor.
    """
    labels = np.full(matrix.shape[0], NOISE, dtype=np.int64)
    next_label = 0
    pending = [(np.flatnonzero(matrix.getnnz(axis=1) > 0), options.eps)]
    while pending:
        rows, eps = pending.pop()
        if len(rows) < options.min_samples:
            continue
        found = DBSCAN(eps=eps, min_samples=options.min_samples, metric="precomputed"
                       ).fit_predict(neighbour_distances(matrix[rows], eps))
        for label in range(found.max() + 1):
            members = rows[found == label]
            tighter = round(eps - 0.1, 2)
            if len(members) > options.max_cluster_size and tighter >= options.min_eps:
                pending.append((members, tighter))
            else:
                labels[members] = next_label
                next_label += 1
    if (labels == NOISE).all():
        return labels
    labels = merge_similar_topics(matrix, labels, min_similarity=options.merge_similarity)
    labels = attach_to_nearest(matrix, labels, min_similarity=options.attach_similarity)
    if days is not None:
        labels = attach_by_anchor(matrix, labels, days, span=options.anchor_span_days)
    return renumber(labels)


def neighbour_distances(rows: sparse.csr_matrix, eps: float, *,
                        block: int = 2000) -> sparse.csr_matrix:
    """Cosine distances of the pairs within `eps`, as the sparse graph DBSCAN takes as
    precomputed. Rows are L2-normalised and sparse (common words are dropped), so the
    product of the matrix with itself holds only pairs that share a word: far fewer than
    all pairs, and exactly the neighbours a brute-force search finds. Computed a block of
    rows at a time, keeping only near pairs, so memory stays bounded. Identical stories
    keep an explicit distance of zero (a stored zero is still an edge)."""
    transposed = rows.T.tocsc()
    parts = []
    for start in range(0, rows.shape[0], block):
        product = (rows[start:start + block] @ transposed).tocoo()
        distance = np.clip(1.0 - product.data, 0.0, None)
        near = distance <= eps
        parts.append(sparse.csr_matrix(
            (distance[near], (product.row[near], product.col[near])),
            shape=(product.shape[0], rows.shape[0])))
    return sparse.vstack(parts, format="csr") if parts else sparse.csr_matrix(
        (0, rows.shape[0]))


def attach_by_anchor(matrix: sparse.csr_matrix, labels: np.ndarray, days: np.ndarray, *,
                     span: float, min_share: float = EVENTS.anchor_share,
                     max_event_days: float = EVENTS.anchor_max_days
                     ) -> np.ndarray:
    """Give a topic the unclustered stories that name its anchor while it is in the news.

    The anchor is the word most of the topic's stories share ("CrowdStrike", "MOVEit").
    Headlines about one event vary so much ("CrowdStrike fault causes global IT outages",
    "IT teams scramble after CrowdStrike incident") that word-vector similarity misses
    many of them; the shared name, within `span` days of the topic's stories, does not.
    """
    presence = (matrix > 0).tocsc()
    result = labels.copy()
    for topic in np.unique(labels[labels != NOISE]):
        members = np.flatnonzero(labels == topic)
        start, end = days[members].min() - span, days[members].max() + span
        if end - start > max_event_days + 2 * span:
            continue  # a long-running topic, not an event: it needs no help
        share = np.asarray(presence[members].sum(axis=0)).ravel() / len(members)
        best: np.ndarray = np.array([], dtype=np.int64)
        for anchor in np.flatnonzero(share >= max(min_share, share.max() - 1e-9)):
            named_ever = presence[:, anchor].indices
            named = named_ever[(days[named_ever] >= start) & (days[named_ever] <= end)]
            # The name must be news now (most of its mentions fall in the span), and
            # among equally shared words the most reported one wins.
            if len(named) >= len(named_ever) / 2 and len(named) > len(best):
                best = named
        result[best[labels[best] == NOISE]] = topic
    return result


def topic_centroids(matrix: sparse.csr_matrix, labels: np.ndarray
                    ) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Topic numbers and their centroids, each cut to its 10 core terms and normalised."""
    clustered = np.flatnonzero(labels != NOISE)
    topics = np.unique(labels[clustered])
    members = sparse.csr_matrix(
        (np.ones(len(clustered)), (np.searchsorted(topics, labels[clustered]), clustered)),
        shape=(len(topics), matrix.shape[0]))
    return topics, normalize(keep_top_terms((members @ matrix).tocsr(), k=10))


def merge_similar_topics(matrix: sparse.csr_matrix, labels: np.ndarray, *,
                         min_similarity: float) -> np.ndarray:
    """Join topics whose core terms are alike: density clustering can cut one story in two
    when its headlines vary their wording ("Glimmerfox VPN" / "Glimmerfox appliance")."""
    topics, centroids = topic_centroids(matrix, labels)
    if len(topics) < 2:
        return labels
    close = (centroids @ centroids.T).tocsr()
    close.data = (close.data >= min_similarity).astype(np.int8)
    close.eliminate_zeros()
    _, component = connected_components(close, directed=False)
    result = labels.copy()
    clustered = labels != NOISE
    result[clustered] = topics[component[np.searchsorted(topics, labels[clustered])]]
    return result


def attach_to_nearest(matrix: sparse.csr_matrix, labels: np.ndarray, *,
                      min_similarity: float) -> np.ndarray:
    """Give each noise row to the topic whose core terms it is most similar to, if close."""
    noise = np.flatnonzero(labels == NOISE)
    if not len(noise) or (labels == NOISE).all():
        return labels
    clusters, centroids = topic_centroids(matrix, labels)
    similarity = (matrix[noise] @ centroids.T).tocsr()  # sparse: noise x topics is large
    best = np.asarray(similarity.argmax(axis=1)).ravel()
    close = similarity.max(axis=1).toarray().ravel() >= min_similarity
    result = labels.copy()
    result[noise[close]] = clusters[best[close]]
    return result


def keep_top_terms(rows: sparse.csr_matrix, *, k: int) -> sparse.csr_matrix:
    """Zero all but each row's k largest weights: a topic is judged by its core terms, so
    a headline that shares only a peripheral word is not pulled in."""
    rows = rows.copy()
    for i in range(rows.shape[0]):
        start, end = rows.indptr[i], rows.indptr[i + 1]
        if end - start > k:
            data = rows.data[start:end]
            data[np.argsort(-data, kind="stable")[k:]] = 0
    rows.eliminate_zeros()
    return rows


def renumber(labels: np.ndarray) -> np.ndarray:
    """Number topics by their first row, so the numbering does not depend on split order."""
    mapping: dict[int, int] = {}
    for label in labels:
        if label != NOISE and label not in mapping:
            mapping[int(label)] = len(mapping)
    return np.array([mapping.get(int(label), NOISE) for label in labels], dtype=np.int64)


# --- entities ---------------------------------------------------------------------------

CVE = re.compile(r"\bCVE-\d{4}-\d{4,7}\b", re.IGNORECASE)


def extract_entities(titles: Sequence[str], vendors: Sequence[str], *,
                     limit: int = 8) -> list[str]:
    """CVE ids, threat-actor names and known vendors/products named in the titles."""
    counts: Counter[str] = Counter()
    vendors = tuple(vendors)
    for title in titles:
        counts.update(title_entities(title, vendors))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, _ in ranked[:limit]]


@lru_cache(maxsize=100_000)
def title_entities(title: str, vendors: tuple[str, ...]) -> frozenset[str]:
    """The entities one headline names. Cached: a backtest describes the same headlines
    every day, and a theme and its events share theirs."""
    found = {m.upper() for m in CVE.findall(title)} | set(ACTOR.findall(title))
    spelled = _vendor_spellings(vendors)
    found |= {spelled[m] for m in term_pattern(vendors).findall(title.lower())}
    return frozenset(found)


@lru_cache(maxsize=8)
def _vendor_spellings(vendors: tuple[str, ...]) -> dict[str, str]:
    """Each vendor's name as configured, by its lower case (the last of equals wins)."""
    return {v.lower(): v for v in vendors}


def group_rows(labels: np.ndarray) -> dict[int, list[int]]:
    """Topic number -> its row indexes (noise left out)."""
    groups: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(labels):
        if label != NOISE:
            groups[int(label)].append(row)
    return dict(groups)


def latest_burst(published: Sequence[datetime], min_stories: int) -> list[int]:
    """The positions of a topic's latest burst of coverage, or [] when it has none.

    Coverage quiet for EVENTS.gap ends a burst; a burst needs `min_stories` stories and most
    of them within EVENTS.span. A subject covered all along has no burst: it is a theme.
    """
    order = sorted(range(len(published)), key=lambda i: published[i])
    pieces: list[list[int]] = [[order[0]]] if order else []
    for before, after in itertools.pairwise(order):
        if published[after] - published[before] > EVENTS.gap:
            pieces.append([])
        pieces[-1].append(after)
    for piece in reversed(pieces):
        if len(piece) >= min_stories and _concentrated([published[i] for i in piece]):
            return piece
    return []


def _concentrated(moments: Sequence[datetime]) -> bool:
    """Most of these (sorted) moments fall within one stretch of EVENTS.span."""
    need, end = EVENTS.span_share * len(moments), 0
    for start, first in enumerate(moments):
        while end < len(moments) and moments[end] - first <= EVENTS.span:
            end += 1
        if end - start >= need:
            return True
    return False
