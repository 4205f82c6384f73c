"""No internal fetches: the collector, back-fill and KEV download refuse private, local and
metadata addresses (checked after resolution, on every hop), unless intranet feeds are
allowed; metadata addresses are refused even then."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from radar.collect import FetchOptions, backfill_feeds, collect_feeds, fetch_document
from radar.collect.guard import ALLOW_ENV, GuardedTransport, RefusedAddress, refusal
from radar.config import parse_settings
from radar.errors import FeedError
from radar.health import failure_lines
from radar.models import Feed
from radar.store import Store
from tests.paged import NOW, rss_page, xml

from .conftest import serve

PRIVATE = "is a private or local address (set allow_private_networks to fetch intranet feeds)"


@pytest.fixture
def no_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_ENV, raising=False)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "0.0.0.0",
    "240.0.0.1", "::1", "::", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
    "2002:7f00:1::", "64:ff9b::a00:1"])
def test_private_local_and_reserved_addresses_are_refused_unless_allowed(address: str) -> None:
    assert PRIVATE in refusal(address, allow_private=False)
    assert refusal(address, allow_private=True) is None


@pytest.mark.parametrize("address", [
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192",
    "169.254.1.1", "fe80::1", "::ffff:169.254.169.254", "224.0.0.1", "ff02::1"])
def test_metadata_link_local_and_multicast_are_refused_even_when_allowed(address: str) -> None:
    assert refusal(address, allow_private=False)
    assert refusal(address, allow_private=True)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946",
                                     "::ffff:93.184.216.34"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(address, allow_private=False) is None


def test_the_setting_is_read_from_feeds_yaml() -> None:
    import yaml
    node = yaml.compose("allow_private_networks: true\n")
    assert parse_settings(node, source="feeds.yaml").allow_private_networks is True
    assert parse_settings(yaml.compose("min_stories: 3\n"), source="f").allow_private_networks \
        is False


# --- the transport: resolve, check every address, connect to the checked one ----------------


def guarded_get(url: str, resolved: list[str], *, allow_private: bool):
    """GET through `GuardedTransport` with a fake resolver; returns what reached the wire."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, text="ok")

    async def resolver(host: str, port: int) -> list[str]:
        return resolved

    async def get():
        transport = GuardedTransport(lambda: httpx.MockTransport(answer),
                                     allow_private=allow_private, resolver=resolver)
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.get(url)

    return asyncio.run(get()), sent


def test_connection_goes_to_the_checked_address_with_the_host_name_kept() -> None:
    response, sent = guarded_get("https://intranet.test/feed.xml", ["10.0.0.7"],
                                 allow_private=True)
    assert response.status_code == 200
    assert str(response.url) == "https://intranet.test/feed.xml"
    assert [(r.url.host, r.headers["host"], r.extensions["sni_hostname"]) for r in sent] == [
        ("10.0.0.7", "intranet.test", "intranet.test")]


def test_a_name_resolving_to_any_internal_address_is_refused() -> None:
    with pytest.raises(RefusedAddress, match=r"refused: feeds\.test: 10\.0\.0\.7 is a private"):
        guarded_get("http://feeds.test/", ["93.184.216.34", "10.0.0.7"], allow_private=False)


def test_ipv6_addresses_are_connected_to_in_brackets() -> None:
    _, sent = guarded_get("http://v6.test/", ["2606:2800:220:1:248:1893:25c8:1946"],
                                 allow_private=False)
    assert sent[0].url.netloc == b"[2606:2800:220:1:248:1893:25c8:1946]"


# --- end to end with a real local server -------------------------------------------------------


def test_without_the_setting_a_feed_on_127_0_0_1_is_not_requested_and_reported_refused(
        no_setting: None, feed_server: HTTPServer, store: Store,
        fast_options: FetchOptions) -> None:
    feed = serve(feed_server, "/internal", "rss20.xml")
    local = Feed(name="by name", url=f"http://localhost:{feed_server.port}/internal",
                 category="news")
    report = collect_feeds(store, [feed, local], options=fast_options)
    assert feed_server.log == []
    assert dict(report.failures) == {
        "internal": f"refused: 127.0.0.1 {PRIVATE}",
        "by name": f"refused: localhost: 127.0.0.1 {PRIVATE}"}
    assert store.load_feed_health()["internal"]["last_error"] == f"refused: 127.0.0.1 {PRIVATE}"
    assert store.count_articles() == 0
    assert failure_lines(report.failures)[0].startswith("2 feeds failed: refused: internal "
                                                        "address")


def test_with_the_setting_a_local_feed_is_collected_but_a_redirect_to_metadata_refused(
        feed_server: HTTPServer, store: Store, fast_options: FetchOptions) -> None:
    good = serve(feed_server, "/intranet", "rss20.xml")
    feed_server.expect_request("/moved").respond_with_response(
        Response(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}))
    moved = Feed(name="moved", url=feed_server.url_for("/moved"), category="news")
    report = collect_feeds(store, [good, moved], options=fast_options)
    assert report.outcomes["ok"] == 1 and store.count_articles() > 0
    assert dict(report.failures) == {"moved": "refused: 169.254.169.254 is a cloud metadata "
                                              "or link-local address (never fetched)"}


def test_the_feeds_yaml_setting_allows_a_local_feed(
        no_setting: None, feed_server: HTTPServer, store: Store,
        fast_options: FetchOptions) -> None:
    from dataclasses import replace
    feed = serve(feed_server, "/intranet", "rss20.xml")
    report = collect_feeds(store, [feed],
                           options=replace(fast_options, allow_private_networks=True))
    assert report.outcomes["ok"] == 1


def test_a_backfill_link_to_an_internal_host_is_refused(
        feed_server: HTTPServer, store: Store, fast_options: FetchOptions) -> None:
    feed_server.expect_request("/feed.xml").respond_with_response(
        xml(rss_page(0, links={"prev-archive": "http://169.254.169.254/archive.xml"})))
    feed = Feed(name="blog", url=feed_server.url_for("/feed.xml"), category="news")
    report = backfill_feeds(store, [feed], cutoff=NOW - timedelta(days=60),
                            options=fast_options, now=lambda: NOW)
    walk = report.walks[0]
    assert walk.pages == 1 and walk.new_articles > 0
    assert walk.problem == ("page 2: refused: 169.254.169.254 is a cloud metadata or "
                            "link-local address (never fetched)")
    assert len(feed_server.log) == 1


def test_the_kev_download_is_refused_on_an_internal_address(
        no_setting: None, feed_server: HTTPServer) -> None:
    feed_server.expect_request("/kev.json").respond_with_json({"vulnerabilities": []})
    with pytest.raises(FeedError, match=re.escape(f"refused: 127.0.0.1 {PRIVATE}")):
        fetch_document("kev", feed_server.url_for("/kev.json"), {})
    assert feed_server.log == []


def test_each_host_name_has_its_own_pool_even_on_one_address() -> None:
    """Two feeds behind one CDN address: a TLS connection made for one name must not carry
    the other's request, so each name gets its own transport."""
    made: list[httpx.MockTransport] = []

    def connect() -> httpx.MockTransport:
        made.append(httpx.MockTransport(lambda request: httpx.Response(200)))
        return made[-1]

    async def resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]

    async def get_all():
        transport = GuardedTransport(connect, allow_private=False, resolver=resolver)
        async with httpx.AsyncClient(transport=transport) as client:
            for url in ("https://a.test/1", "https://b.test/1", "https://a.test/2"):
                await client.get(url)

    asyncio.run(get_all())
    assert len(made) == 2
