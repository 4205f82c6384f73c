"""Frozen radar editions in the store: saved once, never changed, found by id or prefix."""

from __future__ import annotations

from radar.errors import NotFoundError
from radar.store.sqlite import sqlite_utils


def like_prefix(text: str) -> str:
    """A LIKE pattern matching `text` literally at the start (used with ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


class EditionStore:
    """Snapshots of the radar (mixed into `Store`)."""

    db: sqlite_utils.Database

    def save_snapshot(self, snapshot_id: str, payload: str, *, name: str, note: str,
                      created_at: str, as_of: str, sharing: str) -> bool:
        """Keep an edition; False when the same content was already frozen (same id)."""
        with self.writing():
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
        rows = list(self.db.query(
            "select id, payload from snapshots where id like ? escape '\\'",
            [like_prefix(snapshot_id)]))
        if len(rows) != 1:
            what = "no" if not rows else "more than one"
            raise NotFoundError(f"{what} snapshot with id {snapshot_id!r}"
                                " (see `radar snapshot list`)")
        return rows[0]["payload"]
