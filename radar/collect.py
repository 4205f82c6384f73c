"""Fetch feeds over HTTP (httpx) and parse them (feedparser): the only module that does either.

`collect_feeds` is the orchestrator: it fetches concurrently (bounded, polite per host),
parses each body, and hands every feed's outcome to the store as one transaction. The
parsing half (`parse_feed`, `entry_to_article`) is pure and tested on bytes directly.
"""

from __future__ import annotations

import asyncio
import calendar
import email.utils
import hashlib
import io
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

import feedparser
import httpx

from radar import __version__
from radar.errors import FeedError
from radar.models import Article, Feed, FeedState, FetchOutcome
from radar.store import Store
from radar.text import (
    SUMMARY_MAX,
    TITLE_MAX,
    article_id,
    canonical_url,
    clean_text,
    iso_utc,
    looks_like_markup,
    parse_iso_utc,
    safe_link,
    settle_published,
    site_of,
)

USER_AGENT = (
    f"TrendRadar/{__version__} (security trend radar feed collector; "
    f"conditional GET, polite per host) httpx/{httpx.__version__}"
)
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9,"
    " text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True)
class FetchOptions:
    """Limits for one collect run; the defaults suit a few hundred public feeds."""

    concurrency: int = 16
    per_host_delay: float = 1.0
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    backoff_base: timedelta = timedelta(minutes=15)
    backoff_max: timedelta = timedelta(hours=24)
    respect_backoff: bool = True


@dataclass(frozen=True)
class Response:
    """What the fetch step hands to parsing: a status, headers and a complete body."""

    status: int
    headers: dict[str, str]
    body: bytes
    final_url: str


@dataclass(frozen=True)
class ParsedFeed:
    articles: tuple[Article, ...]
    warning: str | None


# --- fetching ------------------------------------------------------------------------------


class HostGate:
    """One request at a time per host, at least `delay` seconds apart (politeness)."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.locks: dict[str, asyncio.Lock] = {}
        self.last_start: dict[str, float] = {}

    def lock(self, host: str) -> asyncio.Lock:
        return self.locks.setdefault(host, asyncio.Lock())

    async def wait_turn(self, host: str) -> None:
        """Call while holding `lock(host)`: sleeps until the host may be asked again."""
        wait = self.last_start.get(host, -1e9) + self.delay - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self.last_start[host] = time.monotonic()


async def fetch_feed(client: httpx.AsyncClient, feed: Feed, state: FeedState,
                     options: FetchOptions) -> Response:
    """GET one feed with conditional headers, refusing bodies over `max_bytes`.

    The body is read in chunks (after gzip decoding) so an endless or huge response is
    cut off at the limit instead of filling memory; a cut body is discarded whole.
    """
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    try:
        async with client.stream("GET", feed.url, headers=headers) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > options.max_bytes:
                raise FeedError(f"response of {int(declared)} bytes is over the "
                                f"{options.max_bytes}-byte limit; discarded")
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > options.max_bytes:
                    raise FeedError(f"response is over the {options.max_bytes}-byte limit; "
                                    "discarded")
                chunks.append(chunk)
            return Response(status=response.status_code, headers=dict(response.headers),
                            body=b"".join(chunks), final_url=str(response.url))
    except httpx.TooManyRedirects as e:
        raise FeedError(f"too many redirects (limit {options.max_redirects})") from e
    except httpx.TimeoutException as e:
        raise FeedError(f"timed out ({type(e).__name__})") from e
    except httpx.UnsupportedProtocol as e:
        raise FeedError(f"refused non-http(s) address: {e}") from e
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as e:
        raise FeedError(f"{type(e).__name__}: {e}") from e


# --- parsing (pure) ------------------------------------------------------------------------


def parse_feed(body: bytes, headers: dict[str, str], feed: Feed,
               *, fetched_at: datetime) -> ParsedFeed:
    """Feed bytes -> articles. Never a str: feedparser treats a str as a path or URL.

    A malformed feed that still yields entries is kept with a warning; one that yields
    nothing raises `FeedError` with feedparser's reason.
    """
    # Wrapped in a stream: feedparser tries to open() bytes that look like a path.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=True,
                              resolve_relative_uris=True)
    problem = _bozo_reason(parsed)
    if not parsed.entries:
        content_type = headers.get("content-type", "unknown type")
        if not parsed.get("version"):
            raise FeedError(f"not an RSS or Atom feed ({content_type})"
                            + (f": {problem}" if problem else ""))
        raise FeedError(f"{parsed.version} feed has no entries")
    trusted_guids = _trustworthy_guids(parsed.entries)
    articles: dict[str, Article] = {}
    for entry in parsed.entries:
        article = entry_to_article(entry, feed, fetched_at=fetched_at,
                                   guid_trusted=entry.get("id") in trusted_guids)
        if article is not None:
            articles.setdefault(article.id, article)  # a feed repeating an entry counts once
    if not articles:
        raise FeedError(f"{len(parsed.entries)} entries, none with a title, link or text")
    return ParsedFeed(articles=tuple(articles.values()),
                      warning=f"malformed feed, entries kept: {problem}" if problem else None)


def _bozo_reason(parsed: feedparser.FeedParserDict) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}" if exc else "malformed feed"


def _trustworthy_guids(entries: list) -> set[str]:
    """Guids that identify one entry: present, and not reused by entries with other links.

    Some feeds give every entry the same guid (or the feed's home page); those would
    collapse distinct stories into one, so such entries fall back to their link.
    """
    links_by_guid: dict[str, set[str]] = {}
    for entry in entries:
        guid = entry.get("id")
        if guid:
            links_by_guid.setdefault(guid, set()).add(entry.get("link", ""))
    return {guid for guid, links in links_by_guid.items() if len(links) == 1}


def entry_to_article(entry: dict, feed: Feed, *, fetched_at: datetime,
                     guid_trusted: bool) -> Article | None:
    """Normalise one feedparser entry; None when it has nothing to identify it by."""
    # feedparser tells plain-text titles from HTML ones: only HTML has tags to strip, so a
    # headline about the `<svg>` tag keeps its word. Real markup is stripped either way.
    raw_title = entry.get("title") or ""
    plain = (entry.get("title_detail") or {}).get("type") == "text/plain"
    title = clean_text(raw_title, max_length=TITLE_MAX,
                       html=not plain or looks_like_markup(raw_title))
    summary = clean_text(_entry_text(entry), max_length=SUMMARY_MAX)
    link = safe_link(entry.get("link"))
    canonical = canonical_url(link)
    if not (title or summary or canonical):
        return None
    # dict.get: FeedParserDict.get silently maps missing keys to others (with a warning).
    raw_date = dict.get(entry, "published") or dict.get(entry, "updated")
    struct = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(struct), UTC) if struct else None
    when, flag = settle_published(published, fetched_at=fetched_at, had_value=bool(raw_date))
    guid = str(entry.get("id")).strip() if guid_trusted and entry.get("id") else None
    return Article(
        id=article_id(source=feed.name, guid=guid, canonical_link=canonical,
                      title=title, summary=summary),
        source=feed.name,
        site=site_of(link) or site_of(feed.url),
        category=feed.category,
        title=title or clean_text(summary, max_length=120),
        link=link,
        canonical_link=canonical,
        summary=summary,
        published=when,
        published_flag=flag,
        fetched_at=iso_utc(fetched_at),
        feed_url=feed.url,
    )


def _entry_text(entry: dict) -> str:
    if entry.get("summary"):
        return entry["summary"]
    for content in entry.get("content") or ():
        if content.get("value"):
            return content["value"]
    return ""


# --- one feed, end to end ------------------------------------------------------------------


def settle_fetch(feed: Feed, state: FeedState, response: Response | None,
                 error: FeedError | None, *, fetched_at: datetime, duration_ms: int,
                 options: FetchOptions) -> FetchOutcome:
    """Turn a response (or fetch error) into the outcome to store. Pure apart from parsing."""
    make = partial(FetchOutcome, feed=feed, fetched_at=iso_utc(fetched_at),
                      duration_ms=duration_ms)
    if response is None:
        return make(outcome="failed", error=str(error),
                       state=backed_off(state, fetched_at=fetched_at, options=options))
    make = partial(make, status=response.status, nbytes=len(response.body),
                      final_url=response.final_url)
    if response.status == 304:
        return make(outcome="not_modified", state=_healthy(state))
    if not 200 <= response.status < 300:
        retry_after = parse_retry_after(response.headers.get("retry-after"), now=fetched_at)
        return make(outcome="failed", error=f"HTTP {response.status}",
                       state=backed_off(state, fetched_at=fetched_at, options=options,
                                        retry_after=retry_after))
    body_hash = hashlib.sha256(response.body).hexdigest()
    new_state = replace(_healthy(state), etag=response.headers.get("etag"),
                        last_modified=response.headers.get("last-modified"), body_hash=body_hash)
    if body_hash == state.body_hash:
        return make(outcome="not_modified", state=new_state)
    try:
        parsed = parse_feed(response.body, response.headers, feed, fetched_at=fetched_at)
    except FeedError as e:
        return make(outcome="failed", error=str(e),
                       state=backed_off(state, fetched_at=fetched_at, options=options))
    return make(outcome="ok", state=new_state, warning=parsed.warning,
                   articles=parsed.articles)


def _healthy(state: FeedState) -> FeedState:
    return replace(state, consecutive_failures=0, next_attempt_after=None)


def backed_off(state: FeedState, *, fetched_at: datetime, options: FetchOptions,
               retry_after: timedelta | None = None) -> FeedState:
    """State after a failure: validators kept, next attempt pushed out exponentially.

    A server's Retry-After wins when it asks for longer (capped at a week, so a typo on
    their side cannot silence a feed for good).
    """
    failures = state.consecutive_failures + 1
    delay = min(options.backoff_base * 2 ** (failures - 1), options.backoff_max)
    if retry_after is not None:
        delay = min(max(delay, retry_after), timedelta(days=7))
    return replace(state, consecutive_failures=failures,
                   next_attempt_after=iso_utc(fetched_at + delay))


def parse_retry_after(value: str | None, *, now: datetime) -> timedelta | None:
    """Retry-After as seconds or an HTTP date -> a delay (None when absent or invalid)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(moment - now, timedelta(0))


# --- the run -------------------------------------------------------------------------------


@dataclass
class CollectReport:
    """Totals for one collect run, for the CLI's summary table."""

    outcomes: Counter
    new_articles: int
    seconds: float
    failures: list[tuple[str, str]]                 # (feed, error)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (feed, next try, ISO)

    @property
    def succeeded(self) -> int:
        return self.outcomes["ok"] + self.outcomes["not_modified"]


def collect_feeds(store: Store, feeds: Iterable[Feed], *, options: FetchOptions = FetchOptions(),
                  transport: httpx.AsyncBaseTransport | None = None,
                  now: Callable[[], datetime] = lambda: datetime.now(UTC),
                  on_outcome: Callable[[FetchOutcome, int], None] | None = None) -> CollectReport:
    """Fetch every enabled feed and store what is new, one transaction per feed.

    Feeds still backing off after failures are skipped (and reported) unless
    `options.respect_backoff` is false. `transport` lets tests inject an httpx transport.
    """
    started = time.monotonic()
    enabled = [feed for feed in feeds if feed.enabled]
    store.sync_feeds(enabled)
    states = store.load_feed_states()
    report = CollectReport(outcomes=Counter(), new_articles=0, seconds=0.0, failures=[])

    def record(outcome: FetchOutcome) -> None:
        new = store.save_fetch(outcome) if outcome.outcome != "skipped" else 0
        report.outcomes[outcome.outcome] += 1
        report.new_articles += new
        if outcome.outcome == "failed":
            report.failures.append((outcome.feed.name, outcome.error or ""))
        elif outcome.outcome == "skipped":
            report.skipped.append((outcome.feed.name, outcome.state.next_attempt_after or ""))
        if on_outcome:
            on_outcome(outcome, new)

    asyncio.run(_run(enabled, states, options, transport, now, record))
    report.seconds = time.monotonic() - started
    return report


async def _run(feeds: list[Feed], states: dict[str, FeedState], options: FetchOptions,
               transport: httpx.AsyncBaseTransport | None, now: Callable[[], datetime],
               record: Callable[[FetchOutcome], None]) -> None:
    limits = httpx.Limits(max_connections=options.concurrency,
                          max_keepalive_connections=options.concurrency)
    timeout = httpx.Timeout(options.read_timeout, connect=options.connect_timeout)
    gate = HostGate(options.per_host_delay)
    slots = asyncio.Semaphore(options.concurrency)
    async with httpx.AsyncClient(
        transport=transport, limits=limits, timeout=timeout, follow_redirects=True,
        max_redirects=options.max_redirects,
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
    ) as client:

        async def one(feed: Feed) -> FetchOutcome:
            state = states.get(feed.name, FeedState())
            due = parse_iso_utc(state.next_attempt_after)
            if options.respect_backoff and due and due > now():
                return FetchOutcome(feed=feed, outcome="skipped", fetched_at=iso_utc(now()),
                                    state=state, error=f"backing off until {iso_utc(due)}")
            host = urlsplit(feed.url).hostname or ""
            async with gate.lock(host):
                await gate.wait_turn(host)
                async with slots:
                    fetched_at, clock = now(), time.monotonic()
                    response, error = None, None
                    try:
                        response = await asyncio.wait_for(
                            fetch_feed(client, feed, state, options), options.total_timeout)
                    except FeedError as e:
                        error = e
                    except TimeoutError:
                        error = FeedError(f"timed out after {options.total_timeout:g}s in total")
            duration_ms = int((time.monotonic() - clock) * 1000)
            return settle_fetch(feed, state, response, error, fetched_at=fetched_at,
                                duration_ms=duration_ms, options=options)

        for next_done in asyncio.as_completed([one(feed) for feed in feeds]):
            record(await next_done)
