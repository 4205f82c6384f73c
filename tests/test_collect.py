"""Collector tests: pure parsing on fixture bytes, then real HTTP against 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import threading
from datetime import UTC, datetime, timedelta

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from radar.collect import (
    USER_AGENT,
    FetchOptions,
    backed_off,
    collect_feeds,
    parse_feed,
    parse_retry_after,
    settle_fetch,
)
from radar.collect import (
    Response as Fetched,
)
from radar.collect.fetch import HostGate
from radar.errors import FeedError
from radar.models import Feed, FeedState
from radar.store import Store
from radar.text import iso_utc, parse_iso_utc

from .conftest import XML, GateClock, fixture_bytes, serve

NOW = datetime(2031, 3, 6, 12, tzinfo=UTC)
FEED = Feed(name="Test", url="https://feed.example.test/rss", category="news")


def parse(name: str, headers: dict | None = None):
    return parse_feed(fixture_bytes(name), headers or {"content-type": XML}, FEED,
                      fetched_at=NOW)


# --- parsing (pure) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "count", "first_title"),
    [
        ("rss20.xml", 3, "Vendor patches actively exploited VPN gateway flaw CVE-2031-0001"),
        ("rss10.rdf", 2, "Advisory 2031-17: industrial controller authentication bypass"),
        ("rss091.xml", 1, "Legacy mainframes still run payroll"),
        ("atom.xml", 2, "Inside the Gloomy Otter espionage campaign"),
    ],
)
def test_every_feed_format_parses(fixture: str, count: int, first_title: str) -> None:
    parsed = parse(fixture)
    assert len(parsed.articles) == count
    assert parsed.articles[0].title == first_title
    assert parsed.warning is None
    assert all(a.source == "Test" and a.category == "news" for a in parsed.articles)


def test_rss20_entries_are_normalised() -> None:
    first = parse("rss20.xml").articles[0]
    assert first.published == "2031-03-04T08:15:00Z"  # +0100 converted to UTC
    assert first.canonical_link == "https://wire.example.test/2031/vpn-gateway-flaw"
    assert first.summary == "The vendor says attackers already use the bug."
    assert first.site == "wire.example.test"


def test_atom_offsets_and_html_content() -> None:
    second = parse("atom.xml").articles[1]
    assert second.published == "2031-03-04T21:45:00Z"
    assert second.summary == "A worm-like payload steals tokens & republishes itself."


def test_malformed_feed_keeps_entries_with_a_warning() -> None:
    parsed = parse("malformed.xml")
    assert [a.title for a in parsed.articles] == [
        "Unescaped ampersand & broken markup survive", "Second story in a sloppy feed"]
    assert parsed.warning and parsed.warning.startswith("malformed feed, entries kept")


@pytest.mark.parametrize(
    ("content_type", "reason"),
    [
        ("text/html", "not an RSS or Atom feed (served as text/html)"),
        ("application/rss+xml; charset=utf-8", "not an RSS or Atom feed (the body is not "
                                                "one, though served as application/rss+xml"),
    ],
)
def test_a_page_that_is_not_a_feed_fails_saying_what_it_was_served_as(
        content_type: str, reason: str) -> None:
    with pytest.raises(FeedError) as failed:
        parse("page.html", {"content-type": content_type})
    assert str(failed.value).startswith(reason)


def test_a_valid_feed_with_no_entries_is_healthy_and_says_so() -> None:
    parsed = parse("empty.xml", {"content-type": XML})
    assert parsed.articles == () and parsed.warning == "the feed lists no entries now"


def test_missing_unparseable_and_future_dates_are_flagged() -> None:
    by_title = {a.title: a for a in parse("undated.xml").articles}
    assert by_title["A story without a date or guid"].published_flag == "missing"
    assert by_title["A story with a nonsense date"].published_flag == "unparseable"
    future = by_title["A story dated far in the future"]
    assert (future.published, future.published_flag) == ("2031-03-06T12:00:00Z", "future")
    textual = by_title["A story with neither link nor guid"]
    assert textual.link == "" and textual.canonical_link is None and textual.id


def test_duplicate_entries_count_once_and_shared_guids_are_not_trusted() -> None:
    articles = parse("duplicates.xml").articles
    assert [a.title for a in articles] == [
        "The same story twice", "A lazy feed reuses one guid", "for every entry it publishes"]
    assert len({a.id for a in articles}) == 3


def test_plain_text_titles_keep_words_in_angle_brackets() -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
            b"<title>Attackers abuse &lt;svg&gt; files in phishing</title>"
            b"<link>https://a.example.test/1</link></item></channel></rss>")
    (article,) = parse_feed(body, {"content-type": XML}, FEED, fetched_at=NOW).articles
    assert article.title == "Attackers abuse <svg> files in phishing"


def test_hostile_text_is_neutralised() -> None:
    scripted, huge = parse("hostile.xml").articles
    assert "<" not in scripted.title and "script" not in scripted.title.lower()
    assert scripted.title == "Patch now"
    assert scripted.link == "" and scripted.canonical_link is None  # javascript: dropped
    assert "steal" not in scripted.summary and "javascript" not in scripted.summary
    assert len(huge.title) <= 300 and huge.title.endswith("…")


def test_charset_from_headers_and_wrong_charset() -> None:
    right = parse("latin1.xml", {"content-type": "application/xml; charset=iso-8859-1"})
    assert right.articles[0].title == "Failles critiques corrigées à Zürich"
    wrong = parse("latin1.xml", {"content-type": XML})  # no charset: falls back, warns
    assert wrong.articles[0].title == "Failles critiques corrigées à Zürich"
    assert wrong.warning and "encoding" in wrong.warning.lower()


def test_parse_feed_never_treats_input_as_a_path_or_url(tmp_path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(fixture_bytes("rss20.xml"))
    with pytest.raises(FeedError):
        parse_feed(str(secret).encode(), {}, FEED, fetched_at=NOW)


def test_parse_retry_after() -> None:
    assert parse_retry_after("120", now=NOW) == timedelta(seconds=120)
    assert parse_retry_after("Thu, 06 Mar 2031 13:00:00 GMT", now=NOW) == timedelta(hours=1)
    assert parse_retry_after("soon", now=NOW) is None
    assert parse_retry_after(None, now=NOW) is None


# --- real HTTP on 127.0.0.1 ----------------------------------------------------------------


def health(store: Store) -> dict[str, dict]:
    return store.load_feed_health()


def test_one_run_over_good_and_broken_feeds(feed_server: HTTPServer, store: Store,
                                            fast_options: FetchOptions) -> None:
    feeds = [serve(feed_server, f"/{name}", name) for name in
             ("rss20.xml", "rss10.rdf", "atom.xml", "malformed.xml", "undated.xml",
              "duplicates.xml", "hostile.xml")]
    feeds.append(serve(feed_server, "/page.html", "page.html", content_type="text/html"))
    feeds.append(serve(feed_server, "/empty.xml", "empty.xml"))
    feed_server.expect_request("/missing").respond_with_data("gone", status=404)
    feed_server.expect_request("/broken").respond_with_data("oops", status=500)
    feeds += [Feed(name=p, url=feed_server.url_for(f"/{p}"), category="news")
              for p in ("missing", "broken")]
    feeds.append(Feed(name="nowhere", url="http://127.0.0.1:9/feed", category="news"))

    report = collect_feeds(store, feeds, options=fast_options)

    assert report.outcomes["ok"] == 8      # the empty feed too: nothing to back off from
    assert report.outcomes["failed"] == 4
    assert report.new_articles == 3 + 2 + 2 + 2 + 4 + 3 + 2
    assert store.count_articles() == report.new_articles
    seen = health(store)
    assert seen["missing"]["last_error"] == "HTTP 404"
    assert seen["broken"]["last_status"] == 500
    assert "not an RSS or Atom feed" in seen["page.html"]["last_error"]
    assert seen["empty.xml"]["last_outcome"] == "ok" and not seen["empty.xml"]["last_error"]
    assert seen["empty.xml"]["last_warning"] == "the feed lists no entries now"
    assert seen["empty.xml"]["next_attempt_after"] is None
    assert seen["nowhere"]["last_outcome"] == "failed"
    assert seen["malformed.xml"]["last_warning"].startswith("malformed feed")
    assert dict((source, n) for source, _, _, n, _ in store.count_articles_by_origin())[
        "rss20.xml"] == 3


def test_collect_twice_stores_nothing_twice(feed_server: HTTPServer, store: Store,
                                           fast_options: FetchOptions) -> None:
    feeds = [serve(feed_server, "/a", "rss20.xml"), serve(feed_server, "/b", "atom.xml")]
    first = collect_feeds(store, feeds, options=fast_options)
    # A different body for the same items (reordered) must still add nothing.
    feed_server.clear()
    body = fixture_bytes("rss20.xml").replace(b"<item>", b"<item>\n", 1)
    feed_server.expect_request("/a").respond_with_data(body, content_type=XML)
    serve(feed_server, "/b", "atom.xml")
    second = collect_feeds(store, feeds, options=fast_options)
    assert first.new_articles == 5
    assert second.new_articles == 0
    assert second.outcomes == {"ok": 1, "not_modified": 1}  # /b's body hash is unchanged
    assert store.count_articles() == 5


def test_conditional_get_304_costs_no_parsing(feed_server: HTTPServer, store: Store,
                                              fast_options: FetchOptions) -> None:
    seen_headers: list[dict] = []

    def handler(request: Request) -> Response:
        seen_headers.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(fixture_bytes("rss20.xml"), content_type=XML,
                        headers={"ETag": '"v1"', "Last-Modified": "Wed, 05 Mar 2031 10:00:00 GMT"})

    feed_server.expect_request("/etag").respond_with_handler(handler)
    feed = Feed(name="etag", url=feed_server.url_for("/etag"), category="news")
    collect_feeds(store, [feed], options=fast_options)
    report = collect_feeds(store, [feed], options=fast_options)
    assert report.outcomes == {"not_modified": 1}
    assert seen_headers[0]["User-Agent"] == USER_AGENT
    assert "If-None-Match" not in seen_headers[0]
    assert seen_headers[1]["If-None-Match"] == '"v1"'
    assert seen_headers[1]["If-Modified-Since"] == "Wed, 05 Mar 2031 10:00:00 GMT"
    log = list(store.db.query("select status, outcome from fetch_log order by id"))
    assert log == [{"status": 200, "outcome": "ok"}, {"status": 304, "outcome": "not_modified"}]


def test_gzip_responses_are_decoded(feed_server: HTTPServer, store: Store,
                                    fast_options: FetchOptions) -> None:
    feed_server.expect_request("/gz").respond_with_data(
        gzip.compress(fixture_bytes("atom.xml")), content_type=XML,
        headers={"Content-Encoding": "gzip"})
    feed = Feed(name="gz", url=feed_server.url_for("/gz"), category="news")
    assert collect_feeds(store, [feed], options=fast_options).new_articles == 2


def test_429_retry_after_is_honoured(feed_server: HTTPServer, store: Store,
                                     fast_options: FetchOptions) -> None:
    feed_server.expect_request("/busy").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7200"})
    feed = Feed(name="busy", url=feed_server.url_for("/busy"), category="news")
    collect_feeds(store, [feed], options=fast_options, now=lambda: NOW)
    state = store.load_feed_states()["busy"]
    assert state.next_attempt_after == iso_utc(NOW + timedelta(hours=2))
    later = collect_feeds(store, [feed], options=fast_options,
                          now=lambda: NOW + timedelta(hours=1, minutes=59))
    assert later.outcomes == {"skipped": 1}
    assert len(feed_server.log) == 1  # the skipped run did not touch the server
    collect_feeds(store, [feed], options=fast_options,
                  now=lambda: NOW + timedelta(hours=2, seconds=1))
    assert len(feed_server.log) == 2  # due again


def test_failures_back_off_exponentially_and_recover(feed_server: HTTPServer, store: Store,
                                                     fast_options: FetchOptions) -> None:
    feed_server.expect_request("/flaky").respond_with_data("down", status=503)
    feed = Feed(name="flaky", url=feed_server.url_for("/flaky"), category="news")
    delays, moment = [], NOW
    for _ in range(3):
        collect_feeds(store, [feed], options=fast_options, now=lambda at=moment: at)
        due = parse_iso_utc(store.load_feed_states()["flaky"].next_attempt_after)
        delays.append((due - moment) / timedelta(minutes=1))
        moment = due  # the next run comes exactly when the feed is due again
    assert delays == [15, 30, 60]
    feed_server.clear()
    serve(feed_server, "/flaky", "rss20.xml")
    collect_feeds(store, [feed], options=fast_options, now=lambda at=moment: at)
    state = store.load_feed_states()["flaky"]
    assert (state.consecutive_failures, state.next_attempt_after) == (0, None)


def test_redirects_are_followed_and_loops_stopped(feed_server: HTTPServer, store: Store,
                                                  fast_options: FetchOptions) -> None:
    feed_server.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": feed_server.url_for("/new")})
    serve(feed_server, "/new", "rss20.xml")
    feed_server.expect_request("/loop-a").respond_with_data(
        "", status=302, headers={"Location": feed_server.url_for("/loop-b")})
    feed_server.expect_request("/loop-b").respond_with_data(
        "", status=302, headers={"Location": feed_server.url_for("/loop-a")})
    feed_server.expect_request("/to-file").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"})
    feeds = [Feed(name=p, url=feed_server.url_for(f"/{p}"), category="news")
             for p in ("old", "loop-a", "to-file")]
    collect_feeds(store, feeds, options=fast_options)
    seen = health(store)
    assert seen["old"]["last_outcome"] == "ok"
    assert seen["old"]["final_url"] == feed_server.url_for("/new")
    assert seen["loop-a"]["last_error"] == "too many redirects (limit 5)"
    assert "non-http(s)" in seen["to-file"]["last_error"]


def test_slow_server_times_out(feed_server: HTTPServer, store: Store,
                               fast_options: FetchOptions) -> None:
    released = threading.Event()

    def stalled(request: Request) -> Response:   # answers only once the collect is over
        released.wait(timeout=30)
        return Response(fixture_bytes("rss20.xml"), content_type=XML)

    feed_server.expect_request("/slow").respond_with_handler(stalled)
    serve(feed_server, "/fast", "atom.xml")
    feeds = [Feed(name=p, url=feed_server.url_for(f"/{p}"), category="news")
             for p in ("slow", "fast")]
    try:
        report = collect_feeds(store, feeds, options=fast_options)
    finally:
        released.set()
    assert report.outcomes == {"ok": 1, "failed": 1}
    assert "timed out" in health(store)["slow"]["last_error"]


def test_oversized_bodies_are_discarded_whole(feed_server: HTTPServer, store: Store,
                                              fast_options: FetchOptions) -> None:
    big = fixture_bytes("rss20.xml").replace(
        b"</channel>", b"<!--" + b"x" * 300_000 + b"--></channel>")
    feed_server.expect_request("/declared").respond_with_data(big, content_type=XML)

    def streamed(request: Request) -> Response:  # no Content-Length: must be cut while reading
        return Response((big[i:i + 8192] for i in range(0, len(big), 8192)), content_type=XML)

    feed_server.expect_request("/streamed").respond_with_handler(streamed)
    feeds = [Feed(name=p, url=feed_server.url_for(f"/{p}"), category="news")
             for p in ("declared", "streamed")]
    report = collect_feeds(store, feeds, options=fast_options)
    assert report.outcomes == {"failed": 2}
    assert store.count_articles() == 0
    for name in ("declared", "streamed"):
        assert "200000-byte limit" in health(store)[name]["last_error"]


def test_disabled_feeds_are_not_fetched(feed_server: HTTPServer, store: Store,
                                        fast_options: FetchOptions) -> None:
    feed = serve(feed_server, "/off", "rss20.xml")
    report = collect_feeds(store, [Feed(**{**feed.__dict__, "enabled": False})],
                           options=fast_options)
    assert sum(report.outcomes.values()) == 0
    assert feed_server.log == []


def test_per_host_politeness_spaces_requests(feed_server: HTTPServer, store: Store,
                                             fast_options: FetchOptions,
                                             gate_clock: GateClock) -> None:
    arrivals: list[float] = []

    def timed(request: Request) -> Response:
        arrivals.append(gate_clock.now)
        return Response(fixture_bytes("rss20.xml"), content_type=XML)

    for i in range(3):
        feed_server.expect_request(f"/p{i}").respond_with_handler(timed)
    feeds = [Feed(name=f"p{i}", url=feed_server.url_for(f"/p{i}"), category="news")
             for i in range(3)]
    polite = FetchOptions(**{**fast_options.__dict__, "per_host_delay": 0.3})
    report = collect_feeds(store, feeds, options=polite)
    # One host: one request at a time, each 0.3 s after the one before started.
    assert report.outcomes == {"ok": 3}
    assert gate_clock.waits == [0.3, 0.3]
    assert arrivals == pytest.approx([0.0, 0.3, 0.6])


def test_host_gate_waits_per_host_only() -> None:
    clock = GateClock()
    gate = HostGate(2.0, clock=clock, sleep=clock.sleep)
    started: list[tuple[str, float]] = []

    async def visit(url: str, busy: float) -> None:
        async with gate.turn(url):
            started.append((url, clock.now))
            clock.now += busy          # the request itself takes that long

    async def visits() -> None:
        await asyncio.gather(visit("https://a.test/1", 0.5), visit("https://b.test/1", 0.5),
                             visit("https://a.test/2", 3.0), visit("https://a.test/3", 0))

    asyncio.run(visits())
    # b.test is not held up by a.test; a.test's turns start 2 s apart, or later when a
    # request outlasts the delay.
    assert started == [("https://a.test/1", 0.0), ("https://b.test/1", 0.5),
                       ("https://a.test/2", 2.0), ("https://a.test/3", 5.0)]
    assert clock.waits == [1.0]   # a.test/2 waits from 1.0 (b.test's end) until 2.0


# --- settling one fetch (pure apart from parsing) -----------------------------------------


def settle(response: Fetched | None, state: FeedState | None = None, error=None):
    return settle_fetch(FEED, state or FeedState(), response, error, fetched_at=NOW, duration_ms=5,
                        options=FetchOptions())


def test_settle_ok_not_modified_and_identical_body() -> None:
    body = fixture_bytes("rss20.xml")
    ok = settle(Fetched(200, {"etag": '"v1"', "last-modified": "Wed, 05 Mar 2031"}, body,
                        FEED.url))
    assert ok.outcome == "ok" and len(ok.articles) == 3 and ok.state.etag == '"v1"'
    assert ok.state.body_hash and ok.state.consecutive_failures == 0
    unchanged = settle(Fetched(200, {}, body, FEED.url), state=ok.state)
    assert unchanged.outcome == "not_modified" and unchanged.articles == ()
    assert settle(Fetched(304, {}, b"", FEED.url), state=ok.state).outcome == "not_modified"


def test_settle_failures_keep_validators_and_back_off() -> None:
    state = FeedState(etag='"v1"', consecutive_failures=1)
    failed = settle(Fetched(500, {}, b"oops", FEED.url), state=state)
    assert (failed.outcome, failed.error) == ("failed", "HTTP 500")
    assert failed.state.etag == '"v1"' and failed.state.consecutive_failures == 2
    assert failed.state.next_attempt_after == iso_utc(NOW + timedelta(minutes=30))
    broken = settle(Fetched(200, {}, b"<html>not a feed</html>", FEED.url))
    assert broken.outcome == "failed" and "not an RSS or Atom feed" in broken.error
    unreachable = settle(None, error=FeedError("ConnectError: refused"))
    assert (unreachable.outcome, unreachable.error) == ("failed", "ConnectError: refused")


def test_backed_off_doubles_caps_and_honours_retry_after() -> None:
    options = FetchOptions()
    delays = []
    state = FeedState()
    for _ in range(9):
        state = backed_off(state, fetched_at=NOW, options=options)
        delays.append(parse_iso_utc(state.next_attempt_after) - NOW)
    assert delays[:4] == [timedelta(minutes=m) for m in (15, 30, 60, 120)]
    assert delays[-1] == options.backoff_max  # capped at a day
    asked = backed_off(FeedState(), fetched_at=NOW, options=options,
                       retry_after=timedelta(hours=5))
    assert parse_iso_utc(asked.next_attempt_after) - NOW == timedelta(hours=5)
    greedy = backed_off(FeedState(), fetched_at=NOW, options=options,
                        retry_after=timedelta(days=90))
    assert parse_iso_utc(greedy.next_attempt_after) - NOW == timedelta(days=7)


def test_a_document_is_fetched_conditionally_and_size_capped(feed_server: HTTPServer) -> None:
    """The KEV catalog's fetch: 200 with validators, then 304, and a cap on its size."""
    from radar.collect import fetch_document

    def answer(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(b'{"vulnerabilities": []}' + b" " * 5000, headers={"ETag": '"v1"'})

    feed_server.expect_request("/kev.json").respond_with_handler(answer)
    url = feed_server.url_for("/kev.json")
    first = fetch_document("kev", url, {})
    assert first.status == 200 and first.body.startswith(b'{"vulnerabilities"')
    assert first.state["etag"] == '"v1"' and first.state["body_hash"]
    second = fetch_document("kev", url, first.state)
    assert (second.status, second.body) == (304, None)
    with pytest.raises(FeedError, match="over the 1000-byte limit"):
        fetch_document("kev", url, {}, options=FetchOptions(max_bytes=1000))


def test_a_gzip_bomb_is_cut_at_the_limit_without_inflating_it(
        feed_server: HTTPServer, store: Store, fast_options: FetchOptions) -> None:
    """100 MB of zeros gzip to ~100 KB, under the 200,000-byte raw limit: the decompressed
    size must be capped too, and without ever holding much more than the limit."""
    import tracemalloc
    bomb = gzip.compress(b"\0" * 100_000_000, compresslevel=9)
    assert len(bomb) < fast_options.max_bytes
    feed_server.expect_request("/bomb.xml").respond_with_data(
        bomb, content_type=XML, headers={"Content-Encoding": "gzip"})
    feed = Feed(name="bomb", url=feed_server.url_for("/bomb.xml"), category="news")
    tracemalloc.start()
    try:
        report = collect_feeds(store, [feed], options=fast_options)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.failures == [("bomb", "response is over the 200000-byte limit once "
                                        "decompressed; discarded")]
    # Inflating it whole takes 100 MB (the compressed-size cap alone peaked at ~150 MB);
    # what remains is the client's own (its TLS context loads the CA bundle: ~10 MB).
    assert peak < 40_000_000


def test_a_gzip_bomb_as_the_kev_catalog_is_refused(feed_server: HTTPServer,
                                                   fast_options: FetchOptions) -> None:
    from radar.collect import fetch_document
    feed_server.expect_request("/kev.json").respond_with_data(
        gzip.compress(b" " * 50_000_000), headers={"Content-Encoding": "gzip"})
    with pytest.raises(FeedError, match="over the 200000-byte limit once decompressed"):
        fetch_document("kev", feed_server.url_for("/kev.json"), {}, options=fast_options)


@pytest.mark.parametrize("encoding", ["deflate", "bogus"])
def test_deflate_and_unknown_content_encodings(feed_server: HTTPServer, store: Store,
                                              fast_options: FetchOptions, encoding: str) -> None:
    import zlib
    body = fixture_bytes("rss20.xml")
    feed_server.expect_request("/feed.xml").respond_with_data(
        zlib.compress(body) if encoding == "deflate" else body, content_type=XML,
        headers={"Content-Encoding": encoding})
    feed = Feed(name="f", url=feed_server.url_for("/feed.xml"), category="news")
    assert collect_feeds(store, [feed], options=fast_options).outcomes == {"ok": 1}
    assert store.count_articles() > 0
