"""Notifications in the store: watchlists, and what was delivered to which channel.

A delivery is one message to one channel; the alerts it carried are recorded per channel
as keys (`notified`), so the same alert is never delivered to a channel twice, across
restarts and re-analyses. A failed delivery is logged with its error and records no key,
so the next run tries again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from radar.errors import NotFoundError
from radar.models import Watchlist
from radar.store.sqlite import sqlite_utils


class NotifyStore:
    """Watchlists and the delivery log (mixed into `Store`)."""

    db: sqlite_utils.Database

    # --- watchlists ------------------------------------------------------------------------

    def save_watchlist(self, watchlist: Watchlist, *, author: str, at: str) -> None:
        """Add a watchlist, or replace the patterns of the one with that name."""
        with self.writing():
            self.db["watchlists"].upsert({"name": watchlist.name,
                                          "patterns": json.dumps(list(watchlist.patterns)),
                                          "author": author, "at": at}, pk="name")
            self._touch()

    def remove_watchlist(self, name: str) -> None:
        with self.writing():
            if not self.db.execute("select 1 from watchlists where name = ?",
                                   [name]).fetchone():
                raise NotFoundError(f"no watchlist named {name!r} (see `radar watch list`)")
            self.db.execute("delete from watchlists where name = ?", [name])
            self._touch()

    def load_watchlists(self) -> list[Watchlist]:
        return [Watchlist(row["name"], tuple(json.loads(row["patterns"] or "[]")))
                for row in self.db.query("select name, patterns from watchlists"
                                         " order by name")]

    # --- deliveries ------------------------------------------------------------------------

    def delivered_keys(self, channel: str) -> set[str]:
        """The alerts already delivered to a channel."""
        return {row[0] for row in self.db.execute(
            "select key from notified where channel = ?", [channel])}

    def record_delivery(self, channel: str, *, shown: str, kind: str, title: str,
                        keys: Iterable[str], ok: bool, error: str, at: str) -> None:
        """One message to one channel (by its key; `shown` is how the log names it),
        delivered or not; a delivered one's alert keys are kept so they are not sent to
        that channel again."""
        keys = sorted(set(keys))
        with self.writing():
            notification_id = self.db["notifications"].insert({
                "channel": shown, "channel_key": channel, "kind": kind, "title": title,
                "keys": json.dumps(keys), "sent_at": at, "ok": int(ok), "error": error},
                pk="id").last_pk
            if ok:
                self.db["notified"].insert_all(
                    ({"channel": channel, "key": key, "notification_id": notification_id}
                     for key in keys), pk=("channel", "key"), ignore=True)

    def load_deliveries(self, *, limit: int = 100) -> list[dict]:
        """The latest deliveries and failures, newest first: the log people read."""
        return [{**row, "ok": bool(row["ok"]), "keys": json.loads(row["keys"] or "[]")}
                for row in self.db.query("select * from notifications order by id desc"
                                         " limit ?", [limit])]

    # --- what a digest reads ---------------------------------------------------------------

    def first_flagged(self) -> dict[str, str]:
        """Each trend's first flag (emerging or rising): the as-of of that analysis."""
        return {row[0]: row[1] for row in self.db.execute(
            "select trend_id, min(as_of) from flags group by trend_id")}
