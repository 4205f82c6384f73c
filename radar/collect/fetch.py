"""Fetching feeds over HTTP (httpx): bounded, polite per host, conditional, size-capped."""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import httpx

from radar import __version__
from radar.collect.guard import GuardedTransport, private_networks_allowed
from radar.errors import FeedError
from radar.models import Feed, FeedState

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
    allow_private_networks: bool = False   # intranet feeds (feeds.yaml settings)


@dataclass(frozen=True)
class Response:
    """What the fetch step hands to parsing: a status, headers and a complete body."""

    status: int
    headers: dict[str, str]
    body: bytes
    final_url: str


# --- fetching ------------------------------------------------------------------------------


class HostGate:
    """One request at a time per host, at least `delay` seconds apart (politeness).

    `clock` and `sleep` are the monotonic clock and the wait; a test passes its own to
    check the spacing without waiting or racing the real clock."""

    def __init__(self, delay: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.delay = delay
        self.clock = clock
        self.sleep = sleep
        self.locks: dict[str, asyncio.Lock] = {}
        self.last_start: dict[str, float] = {}

    @asynccontextmanager
    async def turn(self, url: str) -> AsyncIterator[None]:
        """Hold the address's host for one request, once `delay` has passed since the last."""
        host = urlsplit(url).hostname or ""
        async with self.locks.setdefault(host, asyncio.Lock()):
            wait = self.last_start.get(host, -1e9) + self.delay - self.clock()
            if wait > 0:
                await self.sleep(wait)
            self.last_start[host] = self.clock()
            yield


async def fetch_feed(client: httpx.AsyncClient, feed: Feed, state: FeedState,
                     options: FetchOptions) -> Response:
    """GET one feed with conditional headers, within `total_timeout`; `FeedError` on failure."""
    try:
        return await asyncio.wait_for(_get(client, feed, state, options), options.total_timeout)
    except TimeoutError as e:
        raise FeedError(f"timed out after {options.total_timeout:g}s in total") from e


async def _get(client: httpx.AsyncClient, feed: Feed, state: FeedState,
               options: FetchOptions) -> Response:
    """GET refusing bodies over `max_bytes`, compressed or decompressed.

    The raw body is read in chunks and decompressed here with a bounded output, so an
    endless response or a gzip bomb (a few KB that inflate to gigabytes) is cut off at
    the limit instead of filling memory; a cut body is discarded whole.
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
            body = BoundedBody(response.headers.get("content-encoding", ""), options.max_bytes)
            async for chunk in response.aiter_raw():
                body.add(chunk)
            return Response(status=response.status_code, headers=dict(response.headers),
                            body=body.finish(), final_url=str(response.url))
    except httpx.TooManyRedirects as e:
        raise FeedError(f"too many redirects (limit {options.max_redirects})") from e
    except httpx.TimeoutException as e:
        raise FeedError(f"timed out ({type(e).__name__})") from e
    except httpx.UnsupportedProtocol as e:
        raise FeedError(f"refused non-http(s) address: {e}") from e
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as e:
        raise FeedError(f"{type(e).__name__}: {e}") from e


class BoundedBody:
    """A response body decoded (gzip, deflate or none) to at most `limit` bytes.

    Each chunk is inflated with `max_length` one past what is left, so no step holds
    more than the limit; `FeedError` as soon as the raw or the decoded size is over it.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding, self.limit = encoding.strip().lower(), limit
        self.raw, self.parts, self.size = 0, [], 0
        if self.encoding in ("gzip", "x-gzip"):
            self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.encoding == "deflate":
            self.inflater = zlib.decompressobj()
        else:   # identity, or a value we never asked for ("utf-8"): as is, as httpx does
            self.inflater = None

    def add(self, chunk: bytes) -> None:
        self.raw += len(chunk)
        if self.raw > self.limit:
            raise FeedError(f"response is over the {self.limit}-byte limit; discarded")
        self._keep(self._inflate(chunk) if self.inflater else chunk)

    def finish(self) -> bytes:
        if self.inflater:
            self._keep(self.inflater.flush(self.limit - self.size + 1))
        return b"".join(self.parts)

    def _inflate(self, chunk: bytes) -> bytes:
        try:
            return self.inflater.decompress(chunk, self.limit - self.size + 1)
        except zlib.error as e:
            if self.encoding == "deflate" and not self.size:  # raw deflate, no zlib header
                self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                return self._inflate(chunk)
            raise FeedError(f"DecodingError: {self.encoding} body is corrupt ({e})") from e

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise FeedError(f"response is over the {self.limit}-byte limit once "
                            f"decompressed; discarded")
        self.parts.append(data)


def make_client(options: FetchOptions, transport: httpx.AsyncBaseTransport | None = None
                ) -> httpx.AsyncClient:
    """The one HTTP client of a run: pooled, bounded, following redirects, identifying us,
    connecting only to addresses `guard` allows (an injected transport is used as is)."""
    limits = httpx.Limits(max_connections=options.concurrency,
                          max_keepalive_connections=options.concurrency)
    timeout = httpx.Timeout(options.read_timeout, connect=options.connect_timeout)
    if transport is None:
        tls = httpx.create_ssl_context()   # one CA bundle loaded, shared by every host's pool
        transport = GuardedTransport(
            lambda: httpx.AsyncHTTPTransport(verify=tls, limits=limits),
            allow_private=private_networks_allowed(options.allow_private_networks))
    return httpx.AsyncClient(
        transport=transport, timeout=timeout, follow_redirects=True,
        max_redirects=options.max_redirects,
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"})
