"""Benchmark: one analysis (themes and events) for one as-of date, on the full corpus and at
10x the articles, against the engine before themes and a naive clustering, in one run.

    .venv/bin/python -m bench.bench_analyze            # single analyses (a few minutes)
    .venv/bin/python -m bench.bench_analyze backtest   # plus a daily backtest of a year

Each measurement runs in a fresh process, which reports its own peak memory. "Before
themes" is the engine at BEFORE_THEMES (events only), read with `git archive` into a
scratch folder; "naive" is plain TF-IDF + k-means re-clustering the 90-day window.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench._common import CORPUS, run_measured

ROOT = Path(__file__).resolve().parents[1]
BEFORE_THEMES = "1dc7445"  # the last commit whose engine found events only

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
for k in range(10):  # ten earlier stretches of real stories moved into one = 10x
    conn.execute(
        "insert into articles select id || '-' || :k, source, site, category, title, link,"
        " canonical_link || '#' || :k, summary,"
        " strftime('%Y-%m-%dT%H:%M:%SZ', published, '+' || (90 * :k) || ' days'),"
        " published_flag, fetched_at, dup_of || '-' || :k, feed_url, backfilled"
        " from source.articles"
        " where published > strftime('%Y-%m-%dT%H:%M:%SZ', :end, '-' || (90 * :k + 90) || ' days')"
        " and published <= strftime('%Y-%m-%dT%H:%M:%SZ', :end, '-' || (90 * :k) || ' days')",
        {"k": k, "end": sys.argv[3]})
conn.commit()
"""

ANALYZE = """
import sys
from datetime import datetime
from radar.config import Settings
from radar.store import Store
from radar.engine.analyze import analyze
store = Store(sys.argv[1])
result = analyze(store, Settings(), as_of=datetime.fromisoformat(sys.argv[2]), save=True)
themes = sum(getattr(t, "kind", "event") == "theme" for t in result.trends)
print(result.stories, themes, len(result.trends) - themes, round(result.seconds, 2))
"""

NAIVE = """
import sys, time, sqlite3
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
conn = sqlite3.connect(sys.argv[1])
started = time.perf_counter()
rows = conn.execute("select title || ' ' || coalesce(summary, '') from articles where "
                    "published > strftime('%Y-%m-%dT%H:%M:%SZ', ?, '-90 days') and published <= ?",
                    [sys.argv[2], sys.argv[2]]).fetchall()
matrix = TfidfVectorizer(stop_words="english").fit_transform([r[0] for r in rows])
KMeans(n_clusters=max(2, len(rows) // 20), n_init=1, random_state=0).fit(matrix)
print(len(rows), 0, max(2, len(rows) // 20), round(time.perf_counter() - started, 2))
"""

BACKTEST = """
import sys, tempfile
from datetime import date
from pathlib import Path
from radar.config import Settings
from radar.engine.backtest import backtest
from radar.store import Store
with tempfile.TemporaryDirectory() as scratch:
    result = backtest(Store(sys.argv[1]), Settings(), start=date.fromisoformat(sys.argv[2]),
                      end=date.fromisoformat(sys.argv[3]),
                      scratch=Store(Path(scratch) / "scratch.db"))
print(len(result.days), result.continuing, round(result.churn, 4), round(result.seconds, 1))
"""

DATES = [("end of the corpus", "2026-08-20T23:59:59+00:00"),
         ("densest weeks", "2026-02-12T23:59:59+00:00"),
         ("an ordinary week", "2024-07-21T23:59:59+00:00")]
BIG_AS_OF = "2026-06-30T23:59:59+00:00"


def before_themes(work: Path) -> Path:
    """The engine before themes, as a folder to put first on PYTHONPATH."""
    folder = work / "before"
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE_THEMES, "radar"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def measure(code: str, *args: str, path: Path | None = None) -> tuple[float, int, list[str]]:
    """Run `code` with the engine in `path` (run from there, so it is imported first), or
    the installed one."""
    wall, peak, out = run_measured(code, *args, cwd=str(path) if path else None)
    return wall, peak, out.split()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="radar-bench-"))
    corpus_db, big_db = work / "corpus.db", work / "big.db"
    run_measured(SETUP, str(corpus_db), str(CORPUS))
    run_measured(SCALE_UP, str(big_db), str(corpus_db), BIG_AS_OF)
    before = before_themes(work)
    print(f"{'':44}{'stories':>8}{'themes':>7}{'events':>7}{'wall s':>8}{'analyse s':>10}"
          f"{'peak MiB':>9}")
    seconds: dict[str, float] = {}
    runs = [(f"themes+events, {name}", corpus_db, as_of, None) for name, as_of in DATES]
    runs += [(f"before themes, {name}", corpus_db, as_of, before) for name, as_of in DATES]
    runs += [("themes+events, 10x articles", big_db, BIG_AS_OF, None),
             ("before themes, 10x articles", big_db, BIG_AS_OF, before)]
    for label, db, as_of, path in runs:
        copy = work / f"run-{len(seconds)}.db"
        shutil.copy(db, copy)  # each engine on its own copy: their schemas differ
        wall, peak, (stories, themes, events, took) = measure(ANALYZE, str(copy), as_of,
                                                              path=path)
        seconds[label] = float(took)
        print(f"{label:44}{stories:>8}{themes:>7}{events:>7}{wall:8.1f}{took:>10}{peak:9}")
    wall, peak, (rows, _, k, took) = measure(NAIVE, str(corpus_db), DATES[0][1][:19] + "Z")
    print(f"{'naive TF-IDF + k-means, 90 days':44}{rows:>8}{'':>7}{k:>7}{wall:8.1f}{took:>10}"
          f"{peak:9}")
    print()
    for name, _ in DATES:
        ratio = seconds[f"themes+events, {name}"] / seconds[f"before themes, {name}"]
        print(f"themes+events / before themes, {name}: {ratio:.1f}x")
    growth = seconds["themes+events, 10x articles"] / seconds["themes+events, end of the corpus"]
    print(f"10x articles / full corpus (themes+events): {growth:.1f}x")
    print(f"naive / themes+events at the end of the corpus: "
          f"{float(took) / seconds['themes+events, end of the corpus']:.2f}x "
          "(k-means gives no themes, names, scores, noise class or identity)")
    if "backtest" in sys.argv[1:]:
        wall, peak, (days, continuing, churn, took) = measure(
            BACKTEST, str(corpus_db), "2025-01-01", "2025-12-31")
        print(f"\ndaily backtest 2025-01-01 .. 2025-12-31: {days} analyses in {took}s "
              f"({float(took) / 60:.1f} min, {float(took) / int(days):.2f}s each), peak "
              f"{peak} MiB; {continuing} continuing trend-days, id churn "
              f"{float(churn):.2%}")


if __name__ == "__main__":
    main()
