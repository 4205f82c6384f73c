"""How feeds are doing (pure): one row per configured feed for the CLI's `radar feeds` and
the app's Feeds page, and a collect run's failures summed up by cause with the next step."""

from __future__ import annotations

import re
from collections.abc import Sequence

from radar.models import Feed
from radar.text import canonical_url, plural, site_of

Origin = tuple[str, str, str, int, str]   # source, site, feed url, articles, oldest published


def feed_rows(configured: Sequence[Feed], health: dict[str, dict],
              origins: Sequence[Origin] = ()) -> list[dict]:
    """name, url, category, status, last_status, last_success, next_try, articles,
    history_from, error per feed. Values never recorded are None (shown as "never" or
    "—")."""
    rows = []
    stored = stored_history(configured, health, origins)
    for feed in configured:
        seen = health.get(feed.name, {})
        status = seen.get("last_outcome") or "never fetched"
        count, oldest = stored[feed.name]
        rows.append({
            "name": feed.name, "url": feed.url, "category": feed.category,
            "status": status if feed.enabled else "disabled",
            "last_status": seen.get("last_status"),
            "last_success": seen.get("last_success"),
            "next_try": seen.get("next_attempt_after"),
            "articles": count,
            "history_from": oldest[:10] or None,
            "error": seen.get("last_error") or seen.get("last_warning"),
        })
    return rows


def stored_history(configured: Sequence[Feed], health: dict[str, dict],
                   origins: Sequence[Origin]) -> dict[str, tuple[int, str]]:
    """Every stored article of each feed, collected, back-filled or imported, and the
    oldest one's date ('' when none): its own (by the feed's name), then an archive's by
    feed url, else by site (the feed's `site`, or its host)."""
    urls = {_bare(url): feed.name for feed in configured
            for url in (feed.url, health.get(feed.name, {}).get("final_url")) if url}
    sites: dict[str, list[str]] = {}
    for feed in configured:
        for site in {feed.site or site_of(feed.url),
                     site_of(health.get(feed.name, {}).get("final_url"))} - {""}:
            sites.setdefault(site, []).append(feed.name)
    names = {feed.name for feed in configured}
    found = dict.fromkeys(names, (0, ""))

    def add(name: str, count: int, oldest: str) -> None:
        before, earliest = found[name]
        found[name] = (before + count, min(d for d in (earliest, oldest) if d)
                       if earliest or oldest else "")

    for source, site, feed_url, count, oldest in origins:
        if source in names:
            add(source, count, oldest)
        elif _bare(feed_url) in urls:
            add(urls[_bare(feed_url)], count, oldest)
        else:
            for name in sites.get(site, ()):
                add(name, count, oldest)
    return found


def _bare(url: str | None) -> str:
    """A feed url compared without scheme, www. or a trailing slash."""
    return (canonical_url(url) or "").removeprefix("https://")


# Why feeds failed, grouped so a run reads as a few lines, not sixty: (cause, pattern in
# the stored error, what it usually means).
CAUSES = (
    ("refused: internal address", r"^refused: ", "a private, local or metadata address: "
     "set allow_private_networks in feeds.yaml for intranet feeds"),
    ("name resolution failed", r"name or service not known|nodename nor servname|name "
     r"resolution|getaddrinfo|no address associated", "this machine may be offline"),
    ("network unreachable", r"network is unreachable|no route to host",
     "this machine may be offline"),
    ("connection refused", r"connection refused|all connection attempts failed",
     "the server is down or blocks us"),
    ("timed out", r"timed out", "the server is slow or blocks us"),
    ("TLS or certificate error", r"ssl|certificate|tls", "a proxy or the server's certificate"),
    ("gone (HTTP 404/410)", r"^http 40[4]|^http 410", "the feed moved: check its url"),
    ("refused (HTTP 401/403)", r"^http 40[13]", "the site refuses our requests"),
    ("asked to slow down (HTTP 429)", r"^http 429", "we back off as asked"),
    ("server error (HTTP 5xx)", r"^http 5", "the site has trouble; we back off"),
    ("not a feed", r"not an rss or atom|none with a title",
     "the url serves a page, not a feed"),
    ("too large", r"byte limit", "the body is over the size limit"),
)
OFFLINE = ("name resolution failed", "network unreachable")
UNREACHABLE = (*OFFLINE, "connection refused", "timed out")


def failure_causes(failures: Sequence[tuple[str, str]]) -> list[tuple[str, list[str], str]]:
    """(cause, feed names, what it means) for every cause seen, most feeds first."""
    grouped: dict[str, list[str]] = {}
    hints = {cause: hint for cause, _, hint in CAUSES}
    for name, error in failures:
        lowered = error.lower()
        cause = next((c for c, pattern, _ in CAUSES if re.search(pattern, lowered)), "other")
        grouped.setdefault(cause, []).append(name)
    return sorted(((cause, sorted(names), hints.get(cause, "see `radar feeds`"))
                   for cause, names in grouped.items()), key=lambda g: (-len(g[1]), g[0]))


NAMED_UP_TO = 3   # a cause with this many feeds or fewer names them, with their error


def failure_lines(failures: Sequence[tuple[str, str]]) -> list[str]:
    """One line per cause: "63 feeds unreachable: name resolution failed — this machine
    may be offline"; a cause of few feeds names them ("1 feed failed: Example Blog
    (TLS or certificate error …)"), and a cause we cannot tell says the error."""
    errors = dict(failures)
    lines = []
    for cause, names, hint in failure_causes(failures):
        head = f"{plural(len(names), 'feed')} {'unreachable' if cause in UNREACHABLE else 'failed'}"
        if cause == "other" and len(names) <= NAMED_UP_TO:
            lines.append(f"{head}: " + "; ".join(f"{n} ({errors[n][:120]})" for n in names))
            continue
        named = f" ({', '.join(names)})" if len(names) <= NAMED_UP_TO else ""
        lines.append(f"{head}: {cause} — {hint}{named}")
    return lines


def next_step(*, succeeded: int, failures: Sequence[tuple[str, str]], skipped: int,
              stored: int) -> str | None:
    """What to do after a collect that got nothing, in one line (None when it went well)."""
    if succeeded:
        return None
    causes = {cause for cause, _, _ in failure_causes(failures)}
    if failures and causes <= set(OFFLINE):
        start = ("Nothing is stored yet: start with history from an archive, "
                 "`radar import ARCHIVE.jsonl.gz`, and collect again when online."
                 if not stored else "The stored articles and the radar are unchanged; "
                 "collect again when online.")
        return f"This machine seems to be offline. {start}"
    if skipped and not failures:
        return ("Every feed is backing off after earlier failures; `radar collect "
                "--ignore-backoff` fetches them anyway.")
    if failures:
        return "See `radar feeds` for each feed's last error, and check feeds.yaml."
    return None
