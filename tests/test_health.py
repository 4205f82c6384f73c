"""Feed health: every stored article counted for its feed, failures read by cause."""

from __future__ import annotations

from radar.health import failure_lines, feed_rows, next_step
from radar.models import Feed

FEEDS = [Feed("The Hacker News", "https://feeds.feedburner.com/TheHackersNews", "news",
              site="thehackernews.com"),
         Feed("Infosecurity Magazine", "https://www.infosecurity-magazine.com/rss/news/",
              "news"),
         Feed("Quiet", "https://quiet.example.test/feed", "news")]
ORIGINS = [
    ("The Hacker News", "thehackernews.com", FEEDS[0].url, 10,
     "2026-08-01T10:00:00Z"),                                            # collected
    ("The Hacker News Blog", "thehackernews.com",
     "https://thehackernews.com/feeds/posts/default", 500,
     "2023-10-05T15:30:45Z"),                                            # imported
    ("Infosecurity Magazine News", "infosecurity-magazine.com",
     "https://infosecurity-magazine.com/rss/news", 300, "2024-02-01T00:00:00Z"),  # by url
    ("Infosec blog", "infosecurity-magazine.com", "", 7, "2025-01-01T00:00:00Z"),  # by site
    ("Elsewhere", "other.example.test", "", 99, "2020-01-01T00:00:00Z"),
]


def test_every_stored_article_counts_for_its_feed_collected_or_imported() -> None:
    rows = {r["name"]: r for r in feed_rows(FEEDS, {}, ORIGINS)}
    assert rows["The Hacker News"]["articles"] == 510
    assert rows["Infosecurity Magazine"]["articles"] == 307
    assert rows["Quiet"]["articles"] == 0


def test_history_goes_back_to_the_oldest_stored_article_imported_ones_too() -> None:
    rows = {r["name"]: r for r in feed_rows(FEEDS, {}, ORIGINS)}
    assert rows["The Hacker News"]["history_from"] == "2023-10-05"
    assert rows["Infosecurity Magazine"]["history_from"] == "2024-02-01"
    assert rows["Quiet"]["history_from"] is None


def test_values_never_recorded_are_none_and_disabled_feeds_say_so() -> None:
    disabled = Feed("Off", "https://off.example.test/feed", "news", enabled=False)
    rows = feed_rows([FEEDS[2], disabled], {})
    assert [r["status"] for r in rows] == ["never fetched", "disabled"]
    assert rows[0]["last_success"] is None and rows[0]["next_try"] is None


OFFLINE = [(f"Feed {n}", "ConnectError: [Errno -2] Name or service not known")
           for n in range(63)]


def test_failures_are_summed_up_by_cause() -> None:
    lines = failure_lines([*OFFLINE, ("Gone", "HTTP 404"), ("Page", "not an RSS or Atom "
                                                            "feed (text/html)")])
    assert lines[0] == ("63 feeds unreachable: name resolution failed — this machine may be "
                        "offline")
    assert "1 feed failed: gone (HTTP 404/410) — the feed moved: check its url (Gone)" in lines
    assert any(line.startswith("1 feed failed: not a feed") for line in lines)
    assert len(lines[0]) < 100   # 63 feeds are counted, not named


def test_a_failure_of_an_unknown_kind_names_the_feed_and_its_error() -> None:
    assert failure_lines([("Example Blog", "RemoteProtocolError: peer closed connection")]) == [
        "1 feed failed: Example Blog (RemoteProtocolError: peer closed connection)"]


def test_the_next_step_after_a_run_that_got_nothing() -> None:
    empty = next_step(succeeded=0, failures=OFFLINE, skipped=0, stored=0)
    assert empty.startswith("This machine seems to be offline.") and "radar import" in empty
    stored = next_step(succeeded=0, failures=OFFLINE, skipped=0, stored=44_000)
    assert "unchanged" in stored
    assert "--ignore-backoff" in next_step(succeeded=0, failures=[], skipped=5, stored=10)
    assert next_step(succeeded=3, failures=OFFLINE, skipped=0, stored=10) is None
