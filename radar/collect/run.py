"""One collect run: every feed fetched concurrently, each outcome settled and stored in
one transaction; failing feeds back off."""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial

import httpx

from radar.collect.fetch import FetchOptions, HostGate, Response, fetch_feed, make_client
from radar.collect.parse import parse_feed
from radar.errors import FeedError
from radar.models import Feed, FeedState, FetchOutcome
from radar.store import Store
from radar.text import iso_utc, parse_iso_utc

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


def collect_feeds(store: Store, feeds: Iterable[Feed], *, options: FetchOptions | None = None,
                  transport: httpx.AsyncBaseTransport | None = None,
                  now: Callable[[], datetime] = lambda: datetime.now(UTC),
                  on_outcome: Callable[[FetchOutcome, int], None] | None = None) -> CollectReport:
    """Fetch every enabled feed and store what is new, one transaction per feed.

    Feeds still backing off after failures are skipped (and reported) unless
    `options.respect_backoff` is false. `transport` lets tests inject an httpx transport.
    """
    started = time.monotonic()
    options = options or FetchOptions()
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
    gate = HostGate(options.per_host_delay)
    slots = asyncio.Semaphore(options.concurrency)
    async with make_client(options, transport) as client:

        async def one(feed: Feed) -> FetchOutcome:
            state = states.get(feed.name, FeedState())
            due = parse_iso_utc(state.next_attempt_after)
            if options.respect_backoff and due and due > now():
                return FetchOutcome(feed=feed, outcome="skipped", fetched_at=iso_utc(now()),
                                    state=state, error=f"backing off until {iso_utc(due)}")
            async with gate.turn(feed.url), slots:
                fetched_at, clock = now(), time.monotonic()
                response, error = None, None
                try:
                    response = await fetch_feed(client, feed, state, options)
                except FeedError as e:
                    error = e
            duration_ms = int((time.monotonic() - clock) * 1000)
            return settle_fetch(feed, state, response, error, fetched_at=fetched_at,
                                duration_ms=duration_ms, options=options)

        for next_done in asyncio.as_completed([one(feed) for feed in feeds]):
            record(await next_done)
