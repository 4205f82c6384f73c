"""Benchmark: time and size of every export for an edition of ~300 trends (run by hand).

The baseline, in the same run: the slide picture alone (PNG), against the PDF brief (the
same radar page, then every trend in tables): what the brief's tables cost.

Then `radar export` of every format as a process, as a person runs it (bar: 1 s, PNG and
PDF 1.5 s), beside the floor measured in the same run: a process that reads the
edition's stored JSON from SQLite and writes it to a file.

    .venv/bin/python -m bench.bench_export
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench._common import CORPUS, run_measured
from radar.archive import ImportReport, read_archive
from radar.config import Settings
from radar.dedup import update_duplicate_groups
from radar.engine.analyze import analyze
from radar.share.editions import create_edition
from radar.share.formats import BY_ID, FORMATS
from radar.share.snapshot import diff
from radar.store import Store


def main() -> None:
    store = Store(Path(tempfile.mkdtemp(prefix="radar-bench-")) / "radar.db")
    store.save_articles(read_archive(CORPUS, ImportReport()))
    update_duplicate_groups(store)
    analyze(store, Settings(), as_of=datetime(2024, 10, 31, 23, 59, tzinfo=UTC),
            window_days=150)
    started = time.perf_counter()
    edition, _ = create_edition(store, Settings(), name="Bench", note="", sharing="TLP:CLEAR",
                                 created_at="2024-11-01T00:00:00Z", evidence_per_trend=10)
    frozen = time.perf_counter() - started
    changes = diff(None, edition)
    print(f"edition of {len(edition.entries)} trends frozen in {frozen:.2f}s\n")
    print(f"{'format':12}{'seconds':>9}{'KiB':>9}")
    timings: dict[str, float] = {}
    BY_ID["png"].render(edition, changes)   # matplotlib's first use loads fonts: not timed
    for fmt in FORMATS:
        started = time.perf_counter()
        content = fmt.render(edition, changes)
        seconds = time.perf_counter() - started
        print(f"{fmt.id:12}{seconds:9.2f}{len(content) / 1024:9.0f}")
        timings[fmt.id] = seconds
    print(f"\nPDF brief / slide picture alone: {timings['pdf'] / timings['png']:.1f}x")
    store.close()
    as_processes(store.path)


EXPORT = """
import sys
from radar.cli import cli
sys.argv = ["radar", "export", "--db", sys.argv[1], "--format", sys.argv[2], "-o", sys.argv[3]]
cli()
"""
FLOOR = """
import sqlite3, sys
payload = sqlite3.connect(sys.argv[1]).execute(
    "select payload from snapshots order by created_at desc limit 1").fetchone()[0]
open(sys.argv[3], "w", encoding="utf-8").write(payload)
"""


def as_processes(db: Path) -> None:
    """`radar export` of each format as a process, beside a bare read-and-write process."""
    out = db.parent / "export"
    load = os.getloadavg()
    floor, _, _ = run_measured(FLOOR, str(db), "json", str(out))
    print(f"\nas processes; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores)")
    print(f"{'format':12}{'seconds':>9}{'floor':>8}{'ratio':>8}{'bar':>6}")
    for fmt in FORMATS:
        seconds, _, _ = run_measured(EXPORT, str(db), fmt.id, str(out))
        bar = 1.5 if fmt.id in ("png", "pdf") else 1.0
        print(f"{fmt.id:12}{seconds:9.2f}{floor:8.2f}{seconds / floor:8.1f}{bar:6.1f}"
              f"{'' if seconds <= bar else '  over'}")


if __name__ == "__main__":
    main()
