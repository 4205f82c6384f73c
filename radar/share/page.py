"""The radar as a picture (SVG) and as one self-contained HTML page (pure).

No script, font, style sheet or image is fetched: the SVG is inline, hover text uses the
SVG <title> element, and the style is in the page. Every feed-derived text is escaped.
"""

from __future__ import annotations

from html import escape

from radar.layout import QUADRANT_CORNERS, STATUS_COLOURS, ring_bounds
from radar.share.snapshot import (
    CHANGE_TITLES,
    Snapshot,
    SnapshotDiff,
    change_detail,
    decision_line,
    rationale,
    segments,
)


def render_svg(snapshot: Snapshot, changes: SnapshotDiff | None = None, *,
               size: int = 800, include_internal: bool = False) -> str:
    """The radar picture: rings, quadrants, one circle per trend with a hover title."""
    rings = ring_bounds(len(snapshot.rings))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1.05 -1.05 2.1 2.1" '
             f'width="{size}" height="{size}" font-family="Helvetica, Arial, sans-serif" '
             f'role="img" aria-label="{escape(snapshot.name)}">',
             '<rect x="-1.05" y="-1.05" width="2.1" height="2.1" fill="white"/>']
    for (inner, outer), name in zip(rings, snapshot.rings, strict=True):
        parts.append(f'<circle r="{outer:.4f}" fill="none" stroke="#c8c8c8" '
                     'stroke-width="0.004"/>')
        parts.append(f'<text x="{(inner + outer) / 2:.4f}" y="-0.012" font-size="0.035" '
                     f'fill="#888" text-anchor="middle">{escape(name.upper())}</text>')
    parts.append('<line x1="-1" y1="0" x2="1" y2="0" stroke="#c8c8c8" stroke-width="0.004"/>')
    parts.append('<line x1="0" y1="-1" x2="0" y2="1" stroke="#c8c8c8" stroke-width="0.004"/>')
    for (x, y, side, edge), name in zip(QUADRANT_CORNERS, snapshot.quadrants, strict=True):
        anchor = "end" if side == "right" else "start"
        baseline = y - 0.03 if edge == "top" else y  # SVG text sits on its baseline
        parts.append(f'<text x="{x}" y="{-baseline:.3f}" font-size="0.045" '
                     f'font-weight="bold" text-anchor="{anchor}">{escape(name)}</text>')
    for number, entry in enumerate(snapshot.entries, start=1):
        colour = STATUS_COLOURS.get(entry.status, "#1f77b4")
        fill = colour if entry.decided else "white"
        state = changes.status_of(entry.id) if changes else "no change"
        title = (f"{number}. {entry.label} — {entry.status}, {entry.ring}"
                 f"{'' if entry.decided else ' (suggested)'}, score {entry.score:.1f}, "
                 f"{entry.article_count} articles from {entry.source_count} sources"
                 f"{'' if state == 'no change' else f' — {state}'}\n"
                 f"{rationale(entry, include_internal=include_internal)}")
        parts.append(f'<g><title>{escape(title)}</title><circle cx="{entry.x:.4f}" '
                     f'cy="{-entry.y:.4f}" r="{entry.radius:.4f}" fill="{fill}" '
                     f'stroke="{colour}" stroke-width="0.006"/>'
                     f'<text x="{entry.x:.4f}" y="{-entry.y + entry.radius * 0.35:.4f}" '
                     f'font-size="{entry.radius:.4f}" text-anchor="middle" '
                     f'fill="{"white" if entry.decided else colour}">{number}</text></g>')
    parts.append(f'<text x="0" y="1.04" font-size="0.035" text-anchor="middle" '
                 f'fill="#b45309">{escape(snapshot.name)} · {escape(snapshot.sharing)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 60rem;
       color: #222; line-height: 1.4; }
.label { display: inline-block; padding: .2rem .6rem; border: 2px solid #b45309;
         color: #b45309; font-weight: bold; }
svg { width: 100%; height: auto; max-width: 44rem; display: block; margin: 1rem auto; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
li { margin: .3rem 0; } .muted { color: #666; font-size: .9rem; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; }
               section { break-inside: avoid; } svg { max-width: 16cm; } }
@page { size: A4; margin: 1.5cm; }
"""


def render_html(snapshot: Snapshot, changes: SnapshotDiff, *,
                include_internal: bool = False) -> str:
    """One file that opens anywhere offline: radar, what changed, trends with rationale."""
    label = escape(snapshot.sharing)
    body = [f"<header><span class='label'>{label}</span>"
            f"<h1>{escape(snapshot.name)}</h1>"
            f"<p class='muted'>Analysis as of {escape(snapshot.as_of[:10])} · edition "
            f"{escape(snapshot.id)}</p>"
            + (f"<p>{escape(snapshot.note)}</p>" if snapshot.note else "") + "</header>",
            render_svg(snapshot, changes, include_internal=include_internal),
            "<p class='muted'>Filled: decided · hollow: suggested · red emerging, orange "
            "rising, blue steady, grey fading. Hover a blip for details.</p>",
            "<section><h2>What changed</h2>", _changes_html(changes, include_internal),
            "</section>"]
    numbers = {e.id: n for n, e in enumerate(snapshot.entries, start=1)}
    shown_quadrant = None
    for quadrant, ring, members in segments(snapshot):
        if quadrant != shown_quadrant:
            body.append(("</section>" if shown_quadrant else "")
                        + f"<section><h2>{escape(quadrant)}</h2>")
            shown_quadrant = quadrant
        body.append(f"<h3>{escape(ring.capitalize())}</h3><ul>")
        for entry in members:
            links = ", ".join(
                f"<a href='{escape(a['link'])}'>{escape(a['source'] or 'source')}</a>"
                for a in entry.evidence[:3] if a["link"].startswith(("http://", "https://")))
            state = "" if entry.decided else " <span class='muted'>(suggested)</span>"
            body.append(
                f"<li><b>{numbers[entry.id]}. {escape(entry.label)}</b>{state} — "
                f"{escape(rationale(entry, include_internal=include_internal))}"
                + (f" <span class='muted'>Evidence: {links}</span>" if links else "")
                + "</li>")
        body.append("</ul>")
    if shown_quadrant:
        body.append("</section>")
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{escape(snapshot.name)} ({label})</title>"
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(body)
            + f"\n<footer class='muted'>{label}</footer></body></html>\n")


def _changes_html(changes: SnapshotDiff, include_internal: bool) -> str:
    items = [f"<li><b>{title}</b>: " + "; ".join(
        escape(c.entry.label + change_detail(c)) for c in changes.of_kind(kind)) + "</li>"
             for kind, title in CHANGE_TITLES.items() if changes.of_kind(kind)]
    items += [f"<li>Decision: {escape(decision_line(e, d))}</li>"
              for e, d in changes.shared_decisions(include_internal=include_internal)]
    if not items:
        return "<p>First edition.</p>" if changes.older is None else "<p>No changes.</p>"
    return "<ul>" + "".join(items) + "</ul>"
