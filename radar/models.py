"""Records passed between modules: frozen dataclasses, and the trend status vocabulary.

`Finding` is what one analysis found (automatic fields only); `Trend` is what every
reader gets from the store: the latest finding with people's decisions and edits applied.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Feed:
    """One entry of feeds.yaml."""

    name: str
    url: str
    category: str
    weight: float = 1.0
    enabled: bool = True
    site: str = ""         # the site its articles link to, when not the feed's own host


@dataclass(frozen=True)
class Article:
    """One normalised news item, ready to store.

    `id` is stable across runs (see `text.article_id`), so storing the same item twice
    is a no-op. `source` is the feed's name in feeds.yaml (or the archive's source name);
    `site` is the link's host, which near-duplicate grouping compares. `published_flag`
    says why `published` is not the feed's own date ("missing", "unparseable", "future"),
    or is empty when it is. `backfilled` marks an article found on a feed's older pages:
    it was not seen when it was news, so it never counts as something seen early.
    """

    id: str
    source: str
    site: str
    category: str
    title: str
    link: str
    canonical_link: str | None
    summary: str
    published: str
    published_flag: str
    fetched_at: str
    feed_url: str = ""     # the feed it came from (collected, or as an archive says)
    backfilled: int = 0    # 1 when read from an older page of its feed (stored as 0/1)


@dataclass(frozen=True)
class DedupItem:
    """What near-duplicate grouping needs of an article. `group` is set when it was
    grouped before."""

    id: str
    published: datetime
    site: str
    title: str
    group: str | None = None


@dataclass(frozen=True)
class FeedState:
    """What the collector remembers about a feed between runs (conditional GET, back-off)."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    consecutive_failures: int = 0
    next_attempt_after: str | None = None


@dataclass(frozen=True)
class FetchOutcome:
    """The result of one feed in one collect run, saved in a single transaction.

    `outcome` is "ok" (parsed), "not_modified" (304 or identical body), "failed", or
    "skipped" (still backing off). `state` is the feed's state after this fetch.
    """

    feed: Feed
    outcome: str
    fetched_at: str
    state: FeedState
    status: int | None = None
    duration_ms: int = 0
    nbytes: int = 0
    error: str | None = None
    warning: str | None = None
    final_url: str | None = None
    articles: tuple[Article, ...] = ()


@dataclass(frozen=True)
class Walk:
    """One feed's walk back through its older pages, stored after every page so a killed
    run resumes where it stopped. `stopped` is why it ended ("" while it can go on)."""

    feed: str
    cutoff: str                     # oldest publication time wanted (ISO)
    paging: str | None = None       # how the feed pages (see collect.parse)
    next_url: str | None = None     # the page to read next
    pages: int = 0                  # pages read so far, the feed itself included
    new_articles: int = 0
    oldest: str | None = None       # the oldest publication time reached
    stopped: str = ""
    problem: str = ""               # the last transient failure, retried on the next run


EMERGING, RISING, STEADY, FADING, DORMANT = "emerging", "rising", "steady", "fading", "dormant"
STATUSES = (EMERGING, RISING, STEADY, FADING, DORMANT)
FLAGGED = (EMERGING, RISING)  # the statuses that ask a person to look
THEME, EVENT = "theme", "event"   # a subject covered over months; a burst about one happening


@dataclass(frozen=True, kw_only=True)
class TrendFacts:
    """What an analysis says of a trend, shared by `Finding` (as found) and `Trend` (as
    people see it): its name and place, its measures and its why-now line."""

    id: str
    label: str
    keywords: tuple[str, ...]
    entities: tuple[str, ...]
    quadrant: str
    quadrant_reason: str
    suggested_ring: str
    status: str
    score: float
    article_count: int
    story_count: int
    source_count: int
    first_seen: str
    last_seen: str
    weekly_counts: tuple[tuple[str, int], ...]
    why: str
    parent_id: str | None = None
    kind: str = EVENT
    theme: str | None = None       # an event's theme (its id), when it belongs to one
    perennial: bool = False        # a theme in the news all along (or named by a word of
                                   # everyday English): no trend by itself


@dataclass(frozen=True, kw_only=True)
class Finding(TrendFacts):
    """One trend as an analysis found it (automatic fields only; human edits live apart)."""

    terms: dict[str, float]
    members: frozenset[str]
    growth: float = 0.0            # its recent coverage over the usual (holds a flag)
    recent_sources: int = 0        # sites telling it in its recent days
    takeoff: bool = True           # its status is its last week's (a theme's may be its
                                   # four weeks')


@dataclass(frozen=True, kw_only=True)
class Trend(TrendFacts):
    """One trend as people see it: the latest analysis with decisions and edits applied.

    `ring` is the decided ring (None when undecided); `shown_ring` is what the radar
    shows. `label` is a person's label when there is one, else `auto_label`.
    """

    auto_label: str
    ring: str | None
    state: str = "active"           # active, dormant, dismissed or merged
    aliases: tuple[str, ...] = ()
    moved: bool = False
    created_as_of: str = ""
    updated_as_of: str = ""
    events: tuple[str, ...] = ()    # a theme's event ids

    @property
    def shown_ring(self) -> str:
        return self.ring or self.suggested_ring

    @property
    def decided(self) -> bool:
        return self.ring is not None

    @property
    def ring_label(self) -> str:
        """'assess' when decided, 'assess (suggested)' when only suggested."""
        return self.ring or f"{self.suggested_ring} (suggested)"

    @property
    def flagged(self) -> bool:
        return self.status in FLAGGED


@dataclass(frozen=True)
class KnownTrend:
    """A trend from earlier runs, as identity matching needs it."""

    id: str
    members: frozenset[str]
    terms: dict[str, float]
    state: str = "active"          # active, dormant, dismissed or merged
    merged_into: str | None = None
    merged_by_person: bool = False  # else the engine merged it, and may find it apart again
    decided: bool = False
    created: str = ""
    kind: str = EVENT
    label: str = ""


@dataclass(frozen=True)
class Topic:
    """A cluster found by this run: its story ids and its weighted terms."""

    members: frozenset[str]
    terms: dict[str, float]


@dataclass(frozen=True)
class LineageEvent:
    trend_id: str
    event: str                      # emerged, continued, split, merged, dormant, revived
    related_id: str | None = None


@dataclass(frozen=True)
class FlagHistory:
    """What the analyses before one flagged, as its alert budget weighs it."""

    before: AbstractSet[str] = frozenset()   # flagged by the latest analysis
    lately: AbstractSet[str] = frozenset()   # flagged by any of the last four weeks'
    new_week: int = 0                        # flags raised in the last week ...
    new_day: int = 0                         # ... and in the last day
    since_days: float | None = None          # since the analysis before (None: none)


@dataclass
class Identity:
    """The outcome of matching: an id per topic, lineage, merges and trends gone quiet."""

    ids: list[str]
    events: list[LineageEvent] = field(default_factory=list)
    parents: dict[str, str] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)      # absorbed id -> keeper id
    dormant: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Quadrant:
    """A quadrant of the radar: its name, the seed words that place trends in it, and what
    each ring means for it ((ring, meaning) pairs: for threats, adopt = act now)."""

    name: str
    terms: tuple[str, ...]
    meanings: tuple[tuple[str, str], ...] = ()

    def meaning(self, ring: str) -> str:
        return dict(self.meanings).get(ring, "")


# --- the organisation: the CIO's roadmap, our stack, flaws exploited now ---------------------

SUGGESTED, CONFIRMED, REJECTED = "suggested", "confirmed", "rejected"   # a link's state
INITIATIVE, STACK = "initiative", "stack"                               # what a link ties to


@dataclass(frozen=True)
class Initiative:
    """One item of the CIO's roadmap; `keywords` are the words its news would use."""

    id: str
    name: str
    owner: str = ""
    target: str = ""                 # a quarter ("2026-Q3") or a date
    description: str = ""
    keywords: tuple[str, ...] = ()
    archived: bool = False


@dataclass(frozen=True)
class StackItem:
    """A product we run. `cpe_vendor`/`cpe_product` are the names NVD and CISA use."""

    id: str
    vendor: str
    product: str
    version: str = ""
    owner: str = ""
    cpe_vendor: str = ""
    cpe_product: str = ""


@dataclass(frozen=True)
class KevEntry:
    """One entry of CISA's Known Exploited Vulnerabilities catalog."""

    cve: str
    vendor: str
    product: str
    name: str = ""
    date_added: str = ""
    due_date: str = ""
    ransomware: bool = False
    required_action: str = ""
    notes: str = ""


# What people say about an exploited flaw in a product we run; "open" withdraws a mark.
PATCHED, MITIGATED, NOT_AFFECTED, OPEN = "patched", "mitigated", "not affected", "open"
KEV_MARKS = (PATCHED, MITIGATED, NOT_AFFECTED, OPEN)


@dataclass(frozen=True)
class KevMark:
    """A person's word on a KEV entry in our stack (append-only: who, when, why). An empty
    `stack_id` speaks for every product of ours the entry hits."""

    cve: str
    state: str                       # one of KEV_MARKS
    note: str
    author: str
    at: str
    stack_id: str = ""


@dataclass(frozen=True)
class Flaw:
    """One exploited flaw in products we run: a CVE in CISA's KEV catalog that hits at
    least one stack item. Every "exploited flaws in our stack" figure counts these (CVEs,
    not CVE-product pairs), and only open ones: marked patched, mitigated or not affected on
    every product it hits, a flaw is closed and leaves act-now and the counts."""

    entry: KevEntry
    items: tuple[StackItem, ...]                     # our products it hits, still open
    closed: tuple[tuple[StackItem, KevMark], ...] = ()   # products marked, with the mark

    @property
    def cve(self) -> str:
        return self.entry.cve

    @property
    def open(self) -> bool:
        return bool(self.items)

    def past_due(self, today: str) -> bool:
        """CISA's due date (ISO) is before `today` (ISO date)."""
        return bool(self.entry.due_date) and self.entry.due_date < today

    @property
    def products(self) -> str:
        """'Ivanti Connect Secure, Ivanti Policy Secure': our open products it hits."""
        return ", ".join(f"{item.vendor} {item.product}" for item in self.items)


@dataclass(frozen=True)
class Link:
    """A trend touching an initiative or a stack item, with why; people confirm or reject."""

    trend_id: str
    kind: str                        # INITIATIVE or STACK
    target_id: str
    reason: str
    score: float
    state: str = SUGGESTED


@dataclass(frozen=True)
class Watchlist:
    """A named group of keywords or regular expressions ("post-quantum|PQC|ML-KEM") a
    trend is watched for; `radar.notify.watch` says which trends match."""

    name: str
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class SearchHit:
    """What a search found of one trend: whether its name, or its keywords and entities,
    hold the words, and how many of its articles match out of how many."""

    trend_id: str
    in_name: bool
    in_terms: bool
    matching: int
    members: int
