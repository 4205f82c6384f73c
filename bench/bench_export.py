"""Benchmark: time and size of every export for an edition of ~300 trends (run by hand).

The baseline, in the same run: the slide picture alone (PNG), against the PDF brief (the
same radar page, then every trend in tables): what the brief's tables cost.

    .venv/bin/python -m bench.bench_export
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench._common import CORPUS
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


if __name__ == "__main__":
    main()
