"""Editions in and out of the store: freeze the radar as it is now, load one, find the
edition before it. The pure records and the diff are in `snapshot.py`."""

from __future__ import annotations

from radar.config import Settings
from radar.errors import NotFoundError
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
    shown = radar_selection(store.load_trends(), settings)
    picture = draw(trend_items(shown), quadrants=[q.name for q in settings.quadrants],
                   rings=settings.rings, meanings=meanings_of(settings))
    evidence = {t.id: [{k: a[k] for k in ("title", "link", "source", "published")}
                       for a in store.load_trend_articles(t.id)[:evidence_per_trend]]
                for t in shown}
    snapshot = freeze(picture, shown, decisions=store.load_decisions(), evidence=evidence,
                      name=name or f"Radar {analysis['as_of'][:10]}", note=note,
                      created_at=created_at, as_of=analysis["as_of"], sharing=sharing)
    is_new = store.save_snapshot(snapshot.id, to_json(snapshot), name=snapshot.name,
                                 note=note, created_at=created_at, as_of=snapshot.as_of,
                                 sharing=sharing)
    return snapshot, is_new


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


def edition_with_changes(store: Store, snapshot_id: str | None = None
                         ) -> tuple[Snapshot, SnapshotDiff]:
    """An edition (default: the newest), what changed since the one before it, and the
    editions before it (for a trend's path through them)."""
    edition = load_edition(store, snapshot_id)
    earlier = editions_before(store, edition)
    return edition, diff(earlier[0] if earlier else None, edition, history=earlier)
