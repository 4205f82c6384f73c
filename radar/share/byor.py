"""Thoughtworks Build Your Own Radar (CSV and JSON), with BYOR's rules as code.

BYOR places a blip only when its ring and quadrant are among the radar's configured names
(env RINGS, at most four, and QUADRANTS, exactly four); others vanish without a word. It
draws the configured quadrants first top left, second bottom left, third top right,
fourth bottom right, so QUADRANTS lists ours in that order. The hosted site and the stock
image run with BYOR's default names: `byor_defaults` writes those, ours mapped onto them
by position (quadrants) and by name or order (rings), and says how.
"""

from __future__ import annotations

import csv
import io
import json
import shlex

from radar.share.interchange import (
    STANDARD_RINGS,
    TOOL_SLOTS,
    in_tool_order,
    our_positions,
    require,
    standard_rings,
)
from radar.share.snapshot import Snapshot, SnapshotDiff, rationale
from radar.text import csv_uncell, render_csv

BYOR_COLUMNS = ["name", "ring", "quadrant", "isNew", "status", "description"]
BYOR_STATUSES = ("new", "moved in", "moved out", "no change")
# BYOR's names when QUADRANTS and RINGS are not set (`src/graphing/config.js`).
BYOR_DEFAULT_QUADRANTS = ("Techniques", "Platforms", "Tools", "Languages & Frameworks")
BYOR_DEFAULT_RINGS = tuple(ring.title() for ring in STANDARD_RINGS)


def byor_names(snapshot: Snapshot, *, byor_defaults: bool = False
               ) -> tuple[dict[str, str], dict[str, str]]:
    """The name written in the file for each of our quadrants and for each of our rings."""
    if byor_defaults:
        indexes, _ = standard_rings(snapshot.rings, "BYOR")
        return (dict(zip(in_tool_order(snapshot.quadrants, "byor"), BYOR_DEFAULT_QUADRANTS,
                         strict=True)),
                {ring: BYOR_DEFAULT_RINGS[i] for ring, i in zip(snapshot.rings, indexes,
                                                                  strict=True)})
    standard_rings(snapshot.rings, "BYOR")   # refuses a radar BYOR cannot draw
    return {q: q for q in snapshot.quadrants}, {r: r.title() for r in snapshot.rings}


def byor_settings(snapshot: Snapshot, *, byor_defaults: bool = False) -> dict[str, list[str]]:
    """The QUADRANTS and RINGS BYOR must run with to place every blip where our radar
    does (BYOR's defaults when the file was written with its default names)."""
    if byor_defaults:
        return {"QUADRANTS": list(BYOR_DEFAULT_QUADRANTS), "RINGS": list(BYOR_DEFAULT_RINGS)}
    quadrants, rings = byor_names(snapshot)
    return {"QUADRANTS": [quadrants[q] for q in in_tool_order(snapshot.quadrants, "byor")],
            "RINGS": [rings[r] for r in snapshot.rings]}


def byor_advice(snapshot: Snapshot, *, byor_defaults: bool = False) -> str:
    """What to set in BYOR so it shows this file (printed by the CLI, shown in the app)."""
    if byor_defaults:
        quadrants, rings = byor_names(snapshot, byor_defaults=True)
        places = dict(zip(snapshot.quadrants, our_positions(), strict=True))
        return ("Written with BYOR's default names, for its hosted site or stock image "
                "(no settings needed). Quadrants by position: "
                + "; ".join(f"{ours} -> {quadrants[ours]} ({places[ours]})"
                            for ours in in_tool_order(snapshot.quadrants, "byor"))
                + ". Rings: " + ", ".join(f"{ours} -> {name}" for ours, name in rings.items())
                + ".")
    settings = byor_settings(snapshot)
    return ("Run Thoughtworks Build Your Own Radar with these settings, or it leaves "
            "blips out:\n"
            + "\n".join(f"export {name}={shlex.quote(json.dumps(values, ensure_ascii=False))}"
                        for name, values in settings.items()))


def byor_rows(snapshot: Snapshot, changes: SnapshotDiff, *, include_internal: bool = False,
              byor_defaults: bool = False) -> list[dict]:
    """One row per trend: name, ring, quadrant, isNew (TRUE/FALSE), status, description."""
    quadrants, rings = byor_names(snapshot, byor_defaults=byor_defaults)
    return [{"name": e.label, "ring": rings[e.ring], "quadrant": quadrants[e.quadrant],
             "isNew": "TRUE" if changes.status_of(e.id) == "new" else "FALSE",
             "status": changes.status_of(e.id),
             "description": rationale(e, include_internal=include_internal)}
            for e in snapshot.entries]


def render_byor_csv(snapshot: Snapshot, changes: SnapshotDiff, *,
                    include_internal: bool = False, byor_defaults: bool = False) -> str:
    rows = byor_rows(snapshot, changes, include_internal=include_internal,
                     byor_defaults=byor_defaults)
    return render_csv(BYOR_COLUMNS, ([row[column] for column in BYOR_COLUMNS] for row in rows))


def render_byor_json(snapshot: Snapshot, changes: SnapshotDiff, *,
                     include_internal: bool = False, byor_defaults: bool = False) -> str:
    return json.dumps(byor_rows(snapshot, changes, include_internal=include_internal,
                                byor_defaults=byor_defaults),
                      indent=2, ensure_ascii=False) + "\n"


def check_byor_csv(content: str, snapshot: Snapshot, *, byor_defaults: bool = False) -> None:
    reader = csv.DictReader(io.StringIO(content))
    require(reader.fieldnames == BYOR_COLUMNS,
            f"BYOR CSV header must be {BYOR_COLUMNS}, not {reader.fieldnames}")
    check_byor_rows([{key: csv_uncell(value) for key, value in row.items()} for row in reader],
                    snapshot, byor_defaults=byor_defaults)


def check_byor_json(content: str, snapshot: Snapshot, *, byor_defaults: bool = False) -> None:
    rows = json.loads(content)
    require(isinstance(rows, list) and all(isinstance(r, dict) and list(r) == BYOR_COLUMNS
                                           for r in rows),
            f"BYOR JSON must be a list of objects with keys {BYOR_COLUMNS}")
    check_byor_rows(rows, snapshot, byor_defaults=byor_defaults)


def check_byor_rows(rows: list[dict], snapshot: Snapshot, *,
                    byor_defaults: bool = False) -> None:
    """BYOR's rules, and that it draws every row's quadrant where our radar draws the
    trend (rows follow the edition's entries)."""
    settings = byor_settings(snapshot, byor_defaults=byor_defaults)
    require(len(settings["QUADRANTS"]) == 4, "BYOR needs exactly four quadrant names")
    ours = dict(zip(snapshot.quadrants, our_positions(), strict=True))
    for number, (row, entry) in enumerate(zip(rows, snapshot.entries, strict=True), start=1):
        require(bool(row["name"]), f"BYOR row {number} has no name")
        require(row["ring"] in settings["RINGS"],
                f"BYOR row {number}: ring {row['ring']!r} is not one of {settings['RINGS']}")
        require(row["quadrant"] in settings["QUADRANTS"],
                f"BYOR row {number}: quadrant {row['quadrant']!r} is not configured")
        drawn = TOOL_SLOTS["byor"][settings["QUADRANTS"].index(row["quadrant"])]
        require(drawn == ours[entry.quadrant],
                f"BYOR row {number}: BYOR would draw {row['name']!r} {drawn}; our radar "
                f"draws it {ours[entry.quadrant]}")
        require(row["isNew"] in ("TRUE", "FALSE"), f"BYOR row {number}: isNew is "
                f"{row['isNew']!r}, not TRUE or FALSE")
        require(row["status"] in BYOR_STATUSES,
                f"BYOR row {number}: status {row['status']!r} is not one of {BYOR_STATUSES}")
