"""Quality check of the trend engine on the shared corpus (run by hand, prints figures).

1. Known events: daily analyses around each event's first article; the first day a trend
   naming it is flagged emerging (or rising), and its rank among emerging trends.
2. The top 15 emerging trends on a few dates, to judge by eye how many are real.
3. A 60-day daily backtest: identity churn of continuing topics, and whether a tag set on
   the first day survives every re-analysis.

    .venv/bin/python -m bench.quality
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench._common import CORPUS
from radar.archive import ImportReport, read_archive
from radar.config import load_settings
from radar.dedup import update_duplicate_groups
from radar.engine.analyze import analyze, backtest
from radar.store import Store

EVENTS = [
    ("MOVEit Transfer flaw (Jun 2024)", r"moveit", date(2024, 6, 26)),
    ("Cleo file transfer exploitation (Dec 2024)", r"cleo", date(2024, 12, 10)),
    ("Salt Typhoon telecom hacks (Dec 2024)", r"salt typhoon|salt", date(2024, 12, 4)),
    ("Shai-Hulud 2.0 npm worm (Nov 2025)", r"hulud", date(2025, 11, 24)),
    ("CrowdStrike outage (Jul 2024)", r"crowdstrike", date(2024, 7, 19)),
    ("LockBit takedown, Operation Cronos (Feb 2024)", r"lockbit|cronos", date(2024, 2, 19)),
    ("xz-utils backdoor (Mar 2024)", r"\bxz\b|liblzma", date(2024, 3, 29)),
]
SAMPLE_DATES = [date(2024, 2, 21), date(2024, 7, 21), date(2025, 11, 26)]


def end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)


def main() -> None:
    settings = load_settings(Path(__file__).resolve().parents[1] / "feeds.yaml")
    work = Path(tempfile.mkdtemp(prefix="radar-quality-"))
    store = Store(work / "corpus.db")
    store.save_articles(read_archive(CORPUS, ImportReport()))
    update_duplicate_groups(store)

    print("Known events: first day flagged (days after first article), rank among emerging")
    for name, pattern, first in EVENTS:
        scratch = Store(work / f"{first}.db")
        seen: dict[str, tuple[date, int, str]] = {}

        def note(day: date, analysis, seen=seen, pattern=pattern) -> None:
            emerging = [t for t in analysis.trends if t.status == "emerging"]
            for trend in analysis.trends:
                text = trend.label + " " + " ".join(trend.keywords[:5])
                if re.search(pattern, text, re.IGNORECASE):
                    rank = emerging.index(trend) + 1 if trend in emerging else 0
                    seen.setdefault(trend.status, (day, rank, trend.label))

        backtest(store, settings, start=first - timedelta(days=1), end=first + timedelta(days=5),
                 scratch=scratch, on_day=note)
        scratch.close()
        found = seen.get("emerging") or seen.get("rising")
        if found:
            day, rank, label = found
            status = "emerging" if "emerging" in seen else "rising"
            print(f"  {name:48} {status:8} {day} (+{(day - first).days}d) rank {rank or '-'}"
                  f"  label: {label}")
        else:
            print(f"  {name:48} not flagged within 5 days")

    for day in SAMPLE_DATES:
        result = analyze(store, settings, as_of=end_of(day), save=False)
        emerging = [t for t in result.trends if t.status == "emerging"][:15]
        print(f"\nTop emerging on {day} ({len(result.trends)} trends, {result.seconds:.1f}s):")
        for rank, trend in enumerate(emerging, start=1):
            print(f"  {rank:2}. {trend.label[:40]:40} {trend.story_count:3} stories "
                  f"{trend.source_count:2} sources  {trend.why}")

    start, end = date(2024, 5, 1), date(2024, 6, 29)
    scratch = Store(work / "churn.db")
    tagged: dict[str, str] = {}

    def tag_first(day: date, analysis, tagged=tagged, scratch=scratch) -> None:
        if not tagged and analysis.trends:
            trend = max(analysis.trends, key=lambda t: t.story_count)
            scratch.record_decision(trend.id, "assess", note="quality check", author="bench",
                                    at=f"{day}T23:59:59Z")
            tagged[trend.id] = trend.label
        listed = {t.id: t.ring for t in scratch.load_trends()}
        for trend_id in tagged:
            assert listed.get(trend_id) == "assess", f"tag lost on {day}"

    result = backtest(store, settings, start=start, end=end, scratch=scratch, on_day=tag_first)
    print(f"\n60-day backtest {start} .. {end}: {len(result.days)} analyses in "
          f"{result.seconds:.0f}s; {result.continuing} continuing topics, "
          f"id churn {result.churn:.1%}; tag on {list(tagged.values())} kept every day")


if __name__ == "__main__":
    main()
