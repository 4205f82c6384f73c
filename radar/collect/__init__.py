"""The collector: the only package that talks HTTP (httpx) and parses feeds (feedparser).

`collect_feeds` (run.py) fetches every feed concurrently (bounded, polite per host,
`fetch.py`), parses each body (`parse.py`, pure, tested on bytes), and hands every feed's
outcome to the store as one transaction. `backfill_feeds` (backfill.py) walks older pages
of the feeds that offer them, to start a radar with history; `fetch_document`
(documents.py) fetches one other document (CISA's KEV catalog) the same polite way.
"""

from radar.collect.backfill import BackfillReport, backfill_feeds
from radar.collect.documents import KEV_URL, Document, check_document, fetch_document
from radar.collect.fetch import USER_AGENT, FetchOptions, Response
from radar.collect.parse import ParsedFeed, entry_to_article, parse_feed
from radar.collect.run import (
    CollectReport,
    backed_off,
    collect_feeds,
    parse_retry_after,
    settle_fetch,
)

__all__ = ["KEV_URL", "USER_AGENT", "BackfillReport", "CollectReport", "Document",
           "FetchOptions", "ParsedFeed", "Response", "backed_off", "backfill_feeds",
           "check_document", "collect_feeds", "entry_to_article", "fetch_document", "parse_feed",
           "parse_retry_after", "settle_fetch"]
