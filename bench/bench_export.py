"""Benchmark: time and size of every export for an edition of ~300 trends (run by hand).

The naive way for comparison, in the same run: a PDF brief that lists every trend (what
the first version did) against the short brief that lists what changed, the decisions
and the strongest signals.

    .venv/bin/python -m bench.bench_export
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from unittest.mock import patch

from bench._common import CORPUS
from radar.archive import ImportReport, read_archive
from radar.config import Settings
from radar.dedup import update_duplicate_groups
from radar.engine.analyze import analyze
from radar.share.editions import create_edition
from radar.share.formats import FORMATS
from radar.share.image import brief_lines, render_pdf
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
    for fmt in FORMATS:
        started = time.perf_counter()
        content = fmt.render(edition, changes)
        seconds = time.perf_counter() - started
        print(f"{fmt.id:12}{seconds:9.2f}{len(content) / 1024:9.0f}")
        timings[fmt.id] = seconds
    started = time.perf_counter()
    with patch("radar.share.image.brief_lines", partial(
            brief_lines, top=len(edition.entries))):
        full = render_pdf(edition, changes)
    naive = time.perf_counter() - started
    print(f"{'pdf, naive':12}{naive:9.2f}{len(full) / 1024:9.0f}   (every trend listed)")
    print(f"\nnaive / short PDF brief: {naive / timings['pdf']:.1f}x")
    store.close()


if __name__ == "__main__":
    main()
