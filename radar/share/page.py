"""The radar as a picture (SVG) and as one self-contained HTML page (pure).

No script, font, style sheet or image is fetched: the SVG is inline, hover text uses the
SVG <title> element, and the style is in the page. Every feed-derived text is escaped.
"""

from __future__ import annotations

from html import escape

from radar.layout import MARK_COLOUR, QUADRANT_CORNERS, STATUS_COLOURS, ring_bounds
from radar.picture import (
    PICTURE_KEY,
    SLIDE_HALF_HEIGHT,
    SLIDE_HALF_WIDTH,
    Picture,
    Spot,
    legend_columns,
    legend_line_height,
)
from radar.share.snapshot import (
    Entry,
    Snapshot,
    SnapshotDiff,
    changes_summary,
    decision_line,
    exposure_brief,
    picture_of,
    rationale,
    ring_meaning,
    roadmap_brief,
    segments,
)
from radar.text import plural


def render_svg(snapshot: Snapshot, changes: SnapshotDiff | None = None, *,
               width: int = 1600, include_internal: bool = False) -> str:
    """The radar slide: rings, quadrants, numbered blips (names beside them where they
    fit, hover titles), and beside the radar the legend of every number by quadrant and
    ring, with what each ring means there."""
    picture = picture_of(snapshot, changes)
    entries = {e.id: e for e in snapshot.entries}
    w, h = SLIDE_HALF_WIDTH, SLIDE_HALF_HEIGHT
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-w} {-h} {2 * w} {2 * h}" '
             f'width="{width}" height="{round(width * h / w)}" '
             f'font-family="Helvetica, Arial, sans-serif" role="img" '
             f'aria-label="{escape(snapshot.name)}">',
             f'<rect x="{-w}" y="{-h}" width="{2 * w}" height="{2 * h}" fill="white"/>']
    for _, outer in ring_bounds(len(snapshot.rings)):
        parts.append(f'<circle r="{outer:.4f}" fill="none" stroke="#c8c8c8" '
                     'stroke-width="0.004"/>')
    parts.append('<line x1="-1" y1="0" x2="1" y2="0" stroke="#c8c8c8" stroke-width="0.004"/>')
    parts.append('<line x1="0" y1="-1" x2="0" y2="1" stroke="#c8c8c8" stroke-width="0.004"/>')
    for name, x, y in picture.ring_names:   # on the axis, on white, where blips keep clear
        parts.append(f'<text x="{x:.4f}" y="{-y + 0.011:.4f}" font-size="0.03" fill="#888" '
                     f'text-anchor="middle" stroke="white" stroke-width="0.012" '
                     f'paint-order="stroke">{escape(name)}</text>')
    for (x, y, side, edge), name in zip(QUADRANT_CORNERS, snapshot.quadrants, strict=True):
        anchor = "end" if side == "right" else "start"
        baseline = y - 0.03 if edge == "top" else y  # SVG text sits on its baseline
        parts.append(f'<text x="{x}" y="{-baseline:.3f}" font-size="0.045" '
                     f'font-weight="bold" text-anchor="{anchor}">{escape(name)}</text>')
    for spot in picture.spots:
        parts.append(_svg_blip(spot, entries[spot.item.id], changes, include_internal))
    parts += _svg_legend(picture)
    parts.append(f'<text x="0" y="{h - 0.075:.3f}" font-size="0.035" text-anchor="middle" '
                 f'fill="#b45309">{escape(snapshot.name)} · {escape(snapshot.sharing)} · '
                 f'analysis as of {escape(snapshot.as_of[:10])}</text>')
    parts.append(f'<text x="0" y="{h - 0.02:.3f}" font-size="0.026" text-anchor="middle" '
                 f'fill="#555">{escape(PICTURE_KEY)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _svg_blip(spot: Spot, entry: Entry, changes: SnapshotDiff | None,
              include_internal: bool) -> str:
    """One numbered circle with a hover title, its new/moved mark and its name if it fits."""
    colour = STATUS_COLOURS.get(entry.status, "#1f77b4")
    state = changes.status_of(entry.id) if changes else "no change"
    title = (f"{spot.number}. {entry.label} — {entry.status}, {entry.ring}"
             f"{'' if entry.decided else ' (suggested)'}, "
             f"{plural(entry.article_count, 'article')} from "
             f"{plural(entry.source_count, 'source')}"
             f"{'' if state == 'no change' else f' — {state}'}\n"
             f"{rationale(entry, include_internal=include_internal)}")
    x, y, r = spot.x, -spot.y, spot.radius
    part = (f'<g><title>{escape(title)}</title><circle cx="{x:.4f}" cy="{y:.4f}" '
            f'r="{r:.4f}" fill="{colour if entry.decided else "white"}" stroke="{colour}" '
            f'stroke-width="0.006"/><text x="{x:.4f}" y="{y + r * 0.35:.4f}" '
            f'font-size="{r:.4f}" text-anchor="middle" '
            f'fill="{"white" if entry.decided else colour}">{spot.number}</text>')
    mark = "★" if spot.item.new else "▲" if spot.item.moved else ""
    if mark:
        part += (f'<text x="{x + r:.4f}" y="{y - r * 0.6:.4f}" font-size="0.03" '
                 f'fill="{MARK_COLOUR}">{mark}</text>')
    if spot.name_at:
        nx, ny, side = spot.name_at
        part += (f'<text x="{nx:.4f}" y="{-ny + 0.011:.4f}" font-size="0.03" fill="#333" '
                 f'text-anchor="{"start" if side == "right" else "end"}">'
                 f'{escape(spot.item.label)}</text>')
    return part + "</g>"


def _svg_legend(picture: Picture) -> list[str]:
    """The legend columns beside the radar: every number with its name."""
    columns = legend_columns(picture)
    step = legend_line_height(columns)
    size = step * 0.72
    parts = []
    for x, _, lines in columns:
        y = -SLIDE_HALF_HEIGHT + step
        for line in lines:
            if line.kind == "quadrant":
                style = f'font-size="{size * 1.15:.4f}" font-weight="bold" fill="#111"'
            elif line.kind == "ring":
                style = f'font-size="{size:.4f}" font-weight="bold" fill="#666"'
            elif line.kind == "meaning":
                style = f'font-size="{size * 0.9:.4f}" font-style="italic" fill="#888"'
            else:
                colour = STATUS_COLOURS.get(line.spot.item.status, "#333") if line.spot \
                    else "#333"
                style = f'font-size="{size:.4f}" fill="{colour}"'
            if line.text:
                parts.append(f'<text x="{x:.3f}" y="{y:.4f}" {style}>'
                             f'{escape(line.text)}</text>')
            y += step
    return parts


STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 72rem;
       color: #222; line-height: 1.4; padding: 0 1rem; }
.label { display: inline-block; padding: .2rem .6rem; border: 2px solid #b45309;
         color: #b45309; font-weight: bold; }
svg { width: 100%; height: auto; display: block; margin: 1rem auto; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
li { margin: .3rem 0; } .muted { color: #666; font-size: .9rem; }
.meaning { color: #666; font-style: italic; font-weight: normal; font-size: .9rem; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; }
               section { break-inside: avoid; } }
@page { size: A4 landscape; margin: 1.2cm; }
"""


def render_html(snapshot: Snapshot, changes: SnapshotDiff, *,
                include_internal: bool = False) -> str:
    """One file that opens anywhere offline: the radar slide with its legend, what changed,
    and every trend on the radar by quadrant and ring, with rationale and evidence."""
    label = escape(snapshot.sharing)
    body = [f"<header><span class='label'>{label}</span>"
            f"<h1>{escape(snapshot.name)}</h1>"
            f"<p class='muted'>Analysis as of {escape(snapshot.as_of[:10])} · edition "
            f"{escape(snapshot.id)} · {plural(len(snapshot.entries), 'trend')} on the "
            "radar</p>"
            + (f"<p>{escape(snapshot.note)}</p>" if snapshot.note else "") + "</header>",
            render_svg(snapshot, changes, include_internal=include_internal),
            f"<p class='muted'>Numbers match the names beside the radar. {PICTURE_KEY} "
            "(since the last edition). Hover a blip for details.</p>",
            "<section><h2>What changed</h2>", _changes_html(changes, include_internal),
            "</section>", _roadmap_html(snapshot, include_internal)]
    shown_quadrant = None
    for quadrant, ring, members in segments(snapshot):
        if quadrant != shown_quadrant:
            body.append(("</section>" if shown_quadrant else "")
                        + f"<section><h2>{escape(quadrant)}</h2>")
            shown_quadrant = quadrant
        meaning = ring_meaning(snapshot, quadrant, ring)
        body.append(f"<h3>{escape(ring.capitalize())}"
                    + (f" <span class='meaning'>— {escape(meaning)}</span>" if meaning else "")
                    + "</h3><ul>")
        for entry in members:
            state = "" if entry.decided else " <span class='muted'>(suggested)</span>"
            links = _evidence_html(entry)
            body.append(
                f"<li><b>{entry.number}. {escape(entry.label)}</b>{state} — "
                f"{escape(rationale(entry, include_internal=include_internal))}"
                + (f"<br><span class='muted'>Evidence: {links}</span>" if links else "")
                + "</li>")
        body.append("</ul>")
    if shown_quadrant:
        body.append("</section>")
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{escape(snapshot.name)} ({label})</title>"
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(body)
            + f"\n<footer class='muted'>{label}</footer></body></html>\n")


def _evidence_html(entry: Entry, limit: int = 3) -> str:
    """Links named by their headline, the source after it ("CISA warns … (The Record)")."""
    return "; ".join(
        f"<a href='{escape(a['link'])}'>{escape(a['title'])}</a>"
        + (f" <span class='muted'>({escape(a['source'])})</span>" if a.get("source") else "")
        for a in entry.evidence[:limit] if a["link"].startswith(("http://", "https://")))


def _roadmap_html(snapshot: Snapshot, include_internal: bool) -> str:
    """Per initiative, the trends to support and the risks; then exploited flaws we run."""
    if not snapshot.roadmap and not snapshot.exposure:
        return ""
    parts = ["<section id='roadmap'><h2>What this means for your roadmap</h2>"]
    for title, trends in roadmap_brief(snapshot, include_internal=include_internal):
        items = [f"<li><b>{kind}</b>: {escape(line)}</li>" for kind, line in trends]
        parts.append(f"<h3>{escape(title)}</h3>"
                     + (f"<ul>{''.join(items)}</ul>" if items
                        else "<p class='muted'>No trend touches it yet.</p>"))
    if snapshot.exposure:
        shown, more = exposure_brief(snapshot)
        parts.append("<h3>Exploited flaws in our stack</h3><ul>" + "".join(
            f"<li>{escape(line)}</li>" for _, line in shown)
            + (f"<li class='muted'>{escape(more)}</li>" if more else "")
            + "</ul>")
    return "".join(parts) + "</section>"


def _changes_html(changes: SnapshotDiff, include_internal: bool) -> str:
    items = [f"<li><b>{title}</b>: " + "; ".join(escape(c.entry.label + c.detail)
                                                  for c in found) + "</li>"
             for title, found in changes.listed()]
    items += [f"<li>Decision: {escape(decision_line(e, d))}</li>"
              for e, d in changes.shared_decisions(include_internal=include_internal)]
    if not items:
        return f"<p>{escape(changes_summary(changes))}</p>"
    return "<ul>" + "".join(items) + "</ul>"
