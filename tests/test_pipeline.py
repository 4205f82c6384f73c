"""One collect run end to end, as the CLI and the app run it, against a local server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytest_httpserver import HTTPServer

from radar.collect import FetchOptions
from radar.config import Settings
from radar.models import Feed
from radar.pipeline import run_collect
from radar.store import Store

from .conftest import fixture_bytes
from .paged import PER_PAGE, wordpress


def feed(server: HTTPServer, path: str) -> Feed:
    return Feed(name=path.strip("/"), url=server.url_for(path), category="news")


def test_a_collect_stores_groups_and_reports(feed_server: HTTPServer, store: Store,
                                             fast_options: FetchOptions) -> None:
    feed_server.expect_request("/rss").respond_with_data(fixture_bytes("rss20.xml"),
                                                         content_type="application/xml")
    ran = run_collect(store, [feed(feed_server, "/rss")], options=fast_options)
    assert (dict(ran.collected.outcomes), ran.collected.new_articles) == ({"ok": 1}, 3)
    assert (ran.stored, ran.backfilled, ran.analysed, ran.next_step) == (3, None, None, None)


def test_history_is_walked_and_the_radar_re_analysed(feed_server: HTTPServer, store: Store,
                                                     fast_options: FetchOptions) -> None:
    now = datetime.now(UTC)
    feed_server.expect_request("/feed/").respond_with_handler(wordpress(pages=3, now=now))
    walks = []
    ran = run_collect(store, [feed(feed_server, "/feed/")], options=fast_options,
                      backfill_cutoff=now - timedelta(days=90), settings=Settings(),
                      on_walk=walks.append)
    # Page 1 is the feed; the walk reads pages 2 and 3 and stops at the missing 4th.
    assert ran.collected.new_articles == PER_PAGE
    assert [(w.pages, w.new_articles, w.stopped) for w in ran.backfilled.walks] == [
        (3, 2 * PER_PAGE, "no page 4 (HTTP 404)")] == [
        (w.pages, w.new_articles, w.stopped) for w in walks]
    assert ran.stored == 3 * PER_PAGE
    assert ran.analysed.not_done == "" and ran.analysed.result.stories == 3 * PER_PAGE
    assert store.last_analysis()["stories"] == 3 * PER_PAGE


def test_nothing_answered_means_no_walk_and_old_data_is_not_re_analysed(
        feed_server: HTTPServer, store: Store, fast_options: FetchOptions) -> None:
    feed_server.expect_request("/down").respond_with_data("no", status=500)
    ran = run_collect(store, [feed(feed_server, "/down")], options=fast_options,
                      backfill_cutoff=datetime.now(UTC) - timedelta(days=90),
                      settings=Settings())
    assert dict(ran.collected.outcomes) == {"failed": 1} and ran.backfilled is None
    assert ran.analysed.result is None and store.last_analysis() is None
    assert ran.analysed.not_done.startswith("No articles are stored yet")
    assert ran.next_step == ("See `radar feeds` for each feed's last error, and check "
                             "feeds.yaml.")                      # an HTTP error, not offline
