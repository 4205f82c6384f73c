"""Editions in and out of the store: freeze the radar as it is now, load one, find the
edition before it. The pure records and the diff are in `snapshot.py`."""

from __future__ import annotations

from radar.config import Settings
from radar.errors import NotFoundError
from radar.flaws import load_flaws, open_flaws
from radar.links import load_ties, trends_by_initiative
from radar.models import DORMANT, Trend
from radar.picture import draw, meanings_of, trend_items
from radar.selection import radar_selection
from radar.share.snapshot import Snapshot, SnapshotDiff, diff, freeze, from_json, to_json
from radar.store import Store


def create_edition(store: Store, settings: Settings, *, name: str, note: str, sharing: str,
                   created_at: str, evidence_per_trend: int = 10) -> tuple[Snapshot, bool]:
    """Freeze the radar picture as the store shows it now (the trends on the radar, their
    numbers and places); returns it and whether it is new."""
    analysis = store.last_analysis()
    if analysis is None:
        raise NotFoundError("nothing to freeze: run `radar analyze` first")
    trends = store.load_trends()
    decisions = store.load_decisions()
    shown = radar_selection(trends, settings)
    picture = draw(trend_items(shown), quadrants=[q.name for q in settings.quadrants],
                   rings=settings.rings, meanings=meanings_of(settings))
    evidence = {t.id: [{k: a[k] for k in ("title", "link", "source", "published")}
                       for a in store.load_trend_articles(t.id)[:evidence_per_trend]]
                for t in shown}
    snapshot = freeze(picture, shown, decisions=decisions, evidence=evidence,
                      name=name or f"Radar {analysis['as_of'][:10]}", note=note,
                      created_at=created_at, as_of=analysis["as_of"], sharing=sharing,
                      roadmap=roadmap_of(store, trends, decisions),
                      exposure=exposure_of(store))
    is_new = store.save_snapshot(snapshot.id, to_json(snapshot), name=snapshot.name,
                                 note=note, created_at=created_at, as_of=snapshot.as_of,
                                 sharing=sharing)
    return snapshot, is_new


def roadmap_of(store: Store, trends: list[Trend], decisions: dict[str, list[dict]], *,
               per_initiative: int = 8) -> list[dict]:
    """Each initiative with the trends touching it (not rejected, and current), decided
    ones first, then by score; each with its latest decision note."""
    by_id = {t.id: t for t in trends}
    ties = load_ties(store)
    touching = trends_by_initiative(ties)
    roadmap = []
    for initiative in store.load_initiatives():
        current = [by_id[t] for t in touching.get(initiative.id, ())
                   if t in by_id and _current(by_id[t])]
        found = sorted(current, key=lambda t: (not t.decided, -t.score, t.label, t.id)
                       )[:per_initiative]
        roadmap.append({"name": initiative.name, "owner": initiative.owner,
                        "target": initiative.target, "trends": [
                            _roadmap_trend(t, ties[t.id].act_now, decisions.get(t.id, []))
                            | {"link": _link_reason(ties[t.id], initiative.id)}
                            for t in found]})
    return roadmap


def _link_reason(ties, initiative_id: str) -> str:
    """Why the trend touches the initiative, without naming the initiative again (the
    brief lists it under its name): "the trend is named after 'passkeys'"."""
    reason = next((link.reason for link, target in ties.initiatives
                   if target.id == initiative_id), "")
    return reason.rsplit("; initiative ", 1)[0]


def _current(trend: Trend) -> bool:
    """Worth a line in the brief: decided, flagged, or covered in the last four weeks."""
    recent = sum(count for _, count in trend.weekly_counts[-4:])
    return trend.decided or trend.flagged or (trend.status != DORMANT and recent > 0)


def _roadmap_trend(trend: Trend, act_now: bool, decisions: list[dict]) -> dict:
    noted = [d for d in decisions if d.get("new") and d.get("note")]
    return {"id": trend.id, "label": trend.label, "ring": trend.shown_ring,
            "decided": trend.decided, "status": trend.status, "act_now": act_now,
            "why": trend.why, "note": noted[-1]["note"] if noted else "",
            "internal": bool(noted and noted[-1].get("internal"))}


def exposure_of(store: Store) -> list[dict]:
    """The open exploited flaws in our stack, as an edition freezes them (one per CVE,
    naming every product of ours it still hits; marked ones are left out)."""
    flaws = load_flaws(store)
    return [{"cve": f.entry.cve, "product": f.products, "name": f.entry.name,
             "due_date": f.entry.due_date, "ransomware": f.entry.ransomware,
             "required_action": f.entry.required_action} for f in open_flaws(flaws)]


def load_edition(store: Store, snapshot_id: str | None = None) -> Snapshot:
    """An edition by id (or unique prefix), else the newest one."""
    if snapshot_id:
        return from_json(store.load_snapshot_payload(snapshot_id))
    editions = store.list_snapshots()
    if not editions:
        raise NotFoundError("no snapshot yet: run `radar snapshot create` first")
    return from_json(store.load_snapshot_payload(editions[0]["id"]))


def edition_before(store: Store, edition: Snapshot) -> Snapshot | None:
    """The edition stored just before this one (None for the first)."""
    earlier = _ids_before(store, edition)
    return from_json(store.load_snapshot_payload(earlier[0])) if earlier else None


def editions_before(store: Store, edition: Snapshot) -> list[Snapshot]:
    """Every edition stored before this one, newest first."""
    return [from_json(store.load_snapshot_payload(i)) for i in _ids_before(store, edition)]


def _ids_before(store: Store, edition: Snapshot) -> list[str]:
    ids = [e["id"] for e in store.list_snapshots()]   # newest first
    return ids[ids.index(edition.id) + 1:] if edition.id in ids else []


def editions_to_compare(store: Store, older: str | None, newer: str | None
                        ) -> tuple[Snapshot | None, Snapshot]:
    """The two editions `radar snapshot diff` compares: the ones named, by default the
    newest and the one before it (a newer one named alone is compared with nothing)."""
    newest = load_edition(store, newer)
    if older:
        return load_edition(store, older), newest
    return (None if newer else edition_before(store, newest)), newest


def edition_with_changes(store: Store, snapshot_id: str | None = None
                         ) -> tuple[Snapshot, SnapshotDiff]:
    """An edition (default: the newest), what changed since the one before it, and the
    editions before it (for a trend's path through them)."""
    edition = load_edition(store, snapshot_id)
    earlier = editions_before(store, edition)
    return edition, diff(earlier[0] if earlier else None, edition, history=earlier)
