"""Parsing feeds (feedparser, pure): bytes in, normalised articles out."""

from __future__ import annotations

import calendar
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser

from radar.errors import FeedError
from radar.models import Article, Feed
from radar.text import (
    SUMMARY_MAX,
    TITLE_MAX,
    canonical_url,
    clean_text,
    looks_like_markup,
    safe_link,
    settle_article,
    site_of,
)

# How a feed offers older entries: RFC 5005 archived feeds (each archive names the one
# before it), RFC 5005 paged feeds (`next`, as Blogger does), WordPress (`?paged=N` on any
# feed URL) or Ghost (`/rss/N/`).
ARCHIVED, PAGED, WORDPRESS, GHOST = "archived", "paged", "wordpress", "ghost"
WORDPRESS_API = 'rel="https://api.w.org/"'


@dataclass(frozen=True)
class ParsedFeed:
    articles: tuple[Article, ...]
    warning: str | None
    paging: str | None = None       # ARCHIVED, PAGED or WORDPRESS when the page shows one
    older_url: str | None = None    # the page before this one, when the page names it


# --- parsing (pure) ------------------------------------------------------------------------


def _claims_feed(content_type: str) -> bool:
    """The server says it sends a feed (RSS, Atom or plain XML)."""
    return any(word in content_type.lower() for word in ("rss", "atom", "xml"))


def parse_feed(body: bytes, headers: dict[str, str], feed: Feed,
               *, fetched_at: datetime, page_url: str | None = None) -> ParsedFeed:
    """Feed bytes -> articles. Never a str: feedparser treats a str as a path or URL.

    A malformed feed that still yields entries is kept with a warning; one that yields
    nothing raises `FeedError` with feedparser's reason. `page_url` is the address of an
    older page being back-filled (relative links to the page before it resolve against it).
    """
    # Wrapped in a stream: feedparser tries to open() bytes that look like a path.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=True,
                              resolve_relative_uris=True)
    problem = _bozo_reason(parsed)
    if not parsed.entries:
        if not parsed.get("version"):
            # The server's type is its claim, the body is what we read: say which is which.
            content_type = headers.get("content-type", "no content type")
            served = (f"the body is not one, though served as {content_type}"
                      if _claims_feed(content_type) else f"served as {content_type}")
            raise FeedError(f"not an RSS or Atom feed ({served})"
                            + (f": {problem}" if problem else ""))
        # A valid feed that lists nothing now (a new blog, an empty advisory list) is
        # healthy: it must not fail, nor back off.
        return ParsedFeed(articles=(), warning="the feed lists no entries now")
    trusted_guids = _trustworthy_guids(parsed.entries)
    articles: dict[str, Article] = {}
    for entry in parsed.entries:
        article = entry_to_article(entry, feed, fetched_at=fetched_at,
                                   guid_trusted=entry.get("id") in trusted_guids)
        if article is not None:
            articles.setdefault(article.id, article)  # a feed repeating an entry counts once
    if not articles:
        raise FeedError(f"{len(parsed.entries)} entries, none with a title, link or text")
    paging, older_url = older_page(parsed, headers, page_url or feed.url)
    return ParsedFeed(articles=tuple(articles.values()),
                      warning=f"malformed feed, entries kept: {problem}" if problem else None,
                      paging=paging, older_url=older_url)


def older_page(parsed: feedparser.FeedParserDict, headers: dict[str, str],
               page_url: str) -> tuple[str | None, str | None]:
    """(paging kind, address of the next older page) as this page tells them.

    RFC 5005 links win (the feed says where its history is); WordPress is recognised by
    its REST API `Link` header or its `<generator>`, and pages by `?paged=N`.
    """
    links = {link.get("rel"): link.get("href") for link in parsed.feed.get("links", ())
             if link.get("href")}
    if links.get("prev-archive"):
        return ARCHIVED, urljoin(page_url, links["prev-archive"])
    if links.get("next"):
        return PAGED, urljoin(page_url, links["next"])
    generator = str(parsed.feed.get("generator", "")).lower()
    if WORDPRESS_API in headers.get("link", "") or "wordpress" in generator:
        return WORDPRESS, next_numbered_page(WORDPRESS, page_url)
    if generator.startswith("ghost") and GHOST_PAGE.search(urlsplit(page_url).path):
        return GHOST, next_numbered_page(GHOST, page_url)
    return None, None


GHOST_PAGE = re.compile(r"/rss/(?:(\d+)/?)?$")


def next_numbered_page(paging: str, url: str) -> str:
    """The page after `url` for feeds paged by number: `?paged=N` (WordPress, other query
    parameters kept) or `/rss/N/` (Ghost)."""
    parts = urlsplit(url)
    if paging == GHOST:
        match = GHOST_PAGE.search(parts.path)
        number = int(match.group(1) or 1) + 1
        return urlunsplit(parts._replace(path=parts.path[:match.start()] + f"/rss/{number}/"))
    query = parse_qsl(parts.query)
    current = dict(query).get("paged", "1")
    number = (int(current) if current.isdigit() else 1) + 1
    query = [(k, v) for k, v in query if k != "paged"] + [("paged", str(number))]
    return urlunsplit(parts._replace(query=urlencode(query)))


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
    if not (title or summary or canonical_url(link)):
        return None
    # dict.get: FeedParserDict.get silently maps missing keys to others (with a warning).
    raw_date = dict.get(entry, "published") or dict.get(entry, "updated")
    struct = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(struct), UTC) if struct else None
    guid = str(entry.get("id")).strip() if guid_trusted and entry.get("id") else None
    return settle_article(source=feed.name, site=site_of(feed.url), category=feed.category,
                          title=title, link=link, summary=summary, published=published,
                          had_date=bool(raw_date), fetched_at=fetched_at, feed_url=feed.url,
                          guid=guid)


def _entry_text(entry: dict) -> str:
    if entry.get("summary"):
        return entry["summary"]
    for content in entry.get("content") or ():
        if content.get("value"):
            return content["value"]
    return ""


