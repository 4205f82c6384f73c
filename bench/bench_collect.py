"""Benchmark: `radar collect` vs a naive feedparser.parse(url) loop, same feeds, same run.

Serves a few hundred RSS feeds built from ../shared/corpus on loopback, each on its own
127.0.0.N address (so per-host politeness applies as it would on the internet), with a
simulated server latency. Prints wall time, articles/s, peak memory and the ratio.

    .venv/bin/python -m bench.bench_collect [--feeds 300] [--latency 0.15]
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import threading
import time
from collections import defaultdict
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from bench._common import load_corpus, run_measured
from radar.text import parse_iso_utc


def build_feeds(items: list[dict], count: int, per_feed: int) -> list[tuple[str, bytes]]:
    """RSS 2.0 documents, one per corpus source, newest `per_feed` items each."""
    by_source: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_source[item["source"]].append(item)
    biggest = sorted(by_source, key=lambda s: -len(by_source[s]))[:count]
    feeds = []
    for source in biggest:
        entries = sorted(by_source[source], key=lambda i: i["published"])[-per_feed:]
        body = "".join(
            f"<item><title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
            f"<pubDate>{format_datetime(parse_iso_utc(i['published']))}</pubDate>"
            f"<description>{escape(i.get('summary') or '')}</description></item>"
            for i in entries
        )
        xml = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
               f"<title>{escape(source)}</title><link>https://example.test/</link>"
               f"{body}</channel></rss>")
        feeds.append((source, xml.encode("utf-8")))
    return feeds


def start_servers(feeds: list[tuple[str, bytes]], latency: float) -> list[str]:
    """One loopback server per feed on 127.0.0.2, .3, ...; returns the feed URLs."""
    urls = []
    for n, (_, body) in enumerate(feeds):
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'

        class Handler(BaseHTTPRequestHandler):
            payload, tag = body, etag

            def do_GET(self) -> None:
                time.sleep(latency)
                if self.headers.get("If-None-Match") == self.tag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(self.payload)))
                self.send_header("ETag", self.tag)
                self.end_headers()
                self.wfile.write(self.payload)

            def log_message(self, *args: object) -> None:
                pass

        host = f"127.0.{(n + 2) // 250}.{(n + 2) % 250 + 1}"
        server = ThreadingHTTPServer((host, 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        urls.append(f"http://{host}:{server.server_address[1]}/feed.xml")
    return urls


NAIVE = """
import feedparser, sys
total = 0
for url in open(sys.argv[1]).read().split():
    total += len(feedparser.parse(url).entries)
print(total)
"""

RADAR = """
import sys
from radar.cli import cli
sys.argv = ["radar", "collect", "--quiet", "--db", sys.argv[1], "--feeds", sys.argv[2]]
cli()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--per-feed", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.15,
                        help="seconds each server waits before answering")
    args = parser.parse_args()

    feeds = build_feeds(load_corpus(), args.feeds, args.per_feed)
    urls = start_servers(feeds, args.latency)
    entries = sum(body.count(b"<item>") for _, body in feeds)
    work = Path(tempfile.mkdtemp(prefix="radar-bench-"))
    (work / "urls.txt").write_text("\n".join(urls))
    listed = [{"name": name, "url": url, "category": "news"}
              for (name, _), url in zip(feeds, urls, strict=True)]
    # The feeds are served on loopback, which the collector refuses unless allowed.
    (work / "feeds.yaml").write_text(yaml.safe_dump(
        {"settings": {"allow_private_networks": True}, "feeds": listed}, sort_keys=False))
    print(f"{len(feeds)} feeds, {entries} entries, {args.latency * 1000:.0f} ms server latency")

    naive_s, naive_mb, naive_out = run_measured(NAIVE, str(work / "urls.txt"))
    radar_s, radar_mb, radar_out = run_measured(RADAR, str(work / "radar.db"),
                                                str(work / "feeds.yaml"))
    again_s, again_mb, _ = run_measured(RADAR, str(work / "radar.db"), str(work / "feeds.yaml"))
    stored = [line for line in radar_out.splitlines() if "new articles" in line]
    print(f"\n{'':34}{'wall s':>8}{'articles/s':>12}{'peak MiB':>10}")
    print(f"{'naive feedparser.parse(url) loop':34}{naive_s:8.1f}{entries / naive_s:12.0f}"
          f"{naive_mb:10}")
    print(f"{'radar collect (first run)':34}{radar_s:8.1f}{entries / radar_s:12.0f}{radar_mb:10}")
    print(f"{'radar collect (again, 304s)':34}{again_s:8.1f}{'-':>12}{again_mb:10}")
    summary = stored[0].strip() if stored else "?"
    print(f"\nnaive parsed {naive_out.strip()} entries; radar: {summary}"
          " (parses, cleans, stores in SQLite and groups duplicates)")
    print(f"speed-up, first run: {naive_s / radar_s:.1f}x; unchanged re-run: "
          f"{naive_s / again_s:.1f}x")


if __name__ == "__main__":
    main()
