"""Radar editions: freeze what the radar shows into an immutable snapshot, and say what
changed between two of them (pure; the store keeps them, the exporters print them)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field

from radar.config import Settings
from radar.errors import NotFoundError
from radar.layout import Blip, place_blips
from radar.store import Store
from radar.views import blip_specs


@dataclass(frozen=True)
class Entry:
    """One trend as an edition shows it."""

    id: str
    label: str
    quadrant: str
    ring: str
    decided: bool
    status: str
    score: float
    article_count: int
    source_count: int
    why: str
    keywords: tuple[str, ...]
    x: float
    y: float
    radius: float
    decisions: tuple[dict, ...] = ()      # {at, author, old, new, note, internal}
    evidence: tuple[dict, ...] = ()       # {title, link, source, published}


@dataclass(frozen=True)
class Snapshot:
    id: str
    name: str
    note: str
    created_at: str
    as_of: str
    sharing: str
    quadrants: tuple[str, ...]
    rings: tuple[str, ...]
    entries: tuple[Entry, ...]


def freeze(trends: Sequence[dict], blips: Sequence[Blip], *, decisions: dict[str, list[dict]],
           evidence: dict[str, list[dict]], name: str, note: str, created_at: str,
           as_of: str, sharing: str, quadrants: Sequence[str], rings: Sequence[str]
           ) -> Snapshot:
    """An edition of the radar; its id is a hash of its content (same content, same id)."""
    placed = {b.id: b for b in blips}
    entries = tuple(
        Entry(id=t["id"], label=t["label"], quadrant=t["quadrant"],
              ring=t["ring"] or t["suggested_ring"], decided=t["ring"] is not None,
              status=t["status"], score=round(float(t["score"]), 3),
              article_count=t["article_count"], source_count=t["source_count"],
              why=t["why"] or "", keywords=tuple(t["keywords"][:8]),
              x=placed[t["id"]].x, y=placed[t["id"]].y, radius=placed[t["id"]].radius,
              decisions=tuple(decisions.get(t["id"], ())),
              evidence=tuple(evidence.get(t["id"], ())))
        for t in trends if t["id"] in placed)
    content = {"name": name, "note": note, "as_of": as_of, "sharing": sharing,
               "quadrants": list(quadrants), "rings": list(rings),
               "entries": [asdict(e) for e in entries]}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:10]
    return Snapshot(id=digest, name=name, note=note, created_at=created_at, as_of=as_of,
                    sharing=sharing, quadrants=tuple(quadrants), rings=tuple(rings),
                    entries=entries)


def to_json(snapshot: Snapshot) -> str:
    return json.dumps(asdict(snapshot), sort_keys=True, ensure_ascii=False)


def from_json(text: str) -> Snapshot:
    raw = json.loads(text)
    entries = tuple(Entry(**{**e, "keywords": tuple(e["keywords"]),
                             "decisions": tuple(e["decisions"]),
                             "evidence": tuple(e["evidence"])}) for e in raw["entries"])
    return Snapshot(**{**raw, "quadrants": tuple(raw["quadrants"]),
                       "rings": tuple(raw["rings"]), "entries": entries})


CHANGE_TITLES = {"new": "New", "moved in": "Moved in", "moved out": "Moved out",
                 "quadrant": "Changed quadrant", "dropped": "Dropped"}


def segments(snapshot: Snapshot) -> Iterator[tuple[str, str, list[Entry]]]:
    """(quadrant, ring, entries) for every non-empty segment, in radar order."""
    for quadrant in snapshot.quadrants:
        for ring in snapshot.rings:
            members = [e for e in snapshot.entries if e.quadrant == quadrant and e.ring == ring]
            if members:
                yield quadrant, ring, members


@dataclass
class Change:
    entry: Entry
    kind: str                      # new, moved in, moved out, quadrant, dropped
    before: str | None = None      # ring or quadrant before, where it applies


@dataclass
class SnapshotDiff:
    """What changed from edition `older` to edition `newer`."""

    older: str | None
    newer: str
    changes: list[Change] = field(default_factory=list)
    decisions: list[tuple[Entry, dict]] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def shared_decisions(self, *, include_internal: bool) -> list[tuple[Entry, dict]]:
        """Decisions made in between, without internal notes unless asked for."""
        return [(e, d) for e, d in self.decisions if include_internal or not d["internal"]]

    def status_of(self, trend_id: str) -> str:
        """BYOR's vocabulary: new, moved in, moved out or no change."""
        for change in self.changes:
            if change.entry.id == trend_id and change.kind in ("new", "moved in", "moved out"):
                return change.kind
        return "no change"


def diff(older: Snapshot | None, newer: Snapshot) -> SnapshotDiff:
    """New, moved in/out between rings, quadrant changes, dropped, and the decisions made
    in between. Rings are ordered inside out, so a smaller ring index is "moved in"."""
    result = SnapshotDiff(older=older.id if older else None, newer=newer.id)
    before = {e.id: e for e in older.entries} if older else {}
    for entry in newer.entries:
        old = before.get(entry.id)
        if old is None:
            result.changes.append(Change(entry, "new"))
            continue
        if entry.ring != old.ring and entry.ring in newer.rings and old.ring in newer.rings:
            kind = ("moved in" if newer.rings.index(entry.ring) < newer.rings.index(old.ring)
                    else "moved out")
            result.changes.append(Change(entry, kind, old.ring))
        if entry.quadrant != old.quadrant:
            result.changes.append(Change(entry, "quadrant", old.quadrant))
    current = {e.id for e in newer.entries}
    result.changes += [Change(e, "dropped") for e in before.values() if e.id not in current]
    # Decisions "in between" are those the older edition did not carry (exact, whatever
    # the clocks say).
    known = {(e.id, d["at"], d["author"], d["new"], d["note"])
             for e in before.values() for d in e.decisions}
    for entry in newer.entries:
        for decision in entry.decisions:
            if (entry.id, decision["at"], decision["author"], decision["new"],
                    decision["note"]) not in known:
                result.decisions.append((entry, decision))
    return result


def create_snapshot(store: Store, settings: Settings, *, name: str, note: str, sharing: str,
                    created_at: str, evidence_per_trend: int = 10) -> tuple[Snapshot, bool]:
    """Freeze the radar as the store shows it now; returns it and whether it is new."""
    analysis = store.last_analysis()
    if analysis is None:
        raise NotFoundError("nothing to freeze: run `radar analyze` first")
    trends = store.load_trends()
    quadrants, rings = [q.name for q in settings.quadrants], list(settings.rings)
    blips = place_blips(blip_specs(trends, quadrants=quadrants, rings=rings), rings=len(rings))
    evidence = {t["id"]: [{k: a[k] for k in ("title", "link", "source", "published")}
                          for a in store.load_trend_articles(t["id"])[:evidence_per_trend]]
                for t in trends}
    snapshot = freeze(trends, blips, decisions=store.load_decisions(), evidence=evidence,
                      name=name or f"Radar {analysis['as_of'][:10]}", note=note,
                      created_at=created_at, as_of=analysis["as_of"], sharing=sharing,
                      quadrants=quadrants, rings=rings)
    is_new = store.save_snapshot(snapshot.id, to_json(snapshot), name=snapshot.name,
                                 note=note, created_at=created_at, as_of=snapshot.as_of,
                                 sharing=sharing)
    return snapshot, is_new


def load_snapshot(store: Store, snapshot_id: str | None = None, *, offset: int = 0
                  ) -> Snapshot | None:
    """An edition by id, or the newest (offset 0) / the one before it (offset 1)."""
    if snapshot_id:
        return from_json(store.load_snapshot_payload(snapshot_id))
    editions = store.list_snapshots()
    if len(editions) <= offset:
        return None
    return from_json(store.load_snapshot_payload(editions[offset]["id"]))
