"""The radar's answers as plain, JSON-ready dicts: what `radar trends --json` prints and
what an AI assistant's tools return (`radar mcp`). Each answer is built from the library
calls the CLI and the app use, with links to the evidence (article URLs, and the trend
in the app when its address is known); long lists come a page at a time, saying how many
more there are. Bad input is a `BadInputError` or `NotFoundError` naming it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from urllib.parse import quote

from radar.config import Settings
from radar.errors import BadInputError, NotFoundError
from radar.flaws import open_hits
from radar.leadtimes import first_flags
from radar.links import Ties, load_ties, trends_by_initiative
from radar.models import STATUSES, Trend
from radar.results import measure
from radar.selection import Filters, filter_trends, radar_selection, search_relevance
from radar.share.editions import (
    edition_with_changes,
    editions_to_compare,
    load_edition,
    roadmap_of,
)
from radar.share.markdown import render_markdown
from radar.share.snapshot import Entry, Snapshot, changes_summary, decision_line, diff, ring_meaning
from radar.store import Store
from radar.text import now_iso, utc_now

EVIDENCE = ("title", "link", "source", "published")
EVIDENCE_SHOWN = 3        # articles listed with each trend of a list (`trend` pages them all)
METRICS_DAYS = 90         # the period `metrics` measures when none is given
EMERGING_DAYS = 7         # "newly flagged" looks this far back by default


# --- links and pages -----------------------------------------------------------------------


def trend_link(app_url: str | None, trend_id: str) -> str | None:
    """The trend opened on the app's Radar view (None when the app's address is unknown)."""
    return f"{app_url.rstrip('/')}/?view=Radar&trend={quote(trend_id)}" if app_url else None


def edition_link(app_url: str | None, edition_id: str) -> str | None:
    """An edition's read-only page in the app."""
    return f"{app_url.rstrip('/')}/?snapshot={quote(edition_id)}" if app_url else None


def page(items: Sequence, *, limit: int, offset: int = 0) -> tuple[list, dict]:
    """One page of a list and what tells the reader where it is: total, offset, returned,
    and how many more follow (ask again with `next_offset`)."""
    shown = list(items[offset:offset + limit])
    more = max(0, len(items) - offset - len(shown))
    return shown, {"total": len(items), "offset": offset, "returned": len(shown),
                   "more": more, "next_offset": offset + len(shown) if more else None}


def choice(value: str | None, allowed: Sequence[str], what: str) -> str | None:
    """`value` when it is one of `allowed` (None passes), else a clear refusal."""
    if value is None or value in allowed:
        return value
    raise BadInputError(f"{value!r} is not a {what} (use one of: {', '.join(allowed)})")


def parse_day(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadInputError(f"{what} {value!r} is not a date (use YYYY-MM-DD)") from None


def evidence(articles: Sequence[dict]) -> list[dict]:
    return [{key: a[key] for key in EVIDENCE} for a in articles]


# --- trends --------------------------------------------------------------------------------

JSON_KEYS = ("id", "label", "keywords", "entities", "quadrant", "ring", "suggested_ring",
             "status", "score", "article_count", "source_count", "first_seen", "last_seen",
             "weekly_counts", "aliases", "why", "quadrant_reason", "parent_id")


def trend_json(trend: Trend, articles: list[dict], *, on_radar: bool, ties: Ties) -> dict:
    """The JSON shape of `radar trends --json` (lists, not tuples, as before), with
    `kind`, `theme` (an event's theme id), `events` (a theme's event ids), `on_radar`,
    and what ties it to the organisation: `initiatives`, `stack`, `kev`, `act_now`."""
    values = {key: getattr(trend, key) for key in JSON_KEYS}
    for key in ("keywords", "entities", "aliases"):
        values[key] = list(values[key])
    values["weekly_counts"] = [list(week) for week in trend.weekly_counts]
    values |= {"kind": trend.kind, "theme": trend.theme, "events": list(trend.events),
               "on_radar": on_radar,
               "initiatives": [{"id": i.id, "name": i.name, "reason": link.reason,
                                "state": link.state} for link, i in ties.initiatives],
               "stack": [{"vendor": item.vendor, "product": item.product,
                          "reason": link.reason, "state": link.state}
                         for link, item in ties.stack],
               "kev": [{"cve": e.cve, "vendor": e.vendor, "product": e.product,
                        "date_added": e.date_added, "due_date": e.due_date,
                        "ransomware": e.ransomware, "on_stack": item is not None,
                        "marked": mark.state if (mark := ties.mark_of(e, item)) else None}
                       for e, item in ties.kev],
               "act_now": ties.act_now}
    return {**values, "articles": evidence(articles)}


def trend_line(trend: Trend, app_url: str | None) -> dict:
    """A trend as lists show it: enough to choose one and ask `trend` about it."""
    return {"id": trend.id, "label": trend.label, "kind": trend.kind,
            "quadrant": trend.quadrant, "ring": trend.shown_ring, "decided": trend.decided,
            "status": trend.status, "score": round(trend.score, 3),
            "article_count": trend.article_count, "source_count": trend.source_count,
            "last_seen": trend.last_seen, "why": trend.why,
            "app_link": trend_link(app_url, trend.id)}


def _with_evidence(store: Store, trends: Sequence[Trend], app_url: str | None) -> list[dict]:
    return [{**trend_line(t, app_url),
             "articles": evidence(store.load_trend_articles(t.id)[:EVIDENCE_SHOWN])}
            for t in trends]


def radar_answer(store: Store, settings: Settings, *, edition: str | None = None,
                 quadrant: str | None = None, ring: str | None = None,
                 status: str | None = None, limit: int, offset: int = 0,
                 app_url: str | None = None) -> dict:
    """The radar now (the trends its picture shows), or as an edition froze it."""
    choice(status, STATUSES, "status")
    if edition:
        return _edition_radar(load_edition(store, edition), quadrant=quadrant, ring=ring,
                              status=status, limit=limit, offset=offset, app_url=app_url)
    choice(quadrant, [q.name for q in settings.quadrants], "quadrant")
    choice(ring, settings.rings, "ring")
    analysis = store.last_analysis()
    if analysis is None:
        raise NotFoundError("no analysis yet: run `radar analyze` first")
    shown = filter_trends(radar_selection(store.load_trends(), settings),
                          Filters(quadrant=quadrant, ring=ring, status=status))
    listed, paging = page(shown, limit=limit, offset=offset)
    meanings = {q.name: q for q in settings.quadrants}
    return {"as_of": analysis["as_of"], "edition": None, **paging, "trends": [
        {**line, "ring_meaning": meanings[line["quadrant"]].meaning(line["ring"])
         if line["quadrant"] in meanings else ""}
        for line in _with_evidence(store, listed, app_url)]}


def _edition_radar(snapshot: Snapshot, *, quadrant: str | None, ring: str | None,
                   status: str | None, limit: int, offset: int, app_url: str | None) -> dict:
    choice(quadrant, snapshot.quadrants, "quadrant of this edition")
    choice(ring, snapshot.rings, "ring of this edition")
    entries = [e for e in snapshot.entries if (not quadrant or e.quadrant == quadrant)
               and (not ring or e.ring == ring) and (not status or e.status == status)]
    listed, paging = page(entries, limit=limit, offset=offset)
    return {"as_of": snapshot.as_of, "edition": snapshot.id,
            "edition_link": edition_link(app_url, snapshot.id), **paging,
            "trends": [_entry(e, snapshot, app_url) for e in listed]}


def _entry(entry: Entry, snapshot: Snapshot, app_url: str | None) -> dict:
    return {"id": entry.id, "number": entry.number, "label": entry.label, "kind": entry.kind,
            "quadrant": entry.quadrant, "ring": entry.ring, "decided": entry.decided,
            "ring_meaning": ring_meaning(snapshot, entry.quadrant, entry.ring),
            "status": entry.status, "score": entry.score,
            "article_count": entry.article_count, "source_count": entry.source_count,
            "why": entry.why, "articles": list(entry.evidence[:EVIDENCE_SHOWN]),
            "app_link": trend_link(app_url, entry.id)}


def trend_answer(store: Store, settings: Settings, trend_id: str, *, limit: int,
                 offset: int = 0, app_url: str | None = None) -> dict:
    """One trend: why now, its theme or events, a page of its evidence, its decision
    history, and the initiatives, stack items and exploited flaws it touches."""
    try:
        trend = store.get_trend(trend_id.strip())
    except NotFoundError:
        raise NotFoundError(f"no trend with id {trend_id!r} (find ids with search, radar "
                            "or emerging)") from None
    everything = {t.id: t for t in store.load_trends(include_hidden=True)}
    on_radar = any(t.id == trend.id for t in radar_selection(list(everything.values()),
                                                              settings))
    articles, paging = page(store.load_trend_articles(trend.id), limit=limit, offset=offset)
    related = [everything[i] for i in (trend.theme, *trend.events) if i in everything]
    return {**trend_json(trend, articles, on_radar=on_radar,
                         ties=load_ties(store).get(trend.id, Ties())),
            "state": trend.state, "decided": trend.decided,
            "app_link": trend_link(app_url, trend.id),
            "related": [trend_line(t, app_url) for t in related],
            "history": store.load_history(trend.id), "articles_page": paging}


def search_answer(store: Store, query: str, *, limit: int, offset: int = 0,
                  app_url: str | None = None) -> dict:
    """Trends about the query, most relevant first (the app's Browse search)."""
    if not query.strip():
        raise BadInputError("the search query is empty")
    relevance = search_relevance(store.load_search_hits(query))
    found = filter_trends(store.load_trends(), Filters(matching=relevance))
    listed, paging = page(found, limit=limit, offset=offset)
    return {"query": query, **paging, "trends": [
        {**line, "relevance": round(relevance[line["id"]], 3)}
        for line in _with_evidence(store, listed, app_url)]}


def emerging_answer(store: Store, *, since: str | None = None, initiative: str | None = None,
                    limit: int, offset: int = 0, app_url: str | None = None) -> dict:
    """Trends first flagged (emerging or rising) on or after `since` (default: the week
    before the last analysis), newest flag first; only those touching an initiative (by
    id or name) when one is given."""
    analysis = store.last_analysis()
    if analysis is None:
        raise NotFoundError("no analysis yet: run `radar analyze` first")
    start = parse_day(since, "since") if since else (
        date.fromisoformat(analysis["as_of"][:10]) - timedelta(days=EMERGING_DAYS))
    trends = {t.id: t for t in store.load_trends()}
    if initiative is not None:
        touching = set(trends_by_initiative(load_ties(store)).get(
            initiative_id(store, initiative), ()))
        trends = {t: trend for t, trend in trends.items() if t in touching}
    flagged = sorted(((day, replayed, trends[t]) for t, (day, replayed)
                      in first_flags(store.load_flags()).items()
                      if day >= start and t in trends),
                     key=lambda found: (-found[0].toordinal(), -found[2].score, found[2].id))
    listed, paging = page(flagged, limit=limit, offset=offset)
    lines = _with_evidence(store, [t for _, _, t in listed], app_url)
    return {"since": start.isoformat(), "as_of": analysis["as_of"], "initiative": initiative,
            **paging, "trends": [
                {**line, "first_flagged": day.isoformat(), "replayed": replayed}
                for (day, replayed, _), line in zip(listed, lines, strict=True)]}


def initiative_id(store: Store, initiative: str) -> str:
    """An initiative's id from its id or its name (as people say it)."""
    ids = {i.name: i.id for i in store.load_initiatives()}
    if initiative in ids.values():
        return initiative
    if initiative in ids:
        return ids[initiative]
    raise NotFoundError(f"no initiative {initiative!r} (the roadmap has: "
                        f"{', '.join(ids) or 'nothing yet'})")


def roadmap_answer(store: Store, *, initiative: str | None = None, per_initiative: int,
                   app_url: str | None = None) -> dict:
    """Each initiative (or the one named, by id or name) with the current trends touching
    it, decided ones first, and whether one is a flaw to act on now."""
    wanted = initiative_id(store, initiative) if initiative is not None else None
    ids = {i.name: i.id for i in store.load_initiatives()}
    roadmap = roadmap_of(store, store.load_trends(), store.load_decisions(),
                         per_initiative=per_initiative)
    return {"initiatives": [
        {"id": ids[found["name"]], **found,
         "trends": [{**t, "app_link": trend_link(app_url, t["id"])} for t in found["trends"]]}
        for found in roadmap if wanted in (None, ids[found["name"]])]}


def act_now_answer(store: Store, *, limit: int, offset: int = 0,
                   app_url: str | None = None) -> dict:
    """Flaws CISA lists as exploited in products we run, latest due date first, each
    with the trends naming it; past due when its due date is before today."""
    today = now_iso()[:10]
    naming: dict[str, list[str]] = {}
    trends = {t.id: t for t in store.load_trends()}
    for trend_id, ties in load_ties(store).items():
        for entry, item in ties.kev:
            if item is not None and trend_id in trends:
                naming.setdefault(entry.cve, []).append(trend_id)
    hits, paging = page(open_hits(store), limit=limit,
                        offset=offset)
    return {"today": today, **paging, "entries": [
        {"cve": e.cve, "name": e.name, "vendor": e.vendor, "product": e.product,
         "stack_item": {"id": item.id, "vendor": item.vendor, "product": item.product,
                        "version": item.version, "owner": item.owner},
         "date_added": e.date_added, "due_date": e.due_date,
         "past_due": bool(e.due_date) and e.due_date < today, "ransomware": e.ransomware,
         "required_action": e.required_action,
         "link": f"https://nvd.nist.gov/vuln/detail/{quote(e.cve)}",
         "trends": [{"id": t, "label": trends[t].label, "app_link": trend_link(app_url, t)}
                    for t in naming.get(e.cve, [])]}
        for e, item in hits]}


# --- editions and results ----------------------------------------------------------------------


def editions_answer(store: Store, *, limit: int, offset: int = 0,
                    app_url: str | None = None) -> dict:
    listed, paging = page(store.list_snapshots(), limit=limit, offset=offset)
    return {**paging, "editions": [{**e, "app_link": edition_link(app_url, e["id"])}
                                   for e in listed]}


def edition_diff_answer(store: Store, *, older: str | None = None, newer: str | None = None,
                        app_url: str | None = None) -> dict:
    """What changed between two editions (default: the newest and the one before it)."""
    previous, newest = editions_to_compare(store, older, newer)
    changes = diff(previous, newest)
    return {"older": changes.older, "newer": changes.newer,
            "summary": changes_summary(changes),
            "changes": [{"kind": c.kind, "trend_id": c.entry.id, "label": c.entry.label,
                         "quadrant": c.entry.quadrant, "ring": c.entry.ring,
                         "before": c.before, "app_link": trend_link(app_url, c.entry.id)}
                        for c in changes.changes],
            "decisions": [{"trend_id": e.id, "label": e.label, **d,
                           "line": decision_line(e, d)} for e, d in changes.decisions]}


def metrics_answer(store: Store, *, start: str | None = None, end: str | None = None,
                   limit: int) -> dict:
    """The results of a period (default: the 90 days up to the last analysis), as
    `radar metrics --json` gives them, with a page of its lead times."""
    analysis = store.last_analysis()
    last = parse_day(end, "to") if end else (
        date.fromisoformat(analysis["as_of"][:10]) if analysis else utc_now().date())
    first = parse_day(start, "from") if start else last - timedelta(days=METRICS_DAYS)
    if first > last:
        raise BadInputError(f"from {first} is after to {last}")
    results = measure(store, start=first, end=last)
    values = json.loads(json.dumps(results.to_json(), default=str))
    values["lead_times"], values["lead_times_page"] = page(values["lead_times"], limit=limit)
    return {"summary": results.summary(), **values}


def decide(store: Store, settings: Settings, trend_id: str, ring: str, rationale: str, *,
           author: str, app_url: str | None = None) -> dict:
    """Record a decided ring with its rationale, like `radar tag` (append-only history)."""
    choice(ring, settings.rings, "ring")
    if not rationale.strip():
        raise BadInputError("a rationale is required: say why, for the people who read it")
    at = now_iso()
    previous = store.record_decision(trend_id.strip(), ring, note=rationale.strip(),
                                     author=author, at=at)
    return {"trend_id": trend_id.strip(), "ring": ring, "previous": previous,
            "author": author, "at": at, "app_link": trend_link(app_url, trend_id.strip())}


# --- texts to read -------------------------------------------------------------------------


def latest_edition_markdown(store: Store) -> str:
    """The newest edition as its Markdown brief (internal notes left out)."""
    return render_markdown(*edition_with_changes(store))


def ring_meanings_markdown(settings: Settings) -> str:
    """What each ring means in each quadrant, as the settings say."""
    lines = ["# What the rings mean", ""]
    for quadrant in settings.quadrants:
        lines += [f"## {quadrant.name}", ""]
        lines += [f"- **{ring}**: {quadrant.meaning(ring) or '(no meaning set)'}"
                  for ring in settings.rings]
        lines.append("")
    return "\n".join(lines)
