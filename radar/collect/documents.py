"""Fetching a document that is not a feed (CISA's KEV catalog) with the collector's
manners: conditional GET with the stored validators, size cap, timeouts, one client."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass

import httpx

from radar.collect.fetch import FetchOptions, fetch_feed, make_client
from radar.errors import FeedError
from radar.models import Feed, FeedState
from radar.text import now_iso

KEV_URL = ("https://www.cisa.gov/sites/default/files/feeds/"
           "known_exploited_vulnerabilities.json")


@dataclass(frozen=True)
class Document:
    """A fetched document: its body (None when unchanged since the last fetch) and the
    state to store for the next conditional GET."""

    status: int
    body: bytes | None
    state: dict


def fetch_document(name: str, url: str, state: dict, *, options: FetchOptions | None = None,
                   transport: httpx.AsyncBaseTransport | None = None) -> Document:
    """GET `url` unless it is unchanged (304, or the same bytes as last time).

    Raises `FeedError` for a failure (network, non-2xx status, over the size limit).
    """
    options = options or FetchOptions()
    validators = FeedState(etag=state.get("etag"), last_modified=state.get("last_modified"))

    async def get():
        async with make_client(options, transport) as client:
            return await fetch_feed(client, Feed(name=name, url=url, category="document"),
                                    validators, options)

    response = asyncio.run(get())
    fetched = {**state, "name": name, "url": url, "fetched_at": now_iso(),
               "status": response.status}
    if response.status == 304:
        return Document(304, None, fetched)
    if not 200 <= response.status < 300:
        raise FeedError(f"{url}: HTTP {response.status}")
    body_hash = hashlib.sha256(response.body).hexdigest()
    fetched.update(etag=response.headers.get("etag"),
                   last_modified=response.headers.get("last-modified"), body_hash=body_hash)
    unchanged = body_hash == state.get("body_hash")
    return Document(response.status, None if unchanged else response.body, fetched)


def check_document(url: str, *, seconds: float = 5.0) -> None:
    """GET `url` once, quickly, to know it answers: `FeedError` saying why when it does
    not (the sign-in page checks the identity provider before sending anyone to it)."""
    fetch_document("check", url, {}, options=FetchOptions(
        per_host_delay=0, connect_timeout=seconds, read_timeout=seconds,
        total_timeout=seconds, max_bytes=1024 * 1024))
