"""Benchmark: `radar import` of the whole shared corpus vs a naive row-by-row importer.

The naive way is what a first script does: json.loads each line and INSERT it with a
commit per row, checking the link first to avoid duplicates. Same file, same run.

    .venv/bin/python -m bench.bench_import
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from bench._common import CORPUS, run_measured

NAIVE = """
import gzip, json, sqlite3, sys
conn = sqlite3.connect(sys.argv[2])
conn.execute("create table if not exists items (link text, title text, published text,"
             " summary text, source text)")
new = 0
for line in gzip.open(sys.argv[1], "rt", encoding="utf-8"):
    item = json.loads(line)
    if conn.execute("select 1 from items where link = ?", [item["link"]]).fetchone():
        continue
    conn.execute("insert into items values (?, ?, ?, ?, ?)", [item["link"], item["title"],
                 item["published"], item["summary"], item["source"]])
    conn.commit()
    new += 1
print(new)
"""

RADAR = """
import sys
from radar.cli import cli
sys.argv = ["radar", "import", "--db", sys.argv[2], sys.argv[1]]
cli()
"""


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="radar-bench-"))
    naive_s, naive_mb, naive_out = run_measured(NAIVE, str(CORPUS), str(work / "naive.db"))
    radar_s, radar_mb, radar_out = run_measured(RADAR, str(CORPUS), str(work / "radar.db"))
    again_s, again_mb, again_out = run_measured(RADAR, str(CORPUS), str(work / "radar.db"))
    print(f"{'':36}{'wall s':>8}{'items/s':>10}{'peak MiB':>10}")
    n = int(naive_out.strip())
    print(f"{'naive (row by row, commit each)':36}{naive_s:8.1f}{n / naive_s:10.0f}{naive_mb:10}")
    print(f"{'radar import (fresh database)':36}{radar_s:8.1f}{n / radar_s:10.0f}{radar_mb:10}")
    print(f"{'radar import (again, all present)':36}{again_s:8.1f}{n / again_s:10.0f}"
          f"{again_mb:10}")
    print(f"\n{radar_out.strip()}\n{again_out.strip()}")
    print(f"speed-up vs naive: {naive_s / radar_s:.1f}x")
    report_duplicates(work / "radar.db")


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
