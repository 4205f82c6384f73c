"""Benchmark: what the alert budget reads before every analysis, in a year-old radar.

A radar analysed after every hourly collect holds 8,760 analyses a year and their flags.
Before each analysis the budget reads what the last analyses flagged, and how many flags
the last week's raised (`Store.flag_history`). Baseline, in the same run on the same
data: the same reads without the indexes on `analyses.as_of` and `flags.as_of`, where
each flag looks for its analysis's predecessor in a scan of every analysis.

    .venv/bin/python -m bench.bench_budget
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from radar.models import FlagHistory
from radar.store import Store
from radar.text import iso_utc

HOURS = 8760          # a year of hourly analyses
FLAGGED = 20          # trends flagged by each
TRENDS = 400          # the trends those flags are drawn from


def year_of_flags(store: Store, start: datetime) -> None:
    rng = random.Random(1)
    analyses, flags = [], []
    for hour in range(HOURS):
        at = iso_utc(start + timedelta(hours=hour))
        analyses.append((hour + 1, at))
        flags += [(hour + 1, f"T{n}", at) for n in rng.sample(range(TRENDS), FLAGGED)]
    with store.writing():
        store.db.conn.executemany(
            "insert into analyses (id, as_of, window_days, stories, trends, emerging,"
            " seconds, ran_at, replayed) values (?, ?, 90, 1, 1, 1, 0.1, '', 0)", analyses)
        store.db.conn.executemany("insert into flags (analysis_id, trend_id, as_of, status,"
                                  " source_count) values (?, ?, ?, 'rising', 3)", flags)


def timed_history(store: Store, now: str) -> tuple[float, FlagHistory]:
    started = time.perf_counter()
    history = store.flag_history(now, lately_days=28, week_days=7)
    return time.perf_counter() - started, history


def main() -> None:
    store = Store(Path(tempfile.mkdtemp(prefix="radar-bench-")) / "radar.db")
    start = datetime(2031, 1, 1, tzinfo=UTC)
    year_of_flags(store, start)
    now = iso_utc(start + timedelta(hours=HOURS - 1, minutes=30))
    indexed_s, history = timed_history(store, now)
    store.db.executescript("drop index idx_analyses_as_of_id; drop index idx_flags_as_of;")
    scanned_s, same = timed_history(store, now)
    assert same == history
    print(f"{HOURS} analyses, {HOURS * FLAGGED} flags; {history.new_week} flags raised in "
          f"the last week\n")
    print(f"{'flag history, indexed':40}{indexed_s * 1000:9.1f} ms")
    print(f"{'flag history, no index (baseline)':40}{scanned_s * 1000:9.1f} ms")
    print(f"\nratio: {scanned_s / indexed_s:.0f}x faster")


if __name__ == "__main__":
    main()
