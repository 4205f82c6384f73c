"""Trends in the store: analyses, members, lineage, and people's decisions and edits.

Decisions and edits are append-only and live in their own tables; they are applied when
trends are loaded, so no analysis can overwrite them. The rules for applying them are in
`radar.policy`.
"""

from __future__ import annotations

import json
from datetime import datetime

from radar import policy
from radar.errors import NotFoundError
from radar.models import (
    EMERGING,
    EVENT,
    FLAGGED,
    Finding,
    FlagHistory,
    Identity,
    KnownTrend,
    SearchHit,
    Trend,
)
from radar.store.editions import like_prefix
from radar.store.sqlite import sqlite_utils
from radar.text import iso_utc, parse_iso_utc


class TrendStore:
    """The trend engine's and the people's half of the store (mixed into `Store`)."""

    db: sqlite_utils.Database

    # --- analyses ------------------------------------------------------------------------

    def load_known_trends(self) -> list[KnownTrend]:
        members: dict[str, set[str]] = {}
        for trend_id, article_id in self.db.execute(
                "select trend_id, article_id from trend_members"):
            members.setdefault(trend_id, set()).add(article_id)
        rings = self.current_rings()
        merged_by_people = {row[0] for row in self.db.execute(
            "select distinct trend_id from trend_edits where action = 'merge'")}
        return [
            KnownTrend(id=row["id"], members=frozenset(members.get(row["id"], ())),
                       terms=json.loads(row["terms"] or "{}"), state=row["state"] or "active",
                       merged_into=row["merged_into"],
                       merged_by_person=row["id"] in merged_by_people,
                       decided=rings.get(row["id"]) is not None,
                       created=row["created_as_of"] or "", kind=row["kind"] or EVENT,
                       label=row["label"] or "")
            for row in self.db.query("select id, terms, state, merged_into, created_as_of,"
                                     " kind, label from trends order by id")
        ]

    def save_analysis(self, findings: list[Finding], identity: Identity, *, as_of: str,
                      window_days: int, stories: int, seconds: float,
                      ran_at: datetime, replayed: bool = False) -> None:
        """Store one analysis in one transaction: trends, members, lineage, merges, flags.
        `replayed` asks to mark it history replayed after the fact; whether it is one
        is `policy.is_replayed` of its as-of and when it ran (`ran_at`)."""
        with self.writing():
            existing = {row["id"]: row for row in self.db.query(
                "select id, state, parent_id, created_as_of, ring_shown from trends")}
            decided = self.current_rings()
            rows = []
            for found in findings:
                before = existing.get(found.id, {})
                rows.append({
                    "id": found.id, "label": found.label, "keywords": json.dumps(found.keywords),
                    "entities": json.dumps(found.entities), "terms": json.dumps(found.terms),
                    "quadrant": found.quadrant, "quadrant_reason": found.quadrant_reason,
                    "suggested_ring": found.suggested_ring, "status": found.status,
                    "score": found.score, "article_count": found.article_count,
                    "story_count": found.story_count, "source_count": found.source_count,
                    "first_seen": found.first_seen, "last_seen": found.last_seen,
                    "weekly_counts": json.dumps(found.weekly_counts), "why": found.why,
                    "kind": found.kind, "theme_id": found.theme,
                    "perennial": int(found.perennial),
                    "state": policy.state_after_analysis(before.get("state")),
                    "merged_into": None,   # found apart again after the engine merged it
                    "parent_id": found.parent_id or before.get("parent_id"),
                    "created_as_of": before.get("created_as_of") or as_of,
                    "updated_as_of": as_of,
                    # The ring the radar showed at the last analysis, to mark moves.
                    "ring_before": before.get("ring_shown"),
                    "ring_shown": decided.get(found.id) or found.suggested_ring,
                })
            self.db["trends"].upsert_all(rows, pk="id")
            self.db.conn.executemany("delete from trend_members where trend_id = ?",
                                [(found.id,) for found in findings])
            self.db["trend_members"].insert_all(
                ({"trend_id": found.id, "article_id": a} for found in findings
                 for a in sorted(found.members)), pk=("trend_id", "article_id"),
                batch_size=5000)
            for absorbed, keeper in identity.merged.items():
                self.db.execute("update trends set state = 'merged', merged_into = ?,"
                                " status = 'dormant' where id = ?", [keeper, absorbed])
            for trend_id in identity.dormant:
                self.db.execute("update trends set state = 'dormant', status = 'dormant',"
                                " updated_as_of = ? where id = ? and state = 'active'",
                                [as_of, trend_id])
            self.db["lineage"].insert_all(
                [{"trend_id": e.trend_id, "event": e.event, "related_id": e.related_id,
                  "as_of": as_of} for e in identity.events], pk="id")
            analysis_id = self.db["analyses"].insert({
                "as_of": as_of, "window_days": window_days, "stories": stories,
                "trends": len(findings),
                "emerging": sum(f.status == EMERGING for f in findings),
                "seconds": round(seconds, 3), "ran_at": iso_utc(ran_at),
                "replayed": int(policy.is_replayed(parse_iso_utc(as_of), ran_at,
                                                   asked=replayed))},
                pk="id").last_pk
            self.db["flags"].insert_all(
                ({"analysis_id": analysis_id, "trend_id": f.id, "as_of": as_of,
                  "status": f.status, "source_count": f.source_count}
                 for f in findings if f.status in FLAGGED), pk=("analysis_id", "trend_id"))

    def last_analysis(self) -> dict | None:
        rows = list(self.db.query("select * from analyses order by id desc limit 1"))
        return rows[0] if rows else None

    # --- reading trends ------------------------------------------------------------------

    def load_trends(self, *, include_hidden: bool = False) -> list[Trend]:
        """Trends for listing, highest score first, with people's edits applied.

        Which trends are listed is `policy.is_listed`; dismissed and merged-away trends
        come only with `include_hidden`. Aliases list the trends each one absorbed.
        """
        rings = self.current_rings()
        aliases: dict[str, list[str]] = {}
        for row in self.db.query("select id, merged_into from trends where state = 'merged'"
                                 " order by id"):
            aliases.setdefault(row["merged_into"], []).append(row["id"])
        rows = [row for row in self.db.query("select * from trends order by score desc, id")
                if include_hidden or policy.is_listed(row["state"],
                                                      decided=bool(rings.get(row["id"])))]
        events: dict[str, list[str]] = {}
        for row in rows:
            if row["theme_id"] and row["state"] == "active":
                events.setdefault(row["theme_id"], []).append(row["id"])
        return [_trend(row, rings.get(row["id"]), aliases.get(row["id"], ()),
                       events.get(row["id"], ())) for row in rows]

    def get_trend(self, trend_id: str) -> Trend:
        rows = list(self.db.query("select * from trends where id = ?", [trend_id]))
        if not rows:
            raise NotFoundError(f"no trend with id {trend_id!r} (see `radar trends`)")
        aliases = [r[0] for r in self.db.execute(
            "select id from trends where merged_into = ? and state = 'merged' order by id",
            [trend_id])]
        events = [r[0] for r in self.db.execute(
            "select id from trends where theme_id = ? and state = 'active'"
            " order by score desc, id", [trend_id])]
        return _trend(rows[0], self.current_rings().get(trend_id), aliases, events)

    def load_trend_articles(self, trend_id: str) -> list[dict]:
        """A trend's member articles, newest first."""
        return list(self.db.query(
            "select a.title, a.link, a.source, a.site, a.published from trend_members m"
            " join articles a on a.id = m.article_id where m.trend_id = ?"
            " order by a.published desc, a.id", [trend_id]))

    def load_articles_of_trends(self, trend_ids: list[str]) -> dict[str, list[dict]]:
        """Many trends' member articles at once (newest first): one query, not one each."""
        found: dict[str, list[dict]] = {}
        for row in self.db.query(
                "select m.trend_id, a.title, a.link, a.source, a.site, a.published"
                " from trend_members m join articles a on a.id = m.article_id"
                " where m.trend_id in (select value from json_each(?))"
                " order by m.trend_id, a.published desc, a.id", [json.dumps(trend_ids)]):
            found.setdefault(row.pop("trend_id"), []).append(row)
        return found

    def load_search_hits(self, query: str) -> list[SearchHit]:
        """The trends a search finds, with what their order needs
        (`selection.search_relevance`), in one query.

        The query is matched literally: LIKE wildcards are escaped, and FTS syntax ("C++",
        "NOT", quotes) is quoted token by token instead of failing.
        """
        words = query.strip()
        if not words:
            return []
        like = "%" + like_prefix(words.lower())
        quoted = self.db.quote_fts(words)
        # Articles matching the words, counted per trend (none when no word is left to
        # search the text for).
        matched = ("select m.trend_id, count(*) as matching from articles_fts f"
                   " join articles a on a.rowid = f.rowid join trend_members m"
                   " on m.article_id = a.id where articles_fts match :fts"
                   " group by m.trend_id") if quoted else \
            "select null as trend_id, 0 as matching where 0"
        return [SearchHit(row[0], bool(row[1]), bool(row[2]), row[3], row[4])
                for row in self.db.execute(
                    f"with matched as ({matched}) select * from (select t.id,"
                    " lower(coalesce(t.user_label, t.label)) like :like escape '\\' as name,"
                    " lower(t.keywords || ' ' || coalesce(t.entities, '')) like :like"
                    " escape '\\' as terms, coalesce(x.matching, 0) as matching,"
                    " (select count(*) from trend_members c where c.trend_id = t.id)"
                    " from trends t left join matched x on x.trend_id = t.id)"
                    " where name or terms or matching > 0 order by id",
                    {"like": like, "fts": quoted})]

    def save_radar(self, trend_ids: list[str]) -> None:
        """Which trends the radar showed right after the latest analysis."""
        last = self.last_analysis()
        if last is None:
            return
        with self.writing():
            self.db.execute("delete from radar_blips where analysis_id = ?", [last["id"]])
            self.db["radar_blips"].insert_all(
                [{"analysis_id": last["id"], "trend_id": t} for t in trend_ids],
                pk=("analysis_id", "trend_id"))

    def previous_radar(self) -> set[str] | None:
        """The trends the radar showed after the analysis before the latest one; None
        when there was none (a first radar has nothing "new")."""
        rows = list(self.db.query("select id from analyses order by id desc limit 2"))
        if len(rows) < 2:
            return None
        return {row[0] for row in self.db.execute(
            "select trend_id from radar_blips where analysis_id = ?", [rows[1]["id"]])}

    def data_version(self) -> tuple:
        """Changes whenever anything the app shows changes: a cheap cache key."""
        return tuple(self.db.execute(
            "select (select max(id) from analyses), (select max(id) from decisions),"
            " (select max(id) from trend_edits), (select max(id) from fetch_log),"
            " (select count(*) from articles), (select count(*) from radar_blips),"
            " (select n from changes where area = 'org')").fetchone())

    # --- people's decisions and edits (append-only history) ------------------------------

    def flagged_before(self, as_of: str) -> set[str]:
        """The trends the latest analysis before `as_of` flagged (none: an empty set)."""
        return {row[0] for row in self.db.execute(
            "select trend_id from flags where analysis_id = (select id from analyses"
            " where as_of < ? order by as_of desc, id desc limit 1)", [as_of])}

    def flagged_lately(self, as_of: str, *, days: int) -> set[str]:
        """The trends any analysis of the `days` before `as_of` flagged."""
        return {row[0] for row in self.db.execute(
            "select distinct trend_id from flags where as_of < ? and as_of >= strftime("
            "'%Y-%m-%dT%H:%M:%SZ', ?, ?)", [as_of, as_of, f"-{days} days"])}

    def flag_history(self, as_of: str, *, lately_days: int, week_days: int) -> FlagHistory:
        """What the analyses before `as_of` flagged (see `FlagHistory`)."""
        previous = self.db.execute("select max(as_of) from analyses where as_of < ?",
                                   [as_of]).fetchone()[0]
        since = (parse_iso_utc(as_of) - parse_iso_utc(previous)).total_seconds() / 86400 \
            if previous else None
        return FlagHistory(before=self.flagged_before(as_of),
                           lately=self.flagged_lately(as_of, days=lately_days),
                           new_week=self.newly_flagged(as_of, days=week_days, within=week_days),
                           new_day=self.newly_flagged(as_of, days=1, within=week_days),
                           since_days=since)

    def newly_flagged(self, as_of: str, *, days: int, within: int) -> int:
        """How many flags the analyses of the `days` before `as_of` raised: trends each
        flagged that the analysis before it did not. A first analysis, or one `within`
        days or more after the one before, raises none: it has nothing to compare with."""
        return self.db.execute(
            "select count(*) from flags f join analyses a on a.id = f.analysis_id"
            " join analyses b on b.id = (select id from analyses where as_of < a.as_of"
            " order by as_of desc, id desc limit 1)"
            " where a.as_of < ? and a.as_of > strftime('%Y-%m-%dT%H:%M:%SZ', ?, ?)"
            " and julianday(a.as_of) - julianday(b.as_of) < ?"
            " and not exists (select 1 from flags p where p.trend_id = f.trend_id and"
            " p.analysis_id = b.id)",
            [as_of, as_of, f"-{days} days", within]).fetchone()[0]

    def save_suggested_rings(self, rings: dict[str, str]) -> None:
        """New ring suggestions (what the evidence backs); an undecided trend shows it at
        this analysis, so it is not marked as moved until the next one."""
        if not rings:
            return
        with self.writing():
            decided = self.current_rings()
            for trend_id, ring in rings.items():
                self.db.execute("update trends set suggested_ring = ?, ring_shown = coalesce(?, ?)"
                                " where id = ?", [ring, decided.get(trend_id), ring, trend_id])
            self._touch()

    def current_rings(self) -> dict[str, str | None]:
        """Each trend's latest decided ring (None once untagged)."""
        return {row[0]: row[1] for row in self.db.execute(
            "select trend_id, ring from decisions where id in"
            " (select max(id) from decisions group by trend_id)")}

    def record_decision(self, trend_id: str, ring: str | None, *, note: str, author: str,
                        at: str, internal: bool = False) -> str | None:
        """Append a decision (ring None = untag); returns the ring it replaces.

        An internal note stays in the radar but is left out of exports by default.
        """
        with self.writing():
            self.get_trend(trend_id)
            previous = self.current_rings().get(trend_id)
            self.db["decisions"].insert({"trend_id": trend_id, "ring": ring,
                                         "previous_ring": previous, "note": note,
                                         "author": author, "decided_at": at,
                                         "internal": int(internal)}, pk="id")
        return previous

    def load_decisions(self) -> dict[str, list[dict]]:
        """Every trend's decisions, oldest first, as editions record them."""
        decisions: dict[str, list[dict]] = {}
        for row in self.db.query("select * from decisions order by id"):
            decisions.setdefault(row["trend_id"], []).append({
                "at": row["decided_at"], "author": row["author"], "old": row["previous_ring"],
                "new": row["ring"], "note": row["note"], "internal": bool(row["internal"])})
        return decisions

    def record_edit(self, trend_id: str, action: str, new: str | None, *, note: str,
                    author: str, at: str) -> None:
        """Rename, override the quadrant, dismiss or merge, with its history line."""
        column = policy.EDIT_COLUMNS[action]
        with self.writing():
            self.get_trend(trend_id)
            old = self.db.execute(f"select {column} from trends where id = ?",
                                  [trend_id]).fetchone()[0]
            if action == "merge":
                self.get_trend(new or "")
                self.db.execute("update trends set state = 'merged', merged_into = ?"
                                " where id = ?", [new, trend_id])
            else:
                self.db.execute(f"update trends set {column} = ? where id = ?",
                                [new, trend_id])
            self.db["trend_edits"].insert({"trend_id": trend_id, "action": action,
                                           "old": old, "new": new, "note": note,
                                           "author": author, "at": at}, pk="id")

    def load_history(self, trend_id: str) -> list[dict]:
        """Decisions and edits of a trend, oldest first."""
        self.get_trend(trend_id)
        decisions = [{"at": r["decided_at"], "action": "tag" if r["ring"] else "untag",
                      "old": r["previous_ring"], "new": r["ring"], "note": r["note"],
                      "author": r["author"]}
                     for r in self.db.query("select * from decisions where trend_id = ?"
                                            " order by id", [trend_id])]
        edits = [{key: r[key] for key in ("at", "action", "old", "new", "note", "author")}
                 for r in self.db.query("select * from trend_edits where trend_id = ?"
                                        " order by id", [trend_id])]
        return sorted(decisions + edits, key=lambda entry: entry["at"])

    def load_lineage(self, trend_id: str) -> list[dict]:
        return list(self.db.query("select event, related_id, as_of from lineage"
                                  " where trend_id = ? or related_id = ? order by id",
                                  [trend_id, trend_id]))


def _trend(row: dict, ring: str | None, aliases, events) -> Trend:
    """A stored row with people's edits applied."""
    shown = ring or row["suggested_ring"]
    return Trend(
        id=row["id"], label=row["user_label"] or row["label"], auto_label=row["label"],
        keywords=tuple(json.loads(row["keywords"] or "[]")),
        entities=tuple(json.loads(row["entities"] or "[]")),
        quadrant=row["quadrant_override"] or row["quadrant"],
        quadrant_reason=row["quadrant_reason"] or "", ring=ring,
        suggested_ring=row["suggested_ring"], status=row["status"], score=row["score"] or 0.0,
        article_count=row["article_count"] or 0, story_count=row["story_count"] or 0,
        source_count=row["source_count"] or 0, first_seen=row["first_seen"] or "",
        last_seen=row["last_seen"] or "",
        weekly_counts=tuple(tuple(w) for w in json.loads(row["weekly_counts"] or "[]")),
        why=row["why"] or "", state=row["state"] or "active", aliases=tuple(aliases),
        moved=policy.has_moved(ring_before=row["ring_before"],
                               ring_at_analysis=row["ring_shown"], ring_now=shown),
        parent_id=row["parent_id"], created_as_of=row["created_as_of"] or "",
        updated_as_of=row["updated_as_of"] or "", kind=row["kind"] or EVENT,
        theme=row["theme_id"] if row["kind"] == EVENT else None, events=tuple(events),
        perennial=bool(row.get("perennial")))
