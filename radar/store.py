"""The SQLite store: the only module that imports sqlite_utils.

Schema is described as data and applied idempotently on open (`ensure_schema`), so any
version of the code can open any earlier database. WAL mode lets the app read while the
collector writes; each feed's articles and its new state are written in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

from radar.dedup import DedupItem
from radar.errors import NotFoundError, StoreError
from radar.models import Article, Feed, FeedState, FetchOutcome, Identity, KnownTrend, Trend
from radar.text import iso_utc, parse_iso_utc

TABLES: dict[str, dict] = {
    "feeds": {
        "columns": {
            "name": str, "url": str, "category": str, "weight": float, "enabled": int,
            "final_url": str, "etag": str, "last_modified": str, "body_hash": str,
            "consecutive_failures": int, "next_attempt_after": str, "last_fetch": str,
            "last_outcome": str, "last_status": int, "last_success": str, "last_error": str,
            "last_warning": str,
        },
        "pk": "name",
    },
    "articles": {
        "columns": {
            "id": str, "source": str, "site": str, "category": str, "title": str, "link": str,
            "canonical_link": str, "summary": str, "published": str, "published_flag": str,
            "fetched_at": str, "dup_of": str,
        },
        "pk": "id",
    },
    "trends": {
        "columns": {
            "id": str, "label": str, "user_label": str, "keywords": str, "entities": str,
            "terms": str, "quadrant": str, "quadrant_reason": str, "quadrant_override": str,
            "suggested_ring": str, "status": str, "score": float, "article_count": int,
            "story_count": int, "source_count": int, "first_seen": str, "last_seen": str,
            "weekly_counts": str, "why": str, "state": str, "merged_into": str,
            "parent_id": str, "created_as_of": str, "updated_as_of": str,
            "ring_shown": str, "ring_before": str,
        },
        "pk": "id",
    },
    "trend_members": {"columns": {"trend_id": str, "article_id": str},
                      "pk": ("trend_id", "article_id")},
    "decisions": {
        "columns": {"id": int, "trend_id": str, "ring": str, "previous_ring": str,
                    "note": str, "author": str, "decided_at": str, "internal": int},
        "pk": "id",
    },
    "trend_edits": {
        "columns": {"id": int, "trend_id": str, "action": str, "old": str, "new": str,
                    "note": str, "author": str, "at": str},
        "pk": "id",
    },
    "lineage": {
        "columns": {"id": int, "trend_id": str, "event": str, "related_id": str,
                    "as_of": str},
        "pk": "id",
    },
    "snapshots": {
        "columns": {"id": str, "name": str, "note": str, "created_at": str, "as_of": str,
                    "sharing": str, "payload": str},
        "pk": "id",
    },
    "analyses": {
        "columns": {"id": int, "as_of": str, "window_days": int, "stories": int,
                    "trends": int, "emerging": int, "seconds": float, "ran_at": str},
        "pk": "id",
    },
    "fetch_log": {
        "columns": {
            "id": int, "feed": str, "fetched_at": str, "outcome": str, "status": int,
            "duration_ms": int, "bytes": int, "new_items": int, "error": str,
        },
        "pk": "id",
    },
}
INDEXES: list[tuple[str, list[str], bool]] = [
    ("articles", ["canonical_link"], True),
    ("articles", ["published"], False),
    ("articles", ["source"], False),
    ("articles", ["dup_of"], False),
    ("fetch_log", ["feed", "fetched_at"], False),
    ("trend_members", ["article_id"], False),
    ("decisions", ["trend_id", "id"], False),
    ("lineage", ["trend_id"], False),
]
STATE_COLUMNS = ("etag", "last_modified", "body_hash", "consecutive_failures",
                 "next_attempt_after")


class Store:
    """A Trend Radar database file. Open one per thread (SQLite connections are not shared)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(self.path)
            self.db.execute("PRAGMA busy_timeout = 10000")
            self.db.enable_wal()
            ensure_schema(self.db)
        except (sqlite3.DatabaseError, OSError) as e:
            raise StoreError(f"{self.path}: cannot open database ({e})") from e

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def guarded(self) -> Iterator[Store]:
        """Report any SQLite failure inside the block as a StoreError naming the file
        (a database locked too long, a damaged or foreign file), for a clear message."""
        try:
            yield self
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: {e}") from e

    # --- feeds -----------------------------------------------------------------------------

    def sync_feeds(self, feeds: Iterable[Feed]) -> None:
        """Record the configured feeds, keeping each feed's collected state."""
        with self.db.atomic():
            for feed in feeds:
                self.db["feeds"].upsert(
                    {"name": feed.name, "url": feed.url, "category": feed.category,
                     "weight": feed.weight, "enabled": int(feed.enabled)},
                    pk="name",
                )

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
        with self.db.atomic():
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
                 "weight": feed.weight, "enabled": int(feed.enabled), **update},
                pk="name",
            )
            self.db["fetch_log"].insert(
                {"feed": feed.name, "fetched_at": outcome.fetched_at,
                 "outcome": outcome.outcome, "status": outcome.status,
                 "duration_ms": outcome.duration_ms, "bytes": outcome.nbytes,
                 "new_items": new_items, "error": outcome.error},
            )
        return new_items

    def load_feed_health(self) -> dict[str, dict]:
        """Per feed name: last fetch, status, success, error and stored article count."""
        counts = {
            row["source"]: row["n"]
            for row in self.db.query("select source, count(*) as n from articles group by source")
        }
        return {
            row["name"]: {**row, "articles": counts.get(row["name"], 0)}
            for row in self.db.query(
                "select name, url, final_url, category, last_fetch, last_outcome, last_status,"
                " last_success, last_error, last_warning, consecutive_failures,"
                " next_attempt_after from feeds"
            )
        }

    # --- articles --------------------------------------------------------------------------

    def save_articles(self, articles: Iterable[Article], *, batch_size: int = 2000) -> int:
        """Insert articles in batches (one transaction each); returns how many were new."""
        total = 0
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                with self.db.atomic():
                    total += self._insert_articles(batch)
                batch = []
        if batch:
            with self.db.atomic():
                total += self._insert_articles(batch)
        return total

    def _insert_articles(self, articles: Iterable[Article]) -> int:
        """INSERT OR IGNORE on both the id and the canonical link: nothing is stored twice."""
        rows = [asdict(a) for a in articles]
        if not rows:
            return 0
        # Counted, not taken from total_changes: the full-text triggers add changes too.
        before = self.count_articles()
        self.db["articles"].insert_all(rows, pk="id", ignore=True, batch_size=500)
        return self.count_articles() - before

    def count_articles(self) -> int:
        return self.db.execute("select count(*) from articles").fetchone()[0]

    # --- near-duplicate groups -------------------------------------------------------------

    def load_dedup_items(self, *, lookback: timedelta) -> list[DedupItem]:
        """Ungrouped articles plus the grouped ones they could match, in publication order."""
        start = self.db.execute(
            "select min(published) from articles where dup_of is null"
        ).fetchone()[0]
        if start is None:
            return []
        rows = self.db.execute(
            "select id, published, site, title, dup_of from articles"
            " where published >= strftime('%Y-%m-%dT%H:%M:%SZ', ?, ?)"
            " order by published, id",
            [start, f"-{int(lookback.total_seconds())} seconds"],
        )
        return [
            DedupItem(id=r[0], published=_utc(r[1]), site=r[2] or "", title=r[3] or "",
                      group=r[4])
            for r in rows
        ]

    def save_dedup_groups(self, groups: dict[str, str]) -> None:
        with self.db.atomic():
            self.db.conn.executemany(
                "update articles set dup_of = ? where id = ?",
                [(group, article_id) for article_id, group in groups.items()],
            )

    def duplicate_stats(self) -> dict[str, int]:
        """Articles, distinct stories, and stories told by more than one site."""
        articles, stories = self.db.execute(
            "select count(*), count(distinct coalesce(dup_of, id)) from articles"
        ).fetchone()
        multi = self.db.execute(
            "select count(*) from (select dup_of from articles where dup_of is not null"
            " group by dup_of having count(*) > 1)"
        ).fetchone()[0]
        return {"articles": articles, "stories": stories, "multi_site_stories": multi}


    # --- trends ----------------------------------------------------------------------------

    def load_window_articles(self, *, start: str, end: str) -> list[dict]:
        """Articles published in (start, end], oldest first: what one analysis may see."""
        return list(self.db.query(
            "select id, title, summary, published, site, source, link, dup_of from articles"
            " where published > ? and published <= ? order by published, id", [start, end]))

    def load_known_trends(self) -> list[KnownTrend]:
        members: dict[str, set[str]] = {}
        for trend_id, article_id in self.db.execute(
                "select trend_id, article_id from trend_members"):
            members.setdefault(trend_id, set()).add(article_id)
        rings = self.current_rings()
        return [
            KnownTrend(id=row["id"], members=frozenset(members.get(row["id"], ())),
                       terms=json.loads(row["terms"] or "{}"), state=row["state"] or "active",
                       merged_into=row["merged_into"], decided=rings.get(row["id"]) is not None,
                       created=row["created_as_of"] or "")
            for row in self.db.query("select id, terms, state, merged_into, created_as_of"
                                     " from trends order by id")
        ]

    def save_analysis(self, trends: list[Trend], identity: Identity, *, as_of: str,
                      window_days: int, stories: int, seconds: float) -> None:
        """Store one analysis in one transaction: trends, members, lineage, merges."""
        with self.db.atomic():
            existing = {row["id"]: row for row in self.db.query(
                "select id, state, parent_id, created_as_of, ring_shown from trends")}
            decided = self.current_rings()
            for trend in trends:
                before = existing.get(trend.id, {})
                state = "dismissed" if before.get("state") == "dismissed" else "active"
                self.db["trends"].upsert({
                    "id": trend.id, "label": trend.label, "keywords": json.dumps(trend.keywords),
                    "entities": json.dumps(trend.entities), "terms": json.dumps(trend.terms),
                    "quadrant": trend.quadrant, "quadrant_reason": trend.quadrant_reason,
                    "suggested_ring": trend.suggested_ring, "status": trend.status,
                    "score": trend.score, "article_count": trend.article_count,
                    "story_count": trend.story_count, "source_count": trend.source_count,
                    "first_seen": trend.first_seen, "last_seen": trend.last_seen,
                    "weekly_counts": json.dumps(trend.weekly_counts), "why": trend.why,
                    "state": state, "parent_id": trend.parent_id or before.get("parent_id"),
                    "created_as_of": before.get("created_as_of") or as_of,
                    "updated_as_of": as_of,
                    # The ring the radar showed at the last analysis, to mark moves.
                    "ring_before": before.get("ring_shown"),
                    "ring_shown": decided.get(trend.id) or trend.suggested_ring,
                }, pk="id")
                self.db.execute("delete from trend_members where trend_id = ?", [trend.id])
                self.db["trend_members"].insert_all(
                    [{"trend_id": trend.id, "article_id": a} for a in sorted(trend.members)],
                    pk=("trend_id", "article_id"))
            for absorbed, keeper in identity.merged.items():
                self.db.execute("update trends set state = 'merged', merged_into = ?,"
                                " status = 'dormant' where id = ?", [keeper, absorbed])
            for trend_id in identity.dormant:
                self.db.execute("update trends set state = 'dormant', status = 'dormant',"
                                " updated_as_of = ? where id = ? and state = 'active'",
                                [as_of, trend_id])
            self.db["lineage"].insert_all(
                [{"trend_id": e.trend_id, "event": e.event, "related_id": e.related_id,
                  "as_of": as_of} for e in identity.events], pk="id")
            self.db["analyses"].insert({
                "as_of": as_of, "window_days": window_days, "stories": stories,
                "trends": len(trends), "emerging": sum(t.status == "emerging" for t in trends),
                "seconds": round(seconds, 3), "ran_at": iso_utc(datetime.now(UTC))}, pk="id")

    def last_analysis(self) -> dict | None:
        rows = list(self.db.query("select * from analyses order by id desc limit 1"))
        return rows[0] if rows else None

    def load_trends(self, *, include_hidden: bool = False) -> list[dict]:
        """Trends for listing, with human edits applied: label, quadrant and decided ring.

        Dormant trends appear only when a person decided on them; dismissed and merged-away
        trends only with `include_hidden`. Aliases list the trends each one absorbed;
        `moved` says the ring changed since the analysis before the last one (a new
        suggestion, or a decision since).
        """
        rings = self.current_rings()
        aliases: dict[str, list[str]] = {}
        for row in self.db.query("select id, merged_into from trends where state = 'merged'"
                                 " order by id"):
            aliases.setdefault(row["merged_into"], []).append(row["id"])
        trends = []
        for row in self.db.query("select * from trends order by score desc, id"):
            ring = rings.get(row["id"])
            hidden = row["state"] in ("dismissed", "merged") or (
                row["state"] == "dormant" and ring is None)
            if hidden and not include_hidden:
                continue
            shown = ring or row["suggested_ring"]
            trends.append({
                **row, "label": row["user_label"] or row["label"], "auto_label": row["label"],
                "quadrant": row["quadrant_override"] or row["quadrant"],
                "ring": ring, "aliases": aliases.get(row["id"], []),
                "moved": (bool(row["ring_shown"]) and row["ring_shown"] != shown) or (
                    bool(row["ring_before"]) and row["ring_before"] != row["ring_shown"]),
                **{key: json.loads(row[key] or "[]") for key in
                   ("keywords", "entities", "weekly_counts")},
                "terms": json.loads(row["terms"] or "{}"),
            })
        return trends

    def load_trend_articles(self, trend_id: str) -> list[dict]:
        """A trend's member articles, newest first."""
        return list(self.db.query(
            "select a.title, a.link, a.source, a.site, a.published from trend_members m"
            " join articles a on a.id = m.article_id where m.trend_id = ?"
            " order by a.published desc, a.id", [trend_id]))

    def get_trend(self, trend_id: str) -> dict:
        rows = list(self.db.query("select * from trends where id = ?", [trend_id]))
        if not rows:
            raise NotFoundError(f"no trend with id {trend_id!r} (see `radar trends`)")
        return rows[0]

    def search_trend_ids(self, query: str) -> set[str]:
        """Trends whose label or keywords contain the query, or whose articles match it.

        The query is quoted token by token, so FTS syntax in it ("C++", "NOT", quotes)
        is searched for as text instead of failing.
        """
        words = query.strip()
        if not words:
            return set()
        like = f"%{words.lower()}%"
        found = {row[0] for row in self.db.execute(
            "select id from trends where lower(coalesce(user_label, label)) like ?"
            " or lower(keywords) like ?", [like, like])}
        quoted = self.db.quote_fts(words)
        if quoted:
            found |= {row[0] for row in self.db.execute(
                "select distinct m.trend_id from articles_fts f join articles a"
                " on a.rowid = f.rowid join trend_members m on m.article_id = a.id"
                " where articles_fts match ?", [quoted])}
        return found

    def data_version(self) -> tuple:
        """Changes whenever anything the app shows changes: a cheap cache key."""
        return tuple(self.db.execute(
            "select (select max(id) from analyses), (select max(id) from decisions),"
            " (select max(id) from trend_edits), (select max(id) from fetch_log),"
            " (select count(*) from articles)").fetchone())

    def new_trend_ids(self) -> set[str]:
        """Trends first found by the latest analysis (shown with a star on the radar)."""
        last = self.last_analysis()
        if last is None or self.db.execute("select count(*) from analyses").fetchone()[0] < 2:
            return set()
        return {row[0] for row in self.db.execute(
            "select id from trends where created_as_of = ? and state = 'active'",
            [last["as_of"]])}

    # --- human decisions and edits (append-only history) -----------------------------------

    def current_rings(self) -> dict[str, str | None]:
        """Each trend's latest decided ring (None once untagged)."""
        return {row[0]: row[1] for row in self.db.execute(
            "select trend_id, ring from decisions where id in"
            " (select max(id) from decisions group by trend_id)")}

    def record_decision(self, trend_id: str, ring: str | None, *, note: str, author: str,
                        at: str, internal: bool = False) -> str | None:
        """Append a decision (ring None = untag); returns the ring it replaces.

        An internal note stays in the radar but is left out of exports by default.
        """
        self.get_trend(trend_id)
        previous = self.current_rings().get(trend_id)
        with self.db.atomic():
            self.db["decisions"].insert({"trend_id": trend_id, "ring": ring,
                                         "previous_ring": previous, "note": note,
                                         "author": author, "decided_at": at,
                                         "internal": int(internal)}, pk="id")
        return previous

    def load_decisions(self) -> dict[str, list[dict]]:
        """Every trend's decisions, oldest first, as editions record them."""
        decisions: dict[str, list[dict]] = {}
        for row in self.db.query("select * from decisions order by id"):
            decisions.setdefault(row["trend_id"], []).append({
                "at": row["decided_at"], "author": row["author"], "old": row["previous_ring"],
                "new": row["ring"], "note": row["note"], "internal": bool(row["internal"])})
        return decisions

    # --- snapshots (immutable editions) ------------------------------------------------------

    def save_snapshot(self, snapshot_id: str, payload: str, *, name: str, note: str,
                      created_at: str, as_of: str, sharing: str) -> bool:
        """Keep an edition; False when the same content was already frozen (same id)."""
        with self.db.atomic():
            before = self.db.execute("select count(*) from snapshots").fetchone()[0]
            self.db["snapshots"].insert(
                {"id": snapshot_id, "name": name, "note": note, "created_at": created_at,
                 "as_of": as_of, "sharing": sharing, "payload": payload}, pk="id",
                ignore=True)
            return self.db.execute("select count(*) from snapshots").fetchone()[0] > before

    def list_snapshots(self) -> list[dict]:
        """Editions, newest first (by when they were stored; without their payload)."""
        return list(self.db.query("select id, name, note, created_at, as_of, sharing"
                                  " from snapshots order by rowid desc"))

    def load_snapshot_payload(self, snapshot_id: str) -> str:
        """An edition by id or unique id prefix."""
        rows = list(self.db.query("select id, payload from snapshots where id like ?",
                                  [f"{snapshot_id}%"]))
        if len(rows) != 1:
            what = "no" if not rows else "more than one"
            raise NotFoundError(f"{what} snapshot with id {snapshot_id!r}"
                                " (see `radar snapshot list`)")
        return rows[0]["payload"]

    def record_edit(self, trend_id: str, action: str, new: str | None, *, note: str,
                    author: str, at: str) -> None:
        """Rename, override the quadrant, dismiss or merge, with its history line."""
        trend = self.get_trend(trend_id)
        column = {"rename": "user_label", "quadrant": "quadrant_override",
                  "dismiss": "state", "merge": "merged_into"}[action]
        with self.db.atomic():
            if action == "merge":
                self.get_trend(new or "")
                self.db.execute("update trends set state = 'merged', merged_into = ?"
                                " where id = ?", [new, trend_id])
            else:
                self.db.execute(f"update trends set {column} = ? where id = ?",
                                [new, trend_id])
            self.db["trend_edits"].insert({"trend_id": trend_id, "action": action,
                                           "old": trend[column], "new": new, "note": note,
                                           "author": author, "at": at}, pk="id")

    def load_history(self, trend_id: str) -> list[dict]:
        """Decisions and edits of a trend, oldest first."""
        self.get_trend(trend_id)
        decisions = [{"at": r["decided_at"], "action": "tag" if r["ring"] else "untag",
                      "old": r["previous_ring"], "new": r["ring"], "note": r["note"],
                      "author": r["author"]}
                     for r in self.db.query("select * from decisions where trend_id = ?"
                                            " order by id", [trend_id])]
        edits = [{key: r[key] for key in ("at", "action", "old", "new", "note", "author")}
                 for r in self.db.query("select * from trend_edits where trend_id = ?"
                                        " order by id", [trend_id])]
        return sorted(decisions + edits, key=lambda entry: entry["at"])

    def load_lineage(self, trend_id: str) -> list[dict]:
        return list(self.db.query("select event, related_id, as_of from lineage"
                                  " where trend_id = ? or related_id = ? order by id",
                                  [trend_id, trend_id]))

    def copy_articles_to(self, other: Store) -> None:
        """Copy every article into another store (backtests replay on a scratch copy)."""
        with other.db.atomic():
            other.db["articles"].insert_all(self.db.query("select * from articles"),
                                            pk="id", ignore=True, batch_size=2000)


SCHEMA_VERSION = 4  # bump whenever TABLES, INDEXES or the triggers change


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create missing tables, columns and indexes; never drops or rewrites data.

    A database already at SCHEMA_VERSION is left alone: the app opens the store on every
    read, and checking every table each time would cost more than the read.
    """
    if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    for name, spec in TABLES.items():
        table = db[name]
        if not table.exists():
            table.create(spec["columns"], pk=spec["pk"])
            continue
        missing = {c: t for c, t in spec["columns"].items() if c not in table.columns_dict}
        for column, column_type in missing.items():
            table.add_column(column, column_type)
    for table_name, columns, unique in INDEXES:
        db[table_name].create_index(columns, unique=unique, if_not_exists=True)
    if not db["articles"].detect_fts():  # full-text search, kept in step by triggers
        db["articles"].enable_fts(["title", "summary"], fts_version="FTS5",
                                  create_triggers=True)
        # Re-index only when the indexed text changes: grouping near-duplicates updates
        # dup_of on every article, and the default trigger would re-index all of them.
        db.executescript(
            'DROP TRIGGER "articles_au";'
            'CREATE TRIGGER "articles_au" AFTER UPDATE OF "title", "summary" ON "articles"'
            ' BEGIN'
            ' INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "summary")'
            " VALUES('delete', old.rowid, old.\"title\", old.\"summary\");"
            ' INSERT INTO "articles_fts" (rowid, "title", "summary")'
            ' VALUES (new.rowid, new."title", new."summary");'
            ' END;')
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _utc(value: str) -> datetime:
    parsed = parse_iso_utc(value)
    if parsed is None:
        raise StoreError(f"stored time {value!r} is not ISO 8601")
    return parsed
