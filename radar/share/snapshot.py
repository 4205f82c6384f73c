"""Radar editions as records: freeze what the radar shows into an immutable snapshot, say
what changed between two of them, and the few text rules every writer shares (pure; the
store keeps editions, `editions.py` moves them in and out, the writers print them)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field

from radar.models import EVENT, Trend
from radar.picture import Item, Picture, Spot, place_names


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
    number: int = 0                       # the blip's number on the radar picture
    kind: str = EVENT


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
    meanings: tuple[tuple[str, ...], ...] = ()   # per quadrant, per ring
    # The CIO's initiatives and the trends touching them, as frozen (see `roadmap_of`):
    # {name, owner, target, trends: [{id, label, ring, decided, status, act_now, why,
    #  note, internal}]}; and the KEV entries for products we run: {cve, product, name,
    #  due_date, ransomware, required_action}.
    roadmap: tuple[dict, ...] = ()
    exposure: tuple[dict, ...] = ()


def freeze(picture: Picture, trends: Sequence[Trend], *, decisions: dict[str, list[dict]],
           evidence: dict[str, list[dict]], name: str, note: str, created_at: str,
           as_of: str, sharing: str, roadmap: Sequence[dict] = (),
           exposure: Sequence[dict] = ()) -> Snapshot:
    """An edition of the radar picture; its id is a hash of its content (same content,
    same id). Entries are the trends the picture shows, in the order of their numbers."""
    by_id = {t.id: t for t in trends}
    entries = tuple(
        Entry(id=t.id, label=t.label, quadrant=t.quadrant, ring=t.shown_ring,
              decided=t.decided, status=t.status, score=round(float(t.score), 3),
              article_count=t.article_count, source_count=t.source_count, why=t.why,
              keywords=tuple(t.keywords[:8]), x=spot.x, y=spot.y, radius=spot.radius,
              decisions=tuple(decisions.get(t.id, ())), evidence=tuple(evidence.get(t.id, ())),
              number=spot.number, kind=t.kind)
        for spot in picture.spots for t in [by_id[spot.item.id]])
    content = {"name": name, "note": note, "as_of": as_of, "sharing": sharing,
               "quadrants": list(picture.quadrants), "rings": list(picture.rings),
               "meanings": [list(m) for m in picture.meanings],
               "entries": [asdict(e) for e in entries],
               "roadmap": list(roadmap), "exposure": list(exposure)}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:10]
    return Snapshot(id=digest, name=name, note=note, created_at=created_at, as_of=as_of,
                    sharing=sharing, quadrants=picture.quadrants, rings=picture.rings,
                    entries=entries, meanings=picture.meanings, roadmap=tuple(roadmap),
                    exposure=tuple(exposure))


def to_json(snapshot: Snapshot) -> str:
    return json.dumps(asdict(snapshot), sort_keys=True, ensure_ascii=False)


def from_json(text: str) -> Snapshot:
    """An edition as stored; editions frozen by earlier versions lack numbers and ring
    meanings, which then follow the entries' order and read as empty."""
    raw = json.loads(text)
    entries = tuple(Entry(**{**e, "keywords": tuple(e["keywords"]),
                             "decisions": tuple(e["decisions"]),
                             "evidence": tuple(e["evidence"]),
                             "number": e.get("number") or position})
                    for position, e in enumerate(raw["entries"], start=1))
    return Snapshot(**{**raw, "quadrants": tuple(raw["quadrants"]),
                       "rings": tuple(raw["rings"]), "entries": entries,
                       "meanings": tuple(tuple(m) for m in raw.get("meanings", ())),
                       "roadmap": tuple(raw.get("roadmap", ())),
                       "exposure": tuple(raw.get("exposure", ()))})


def picture_of(snapshot: Snapshot, changes: SnapshotDiff | None = None) -> Picture:
    """An edition's radar picture, as frozen: same numbers and places; "new" and "moved"
    marks say what changed since the edition before."""
    def item(entry: Entry) -> Item:
        state = changes.status_of(entry.id) if changes else "no change"
        return Item(id=entry.id, label=entry.label, quadrant=entry.quadrant, ring=entry.ring,
                    status=entry.status, decided=entry.decided, score=entry.score,
                    new=state == "new", moved=state in ("moved in", "moved out"),
                    detail=f"{entry.status} · {entry.ring}"
                           f"{'' if entry.decided else ' (suggested)'}")

    spots = [Spot(item(e), e.number, e.x, e.y, e.radius) for e in snapshot.entries]
    return Picture(quadrants=snapshot.quadrants, rings=snapshot.rings,
                   meanings=snapshot.meanings,
                   spots=tuple(place_names(spots, rings=snapshot.rings)))


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

    @property
    def detail(self) -> str:
        """' (hold → assess)' for a move, ' (from Quadrant)' for a quadrant change, else ''."""
        if self.kind in ("moved in", "moved out"):
            return f" ({self.before} → {self.entry.ring})"
        return f" (from {self.before})" if self.before else ""


@dataclass
class SnapshotDiff:
    """What changed from edition `older` to edition `newer`; `history` holds the editions
    before `newer`, newest first, for writers that show a trend's path (Backstage)."""

    older: str | None
    newer: str
    changes: list[Change] = field(default_factory=list)
    decisions: list[tuple[Entry, dict]] = field(default_factory=list)
    history: tuple[Snapshot, ...] = ()

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def listed(self) -> list[tuple[str, list[Change]]]:
        """(title, changes) for each kind of change there is, in the order briefs list them."""
        return [(title, found) for kind, title in CHANGE_TITLES.items()
                if (found := self.of_kind(kind))]

    def shared_decisions(self, *, include_internal: bool) -> list[tuple[Entry, dict]]:
        """Decisions made in between, without internal notes unless asked for."""
        return [(e, d) for e, d in self.decisions if is_shared(d, include_internal)]

    def status_of(self, trend_id: str) -> str:
        """BYOR's vocabulary: new, moved in, moved out or no change."""
        for change in self.changes:
            if change.entry.id == trend_id and change.kind in ("new", "moved in", "moved out"):
                return change.kind
        return "no change"


def diff(older: Snapshot | None, newer: Snapshot, *,
         history: Sequence[Snapshot] = ()) -> SnapshotDiff:
    """New, moved in/out between rings, quadrant changes, dropped, and the decisions made
    in between. Rings are ordered inside out, so a smaller ring index is "moved in"."""
    result = SnapshotDiff(older=older.id if older else None, newer=newer.id,
                          history=tuple(history) or ((older,) if older else ()))
    if older is None:  # a first edition: everything would be "new", which says nothing
        return result
    before = {e.id: e for e in older.entries}
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


# --- text every writer shares ----------------------------------------------------------------


def is_shared(decision: dict, include_internal: bool) -> bool:
    """Internal notes stay inside the team unless an export asks for them."""
    return include_internal or not decision.get("internal")


def rationale(entry: Entry, *, include_internal: bool) -> str:
    """The latest shareable decision note, else the engine's why-now line."""
    notes = [d for d in entry.decisions
             if is_shared(d, include_internal) and d.get("new") and d.get("note")]
    return notes[-1]["note"] if notes else entry.why


def decision_line(entry: Entry, decision: dict) -> str:
    """'Label: hold → assess (ciso, 2031-03-02): why' (plain text; writers escape it)."""
    return (f"{entry.label}: {decision['old'] or 'undecided'} → "
            f"{decision['new'] or 'undecided'} ({decision['author']}, "
            f"{decision['at'][:10]}): {decision['note']}")


def ring_meaning(snapshot: Snapshot, quadrant: str, ring: str) -> str:
    """What a ring means in a quadrant of this edition ("" when the edition does not say)."""
    if quadrant not in snapshot.quadrants or ring not in snapshot.rings:
        return ""
    q, r = snapshot.quadrants.index(quadrant), snapshot.rings.index(ring)
    meanings = snapshot.meanings[q] if q < len(snapshot.meanings) else ()
    return meanings[r] if r < len(meanings) else ""


def changes_summary(changes: SnapshotDiff) -> str:
    """What a diff with nothing to list says: that this is the first edition, or what it
    was compared with."""
    if changes.older is None:
        return "First edition: nothing to compare it with yet."
    if not changes.changes and not changes.decisions:
        return f"No changes since edition {changes.older}."
    return f"Compared with edition {changes.older}."


# --- what the radar means for the CIO's roadmap ----------------------------------------------


SUPPORT, RISK = "Support", "Risk"


def roadmap_brief(snapshot: Snapshot, *, include_internal: bool
                  ) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per initiative: its title ('Passkeys (ciso, 2026-Q3)') and its trends as (SUPPORT or
    RISK, line), the trends to support first. Risks are the outer ring and anything to act
    on now; the inner rings are what to support."""
    outer = snapshot.rings[-1] if snapshot.rings else ""
    brief = []
    for initiative in snapshot.roadmap:
        support, risks = [], []
        for trend in initiative["trends"]:
            shared = trend.get("note") and (include_internal or not trend.get("internal"))
            # Why it concerns the initiative first (editions before 2026-12 lack it), then
            # the decision's rationale, or the figures of why it is news now.
            line = "; ".join(filter(None, (trend.get("link"),
                                           trend["note"] if shared else trend["why"])))
            if trend["act_now"] or trend["ring"] == outer:
                risks.append((RISK, _roadmap_line(trend, line)))
            else:
                support.append((SUPPORT, _roadmap_line(trend, line)))
        brief.append((_initiative_title(initiative), support + risks))
    return brief


def _roadmap_line(trend: dict, rationale_line: str) -> str:
    """'Passkeys (assess, suggested): 9 articles from 5 sources …' for one trend."""
    ring = trend["ring"] + ("" if trend["decided"] else ", suggested")
    flag = ", act now" if trend["act_now"] else ""
    return f"{trend['label']} ({ring}{flag}): {rationale_line}"


def _initiative_title(initiative: dict) -> str:
    facts = ", ".join(filter(None, (initiative["owner"], initiative["target"])))
    return initiative["name"] + (f" ({facts})" if facts else "")


EXPOSURE_SHOWN = 10   # a brief lists the newest flaws; the Roadmap view lists them all


def exposure_brief(snapshot: Snapshot) -> tuple[list[tuple[dict, str]], str]:
    """The exploited flaws a brief lists (newest due date first), each with its line, and
    the line saying how many more there are ("" when none)."""
    more = len(snapshot.exposure) - EXPOSURE_SHOWN
    return ([(entry, _exposure_line(entry)) for entry in snapshot.exposure[:EXPOSURE_SHOWN]],
            f"… and {more} more exploited flaws in our stack (the Roadmap view lists them all)"
            if more > 0 else "")


def _exposure_line(entry: dict) -> str:
    """'CVE-2024-21887 in Ivanti Connect Secure, due 2024-01-22, used by ransomware: …'"""
    ransomware = ", used by ransomware" if entry["ransomware"] else ""
    action = entry["required_action"]
    action = action if len(action) <= 120 else action[:119].rsplit(" ", 1)[0] + " …"
    return f"{entry['cve']} in {entry['product']}, due {entry['due_date']}{ransomware}: {action}"
