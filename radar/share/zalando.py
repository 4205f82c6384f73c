"""Zalando's tech radar: the whole `radar_visualization({...})` argument, with its rules as
code.

`radar.js` draws exactly four rings, 0 = ADOPT … 3 = HOLD, and its quadrants 0 bottom
right, 1 bottom left, 2 top left, 3 top right; ours are listed in the order that puts each
where our radar shows it. `active` means "in use" there (an inactive blip is not
clickable and turns grey without the print layout), so every trend is active; what
changed since the edition before is its `moved` mark (★ new, ▲ in, ▼ out).
"""

from __future__ import annotations

import json

from radar.share.interchange import (
    RING_PALETTE,
    STANDARD_RINGS,
    check_orientation,
    in_tool_order,
    require,
    standard_rings,
)
from radar.share.snapshot import Snapshot, SnapshotDiff

ZALANDO_MOVED = {"new": 2, "moved in": 1, "moved out": -1}   # else 0
ZALANDO_PAGE = {"svg_id": "radar", "width": 1450, "height": 1000,
                "colors": {"background": "#fff", "grid": "#dddde0", "inactive": "#ddd"},
                "print_layout": True, "links_in_new_tabs": True}


def zalando_rings(rings: tuple[str, ...]) -> tuple[list[int], str]:
    """Zalando's ring index for each of our rings, and how they were mapped."""
    return standard_rings(rings, "Zalando's radar")


def render_zalando(snapshot: Snapshot, changes: SnapshotDiff, *,
                   include_internal: bool = False) -> str:
    """The whole `radar_visualization({...})` argument: page, quadrants, rings, entries."""
    indexes, mapping = zalando_rings(snapshot.rings)
    names = list(STANDARD_RINGS)
    for ring, index in zip(snapshot.rings, indexes, strict=True):
        names[index] = ring.upper()
    order = in_tool_order(snapshot.quadrants, "zalando")
    entries = [{"quadrant": order.index(e.quadrant),
                "ring": indexes[snapshot.rings.index(e.ring)], "label": e.label,
                "active": True,
                "link": e.evidence[0]["link"] if e.evidence else "",
                "moved": ZALANDO_MOVED.get(changes.status_of(e.id), 0)}
               for e in snapshot.entries]
    return json.dumps({
        **ZALANDO_PAGE, "title": f"{snapshot.name} ({snapshot.sharing})",
        "date": snapshot.as_of[:10], "sharing": snapshot.sharing, "ring_mapping": mapping,
        "quadrants": [{"name": name} for name in order],
        "rings": [{"name": name, "color": colour}
                  for name, colour in zip(names, RING_PALETTE, strict=False)],
        "entries": entries}, indent=2, ensure_ascii=False) + "\n"


def check_zalando(content: str, snapshot: Snapshot) -> None:
    """radar.js's rules; every quadrant where our radar draws it; every entry active."""
    data = json.loads(content)
    missing = {"svg_id", "width", "height", "colors", "title", "quadrants", "rings",
               "entries"} - set(data)
    require(not missing, f"Zalando config lacks {sorted(missing)}")
    require(len(data["quadrants"]) == 4 and all("name" in q for q in data["quadrants"]),
            "Zalando needs four named quadrants")
    names = [q["name"] for q in data["quadrants"]]
    check_orientation("zalando", names, snapshot.quadrants)
    require(len(data["rings"]) == 4 and all({"name", "color"} <= set(r)
                                            for r in data["rings"]),
            "Zalando needs four rings, each with a name and a color")
    for number, (entry, ours) in enumerate(zip(data["entries"], snapshot.entries,
                                               strict=True), start=1):
        require(entry.get("quadrant") in range(4) and entry.get("ring") in range(4),
                f"Zalando entry {number}: quadrant and ring must be 0-3")
        require(names[entry["quadrant"]] == ours.quadrant,
                f"Zalando entry {number} ({entry.get('label')!r}) is in quadrant "
                f"{names[entry['quadrant']]!r}, not {ours.quadrant!r}")
        require(entry.get("moved") in (-1, 0, 1, 2) and isinstance(entry.get("label"), str),
                f"Zalando entry {number}: moved must be -1/0/1/2 and label text")
        require(entry.get("active") is True,
                f"Zalando entry {number} ({entry.get('label')!r}) must be active: an "
                "inactive blip is not clickable")
