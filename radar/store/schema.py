"""The database shape, described as data and applied idempotently on open.

Any version of the code can open any earlier database: missing tables, columns, indexes
and triggers are added, nothing is dropped or rewritten.
"""

from __future__ import annotations

from radar.store.sqlite import sqlite_utils


def _table(pk: str | tuple[str, ...], **columns: type) -> dict:
    """A table: its columns in order (name=type) and its primary key."""
    return {"columns": columns, "pk": pk}


def _log(**columns: type) -> dict:
    """An append-only table: its rows numbered in the order they were written."""
    return _table("id", id=int, **columns)


TABLES: dict[str, dict] = {
    "feeds": _table("name", name=str, url=str, category=str, weight=float, enabled=int,
                    final_url=str, etag=str, last_modified=str, body_hash=str,
                    consecutive_failures=int, next_attempt_after=str, last_fetch=str,
                    last_outcome=str, last_status=int, last_success=str, last_error=str,
                    last_warning=str),
    "articles": _table("id", id=str, source=str, site=str, category=str, title=str, link=str,
                       canonical_link=str, summary=str, published=str, published_flag=str,
                       fetched_at=str, dup_of=str, feed_url=str, backfilled=int),
    "trends": _table("id", id=str, label=str, user_label=str, keywords=str, entities=str,
                     terms=str, quadrant=str, quadrant_reason=str, quadrant_override=str,
                     suggested_ring=str, status=str, score=float, article_count=int,
                     story_count=int, source_count=int, first_seen=str, last_seen=str,
                     weekly_counts=str, why=str, state=str, merged_into=str, parent_id=str,
                     created_as_of=str, updated_as_of=str, ring_shown=str, ring_before=str,
                     kind=str, theme_id=str, perennial=int),
    "trend_members": _table(("trend_id", "article_id"), trend_id=str, article_id=str),
    "decisions": _log(trend_id=str, ring=str, previous_ring=str, note=str, author=str,
                      decided_at=str, internal=int),
    "trend_edits": _log(trend_id=str, action=str, old=str, new=str, note=str, author=str,
                        at=str),
    "lineage": _log(trend_id=str, event=str, related_id=str, as_of=str),
    "snapshots": _table("id", id=str, name=str, note=str, created_at=str, as_of=str,
                        sharing=str, payload=str),
    "analyses": _log(as_of=str, window_days=int, stories=int, trends=int, emerging=int,
                     seconds=float, ran_at=str, replayed=int),
    # Every trend flagged emerging or rising by an analysis: when each was first flagged.
    "flags": _table(("analysis_id", "trend_id"), analysis_id=int, trend_id=str, as_of=str,
                    status=str, source_count=int),
    "radar_blips": _table(("analysis_id", "trend_id"), analysis_id=int, trend_id=str),
    "walks": _table("feed", feed=str, cutoff=str, paging=str, next_url=str, pages=int,
                    new_articles=int, oldest=str, stopped=str, problem=str),
    "initiatives": _table("id", id=str, name=str, owner=str, target=str, description=str,
                          keywords=str, archived=int, updated_at=str),
    "stack": _table("id", id=str, vendor=str, product=str, version=str, owner=str,
                    cpe_vendor=str, cpe_product=str),
    "kev": _table("cve", cve=str, vendor=str, product=str, name=str, date_added=str,
                  due_date=str, ransomware=int, required_action=str, notes=str),
    # People's word on KEV entries in our stack.
    "kev_marks": _log(cve=str, stack_id=str, state=str, note=str, author=str, at=str),
    "documents": _table("name", name=str, url=str, etag=str, last_modified=str,
                        body_hash=str, fetched_at=str, status=int),
    "trend_links": _table(("trend_id", "kind", "target_id"), trend_id=str, kind=str,
                          target_id=str, reason=str, score=float),
    "trend_kev": _table(("trend_id", "cve"), trend_id=str, cve=str, stack_id=str),
    "link_states": _log(trend_id=str, kind=str, target_id=str, state=str, author=str, at=str),
    "changes": _table("area", area=str, n=int),
    # Named groups of keywords or regular expressions a trend is watched for.
    "watchlists": _table("name", name=str, patterns=str, author=str, at=str),
    # Every attempt to deliver a notification: one row per message and channel, with the
    # keys of the alerts it carried, so an alert already delivered is never sent again.
    "notifications": _log(channel=str, channel_key=str, kind=str, title=str, keys=str,
                          sent_at=str, ok=int, error=str),
    "notified": _table(("channel", "key"), channel=str, key=str, notification_id=int),
    "fetch_log": _log(feed=str, fetched_at=str, outcome=str, status=int, duration_ms=int,
                      bytes=int, new_items=int, error=str),
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
    ("trends", ["theme_id"], False),
    ("flags", ["trend_id"], False),
    ("flags", ["as_of"], False),          # the alert budget reads the last weeks' flags
    ("analyses", ["as_of", "id"], False),  # ... and each analysis's one before
]
# Re-index an article only when its indexed text changes: grouping near-duplicates updates
# dup_of on every article, and sqlite-utils' default trigger would re-index all of them.
FTS_UPDATE_TRIGGER = (
    'DROP TRIGGER IF EXISTS "articles_au";'
    'CREATE TRIGGER "articles_au" AFTER UPDATE OF "title", "summary" ON "articles"'
    ' BEGIN'
    ' INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "summary")'
    " VALUES('delete', old.rowid, old.\"title\", old.\"summary\");"
    ' INSERT INTO "articles_fts" (rowid, "title", "summary")'
    ' VALUES (new.rowid, new."title", new."summary");'
    ' END;')

SCHEMA_VERSION = 16  # bump whenever TABLES, INDEXES or the triggers change


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create missing tables, columns, indexes and triggers; never drops or rewrites data.

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
    # Rewritten on every schema change, so an existing database gets a changed trigger too.
    db.executescript(FTS_UPDATE_TRIGGER)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
