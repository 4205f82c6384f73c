"""What the results of the trend watch are measured from: flags per analysis, the days and
sites of each trend's articles, decisions, and weekly coverage."""

from __future__ import annotations

from collections import defaultdict

from radar.store.sqlite import sqlite_utils


class ResultsStore:
    """Reads for `radar.results` (mixed into `Store`)."""

    db: sqlite_utils.Database

    def load_flags(self) -> list[tuple[str, str, str, bool]]:
        """(trend id, as-of, status, replayed) of every flag, oldest first."""
        return [(row[0], row[1], row[2], bool(row[3])) for row in self.db.execute(
            "select f.trend_id, f.as_of, f.status, coalesce(a.replayed, 0) from flags f"
            " left join analyses a on a.id = f.analysis_id order by f.as_of, f.trend_id")]

    def load_member_days(self, trend_ids: list[str]) -> dict[str, list[tuple[str, str, bool]]]:
        """Per trend, its articles' (day published, site, back-filled), oldest first."""
        wanted, found = set(trend_ids), defaultdict(list)
        for trend_id, day, site, backfilled in self.db.execute(
                "select m.trend_id, substr(a.published, 1, 10), a.site,"
                " coalesce(a.backfilled, 0) from trend_members m"
                " join articles a on a.id = m.article_id order by a.published"):
            if trend_id in wanted:
                found[trend_id].append((day, site or "", bool(backfilled)))
        return dict(found)

    def load_decision_log(self) -> list[tuple[str, str | None, str]]:
        """(trend id, ring or None for a withdrawal, decided at), oldest first."""
        return [tuple(row) for row in self.db.execute(
            "select trend_id, ring, decided_at from decisions order by id")]

    def first_analysis_day(self) -> str | None:
        """The day of the first analysis ever (YYYY-MM-DD): the radar's history starts."""
        return self.db.execute("select min(substr(as_of, 1, 10)) from analyses").fetchone()[0]

    def load_analysis_days(self, start: str, end: str) -> list[str]:
        """The days (YYYY-MM-DD) with an analysis in [start, end]."""
        return [row[0] for row in self.db.execute(
            "select distinct substr(as_of, 1, 10) from analyses"
            " where substr(as_of, 1, 10) between ? and ? order by 1", [start, end])]

    def weekly_coverage(self, start: str, end: str) -> list[dict]:
        """Per ISO week in [start, end]: articles, sites, and feeds fetched successfully."""
        rows = {row[0]: {"week": row[0], "articles": row[1], "sources": row[2],
                         "feeds_healthy": 0}
                for row in self.db.execute(
                    "select strftime('%Y-W%W', published), count(*), count(distinct site)"
                    " from articles where substr(published, 1, 10) between ? and ?"
                    " group by 1 order by 1", [start, end])}
        for week, healthy in self.db.execute(
                "select strftime('%Y-W%W', fetched_at), count(distinct feed) from fetch_log"
                " where outcome in ('ok', 'not_modified')"
                " and substr(fetched_at, 1, 10) between ? and ? group by 1", [start, end]):
            rows.setdefault(week, {"week": week, "articles": 0, "sources": 0})
            rows[week]["feeds_healthy"] = healthy
        return [rows[week] for week in sorted(rows)]
