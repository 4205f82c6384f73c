"""Feeds with older pages, as WordPress and RFC 5005 servers serve them (test helpers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from werkzeug import Request, Response

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
PER_PAGE = 5
WP_LINK = '<https://blog.example/wp-json/>; rel="https://api.w.org/"'


def rss_page(first: int, *, count: int = PER_PAGE, generator: str = "",
             links: dict[str, str] | None = None, site: str = "blog.example",
             now: datetime = NOW) -> bytes:
    """An RSS 2.0 page of `count` entries; entry n was published n days before `now`."""
    items = "".join(
        f"<item><title>Story number {n} about subject {n}</title>"
        f"<link>https://{site}/story-{n}</link><guid>https://{site}/story-{n}</guid>"
        f"<pubDate>{format_datetime(now - timedelta(days=n))}</pubDate></item>"
        for n in range(first, first + count))
    atom_links = "".join(f'<atom:link rel="{rel}" href="{escape(href)}"/>'
                         for rel, href in (links or {}).items())
    return (f'<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
            f"<channel><title>Blog</title><link>https://{site}/</link>"
            f"{f'<generator>{generator}</generator>' if generator else ''}{atom_links}"
            f"{items}</channel></rss>").encode()


def xml(body: bytes, **headers: str) -> Response:
    return Response(body, content_type="application/rss+xml", headers=headers)


def wordpress(pages: int, *, on_page: Callable[[int], Response | None] | None = None,
              now: datetime = NOW) -> Callable[[Request], Response]:
    """A WordPress-like feed: `?paged=N` serves older entries, 404 after the last page.
    `on_page(n)` may answer a page differently (an error, HTML, a stall)."""

    def handler(request: Request) -> Response:
        number = int(request.args.get("paged", "1"))
        if on_page and (special := on_page(number)) is not None:
            return special
        if number > pages:
            return Response("<html>Page not found</html>", status=404, content_type="text/html")
        return xml(rss_page((number - 1) * PER_PAGE, now=now), Link=WP_LINK)

    return handler
