"""Back-fill: walk each feed's older pages once, so a new radar starts with history.

A feed shows only its newest entries, so a new radar has no baseline. Many feeds offer
more: RFC 5005 archived feeds name the archive before them (`prev-archive`), paged feeds
their `next` page, WordPress serves any feed as `?paged=N` and Ghost as `/rss/N/`. Each
feed is walked page by page back to a cutoff, with the collector's manners (one request
per host at a time, the same gap, size cap and timeouts), and every page is stored
together with the walk's progress, so a killed run resumes at the next page. A finished
walk is not repeated; an earlier cutoff later extends it from where it stopped.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import httpx

from radar.collect.fetch import FetchOptions, HostGate, fetch_feed, make_client
from radar.collect.parse import GHOST, WORDPRESS, next_numbered_page, parse_feed
from radar.errors import FeedError
from radar.models import Article, Feed, FeedState, Walk
from radar.store import Store
from radar.text import iso_utc

MAX_PAGES = 60
CUTOFF_REACHED = "reached the cutoff"


@dataclass
class BackfillReport:
    """The walks this run advanced, and how many feeds had finished theirs before."""

    walks: list[Walk]
    already_walked: int
    seconds: float


def backfill_feeds(store: Store, feeds: Iterable[Feed], *, cutoff: datetime,
                   options: FetchOptions | None = None, max_pages: int = MAX_PAGES,
                   transport: httpx.AsyncBaseTransport | None = None,
                   now: Callable[[], datetime] = lambda: datetime.now(UTC),
                   on_walk: Callable[[Walk], None] | None = None) -> BackfillReport:
    """Walk every enabled feed's older pages back to `cutoff` (once per feed)."""
    started = time.monotonic()
    options = options or FetchOptions()
    enabled = [feed for feed in feeds if feed.enabled]
    store.sync_feeds(enabled)
    walks = store.load_walks()
    starts = [(feed, start_walk(walks.get(feed.name), feed.name, iso_utc(cutoff)))
              for feed in enabled]
    todo = [(feed, walk) for feed, walk in starts if walk is not None]
    report = BackfillReport(walks=[], already_walked=len(starts) - len(todo), seconds=0.0)

    def done(walk: Walk) -> None:
        report.walks.append(walk)
        if on_walk:
            on_walk(walk)

    asyncio.run(_walk_all(store, todo, options, max_pages, transport, now, done))
    report.seconds = time.monotonic() - started
    return report


def start_walk(previous: Walk | None, feed_name: str, cutoff: str) -> Walk | None:
    """Where a feed's walk starts: afresh, where a killed or failed run left it, further
    back when the cutoff is now earlier, or nowhere (None) when it is finished."""
    if previous is None:
        return Walk(feed=feed_name, cutoff=cutoff)
    if not previous.stopped:
        return replace(previous, cutoff=cutoff)
    if previous.stopped.startswith(CUTOFF_REACHED) and cutoff < previous.cutoff:
        # The page that reached the old cutoff is read again, for its older entries.
        return replace(previous, cutoff=cutoff, stopped="", pages=previous.pages - 1)
    return None


async def _walk_all(store: Store, todo: list[tuple[Feed, Walk]], options: FetchOptions,
                    max_pages: int, transport: httpx.AsyncBaseTransport | None,
                    now: Callable[[], datetime], done: Callable[[Walk], None]) -> None:
    gate = HostGate(options.per_host_delay)
    slots = asyncio.Semaphore(options.concurrency)
    async with make_client(options, transport) as client:

        async def one(feed: Feed, walk: Walk) -> Walk:
            async with slots:
                return await walk_feed(client, gate, store, feed, walk, options=options,
                                       max_pages=max_pages, now=now)

        for next_done in asyncio.as_completed([one(feed, walk) for feed, walk in todo]):
            done(await next_done)


async def walk_feed(client: httpx.AsyncClient, gate: HostGate, store: Store, feed: Feed,
                    walk: Walk, *, options: FetchOptions, max_pages: int,
                    now: Callable[[], datetime]) -> Walk:
    """Read one feed's pages from `walk.next_url` (or the feed) until a reason to stop."""
    url, seen_ids, seen_urls = walk.next_url or feed.url, set(), set()
    while True:
        page = walk.pages + 1
        if page > max_pages:
            return store.save_walk_page(replace(walk, stopped=f"page limit ({max_pages})"), ())
        if url in seen_urls:
            return store.save_walk_page(replace(walk, stopped=f"page {page} loops back "
                                                 "to a page already read"), ())
        seen_urls.add(url)
        try:
            async with gate.turn(url):
                response = await fetch_feed(client, replace(feed, url=url), FeedState(),
                                            options)
        except FeedError as e:  # network trouble: the next run tries this page again
            return store.save_walk_page(replace(walk, next_url=url,
                                                problem=f"page {page}: {e}"), ())
        step = read_page(response.status, response.body, response.headers, feed, walk,
                         url=url, page=page, seen_ids=seen_ids, fetched_at=now())
        walk = store.save_walk_page(step.walk, step.articles)
        if walk.stopped or walk.problem:
            return walk
        url = walk.next_url


@dataclass(frozen=True)
class PageStep:
    """What one page adds to a walk: the articles to store and the walk after it."""

    walk: Walk
    articles: tuple[Article, ...] = ()


def read_page(status: int, body: bytes, headers: dict[str, str], feed: Feed, walk: Walk, *,
              url: str, page: int, seen_ids: set[str], fetched_at: datetime) -> PageStep:
    """Decide what one fetched page means for the walk (pure apart from `seen_ids`).

    Only dated entries from the cutoff on are kept: an undated entry on an old page would
    be stored as published today. The page that reaches the cutoff stays the walk's next
    page, so a later, earlier cutoff reads the rest of it.
    """
    if status in (404, 410):
        return PageStep(replace(walk, stopped=f"no page {page} (HTTP {status})"))
    if not 200 <= status < 300:
        return PageStep(replace(walk, next_url=url, problem=f"page {page}: HTTP {status}"))
    try:
        parsed = parse_feed(body, headers, feed, fetched_at=fetched_at, page_url=url)
    except FeedError as e:
        if page == 1:  # the feed itself is broken today: collect reports it; try again later
            return PageStep(replace(walk, next_url=url, problem=f"the feed failed: {e}"))
        return PageStep(replace(walk, stopped=f"page {page} is not a feed ({e})"))
    if page > 1 and not parsed.articles:
        return PageStep(replace(walk, pages=page, stopped=f"page {page} lists no entries "
                                "(the end of the feed's history)"))
    ids = {article.id for article in parsed.articles}
    paging = walk.paging or parsed.paging
    if page > 1 and ids <= seen_ids:
        reason = ("the site ignores paging" if paging in (WORDPRESS, GHOST)
                  else "loops back to entries already read")
        return PageStep(replace(walk, pages=page, stopped=f"page {page} {reason}"))
    seen_ids |= ids
    dated = [a for a in parsed.articles if not a.published_flag]
    kept = tuple(replace(a, backfilled=1) for a in dated if a.published >= walk.cutoff)
    page_oldest = min((a.published for a in dated), default=None)
    oldest = min(filter(None, (page_oldest, walk.oldest)), default=None)
    walk = replace(walk, paging=paging, pages=page, oldest=oldest, problem="")
    if page_oldest is not None and page_oldest < walk.cutoff:
        return PageStep(replace(walk, next_url=url, stopped=f"{CUTOFF_REACHED} "
                                f"({walk.cutoff[:10]}) on page {page}"), kept)
    if paging is None:
        return PageStep(replace(walk, stopped="the feed offers no older pages"), kept)
    older = (next_numbered_page(paging, url) if paging in (WORDPRESS, GHOST)
             else parsed.older_url)
    if older is None:
        return PageStep(replace(walk, stopped=f"no page after page {page}"), kept)
    return PageStep(replace(walk, next_url=older), kept)
