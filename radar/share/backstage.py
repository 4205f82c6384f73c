"""The Backstage tech-radar plugin's data, with its rules as code.

The plugin's loader (a zod schema, `TechRadarLoaderResponseParser`) requires a colour per
ring and accepts `moved` of -1 (out), 0 or 1 (in) only; each timeline row is one edition,
newest first. What the `Radar` component does with the rest decides the other rules:
- it draws quadrant 0 bottom right, 1 bottom left, 2 top left, 3 top right;
- it prints every ring's description in one footer line, so each is short (the full
  meaning of the ring in the entry's quadrant is in the entry's description);
- it discards a top-level title, so the sharing label heads every entry's description
  (shown when a blip or a legend name is clicked);
- it keys timeline rows by their description, so no two rows of an entry say the same.
Descriptions are Markdown there: our text is escaped.
"""

from __future__ import annotations

import json

from radar.share.interchange import (
    check_orientation,
    distinct_slugs,
    in_tool_order,
    is_date,
    require,
    ring_colours,
)
from radar.share.snapshot import Entry, Snapshot, SnapshotDiff, rationale, ring_meaning
from radar.text import md_escape

RING_DESCRIPTION_MAX = 120   # the footer line holds every ring's description


def render_backstage(snapshot: Snapshot, changes: SnapshotDiff, *,
                     include_internal: bool = False) -> str:
    """Backstage tech-radar data: quadrants, rings (colour, short meaning) and entries,
    each with a timeline of the editions it appeared in, newest first."""
    editions = [snapshot, *changes.history]
    ids = dict(zip(snapshot.quadrants, distinct_slugs(snapshot.quadrants, default="quadrant"),
                   strict=True))
    return json.dumps({
        "title": f"{snapshot.name} ({snapshot.sharing})",
        "quadrants": [{"id": ids[q], "name": q}
                      for q in in_tool_order(snapshot.quadrants, "backstage")],
        "rings": [{"id": ring, "name": ring.upper(), "color": colour,
                   "description": ring_summary(snapshot, ring)}
                  for ring, colour in zip(snapshot.rings, ring_colours(snapshot.rings),
                                          strict=True)],
        "entries": [{"id": e.id, "key": e.id, "title": e.label, "quadrant": ids[e.quadrant],
                     "description": entry_description(snapshot, e,
                                                      include_internal=include_internal),
                     **({"url": e.evidence[0]["link"]} if e.evidence else {}),
                     "links": [{"url": a["link"], "title": a["title"]} for a in e.evidence[:3]],
                     "timeline": backstage_timeline(e.id, editions,
                                                    include_internal=include_internal)}
                    for e in snapshot.entries],
    }, indent=2, ensure_ascii=False) + "\n"


def ring_summary(snapshot: Snapshot, ring: str) -> str:
    """What the ring asks for, quadrant by quadrant, in a few words ('act now / use it /
    support it / comply now'): the part of each meaning before its colon."""
    verbs = dict.fromkeys(ring_meaning(snapshot, q, ring).split(":")[0].strip()
                          for q in snapshot.quadrants)
    summary = " / ".join(v for v in verbs if v) or ring
    if len(summary) <= RING_DESCRIPTION_MAX:
        return summary
    return summary[:RING_DESCRIPTION_MAX - 2].rsplit(" ", 1)[0] + " …"


def entry_description(snapshot: Snapshot, entry: Entry, *, include_internal: bool) -> str:
    """The sharing label, the rationale, and what the ring means in this quadrant."""
    meaning = ring_meaning(snapshot, entry.quadrant, entry.ring)
    state = "" if entry.decided else " (suggested)"
    return (f"**{md_escape(snapshot.sharing)}**\n\n"
            f"{md_escape(rationale(entry, include_internal=include_internal))}\n\n"
            f"*{md_escape(entry.ring.upper() + state)}* in {md_escape(entry.quadrant)}"
            + (f": {md_escape(meaning)}" if meaning else ""))


def backstage_timeline(trend_id: str, editions: list[Snapshot], *,
                       include_internal: bool) -> list[dict]:
    """One row per edition (newest first) the trend was in: its ring, whether it moved
    in (1) or out (-1) since the edition before, and the rationale at that time. A row
    that would repeat another's description names its edition."""
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
        why = md_escape(rationale(entry, include_internal=include_internal))
        description = f"New on the radar in this edition. {why}" if new else why
        if any(row["description"] == description for row in timeline):
            description += f" (edition {edition.id} of {edition.as_of[:10]})"
        timeline.append({"date": edition.as_of, "ringId": entry.ring, "moved": moved,
                         "description": description})
    return timeline


def _entry_in(edition: Snapshot, trend_id: str) -> Entry | None:
    return next((e for e in edition.entries if e.id == trend_id), None)


def check_backstage(content: str, snapshot: Snapshot) -> None:
    """The plugin's `TechRadarLoaderResponseParser` rules (the tests also run the real one
    with Node), and what its `Radar` component needs to show the file right."""
    data = json.loads(content)
    require(all(_strings(q, "id", "name") for q in data.get("quadrants", ())),
            "Backstage quadrants need an id and a name")
    require(all(_strings(r, "id", "name", "color") for r in data.get("rings", ())),
            "Backstage rings need an id, a name and a color")
    check_orientation("backstage", [q["name"] for q in data["quadrants"]], snapshot.quadrants)
    for ring in data["rings"]:
        require(len(ring.get("description", "")) <= RING_DESCRIPTION_MAX,
                f"Backstage ring {ring['id']!r}: its description is "
                f"{len(ring['description'])} characters; the footer line holds "
                f"{RING_DESCRIPTION_MAX} per ring")
    quadrants = {q["id"]: q["name"] for q in data["quadrants"]}
    rings = {r["id"] for r in data["rings"]}
    ours = {e.id: e for e in snapshot.entries}
    for entry in data.get("entries", ()):
        title = entry.get("title")
        require(_strings(entry, "key", "id", "quadrant", "title")
                and entry["quadrant"] in quadrants and isinstance(entry.get("timeline"), list),
                f"Backstage entry {title!r}: key, id, title, a known quadrant and a timeline")
        require(entry["id"] not in ours or quadrants[entry["quadrant"]]
                == ours[entry["id"]].quadrant,
                f"Backstage entry {title!r} is in the wrong quadrant")
        require(md_escape(snapshot.sharing) in entry.get("description", ""),
                f"Backstage entry {title!r}: its description lacks the sharing label "
                f"{snapshot.sharing} (the plugin drops the top-level title)")
        descriptions = [moment.get("description") for moment in entry["timeline"]]
        require(len(set(descriptions)) == len(descriptions),
                f"Backstage entry {title!r}: two timeline rows say the same (the plugin "
                "keys rows by their description)")
        for moment in entry["timeline"]:
            require(moment.get("moved", 0) in (-1, 0, 1) and moment.get("ringId") in rings
                    and is_date(moment.get("date")),
                    f"Backstage entry {title!r}: each timeline entry needs a date, a known "
                    "ring and moved -1, 0 or 1")


def _strings(record: dict, *keys: str) -> bool:
    return all(isinstance(record.get(key), str) for key in keys)
