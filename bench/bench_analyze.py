"""Benchmark: `radar analyze` for one as-of date, by window size and at 10x the articles.

Compared in the same run with a naive baseline: plain TF-IDF + k-means re-clustering the
whole window from scratch (k = stories / 20, scikit-learn defaults). Each measurement runs
in a fresh process, which reports its own peak memory.

    .venv/bin/python -m bench.bench_analyze
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench._common import CORPUS, run_measured

SETUP = """
import sys
from radar.archive import ImportReport, read_archive
from radar.dedup import update_duplicate_groups
from radar.store import Store
store = Store(sys.argv[1])
store.save_articles(read_archive(sys.argv[2], ImportReport()))
update_duplicate_groups(store)
"""

SCALE_UP = """
import sys, sqlite3
from radar.store import Store
Store(sys.argv[1]).close()
conn = sqlite3.connect(sys.argv[1])
conn.execute("attach ? as source", [sys.argv[2]])
for k in range(10):  # ten earlier quarters of real stories moved into one window = 10x
    conn.execute(
        "insert into articles select id || '-' || :k, source, site, category, title, link,"
        " canonical_link || '#' || :k, summary,"
        " strftime('%Y-%m-%dT%H:%M:%SZ', published, '+' || (90 * :k) || ' days'),"
        " published_flag, fetched_at, dup_of || '-' || :k from source.articles"
        " where published > strftime('%Y-%m-%dT%H:%M:%SZ', :end, '-' || (90 * :k + 90) || ' days')"
        " and published <= strftime('%Y-%m-%dT%H:%M:%SZ', :end, '-' || (90 * :k) || ' days')",
        {"k": k, "end": sys.argv[3]})
conn.commit()
"""

ANALYZE = """
import sys, time
from datetime import datetime
from radar.engine.analyze import analyze
from radar.config import Settings
from radar.store import Store
store = Store(sys.argv[1])
as_of = datetime.fromisoformat(sys.argv[2])
result = analyze(store, Settings(), as_of=as_of, window_days=int(sys.argv[3]), save=False)
print(result.stories, len(result.trends), round(result.seconds, 2))
"""

NAIVE = """
import sys, time, sqlite3
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
conn = sqlite3.connect(sys.argv[1])
started = time.perf_counter()
rows = conn.execute("select title || ' ' || coalesce(summary, '') from articles where "
                    "published > strftime('%Y-%m-%dT%H:%M:%SZ', ?, ?) and published <= ?",
                    [sys.argv[2], f"-{sys.argv[3]} days", sys.argv[2]]).fetchall()
matrix = TfidfVectorizer(stop_words="english").fit_transform([r[0] for r in rows])
KMeans(n_clusters=max(2, len(rows) // 20), n_init=1, random_state=0).fit(matrix)
print(len(rows), max(2, len(rows) // 20), round(time.perf_counter() - started, 2))
"""

AS_OF = "2024-06-30T23:59:59+00:00"
BIG_AS_OF = "2026-06-30T23:59:59+00:00"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="radar-bench-"))
    corpus_db, big_db = str(work / "corpus.db"), str(work / "big.db")
    run_measured(SETUP, corpus_db, str(CORPUS))
    run_measured(SCALE_UP, big_db, corpus_db, BIG_AS_OF)
    print(f"{'':40}{'stories':>9}{'trends':>8}{'wall s':>8}{'analyse s':>10}{'peak MiB':>10}")
    timings = {}
    for label, db, window in (("radar analyze, 30-day window", corpus_db, 30),
                              ("radar analyze, 90-day window", corpus_db, 90),
                              ("radar analyze, 365-day window", corpus_db, 365),
                              ("radar analyze, 90 days at 10x articles", big_db, 90)):
        as_of = BIG_AS_OF if db == big_db else AS_OF
        wall, peak, out = run_measured(ANALYZE, db, as_of, str(window))
        stories, trends, seconds = out.split()
        timings[label] = float(seconds)
        print(f"{label:40}{stories:>9}{trends:>8}{wall:8.1f}{seconds:>10}{peak:10}")
    wall, peak, out = run_measured(NAIVE, corpus_db, AS_OF.replace("+00:00", "Z"), "90")
    rows, k, seconds = out.split()
    print(f"{'naive TF-IDF + k-means, 90 days':40}{rows:>9}{k:>8}{wall:8.1f}{seconds:>10}"
          f"{peak:10}")
    ratio = float(seconds) / timings["radar analyze, 90-day window"]
    print(f"\nnaive / radar time for the 90-day window: {ratio:.1f}x "
          "(radar also labels, scores and names; k-means gives no noise class)")


if __name__ == "__main__":
    main()
