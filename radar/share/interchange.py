"""Writers for other radar tools: Build Your Own Radar CSV/JSON, Zalando and Backstage
tech-radar JSON (pure: an edition in, text out). Internal notes are left out unless asked
for."""

from __future__ import annotations

import csv
import io
import json

from radar.models import FLAGGED
from radar.share.snapshot import Entry, Snapshot, SnapshotDiff, is_shared, rationale

ZALANDO_MOVED = {"new": 2, "moved in": 1, "moved out": -1}


def shared_notes(entry: Entry, *, include_internal: bool) -> list[dict]:
    return [d for d in entry.decisions if is_shared(d, include_internal)]


def byor_rows(snapshot: Snapshot, changes: SnapshotDiff, *,
              include_internal: bool = False) -> list[dict]:
    """Thoughtworks Build Your Own Radar columns: name, ring, quadrant, isNew, status,
    description."""
    return [{"name": e.label, "ring": e.ring, "quadrant": e.quadrant,
             "isNew": "TRUE" if changes.status_of(e.id) == "new" else "FALSE",
             "status": changes.status_of(e.id),
             "description": rationale(e, include_internal=include_internal)}
            for e in snapshot.entries]


def render_byor_csv(snapshot: Snapshot, changes: SnapshotDiff, *,
                    include_internal: bool = False) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["name", "ring", "quadrant", "isNew", "status",
                                             "description"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(byor_rows(snapshot, changes, include_internal=include_internal))
    return out.getvalue()


def render_byor_json(snapshot: Snapshot, changes: SnapshotDiff, *,
                     include_internal: bool = False) -> str:
    return json.dumps(byor_rows(snapshot, changes, include_internal=include_internal),
                      indent=2, ensure_ascii=False) + "\n"


def render_zalando(snapshot: Snapshot, changes: SnapshotDiff, *,
                   include_internal: bool = False) -> str:
    """Zalando tech-radar entries: quadrant and ring as indexes, moved as -1/0/1/2."""
    entries = [{"quadrant": snapshot.quadrants.index(e.quadrant),
                "ring": snapshot.rings.index(e.ring), "label": e.label,
                "active": e.status in FLAGGED,
                "link": e.evidence[0]["link"] if e.evidence else "",
                "moved": ZALANDO_MOVED.get(changes.status_of(e.id), 0)}
               for e in snapshot.entries
               if e.quadrant in snapshot.quadrants and e.ring in snapshot.rings]
    return json.dumps({"date": snapshot.as_of[:10], "sharing": snapshot.sharing,
                       "entries": entries}, indent=2, ensure_ascii=False) + "\n"


def render_backstage(snapshot: Snapshot, changes: SnapshotDiff, *,
                     include_internal: bool = False) -> str:
    """Backstage tech-radar: quadrants, rings and entries with a timeline, newest first."""
    def timeline(entry: Entry) -> list[dict]:
        moves = [{"moved": 0, "ringId": d["new"], "date": d["at"],
                  "description": d["note"]}
                 for d in shared_notes(entry, include_internal=include_internal)
                 if d.get("new")]
        moves.append({"moved": ZALANDO_MOVED.get(changes.status_of(entry.id), 0),
                      "ringId": entry.ring, "date": snapshot.as_of,
                      "description": rationale(entry, include_internal=include_internal)})
        return sorted(moves, key=lambda m: m["date"], reverse=True)

    return json.dumps({
        "title": f"{snapshot.name} ({snapshot.sharing})",
        "quadrants": [{"id": str(i), "name": q} for i, q in enumerate(snapshot.quadrants)],
        "rings": [{"id": r, "name": r.upper()} for r in snapshot.rings],
        "entries": [{"id": e.id, "key": e.id, "title": e.label,
                     "quadrant": str(snapshot.quadrants.index(e.quadrant)),
                     "description": rationale(e, include_internal=include_internal),
                     "links": [{"url": a["link"], "title": a["title"]} for a in e.evidence[:3]],
                     "timeline": timeline(e)}
                    for e in snapshot.entries if e.quadrant in snapshot.quadrants],
    }, indent=2, ensure_ascii=False) + "\n"
