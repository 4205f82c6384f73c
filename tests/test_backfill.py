"""Back-fill tests: real local HTTP servers serving WordPress-style and RFC 5005 feeds."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from radar.collect import FetchOptions, backfill_feeds, parse_feed
from radar.collect.backfill import start_walk
from radar.collect.parse import ARCHIVED, GHOST, PAGED, WORDPRESS, next_numbered_page
from radar.models import Feed, Walk
from radar.store import Store
from tests.conftest import GateClock, write_feeds
from tests.paged import NOW, PER_PAGE, WP_LINK, rss_page, wordpress, xml


@pytest.fixture
def fast() -> FetchOptions:
    return FetchOptions(per_host_delay=0, connect_timeout=2, read_timeout=2, total_timeout=5)


def walk_one(store: Store, server: HTTPServer, path: str, options: FetchOptions, *,
             days: int = 60, max_pages: int = 60) -> Walk:
    feed = Feed(name="blog", url=server.url_for(path), category="news")
    report = backfill_feeds(store, [feed], cutoff=NOW - timedelta(days=days), options=options,
                            max_pages=max_pages, now=lambda: NOW)
    assert [walk.feed for walk in report.walks] == ["blog"]
    return report.walks[0]


def stored(store: Store) -> list[tuple[str, int]]:
    return list(store.db.execute("select link, backfilled from articles order by published"))


def pages_asked(server: HTTPServer) -> list[str]:
    return [request.args.get("paged", "1") for request, _ in server.log]


# --- finding the older pages (pure) ----------------------------------------------------------


def parsed(body: bytes, headers: dict | None = None, url: str = "https://blog.example/feed/"):
    feed = Feed(name="blog", url="https://blog.example/feed/", category="news")
    return parse_feed(body, headers or {}, feed, fetched_at=NOW, page_url=url)


def test_paging_is_found_from_links_headers_and_generator() -> None:
    archived = parsed(rss_page(0, links={"prev-archive": "/archive/2026-10.xml"}))
    assert (archived.paging, archived.older_url) == (
        ARCHIVED, "https://blog.example/archive/2026-10.xml")
    paged = parsed(rss_page(0, links={"next": "feed.xml?page=2"}))
    assert (paged.paging, paged.older_url) == (PAGED, "https://blog.example/feed/feed.xml?page=2")
    by_header = parsed(rss_page(0), {"link": WP_LINK})
    assert (by_header.paging, by_header.older_url) == (
        WORDPRESS, "https://blog.example/feed/?paged=2")
    by_generator = parsed(rss_page(0, generator="https://wordpress.org/?v=6.6.2"),
                          url="https://blog.example/feed/?paged=4")
    assert by_generator.older_url == "https://blog.example/feed/?paged=5"
    assert parsed(rss_page(0)).paging is None


def test_numbered_pages_keep_the_rest_of_the_address() -> None:
    assert next_numbered_page(WORDPRESS, "https://x.example/?feed=rss2&paged=3") == \
        "https://x.example/?feed=rss2&paged=4"
    assert next_numbered_page(GHOST, "https://x.example/blog/rss/") == \
        "https://x.example/blog/rss/2/"
    assert next_numbered_page(GHOST, "https://x.example/rss/7/") == "https://x.example/rss/8/"
    ghost = parsed(rss_page(0, generator="Ghost 5.96"), url="https://x.example/rss/")
    assert (ghost.paging, ghost.older_url) == (GHOST, "https://x.example/rss/2/")


def test_a_walk_resumes_extends_or_stays_finished() -> None:
    assert start_walk(None, "blog", "2026-09-01") == Walk(feed="blog", cutoff="2026-09-01")
    killed = Walk(feed="blog", cutoff="2026-09-01", next_url="u?paged=3", pages=2)
    assert start_walk(killed, "blog", "2026-09-01") == killed
    done = Walk(feed="blog", cutoff="2026-09-01", stopped="no page 4 (HTTP 404)")
    assert start_walk(done, "blog", "2026-01-01") is None
    at_cutoff = Walk(feed="blog", cutoff="2026-09-01", next_url="u?paged=3", pages=3,
                     stopped="reached the cutoff (2026-09-01) on page 3")
    assert start_walk(at_cutoff, "blog", "2026-09-01") is None
    assert start_walk(at_cutoff, "blog", "2026-06-01").stopped == ""


# --- walking real servers --------------------------------------------------------------------


def test_wordpress_feed_is_walked_to_its_last_page(feed_server: HTTPServer, store: Store,
                                                   fast: FetchOptions) -> None:
    feed_server.expect_request("/feed/").respond_with_handler(wordpress(pages=4))
    walk = walk_one(store, feed_server, "/feed/", fast)
    assert walk.stopped == "no page 5 (HTTP 404)"
    assert (walk.paging, walk.pages, walk.new_articles) == (WORDPRESS, 4, 4 * PER_PAGE)
    assert walk.oldest[:10] == (NOW - timedelta(days=4 * PER_PAGE - 1)).date().isoformat()
    rows = stored(store)
    assert len(rows) == 4 * PER_PAGE and {flag for _, flag in rows} == {1}
    assert pages_asked(feed_server) == ["1", "2", "3", "4", "5"]

    # One walk per feed: a second run asks nothing.
    feed_server.clear_log()
    report = backfill_feeds(store, [Feed(name="blog", url=feed_server.url_for("/feed/"),
                                         category="news")],
                            cutoff=NOW - timedelta(days=60), options=fast, now=lambda: NOW)
    assert (report.walks, report.already_walked, feed_server.log) == ([], 1, [])


def test_walk_stops_at_the_cutoff_and_an_earlier_cutoff_goes_on(
        feed_server: HTTPServer, store: Store, fast: FetchOptions) -> None:
    feed_server.expect_request("/feed/").respond_with_handler(wordpress(pages=6))
    walk = walk_one(store, feed_server, "/feed/", fast, days=12)
    cutoff = (NOW - timedelta(days=12)).isoformat()
    assert walk.stopped == f"reached the cutoff ({cutoff[:10]}) on page 3"
    assert all(published >= cutoff[:19] for (published,) in
               store.db.execute("select published from articles"))
    assert walk.new_articles == 13          # days 0..12; days 13 and 14 wait for a longer walk

    feed_server.clear_log()
    walk = walk_one(store, feed_server, "/feed/", fast, days=100)
    assert pages_asked(feed_server) == ["3", "4", "5", "6", "7"]  # page 3 again, for the rest
    assert walk.stopped == "no page 7 (HTTP 404)"
    assert store.count_articles() == 6 * PER_PAGE


def test_rfc5005_archives_are_followed_through_relative_links(
        feed_server: HTTPServer, store: Store, fast: FetchOptions) -> None:
    feed_server.expect_request("/feed.xml").respond_with_response(
        xml(rss_page(0, links={"prev-archive": "archive/3.xml"})))
    feed_server.expect_request("/archive/3.xml").respond_with_response(
        xml(rss_page(5, links={"prev-archive": "2.xml", "next-archive": "/feed.xml"})))
    feed_server.expect_request("/archive/2.xml").respond_with_response(
        xml(rss_page(10, links={"next-archive": "3.xml"})))
    walk = walk_one(store, feed_server, "/feed.xml", fast)
    assert (walk.paging, walk.pages, walk.new_articles) == (ARCHIVED, 3, 15)
    assert walk.stopped == "no page after page 3"


def test_paged_feed_that_loops_back_is_stopped(feed_server: HTTPServer, store: Store,
                                               fast: FetchOptions) -> None:
    feed_server.expect_request("/feed.xml").respond_with_response(
        xml(rss_page(0, links={"next": "/page/2.xml"})))
    feed_server.expect_request("/page/2.xml").respond_with_response(
        xml(rss_page(5, links={"next": "/page/3.xml"})))
    feed_server.expect_request("/page/3.xml").respond_with_response(
        xml(rss_page(10, links={"next": "/page/2.xml"})))   # a server bug: 3 -> 2 -> 3 ...
    walk = walk_one(store, feed_server, "/feed.xml", fast)
    assert walk.stopped == "page 4 loops back to a page already read"
    assert (walk.paging, walk.pages, walk.new_articles) == (PAGED, 3, 15)
    assert len(feed_server.log) == 3


def test_html_on_page_three_ends_the_walk_and_keeps_pages_before(
        feed_server: HTTPServer, store: Store, fast: FetchOptions) -> None:
    login_wall = Response("<html><body>Please log in</body></html>", content_type="text/html")
    feed_server.expect_request("/feed/").respond_with_handler(
        wordpress(pages=9, on_page=lambda n: login_wall if n == 3 else None))
    walk = walk_one(store, feed_server, "/feed/", fast)
    assert walk.stopped.startswith("page 3 is not a feed (not an RSS or Atom feed (served as "
                                   "text/html)")
    assert walk.new_articles == 2 * PER_PAGE


def test_an_empty_page_ends_the_walk_as_the_end_of_history(
        feed_server: HTTPServer, store: Store, fast: FetchOptions) -> None:
    """A blog answering 200 with an empty feed past its last page (not a 404)."""
    feed_server.expect_request("/feed/").respond_with_handler(wordpress(
        pages=9, on_page=lambda n: xml(rss_page(0, count=0), Link=WP_LINK) if n == 3 else None))
    walk = walk_one(store, feed_server, "/feed/", fast)
    assert walk.stopped == "page 3 lists no entries (the end of the feed's history)"
    assert walk.new_articles == 2 * PER_PAGE


def test_a_site_that_ignores_paged_is_recognised(feed_server: HTTPServer, store: Store,
                                                 fast: FetchOptions) -> None:
    feed_server.expect_request("/feed/").respond_with_response(
        xml(rss_page(0, generator="https://wordpress.org/?v=6.6"), Link=WP_LINK))
    walk = walk_one(store, feed_server, "/feed/", fast)
    assert walk.stopped == "page 2 the site ignores paging"
    assert walk.new_articles == PER_PAGE


def test_feed_without_paging_is_read_once(feed_server: HTTPServer, store: Store,
                                          fast: FetchOptions) -> None:
    feed_server.expect_request("/news.xml").respond_with_response(xml(rss_page(0)))
    walk = walk_one(store, feed_server, "/news.xml", fast)
    assert (walk.stopped, walk.pages, walk.paging) == ("the feed offers no older pages", 1, None)


def test_page_limit_bounds_an_endless_archive(feed_server: HTTPServer, store: Store,
                                              fast: FetchOptions) -> None:
    feed_server.expect_request("/feed/").respond_with_handler(wordpress(pages=1000))
    walk = walk_one(store, feed_server, "/feed/", fast, days=100_000, max_pages=4)
    assert walk.stopped == "page limit (4)"
    assert walk.pages == 4 and len(feed_server.log) == 4


def test_a_failing_page_is_retried_on_the_next_run(feed_server: HTTPServer, store: Store,
                                                   fast: FetchOptions) -> None:
    broken = {"on": True}
    busy = Response("busy", status=503)
    feed_server.expect_request("/feed/").respond_with_handler(
        wordpress(pages=4, on_page=lambda n: busy if n == 3 and broken["on"] else None))
    walk = walk_one(store, feed_server, "/feed/", fast)
    assert (walk.stopped, walk.problem, walk.pages) == ("", "page 3: HTTP 503", 2)
    broken["on"] = False
    feed_server.clear_log()
    walk = walk_one(store, feed_server, "/feed/", fast)
    assert pages_asked(feed_server) == ["3", "4", "5"]
    assert (walk.stopped, walk.new_articles) == ("no page 5 (HTTP 404)", 4 * PER_PAGE)


def test_politeness_spaces_pages_of_one_host(feed_server: HTTPServer, store: Store,
                                             gate_clock: GateClock) -> None:
    asked_at: list[float] = []
    serve = wordpress(pages=2)

    def timed(request: Request) -> Response:
        asked_at.append(gate_clock.now)
        return serve(request)

    feed_server.expect_request("/feed/").respond_with_handler(timed)
    walk = walk_one(store, feed_server, "/feed/",
                    FetchOptions(per_host_delay=0.3, read_timeout=2, total_timeout=5))
    # Pages 1, 2 and the missing 3, each asked 0.3 s after the one before.
    assert walk.stopped == "no page 3 (HTTP 404)"
    assert gate_clock.waits == [0.3, 0.3]
    assert asked_at == pytest.approx([0.0, 0.3, 0.6])


# --- a real `radar collect --backfill`, killed and resumed -------------------------------------


def walked_pages(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            row = conn.execute("select pages from walks").fetchone()
            return row[0] if row else 0
    except sqlite3.OperationalError:   # not created yet
        return 0


def eventually(condition: Callable[[], bool], seconds: float = 30) -> bool:
    """Whether `condition` holds within `seconds` (polled): a bound for a stuck run, never
    a guess at how long a step takes."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_killed_backfill_resumes_at_the_next_page(feed_server: HTTPServer,
                                                  tmp_path: Path) -> None:
    asked, released = threading.Event(), threading.Event()

    def stall_on_three(number: int) -> Response | None:
        if number == 3:
            asked.set()
            released.wait(timeout=30)
        return None

    feed_server.expect_request("/feed/").respond_with_handler(
        wordpress(pages=5, on_page=stall_on_three))
    write_feeds(tmp_path / "feeds.yaml", [
        {"name": "blog", "url": feed_server.url_for("/feed/"), "category": "news"}])
    env = {**os.environ, "RADAR_DB": str(tmp_path / "radar.db"),
           "RADAR_FEEDS": str(tmp_path / "feeds.yaml")}
    command = [sys.executable, "-m", "radar", "collect", "--quiet", "--per-host-delay", "0",
               "--backfill", "3650d"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        # Page 3 stalls until released: once it is asked, pages 1 and 2 are walked, and
        # the walk is killed there (not between storing page 2 and asking page 3).
        assert asked.wait(timeout=30)
        assert eventually(lambda: walked_pages(tmp_path / "radar.db") >= 2)
        assert walked_pages(tmp_path / "radar.db") == 2
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=10)
        released.set()
    # The stalled page 3 is answered (to nobody) before the log is cleared for the rerun.
    assert eventually(lambda: len(feed_server.log) == 4)
    feed_server.clear_log()
    rerun = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    assert pages_asked(feed_server) == ["1", "3", "4", "5", "6"]   # the collect, then page 3 on
    assert "no page 6 (HTTP 404)" in rerun.stdout
    # nothing new from the feed itself, every walked article checked for duplicates now
    assert f"Checked for duplicates: the new articles and {5 * PER_PAGE} others not checked " \
           "before (back-filled, imported or stored by an earlier run)." in rerun.stdout
    with sqlite3.connect(tmp_path / "radar.db") as conn:
        assert conn.execute("select count(*), count(distinct link) from articles").fetchone() \
            == (5 * PER_PAGE, 5 * PER_PAGE)
