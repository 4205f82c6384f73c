"""The SQLite store: the only package that imports sqlite_utils.

`Store` is one database file, split by area: feeds and articles (`articles.py`), trends
with people's decisions and edits (`trends.py`), frozen editions (`editions.py`), the
roadmap, stack, KEV catalog and trend links (`org.py`), the reads results are measured
from (`results.py`), watchlists and the notifications delivered (`notify.py`); the
schema is data applied idempotently on open (`schema.py`). WAL mode lets the app read
while the collector writes.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from radar.errors import StoreError
from radar.store.articles import ArticleStore
from radar.store.editions import EditionStore
from radar.store.notify import NotifyStore
from radar.store.org import OrgStore
from radar.store.results import ResultsStore
from radar.store.schema import ensure_schema
from radar.store.sqlite import sqlite_utils
from radar.store.trends import TrendStore

BUSY_TIMEOUT_MS = 10_000  # how long a write waits for another writer before failing


class Store(ArticleStore, TrendStore, EditionStore, OrgStore, ResultsStore, NotifyStore):
    """A Trend Radar database file. Open one per thread (SQLite connections are not shared)."""

    def __init__(self, path: str | Path, *, busy_timeout_ms: int | None = None) -> None:
        self.path = Path(path)
        timeout = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
        try:
            self.read_only = _read_only(self.path)
            if self.read_only:   # reading commands work; a write is refused, naming the file
                self.db = sqlite_utils.Database(sqlite3.connect(
                    _read_only_uri(self.path), uri=True))
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _create_private(self.path)
                self.db = sqlite_utils.Database(self.path)
            self.db.execute(f"PRAGMA busy_timeout = {int(timeout)}")
            if not self.read_only:
                self.db.enable_wal()
                ensure_schema(self.db)
        except (sqlite3.DatabaseError, OSError) as e:
            raise StoreError(f"{self.path}: cannot open database ({e})") from e

    def close(self) -> None:
        self.db.close()

    def backup(self, target: str | Path) -> None:
        """A consistent copy of the database, taken with SQLite's online backup while
        others read and write (a collect may be running)."""
        target = Path(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _create_private(target)
            copy = sqlite3.connect(target)
        except OSError as e:   # the folder is read-only, or a file stands where it should be
            raise StoreError(f"{target}: cannot write the backup there "
                             f"({e.filename}: {e.strerror})") from e
        except sqlite3.Error as e:
            raise StoreError(f"{target}: cannot write the backup there ({e})") from e
        try:
            self.db.conn.backup(copy)
        except sqlite3.OperationalError as e:
            if "locked" in str(e) or "busy" in str(e):
                raise
            raise StoreError(f"{target}: cannot write the backup there ({e})") from e
        finally:
            copy.close()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction, holding the write lock from its start (BEGIN IMMEDIATE).

        A transaction that reads before it writes (a decision checks the trend, then
        inserts) would otherwise fail at once with "database is locked" when another
        writer commits in between: SQLite cannot wait there without risking deadlock.
        Taking the lock first lets it wait (busy_timeout) like any writer. Nested, it is
        a savepoint.
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.conn.rollback()
            raise
        self.db.conn.commit()

    @contextmanager
    def guarded(self) -> Iterator[Store]:
        """Report any SQLite failure inside the block as a StoreError naming the file
        (a database locked too long, a damaged or foreign file), for a clear message."""
        try:
            yield self
        except sqlite3.OperationalError as e:
            if "locked" in str(e) or "busy" in str(e):   # waited busy_timeout: say so
                raise StoreError(f"{self.path} stayed busy (a collect or an analysis is "
                                 "writing): nothing was changed; try again in a moment") from e
            if "readonly" in str(e):
                raise StoreError(f"{self.path} is read-only (the file or its folder): "
                                 "nothing was changed") from e
            raise StoreError(f"{self.path}: {e}") from e
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: {e}") from e


def _create_private(path: Path) -> None:
    """Create a new database file readable by its owner only (0600): it holds decisions
    and internal notes. SQLite gives its -wal and -shm files the database's permissions."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _read_only(path: Path) -> bool:
    """An existing database we may not write: the file, or the folder its -wal and -shm
    files go in, is read-only (a mounted copy, another user's radar)."""
    return path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _read_only_uri(path: Path) -> str:
    """Open read-only; `immutable` when the folder cannot hold the -shm file SQLite needs
    to read a WAL database (nobody can be writing it then: no -wal file can exist)."""
    wal = path.with_name(path.name + "-wal")
    frozen = not os.access(path.parent, os.W_OK) and not wal.exists()
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if frozen else "")


@contextmanager
def opened(path: str | Path, *, busy_timeout_ms: int | None = None) -> Iterator[Store]:
    """A store for the length of a block, closed after it, with SQLite errors as
    `StoreError`: how the CLI and the app open the database."""
    store = Store(path, busy_timeout_ms=busy_timeout_ms)
    try:
        with store.guarded():
            yield store
    finally:
        store.close()


__all__ = ["Store", "opened"]
