"""Feeds and articles in the store: per-feed state, fetch outcomes, articles, duplicates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields, replace
from datetime import timedelta
from itertools import chain, islice
from operator import attrgetter

from radar.errors import StoreError
from radar.models import Article, DedupItem, Feed, FeedState, FetchOutcome, Walk
from radar.store.sqlite import sqlite_utils
from radar.text import parse_iso_utc

ARTICLE_COLUMNS = tuple(f.name for f in fields(Article))
ARTICLE_ROW = attrgetter(*ARTICLE_COLUMNS)
INSERT_ARTICLE = (f"insert or ignore into articles ({', '.join(ARTICLE_COLUMNS)})"
                  f" values ({', '.join('?' * len(ARTICLE_COLUMNS))})")
FTS_INSERT_TRIGGER = "articles_ai"  # sqlite-utils' name for the full-text insert trigger
STATE_COLUMNS = ("etag", "last_modified", "body_hash", "consecutive_failures",
                 "next_attempt_after")


class ArticleStore:
    """The collector's half of the store (mixed into `Store`)."""

    db: sqlite_utils.Database

    # --- feeds ---------------------------------------------------------------------------

    def sync_feeds(self, feeds: Iterable[Feed]) -> None:
        """Record the configured feeds, keeping each feed's collected state."""
        with self.writing():
            for feed in feeds:
                self.db["feeds"].upsert(
                    {"name": feed.name, "url": feed.url, "category": feed.category,
                     "weight": feed.weight, "enabled": int(feed.enabled)}, pk="name")

    def load_feed_states(self) -> dict[str, FeedState]:
        rows = self.db.query(f"select name, {', '.join(STATE_COLUMNS)} from feeds")
        states = {}
        for row in rows:
            name = row.pop("name")
            states[name] = FeedState(**{**row, "consecutive_failures":
                                        row["consecutive_failures"] or 0})
        return states

    def save_fetch(self, outcome: FetchOutcome) -> int:
        """Store one feed's fetch: its new articles, state and log line, all or nothing.

        Returns the number of articles that were new. Because the ETag/body hash are saved
        in the same transaction as the articles, a run killed mid-feed leaves the old
        state, so the next run fetches and stores that feed again in full.
        """
        feed = outcome.feed
        with self.writing():
            new_items = self._insert_articles(outcome.articles)
            update = {
                **asdict(outcome.state),
                "last_fetch": outcome.fetched_at,
                "last_outcome": outcome.outcome,
                "last_status": outcome.status,
                "last_error": outcome.error,
                "last_warning": outcome.warning,
            }
            if outcome.final_url:
                update["final_url"] = outcome.final_url
            if outcome.outcome in ("ok", "not_modified"):
                update["last_success"] = outcome.fetched_at
            self.db["feeds"].upsert(
                {"name": feed.name, "url": feed.url, "category": feed.category,
                 "weight": feed.weight, "enabled": int(feed.enabled), **update}, pk="name")
            self.db["fetch_log"].insert(
                {"feed": feed.name, "fetched_at": outcome.fetched_at,
                 "outcome": outcome.outcome, "status": outcome.status,
                 "duration_ms": outcome.duration_ms, "bytes": outcome.nbytes,
                 "new_items": new_items, "error": outcome.error})
        return new_items

    def load_feed_health(self) -> dict[str, dict]:
        """Per feed name: last fetch, status, success, error and back-off state."""
        return {row["name"]: row for row in self.db.query(
            "select name, url, final_url, category, last_fetch, last_outcome, last_status,"
            " last_success, last_error, last_warning, consecutive_failures,"
            " next_attempt_after from feeds")}

    def count_articles_by_origin(self) -> list[tuple[str, str, str, int, str]]:
        """(source, site, feed url, articles, oldest published) for every origin stored:
        how many articles each configured feed has, collected or imported, and how far
        back they go, is worked out from these."""
        return [tuple(row) for row in self.db.execute(
            "select coalesce(source, ''), coalesce(site, ''), coalesce(feed_url, ''),"
            " count(*), coalesce(min(published), '') from articles group by 1, 2, 3")]

    # --- back-fill walks ------------------------------------------------------------------

    def load_walks(self) -> dict[str, Walk]:
        """Every feed's walk back through its older pages, by feed name."""
        return {row["feed"]: Walk(**row) for row in self.db["walks"].rows}

    def save_walk_page(self, walk: Walk, articles: Iterable[Article]) -> Walk:
        """Store one page's articles and the walk's progress, all or nothing; returns the
        walk with the page's new articles counted.

        Saved together, a run killed between pages resumes at the page after the last one
        stored, and a run killed inside a page reads that page again.
        """
        with self.writing():
            walk = replace(walk, new_articles=walk.new_articles + self._insert_articles(articles))
            self.db["walks"].upsert(asdict(walk), pk="feed")
        return walk

    # --- articles ------------------------------------------------------------------------

    def save_articles(self, articles: Iterable[Article], *, batch_size: int = 10_000) -> int:
        """Insert articles in batches (one transaction each); returns how many were new.

        Made for many articles at once (an archive): each article goes in as it comes,
        while later ones are still being parsed, and each batch is full-text indexed in
        one pass after its rows are in, rather than row by row by the trigger. A batch's
        transaction is open while its articles are parsed (a few tenths of a second): a
        collect writing meanwhile waits that long, well inside the busy timeout.
        """
        total = 0
        pending = iter(articles)
        # Ids and links are random keys: a page cache of 64 MiB keeps their index inserts
        # in memory (a quarter faster for an archive); it lasts for this connection.
        self.db.execute("PRAGMA cache_size = -65536")
        while (first := next(pending, None)) is not None:
            with self.writing():
                total += self._insert_articles(
                    chain([first], islice(pending, batch_size - 1)), index_after=True)
        return total

    def _insert_articles(self, articles: Iterable[Article], *, index_after: bool = False) -> int:
        """INSERT OR IGNORE on both the id and the canonical link: nothing is stored twice.

        With `index_after`, the full-text trigger is set aside inside the transaction and
        the new rows are indexed with one statement (three times faster for thousands).
        Must run inside `writing()`: new rows are the ones past the largest rowid before.
        """
        conn = self.db.conn
        last = conn.execute("select coalesce(max(rowid), 0) from articles").fetchone()[0]
        trigger = conn.execute("select sql from sqlite_master where type = 'trigger'"
                               " and name = ?", [FTS_INSERT_TRIGGER]).fetchone()
        if index_after and trigger:
            conn.execute(f'drop trigger "{FTS_INSERT_TRIGGER}"')
        conn.executemany(INSERT_ARTICLE, map(ARTICLE_ROW, articles))  # as they come
        if index_after and trigger:
            conn.execute('insert into "articles_fts" (rowid, "title", "summary")'
                         ' select rowid, "title", "summary" from articles where rowid > ?',
                         [last])
            conn.execute(trigger[0])
        # Counted, not taken from total_changes: the full-text triggers add changes too.
        return conn.execute("select count(*) from articles where rowid > ?",
                            [last]).fetchone()[0]

    def count_articles(self) -> int:
        return self.db.execute("select count(*) from articles").fetchone()[0]

    def newest_published(self, *, before: str) -> str | None:
        """The publication time of the newest article up to `before` that its feed dated
        (None when there is none): an undated item stamped with its fetch time is no sign
        that the data is fresh."""
        return self.db.execute("select max(published) from articles where published <= ?"
                               " and coalesce(published_flag, '') = ''", [before]).fetchone()[0]

    def count_dated(self, *, start: str, end: str) -> int:
        """Articles their feeds dated in (start, end]."""
        return self.db.execute("select count(*) from articles where published > ? and"
                               " published <= ? and coalesce(published_flag, '') = ''",
                               [start, end]).fetchone()[0]

    def load_window_articles(self, *, start: str, end: str) -> list[dict]:
        """Articles published in (start, end], oldest first: what one analysis may see."""
        return list(self.db.query(
            "select id, title, summary, published, site, source, link, dup_of from articles"
            " where published > ? and published <= ? order by published, id", [start, end]))

    def copy_articles_to(self, other: ArticleStore) -> None:
        """Copy every article into another store (backtests replay on a scratch copy)."""
        with other.db.atomic():
            other.db["articles"].insert_all(self.db.query("select * from articles"),
                                            pk="id", ignore=True, batch_size=2000)

    # --- near-duplicate groups -----------------------------------------------------------

    def load_dedup_items(self, *, lookback: timedelta) -> list[DedupItem]:
        """Ungrouped articles plus the grouped ones they could match, in publication order."""
        start = self.db.execute(
            "select min(published) from articles where dup_of is null").fetchone()[0]
        if start is None:
            return []
        rows = self.db.execute(
            "select id, published, site, title, dup_of from articles"
            " where published >= strftime('%Y-%m-%dT%H:%M:%SZ', ?, ?)"
            " order by published, id",
            [start, f"-{int(lookback.total_seconds())} seconds"])
        return [DedupItem(id=r[0], published=_utc(r[1]), site=r[2] or "", title=r[3] or "",
                          group=r[4]) for r in rows]

    def save_dedup_groups(self, groups: dict[str, str]) -> None:
        """Store each grouped article's group. Must run inside the `writing()` that loaded
        the items: every article ungrouped then is in `groups`, so the many starting a
        group of their own are marked in one statement (twice as fast for an archive)."""
        with self.writing():
            self.db.conn.executemany(
                "update articles set dup_of = ? where id = ?",
                [(group, article_id) for article_id, group in groups.items()
                 if group != article_id])
            self.db.conn.execute("update articles set dup_of = id where dup_of is null")

    def duplicate_stats(self) -> dict[str, int]:
        """Articles, distinct stories, and stories told by more than one site."""
        articles, stories = self.db.execute(
            "select count(*), count(distinct coalesce(dup_of, id)) from articles").fetchone()
        multi = self.db.execute(
            "select count(*) from (select dup_of from articles where dup_of is not null"
            " group by dup_of having count(*) > 1)").fetchone()[0]
        return {"articles": articles, "stories": stories, "multi_site_stories": multi}


def _utc(value: str):
    parsed = parse_iso_utc(value)
    if parsed is None:
        raise StoreError(f"stored time {value!r} is not ISO 8601")
    return parsed
