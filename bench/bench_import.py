"""Benchmark: `radar import` of the whole shared corpus vs a bare `executemany` of its rows.

The baseline is the floor SQLite sets: the same rows (already read) inserted with one
`executemany` into a table without indexes, in this process. `radar import` runs as a
process (start-up, reading, cleaning, storing with its indexes and full-text index,
near-duplicate grouping), twice: on a fresh database and again with everything present.
Same file, same run; the load average is printed because the machine may be shared.

    .venv/bin/python -m bench.bench_import
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from bench._common import CORPUS, load_corpus, run_measured

RADAR = """
import sys
from radar.cli import cli
sys.argv = ["radar", "import", "--db", sys.argv[2], sys.argv[1]]
cli()
"""
COLUMNS = ("title", "link", "published", "summary", "source", "site", "feed_url")


def bare_executemany(path: Path) -> tuple[float, int]:
    """Seconds to insert the corpus's rows with one executemany, and how many rows."""
    rows = [tuple(item.get(key) for key in COLUMNS) for item in load_corpus()]
    conn = sqlite3.connect(path)
    conn.execute(f"create table items ({', '.join(COLUMNS)})")
    started = time.perf_counter()
    conn.executemany(f"insert into items values ({', '.join('?' * len(COLUMNS))})", rows)
    conn.commit()
    seconds = time.perf_counter() - started
    conn.close()
    return seconds, len(rows)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="radar-bench-"))
    load = os.getloadavg()
    bare_s, n = bare_executemany(work / "bare.db")
    radar_s, radar_mb, radar_out = run_measured(RADAR, str(CORPUS), str(work / "radar.db"))
    again_s, again_mb, again_out = run_measured(RADAR, str(CORPUS), str(work / "radar.db"))
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores)\n")
    print(f"{'':40}{'wall s':>8}{'items/s':>10}{'peak MiB':>10}{'ratio':>8}")
    print(f"{'bare executemany (no indexes; baseline)':40}{bare_s:8.2f}{n / bare_s:10.0f}"
          f"{'':>10}{1:8.1f}")
    print(f"{'radar import (process, fresh database)':40}{radar_s:8.2f}{n / radar_s:10.0f}"
          f"{radar_mb:10}{radar_s / bare_s:8.1f}")
    print(f"{'radar import (again, all present)':40}{again_s:8.2f}{n / again_s:10.0f}"
          f"{again_mb:10}{again_s / bare_s:8.1f}")
    print(f"\n{radar_out.strip()}\n{again_out.strip()}")
    print(f"\nradar import / bare executemany: {radar_s / bare_s:.1f}x (bar: 20x, 2 s)")
    report_duplicates(work / "radar.db")
    shutil.rmtree(work)


def report_duplicates(path: Path) -> None:
    """How much near-duplicate grouping folds, with a few example groups."""
    conn = sqlite3.connect(path)
    articles, stories = conn.execute(
        "select count(*), count(distinct dup_of) from articles").fetchone()
    groups = conn.execute(
        "select dup_of, count(*) n from articles group by dup_of having n > 1"
        " order by n desc, dup_of").fetchall()
    print(f"\nnear-duplicates: {articles} articles -> {stories} stories; {len(groups)} stories "
          f"told by 2+ sites ({articles - stories} articles folded)")
    for group, size in groups[:3] + groups[len(groups) // 2: len(groups) // 2 + 3]:
        print(f"  group of {size}:")
        for title, site, published in conn.execute(
                "select title, site, published from articles where dup_of = ?"
                " order by published limit 4", [group]):
            print(f"    {published[:10]} {site:28.28} {title[:80]}")


if __name__ == "__main__":
    main()
