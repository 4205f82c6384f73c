"""Quality of the trend engine on the shared corpus (run by hand, prints figures).

    .venv/bin/python -m bench.quality [subjects] [radars] [events] [stability] [churn]
                                      [links]

1. subjects: example subjects with a date on which a good radar shows them emerging or
   rising under their name: the shared examples (../shared/eval/themes_dev.json) and a set
   of our own, judged the way ../shared/eval/check_radar.py judges them (on the radar,
   status, named), in-process.
2. radars: on several dates, the radar's size, the share of labels written as in one of
   the trend's own headlines, recurring formats on it, and the top 15 emerging subjects
   (themes, and events without a theme) to judge by eye.
3. events: daily analyses around known events; the first day an event naming it is
   flagged emerging or rising, and its rank among that day's emerging events.
4. stability: daily analyses over 30 days; how often a trend on the radar changes label.
5. churn: a 60-day daily backtest: id churn of continuing themes and events, and whether
   a tag set on the first day survives every re-analysis.
6. links: with the sample roadmap and stack of docs/examples and the shared KEV copy, on
   five dates: every link found (on the radar or not) with its reason, to judge by eye,
   the trends to act on now, and whether every KEV CVE a trend's headlines name is linked.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench._common import CORPUS
from radar.archive import ImportReport, read_archive
from radar.config import load_settings
from radar.dedup import update_duplicate_groups
from radar.engine.analyze import analyze
from radar.engine.backtest import backtest
from radar.models import EVENT, THEME
from radar.selection import distinct, radar_selection
from radar.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEV_SPEC = ROOT.parent / "shared" / "eval" / "themes_dev.json"
# Our own subjects: (id, date, headline pattern, name pattern). Chosen from the corpus's
# busiest weeks for each subject; never tuned on.
OWN_SUBJECTS = [
    ("volt_typhoon", "2024-02-05", r"volt typhoon", r"volt typhoon"),
    ("change_healthcare", "2024-03-10", r"change healthcare", r"change healthcare"),
    ("pan_os", "2024-04-20", r"pan-os|cve-2024-3400|palo alto|globalprotect",
     r"pan-os|palo alto|cve-2024-3400|globalprotect"),
    ("snowflake", "2024-06-12", r"snowflake", r"snowflake"),
    ("medusa", "2025-03-15", r"medusa", r"medusa"),
    ("scattered_spider", "2025-07-20", r"scattered spider", r"scattered spider"),
    ("sharepoint_toolshell", "2025-07-25", r"sharepoint|toolshell", r"sharepoint|toolshell"),
    ("salesloft_drift", "2025-09-08", r"salesloft|drift", r"salesloft|drift"),
    ("jaguar_land_rover", "2025-09-15", r"jaguar land rover|jlr", r"jaguar|jlr"),
    ("oracle_ebs_clop", "2025-10-12", r"oracle|cl0p|clop", r"oracle|cl0p|clop"),
    ("react2shell", "2025-12-10", r"react2shell|react|next\.js", r"react2shell|react|next\.js"),
    ("notepad_plus_plus", "2026-02-10", r"notepad\+\+", r"notepad"),
]
RADAR_DATES = ["2024-02-21", "2024-07-21", "2025-03-10", "2025-11-26", "2026-04-01",
               "2024-10-15", "2025-06-15", "2025-12-05", "2026-02-12", "2026-07-20"]
TOP15_DATES = ["2025-12-05", "2024-10-15", "2026-02-12"]
RECURRING = re.compile(r"known exploited vulnerabilit|adds? .{0,20}catalog|week in review|"
                       r"weekly recap|podcast|webinar|newsletter|guest diary|ics advisor|"
                       r"stormcast|this week in", re.IGNORECASE)
EVENTS = [
    ("MOVEit Transfer flaw (Jun 2024)", r"moveit", date(2024, 6, 26)),
    ("Cleo file transfer exploitation (Dec 2024)", r"cleo", date(2024, 12, 10)),
    ("CrowdStrike outage (Jul 2024)", r"crowdstrike", date(2024, 7, 19)),
    ("LockBit takedown, Operation Cronos (Feb 2024)", r"lockbit|cronos", date(2024, 2, 19)),
    ("xz-utils backdoor (Mar 2024)", r"\bxz\b|liblzma", date(2024, 3, 29)),
    ("Shai-Hulud 2.0 npm worm (Nov 2025)", r"hulud", date(2025, 11, 24)),
    ("Salt Typhoon telecom hacks (Dec 2024)", r"salt typhoon", date(2024, 12, 4)),
]


def end_of(day: str | date) -> datetime:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)


def norm(text: str) -> str:
    return " " + re.sub(r"[^0-9a-z]+", " ", text.lower()).strip() + " "


class Radar:
    """The radar as of one date, analysed on a scratch copy of the corpus."""

    def __init__(self, store: Store, settings, day: str) -> None:
        self.result = analyze(store, settings, as_of=end_of(day))
        self.trends = store.load_trends()
        self.shown = radar_selection(self.trends, settings)
        self.articles = store.load_articles_of_trends([t.id for t in self.shown])


def judge(radar: Radar, day: str, pattern: str, name_pattern: str) -> str:
    """check_radar.py's criteria: an on-radar trend whose last 120 days of articles mostly
    (>= 40 %, >= 5) have matching headlines; emerging or rising; named."""
    end, rx = end_of(day), re.compile(pattern, re.IGNORECASE)
    start = (end - timedelta(days=120)).isoformat().replace("+00:00", "Z")
    best = None
    for trend in radar.shown:
        recent = [a for a in radar.articles.get(trend.id, []) if a["published"] >= start]
        hits = sum(bool(rx.search(a["title"])) for a in recent)
        if hits >= 5 and hits >= 0.4 * len(recent) and (best is None or hits > best[0]):
            best = (hits, trend)
    if best is None:
        return "not on the radar"
    hits, trend = best
    named = bool(re.search(name_pattern, trend.label, re.IGNORECASE))
    verdict = "ok  " if trend.status in ("emerging", "rising") and named else "weak"
    return f"{verdict} {trend.status:9} named={named!s:5} {trend.label!r} ({trend.kind}, {hits})"


def subjects(store: Store, settings) -> None:
    spec = json.loads(DEV_SPEC.read_text()) if DEV_SPEC.exists() else {"themes": []}
    sets = [("shared examples", [(t["id"], t["as_of"], t["pattern"], t["name_pattern"])
                                 for t in spec["themes"]]), ("our own", OWN_SUBJECTS)]
    for title, items in sets:
        print(f"\nSubjects ({title}):")
        ok = 0
        for subject, day, pattern, name_pattern in items:
            verdict = judge(Radar(store, settings, day), day, pattern, name_pattern)
            ok += verdict.startswith("ok")
            print(f"  {subject:22} {day}  {verdict}")
        print(f"  -> {ok} of {len(items)} ok")


def radars(store: Store, settings) -> None:
    print("\nRadars: size, labels as written, recurring formats")
    readable = total = 0
    for day in RADAR_DATES:
        radar = Radar(store, settings, day)
        flagged = []
        for trend in radar.shown:
            titles = [norm(a["title"]) for a in radar.articles.get(trend.id, [])]
            total += 1
            readable += any(norm(trend.label) in t for t in titles) or \
                trend.label in trend.entities
            articles = radar.articles.get(trend.id, [])
            if RECURRING.search(trend.label) or (articles and sum(
                    bool(RECURRING.search(a["title"])) for a in articles) >= 0.5 * len(articles)):
                flagged.append(trend.label)
        kinds = sum(t.kind == THEME for t in radar.shown)
        print(f"  {day}: {len(radar.shown)} on the radar ({kinds} themes), "
              f"{len(radar.trends)} listed, {radar.result.seconds:.1f}s; recurring formats: "
              f"{flagged or 'none'}")
        if day in TOP15_DATES:
            top = [t for t, _ in distinct([t for t in radar.trends if t.status == "emerging"
                                            and (t.kind == THEME or t.theme is None)])][:15]
            print(f"    top {len(top)} emerging subjects:")
            for rank, trend in enumerate(top, start=1):
                print(f"     {rank:2}. {trend.label[:34]:34} {trend.kind:5} "
                      f"{trend.story_count:3} stories {trend.source_count:3} sites  "
                      f"{trend.why[:70]}")
    print(f"  labels as written: {readable}/{total} = {readable / max(total, 1):.0%}")


def events(store: Store, settings, work: Path) -> None:
    print("\nKnown events: first day an event is flagged (days after first article), rank "
          "among emerging events")
    for name, pattern, first in EVENTS:
        scratch = Store(work / f"{first}.db")
        seen: dict[str, tuple[date, int, str]] = {}

        def note(day: date, analysis, seen=seen, pattern=pattern) -> None:
            emerging = [t for t in analysis.trends if t.status == "emerging" and t.kind == EVENT]
            for trend in analysis.trends:
                if trend.kind == EVENT and re.search(pattern, trend.label, re.IGNORECASE):
                    rank = emerging.index(trend) + 1 if trend in emerging else 0
                    seen.setdefault(trend.status, (day, rank, trend.label))

        backtest(store, settings, start=first - timedelta(days=1), end=first + timedelta(days=5),
                 scratch=scratch, on_day=note)
        scratch.close()
        found = seen.get("emerging") or seen.get("rising")
        if found:
            day, rank, label = found
            status = "emerging" if "emerging" in seen else "rising"
            print(f"  {name:46} {status:8} {day} (+{(day - first).days}d) rank {rank or '-'}"
                  f"  {label}")
        else:
            print(f"  {name:46} not flagged within 5 days")


def stability(store: Store, settings, work: Path) -> None:
    scratch = Store(work / "stability.db")
    store.copy_articles_to(scratch)
    start = date(2025, 10, 20)
    before: dict[str, str] = {}
    continuing = changed = 0
    examples = []
    for offset in range(30):
        day = start + timedelta(days=offset)
        radar = Radar(scratch, settings, day.isoformat())
        now = {t.id: t.auto_label for t in radar.shown}
        for trend_id, label in now.items():
            if trend_id in before:
                continuing += 1
                if before[trend_id] != label:
                    changed += 1
                    examples.append(f"{before[trend_id]!r} -> {label!r} ({day})")
        before = now
    print(f"\nLabel stability {start} + 30 days: {changed} label changes in {continuing} "
          f"continuing radar trend-days = {changed / max(continuing, 1):.1%}")
    for example in examples[:10]:
        print(f"    {example}")


def churn(store: Store, settings, work: Path) -> None:
    start, end = date(2024, 5, 1), date(2024, 6, 29)
    scratch = Store(work / "churn.db")
    tagged: dict[str, str] = {}

    def tag_first(day: date, analysis, tagged=tagged, scratch=scratch) -> None:
        if not tagged and analysis.trends:
            trend = max((t for t in analysis.trends if t.kind == THEME),
                        key=lambda t: t.story_count)
            scratch.record_decision(trend.id, "assess", note="quality check", author="bench",
                                    at=f"{day}T23:59:59Z")
            tagged[trend.id] = trend.label
        listed = {t.id: t.ring for t in scratch.load_trends()}
        for trend_id in tagged:
            assert listed.get(trend_id) == "assess", f"tag lost on {day}"

    result = backtest(store, settings, start=start, end=end, scratch=scratch, on_day=tag_first)
    print(f"\n60-day backtest {start} .. {end}: {len(result.days)} analyses in "
          f"{result.seconds:.0f}s; {result.continuing} continuing trend-days, id churn "
          f"{result.churn:.2%}; tag on {list(tagged.values())} kept every day")


LINK_DATES = ["2024-01-20", "2024-06-12", "2025-03-15", "2025-09-15", "2026-02-12"]
KEV_COPY = ROOT.parent / "shared" / "corpus" / "kev.json"


def links(store: Store, settings) -> None:
    from radar.links import Ties, cves_in, load_ties, update_links
    from radar.org import read_initiatives_csv, read_kev, read_stack_csv

    examples = ROOT / "docs" / "examples"
    store.save_initiatives(read_initiatives_csv((examples / "roadmap.csv").read_text()))
    store.save_stack(read_stack_csv((examples / "stack.csv").read_text()))
    store.save_kev(read_kev(KEV_COPY.read_text(encoding="utf-8")))
    kev = store.load_kev()
    for day in LINK_DATES:
        analyze(store, settings, as_of=end_of(day))
        update_links(store, settings)
        trends = {t.id: t for t in store.load_trends()}
        shown = {t.id for t in radar_selection(list(trends.values()), settings)}
        ties = load_ties(store)
        rows = sorted((link.kind, target.id, "*" if trend_id in shown else " ",
                       trends[trend_id].label, link.reason)
                      for trend_id, tie in ties.items() if trend_id in trends
                      for link, target in (*tie.initiatives, *tie.stack))
        print(f"\n{day}: {len(rows)} links ({sum(r[2] == '*' for r in rows)} on the radar)")
        for kind, target, on_radar, label, reason in rows:
            print(f"  {on_radar} {kind:10} {target:32} {label[:32]:32} {reason[:90]}")
        act_now = [trends[t].label for t, tie in ties.items() if t in trends and tie.act_now]
        print(f"  act now: {', '.join(sorted(act_now)) or '-'}")
        articles = store.load_articles_of_trends(list(trends))
        named = {t: cves_in(a["title"] for a in rows) & kev.keys()
                 for t, rows in articles.items()}
        missing = sum(len(cves - {e.cve for e, _ in ties.get(t, Ties()).kev})
                      for t, cves in named.items())
        print(f"  KEV CVEs named in trend headlines: {sum(map(len, named.values()))}, "
              f"not linked: {missing}")


def main() -> None:
    wanted = set(sys.argv[1:]) or {"subjects", "radars", "events", "stability", "churn",
                                   "links"}
    settings = load_settings(ROOT / "feeds.yaml")
    work = Path(tempfile.mkdtemp(prefix="radar-quality-"))
    store = Store(work / "corpus.db")
    store.save_articles(read_archive(CORPUS, ImportReport()))
    update_duplicate_groups(store)
    if "subjects" in wanted:
        subjects(store, settings)
    if "radars" in wanted:
        radars(store, settings)
    if "events" in wanted:
        events(store, settings, work)
    if "stability" in wanted:
        stability(store, settings, work)
    if "churn" in wanted:
        churn(store, settings, work)
    if "links" in wanted:
        links(store, settings)


if __name__ == "__main__":
    main()
