"""Writers for other radar tools, each with the rules of the tool it is for.

Thoughtworks Build Your Own Radar (CSV/JSON), Zalando's `radar_visualization` and the
Backstage tech-radar plugin each load only what follows their conventions, and drop or
reject the rest without a clear word. Each writer here follows one tool's rules, and
`check_*` states those rules as code: every export is checked before it is written (and
the tests run the checks), so a file that the tool would refuse is an error here first.
Writers are pure: an edition in, text out; internal notes are left out unless asked for.
"""

from __future__ import annotations

import csv
import io
import json
import shlex
from datetime import datetime

from radar.errors import ExportError
from radar.models import FLAGGED
from radar.share.snapshot import Entry, Snapshot, SnapshotDiff, rationale, ring_meaning
from radar.text import csv_uncell, render_csv

# --- Thoughtworks BYOR -------------------------------------------------------------------
# BYOR places a blip only when its ring and quadrant are among the radar's configured
# names (env RINGS, at most four, and QUADRANTS, exactly four); others vanish silently.

BYOR_COLUMNS = ["name", "ring", "quadrant", "isNew", "status", "description"]
BYOR_STATUSES = ("new", "moved in", "moved out", "no change")
BYOR_MAX_RINGS = 4


def byor_settings(snapshot: Snapshot) -> dict[str, list[str]]:
    """The QUADRANTS and RINGS values BYOR must be run with to place every blip."""
    if len(snapshot.rings) > BYOR_MAX_RINGS:
        raise ExportError(f"BYOR draws at most {BYOR_MAX_RINGS} rings; this radar has "
                          f"{len(snapshot.rings)} ({', '.join(snapshot.rings)})")
    return {"QUADRANTS": list(snapshot.quadrants),
            "RINGS": [ring.title() for ring in snapshot.rings]}


def byor_advice(snapshot: Snapshot) -> str:
    """What to set in BYOR so it shows this file (printed by the CLI, shown in the app)."""
    settings = byor_settings(snapshot)
    return ("Run Thoughtworks Build Your Own Radar with these settings, or it leaves "
            "blips out:\n"
            + "\n".join(f"export {name}={shlex.quote(json.dumps(values, ensure_ascii=False))}"
                        for name, values in settings.items()))


def byor_rows(snapshot: Snapshot, changes: SnapshotDiff, *,
              include_internal: bool = False) -> list[dict]:
    """One row per trend: name, ring, quadrant, isNew (TRUE/FALSE), status, description."""
    byor_settings(snapshot)   # refuses a radar BYOR cannot draw
    return [{"name": e.label, "ring": e.ring.title(), "quadrant": e.quadrant,
             "isNew": "TRUE" if changes.status_of(e.id) == "new" else "FALSE",
             "status": changes.status_of(e.id),
             "description": rationale(e, include_internal=include_internal)}
            for e in snapshot.entries]


def render_byor_csv(snapshot: Snapshot, changes: SnapshotDiff, *,
                    include_internal: bool = False) -> str:
    return render_csv(BYOR_COLUMNS, ([row[column] for column in BYOR_COLUMNS] for row in
                                     byor_rows(snapshot, changes,
                                               include_internal=include_internal)))


def render_byor_json(snapshot: Snapshot, changes: SnapshotDiff, *,
                     include_internal: bool = False) -> str:
    return json.dumps(byor_rows(snapshot, changes, include_internal=include_internal),
                      indent=2, ensure_ascii=False) + "\n"


def check_byor_csv(content: str, snapshot: Snapshot) -> None:
    reader = csv.DictReader(io.StringIO(content))
    _require(reader.fieldnames == BYOR_COLUMNS,
             f"BYOR CSV header must be {BYOR_COLUMNS}, not {reader.fieldnames}")
    check_byor_rows([{key: csv_uncell(value) for key, value in row.items()} for row in reader],
                    snapshot)


def check_byor_json(content: str, snapshot: Snapshot) -> None:
    rows = json.loads(content)
    _require(isinstance(rows, list) and all(isinstance(r, dict) and list(r) == BYOR_COLUMNS
                                            for r in rows),
             f"BYOR JSON must be a list of objects with keys {BYOR_COLUMNS}")
    check_byor_rows(rows, snapshot)


def check_byor_rows(rows: list[dict], snapshot: Snapshot) -> None:
    settings = byor_settings(snapshot)
    _require(len(settings["QUADRANTS"]) == 4, "BYOR needs exactly four quadrant names")
    for number, row in enumerate(rows, start=1):
        _require(bool(row["name"]), f"BYOR row {number} has no name")
        _require(row["ring"] in settings["RINGS"],
                 f"BYOR row {number}: ring {row['ring']!r} is not one of {settings['RINGS']}")
        _require(row["quadrant"] in settings["QUADRANTS"],
                 f"BYOR row {number}: quadrant {row['quadrant']!r} is not configured")
        _require(row["isNew"] in ("TRUE", "FALSE"), f"BYOR row {number}: isNew is "
                 f"{row['isNew']!r}, not TRUE or FALSE")
        _require(row["status"] in BYOR_STATUSES,
                 f"BYOR row {number}: status {row['status']!r} is not one of {BYOR_STATUSES}")


# --- Zalando tech radar ------------------------------------------------------------------
# `radar_visualization(config)` draws exactly four rings, 0 = ADOPT … 3 = HOLD, and
# numbers quadrants clockwise from the bottom right. Our quadrant q is drawn at
# q*90°..(q+1)*90° counter-clockwise from the right (0 top right, 1 top left, 2 bottom
# left, 3 bottom right), so Zalando's index 3 - q puts each quadrant where ours shows it.

ZALANDO_RINGS = ("ADOPT", "TRIAL", "ASSESS", "HOLD")
# Zalando's ring colours, then more for longer custom ring lists (Backstage has no limit).
RING_PALETTE = ("#5ba300", "#009eb0", "#c7ba00", "#e09b96", "#9c6ade", "#8c8c8c")
ZALANDO_MOVED = {"new": 2, "moved in": 1, "moved out": -1}   # else 0
ZALANDO_PAGE = {"svg_id": "radar", "width": 1450, "height": 1000,
                "colors": {"background": "#fff", "grid": "#dddde0", "inactive": "#ddd"},
                "print_layout": True, "links_in_new_tabs": True}


def zalando_rings(rings: tuple[str, ...]) -> tuple[list[int], str]:
    """Zalando's ring index for each of our rings, and how they were mapped.

    Rings named as Zalando's (adopt, trial, assess, hold, in any case) keep their meaning:
    our default adopt / assess / hold are drawn in ADOPT, ASSESS and HOLD, leaving TRIAL
    empty. Any other list of up to four rings maps by order, inside out, and says so.
    """
    if len(rings) > len(ZALANDO_RINGS):
        raise ExportError(f"Zalando's radar draws exactly four rings; this radar has "
                          f"{len(rings)} ({', '.join(rings)}): use at most four rings")
    if all(ring.upper() in ZALANDO_RINGS for ring in rings):
        return [ZALANDO_RINGS.index(ring.upper()) for ring in rings], "rings mapped by name"
    mapping = ", ".join(f"{ring} -> {zalando}" for ring, zalando in zip(rings, ZALANDO_RINGS,
                                                                          strict=False))
    return list(range(len(rings))), f"rings mapped by order: {mapping}"


def ring_colours(rings: tuple[str, ...]) -> list[str]:
    """A colour per ring: Zalando's for its ring names, else by order inside out."""
    if all(ring.upper() in ZALANDO_RINGS for ring in rings):
        return [RING_PALETTE[ZALANDO_RINGS.index(ring.upper())] for ring in rings]
    return [RING_PALETTE[min(i, len(RING_PALETTE) - 1)] for i in range(len(rings))]


def zalando_quadrant(snapshot: Snapshot, quadrant: str) -> int:
    return 3 - snapshot.quadrants.index(quadrant)


def render_zalando(snapshot: Snapshot, changes: SnapshotDiff, *,
                   include_internal: bool = False) -> str:
    """The whole `radar_visualization({...})` argument: page, quadrants, rings, entries."""
    indexes, mapping = zalando_rings(snapshot.rings)
    names = list(ZALANDO_RINGS)
    for ring, index in zip(snapshot.rings, indexes, strict=True):
        names[index] = ring.upper()
    entries = [{"quadrant": zalando_quadrant(snapshot, e.quadrant),
                "ring": indexes[snapshot.rings.index(e.ring)], "label": e.label,
                "active": e.status in FLAGGED,
                "link": e.evidence[0]["link"] if e.evidence else "",
                "moved": ZALANDO_MOVED.get(changes.status_of(e.id), 0)}
               for e in snapshot.entries
               if e.quadrant in snapshot.quadrants and e.ring in snapshot.rings]
    return json.dumps({
        **ZALANDO_PAGE, "title": f"{snapshot.name} ({snapshot.sharing})",
        "date": snapshot.as_of[:10], "sharing": snapshot.sharing, "ring_mapping": mapping,
        "quadrants": [{"name": snapshot.quadrants[3 - i]} for i in range(4)],
        "rings": [{"name": name, "color": colour}
                  for name, colour in zip(names, RING_PALETTE, strict=False)],
        "entries": entries}, indent=2, ensure_ascii=False) + "\n"


def check_zalando(content: str, snapshot: Snapshot) -> None:
    data = json.loads(content)
    missing = {"svg_id", "width", "height", "colors", "title", "quadrants", "rings",
               "entries"} - set(data)
    _require(not missing, f"Zalando config lacks {sorted(missing)}")
    _require(len(data["quadrants"]) == 4 and all("name" in q for q in data["quadrants"]),
             "Zalando needs four named quadrants")
    _require(len(data["rings"]) == 4 and all({"name", "color"} <= set(r)
                                             for r in data["rings"]),
             "Zalando needs four rings, each with a name and a color")
    for number, entry in enumerate(data["entries"], start=1):
        _require(entry.get("quadrant") in range(4) and entry.get("ring") in range(4),
                 f"Zalando entry {number}: quadrant and ring must be 0-3")
        _require(entry.get("moved") in (-1, 0, 1, 2) and isinstance(entry.get("label"), str)
                 and isinstance(entry.get("active"), bool),
                 f"Zalando entry {number}: moved must be -1/0/1/2, label text, active true "
                 "or false")


# --- Backstage tech radar ----------------------------------------------------------------
# The plugin's loader (a zod schema) requires a colour per ring and accepts `moved` of
# -1 (out), 0 or 1 (in) only; each timeline entry is one edition, newest first.


def render_backstage(snapshot: Snapshot, changes: SnapshotDiff, *,
                     include_internal: bool = False) -> str:
    """Backstage tech-radar data: quadrants, rings (colour, meaning) and entries, each
    with a timeline of the editions it appeared in, newest first."""
    editions = [snapshot, *changes.history]
    return json.dumps({
        "title": f"{snapshot.name} ({snapshot.sharing})",
        "quadrants": [{"id": str(i), "name": q} for i, q in enumerate(snapshot.quadrants)],
        "rings": [{"id": ring, "name": ring.upper(), "color": colour,
                   "description": _ring_description(snapshot, ring)}
                  for ring, colour in zip(snapshot.rings, ring_colours(snapshot.rings),
                                          strict=True)],
        "entries": [{"id": e.id, "key": e.id, "title": e.label,
                     "quadrant": str(snapshot.quadrants.index(e.quadrant)),
                     "description": rationale(e, include_internal=include_internal),
                     **({"url": e.evidence[0]["link"]} if e.evidence else {}),
                     "links": [{"url": a["link"], "title": a["title"]} for a in e.evidence[:3]],
                     "timeline": backstage_timeline(e.id, editions,
                                                    include_internal=include_internal)}
                    for e in snapshot.entries
                    if e.quadrant in snapshot.quadrants and e.ring in snapshot.rings],
    }, indent=2, ensure_ascii=False) + "\n"


def _ring_description(snapshot: Snapshot, ring: str) -> str:
    """What the ring means, quadrant by quadrant (the meanings differ: 'act now' for a
    threat, 'use it' for a practice)."""
    meanings = [(q, ring_meaning(snapshot, q, ring)) for q in snapshot.quadrants]
    return "; ".join(f"{q}: {m}" for q, m in meanings if m) or ring


def backstage_timeline(trend_id: str, editions: list[Snapshot], *,
                       include_internal: bool) -> list[dict]:
    """One entry per edition (newest first) the trend was in: its ring, whether it moved
    in (1) or out (-1) since the edition before, and the rationale at that time."""
    timeline = []
    for position, edition in enumerate(editions):
        entry = _entry_in(edition, trend_id)
        if entry is None:
            continue
        before = editions[position + 1] if position + 1 < len(editions) else None
        previous = _entry_in(before, trend_id) if before else None
        moved = 0
        if previous and previous.ring != entry.ring and previous.ring in edition.rings:
            moved = 1 if edition.rings.index(entry.ring) < edition.rings.index(previous.ring) \
                else -1
        new = before is not None and previous is None
        why = rationale(entry, include_internal=include_internal)
        timeline.append({"date": edition.as_of, "ringId": entry.ring, "moved": moved,
                         "description": f"New on the radar in this edition. {why}" if new
                         else why})
    return timeline


def _entry_in(edition: Snapshot, trend_id: str) -> Entry | None:
    return next((e for e in edition.entries if e.id == trend_id), None)


def check_backstage(content: str, snapshot: Snapshot) -> None:
    """The plugin's `TechRadarLoaderResponseParser` rules (the tests also run the real one
    with Node)."""
    data = json.loads(content)
    _require(all(_strings(q, "id", "name") for q in data.get("quadrants", ())),
             "Backstage quadrants need an id and a name")
    _require(all(_strings(r, "id", "name", "color") for r in data.get("rings", ())),
             "Backstage rings need an id, a name and a color")
    quadrants = {q["id"] for q in data["quadrants"]}
    rings = {r["id"] for r in data["rings"]}
    for entry in data.get("entries", ()):
        title = entry.get("title")
        _require(_strings(entry, "key", "id", "quadrant", "title")
                 and entry["quadrant"] in quadrants and isinstance(entry.get("timeline"), list),
                 f"Backstage entry {title!r}: key, id, title, a known quadrant and a timeline")
        for moment in entry["timeline"]:
            _require(moment.get("moved", 0) in (-1, 0, 1) and moment.get("ringId") in rings
                     and _is_date(moment.get("date")),
                     f"Backstage entry {title!r}: each timeline entry needs a date, a known "
                     "ring and moved -1, 0 or 1")


def _strings(record: dict, *keys: str) -> bool:
    return all(isinstance(record.get(key), str) for key in keys)


def _is_date(value: object) -> bool:
    try:
        datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ExportError(message)
