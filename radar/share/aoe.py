"""The AOE technology radar (`aoe_technology_radar` on npm): every edition as a release,
with the package's documented file rules as code.

AOE builds a radar site from `radar/YYYY-MM-DD/<id>.md` files (front matter: title, ring,
quadrant, tags, featured), a `config.json` of quadrants and rings, and `about.md` (its
help page: here the sharing label and the ring meanings). A file's name is the
item's id: an item in a later release is merged into the earlier ones and keeps its
history, so one release per edition gives each trend its path. AOE has no "dropped": a
trend that leaves the radar is written once more with `featured: false` (kept in the
overview, off the radar). Two editions of one day are one release: the newest wins.
AOE draws its quadrants 1 top left, 2 top right, 3 bottom left, 4 bottom right.
Front matter values are written as JSON, which YAML reads as they are.
"""

from __future__ import annotations

import json
import re

from radar.layout import ring_bounds
from radar.share.interchange import (
    check_orientation,
    distinct_slugs,
    in_tool_order,
    require,
    ring_colours,
)
from radar.share.snapshot import Entry, Snapshot, SnapshotDiff, rationale, ring_meaning
from radar.text import md_escape, safe_link

FRONT_MATTER = ("title", "ring", "quadrant", "tags", "featured")
QUADRANT_COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd")
RELEASE = re.compile(r"^radar/(\d{4}-\d{2}-\d{2})/([A-Za-z0-9_-]+)\.md$")


def aoe_files(snapshot: Snapshot, changes: SnapshotDiff, *,
              include_internal: bool = False) -> dict[str, str]:
    """`config.json` and one Markdown file per trend per edition, by relative path."""
    quadrant_ids, ring_ids = _ids(snapshot)
    files = {"config.json": json.dumps(aoe_config(snapshot), indent=2,
                                       ensure_ascii=False) + "\n",
             "about.md": _about(snapshot)}
    shown: dict[str, Entry] = {}   # what the releases so far have on the radar
    for day, edition in releases(snapshot, changes):
        for entry in edition.entries:
            files[f"radar/{day}/{entry.id}.md"] = _item(
                edition, entry, quadrant_ids, ring_ids, featured=True,
                body=_body(edition, entry, include_internal=include_internal))
        current = {e.id for e in edition.entries}
        for gone in [e for trend_id, e in shown.items() if trend_id not in current]:
            files[f"radar/{day}/{gone.id}.md"] = _item(
                edition, gone, quadrant_ids, ring_ids, featured=False,
                body=f"Not on the radar from this edition ({md_escape(edition.name)}) on.")
        shown = {e.id: e for e in edition.entries}
    return files


def releases(snapshot: Snapshot, changes: SnapshotDiff) -> list[tuple[str, Snapshot]]:
    """(YYYY-MM-DD, edition) oldest first, one per day: the newest edition of each day."""
    by_day: dict[str, Snapshot] = {}
    for edition in (snapshot, *changes.history):   # newest first
        by_day.setdefault(edition.as_of[:10], edition)
    return sorted(by_day.items())


def aoe_config(snapshot: Snapshot) -> dict:
    """Quadrants in AOE's order (each where our radar draws it), rings inside out with our
    rings' widths, and the labels; the package's defaults fill in the rest."""
    quadrant_ids, ring_ids = _ids(snapshot)
    meanings = {q: "; ".join(f"{ring}: {ring_meaning(snapshot, q, ring)}"
                             for ring in snapshot.rings if ring_meaning(snapshot, q, ring))
                for q in snapshot.quadrants}
    return {
        "editUrl": "", "social": [], "imprint": "",
        "labels": {"title": f"{snapshot.name} ({snapshot.sharing})",
                   "footer": f"{snapshot.sharing}. Made with Trend Radar.",
                   "pageAbout": "About this radar"},
        "quadrants": [{"id": quadrant_ids[q], "title": q, "description": meanings[q],
                       "color": QUADRANT_COLOURS[snapshot.quadrants.index(q)]}
                      for q in in_tool_order(snapshot.quadrants, "aoe")],
        "rings": [{"id": ring_ids[ring], "title": ring.capitalize(),
                   "description": "", "color": colour, "radius": round(outer, 3),
                   "strokeWidth": max(1, 5 - 2 * index)}
                  for index, (ring, colour, (_, outer)) in enumerate(zip(
                      snapshot.rings, ring_colours(snapshot.rings),
                      ring_bounds(len(snapshot.rings)), strict=True))],
    }


def _about(snapshot: Snapshot) -> str:
    """AOE's help page: the sharing label and what each ring means in each quadrant."""
    lines = [f"# {md_escape(snapshot.name)}", "", f"**{md_escape(snapshot.sharing)}**", "",
             "Made with Trend Radar from security and IT news: one release per edition.", ""]
    for quadrant in snapshot.quadrants:
        lines += [f"## {md_escape(quadrant)}", ""]
        lines += [f"- **{md_escape(ring.capitalize())}**: "
                  f"{md_escape(ring_meaning(snapshot, quadrant, ring))}"
                  for ring in snapshot.rings if ring_meaning(snapshot, quadrant, ring)]
        lines.append("")
    return "\n".join(lines)


def _ids(snapshot: Snapshot) -> tuple[dict[str, str], dict[str, str]]:
    return (dict(zip(snapshot.quadrants, distinct_slugs(snapshot.quadrants,
                                                        default="quadrant"), strict=True)),
            dict(zip(snapshot.rings, distinct_slugs(snapshot.rings, default="ring"),
                     strict=True)))


def _item(edition: Snapshot, entry: Entry, quadrant_ids: dict[str, str],
          ring_ids: dict[str, str], *, featured: bool, body: str) -> str:
    values = {"title": entry.label, "ring": ring_ids.get(entry.ring, entry.ring),
              "quadrant": quadrant_ids.get(entry.quadrant, entry.quadrant),
              "tags": [entry.status, entry.kind], "featured": featured}
    return ("---\n" + "".join(f"{key}: {json.dumps(values[key])}\n" for key in FRONT_MATTER)
            + f"---\n\n{body}\n")


def _body(edition: Snapshot, entry: Entry, *, include_internal: bool) -> str:
    meaning = ring_meaning(edition, entry.quadrant, entry.ring)
    state = "" if entry.decided else " (suggested)"
    lines = [f"**{md_escape(edition.sharing)}**", "",
             md_escape(rationale(entry, include_internal=include_internal)), "",
             f"*{md_escape(entry.ring.capitalize() + state)}*"
             + (f": {md_escape(meaning)}" if meaning else ""), ""]
    lines += [f"- [{md_escape(a['title'])}]({safe_link(a['link'])}) "
              f"({md_escape(a.get('source') or '')})"
              for a in entry.evidence[:5] if safe_link(a["link"])]
    return "\n".join(lines).rstrip()


def check_aoe(files: dict[str, str], snapshot: Snapshot) -> None:
    """AOE's documented file rules: config quadrants (four, each where our radar draws it)
    and rings; release folders named YYYY-MM-DD; files named by id; front matter with a
    title, a configured ring and quadrant, tags and featured; the newest release is the
    edition's day, with every trend of the edition on its radar."""
    config = json.loads(files["config.json"])
    titles = [q["title"] for q in config["quadrants"]]
    check_orientation("aoe", titles, snapshot.quadrants)
    quadrants = {q["id"]: q["title"] for q in config["quadrants"]}
    rings = {r["id"]: r for r in config["rings"]}
    require(all(0 < r["radius"] <= 1 for r in rings.values()),
            "AOE ring radii must be between 0 and 1")
    days: dict[str, dict[str, dict]] = {}
    for path, text in files.items():
        if path in ("config.json", "about.md"):
            continue
        match = RELEASE.match(path)
        require(match is not None, f"AOE file {path!r} is not radar/YYYY-MM-DD/<id>.md")
        values = _front_matter(path, text)
        require(isinstance(values.get("title"), str) and values["title"]
                and values.get("ring") in rings and values.get("quadrant") in quadrants
                and isinstance(values.get("tags"), list)
                and isinstance(values.get("featured"), bool),
                f"AOE file {path}: needs a title, a configured ring and quadrant, tags "
                "and featured true or false")
        days.setdefault(match[1], {})[match[2]] = values
    require(not snapshot.entries or max(days, default="") == snapshot.as_of[:10],
            f"AOE's newest release must be the edition's day, {snapshot.as_of[:10]}")
    newest = days.get(snapshot.as_of[:10], {})
    for entry in snapshot.entries:
        item = newest.get(entry.id)
        require(item is not None and item["featured"]
                and quadrants[item["quadrant"]] == entry.quadrant,
                f"AOE: {entry.label!r} is not on the newest release's radar in "
                f"{entry.quadrant!r}")


def _front_matter(path: str, text: str) -> dict:
    head, separator, _ = text.removeprefix("---\n").partition("\n---\n")
    require(text.startswith("---\n") and bool(separator),
            f"AOE file {path}: no front matter between --- lines")
    values = {}
    for line in head.splitlines():
        key, _, value = line.partition(": ")
        values[key] = json.loads(value)
    return values
