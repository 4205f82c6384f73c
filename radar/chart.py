"""The radar picture as the app draws it: one SVG (pure: no Streamlit, testable as text).

Draws a `picture.Picture`: numbered blips (each a group carrying its trend id in
`data-id`, focusable, with its hover text as an SVG <title>), names beside the blips where
they fit, rings and quadrant names, the key below. Colour shows status, a filled circle a
decided ring and a hollow one a suggested ring, size the signal. SVG rather than a Plotly
chart: Plotly's script alone takes the browser over a second to load on a new page, the
radar's whole first paint budget. Every feed-derived text is escaped.
"""

from __future__ import annotations

from html import escape

from radar.layout import MARK_COLOUR, QUADRANT_CORNERS, STATUS_COLOURS, ring_bounds
from radar.picture import PICTURE_KEY_LINES, Picture, Spot

# Sizes in radar units (the radar spans -1..1): a 10-point name on a 660-pixel chart.
TEXT = 0.038
RADAR_EDGE = 1.02
KEY_LINE = 0.045


def render_radar_svg(picture: Picture, *, selected: str | None = None) -> str:
    """The whole radar: rings, quadrant lines and names, one numbered circle per trend, a
    black ring around the `selected` trend, the key below. SVG's y runs downwards, the
    picture's upwards: every y is negated."""
    edge = RADAR_EDGE
    height = 2 * edge + KEY_LINE * (len(PICTURE_KEY_LINES) + 0.5)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" '
             f'viewBox="{-edge} {-edge} {2 * edge} {height:.3f}" '
             'font-family="Source Sans Pro, Helvetica, Arial, sans-serif" role="group" '
             'aria-label="Trend radar">']
    parts += [f'<circle r="{outer:.4f}" fill="none" stroke="#c8c8c8" stroke-width="0.003"/>'
              for _, outer in ring_bounds(len(picture.rings))]
    parts.append('<path d="M-1 0H1M0 -1V1" stroke="#c8c8c8" stroke-width="0.003"/>')
    parts += [f'<text x="{x:.4f}" y="{-y:.4f}" font-size="{TEXT}" fill="#888" '
              'text-anchor="middle" dominant-baseline="central" stroke="white" '
              f'stroke-width="{TEXT / 3:.4f}" paint-order="stroke">{escape(name)}</text>'
              for name, x, y in picture.ring_names]   # on the axis, where blips keep clear
    for (x, y, side, edge_of), name in zip(QUADRANT_CORNERS, picture.quadrants, strict=True):
        parts.append(f'<text x="{x}" y="{-y}" font-size="{TEXT * 1.4:.4f}" font-weight="bold" '
                     f'text-anchor="{"end" if side == "right" else "start"}" '
                     f'dominant-baseline="{"hanging" if edge_of == "top" else "auto"}">'
                     f'{escape(name)}</text>')
    parts += [_blip(spot, selected=spot.item.id == selected) for spot in picture.spots]
    parts += [f'<text x="0" y="{edge + KEY_LINE * (n + 1):.4f}" font-size="{TEXT * 1.1:.4f}" '
              f'fill="#555" text-anchor="middle">{escape(line)}</text>'
              for n, line in enumerate(PICTURE_KEY_LINES)]
    parts.append("</svg>")
    return "".join(parts)


def _blip(spot: Spot, *, selected: bool) -> str:
    """One trend: its circle and number, a mark when new or moved, its name where it fits;
    all in one group, so a click anywhere on it opens the trend."""
    item, x, y, r = spot.item, spot.x, -spot.y, spot.radius
    colour = STATUS_COLOURS.get(item.status, "#1f77b4")
    label = f"{spot.number}. {item.label}"
    part = [f'<g class="blip" data-id="{escape(item.id)}" tabindex="0" role="button" '
            f'aria-label="{escape(label)}"><title>{escape(label)}\n{escape(item.detail)}'
            '</title>']
    if selected:
        part.append(f'<circle cx="{x:.4f}" cy="{y:.4f}" r="{r + 0.012:.4f}" fill="none" '
                    'stroke="#000" stroke-width="0.009" class="selected"/>')
    part.append(f'<circle cx="{x:.4f}" cy="{y:.4f}" r="{r:.4f}" '
                f'fill="{colour if item.decided else "white"}" stroke="{colour}" '
                'stroke-width="0.0045"/>'
                f'<text x="{x:.4f}" y="{y:.4f}" font-size="{max(TEXT * 1.1, r * 1.02):.4f}" '
                'text-anchor="middle" dominant-baseline="central" '
                f'fill="{"white" if item.decided else colour}">{spot.number}</text>')
    mark = "★" if item.new else "▲" if item.moved else ""
    if mark:   # beside the blip, as on every other drawing
        part.append(f'<text x="{x + r:.4f}" y="{y - r:.4f}" font-size="{TEXT:.4f}" '
                    f'text-anchor="middle" dominant-baseline="central" '
                    f'fill="{MARK_COLOUR}" class="mark">{mark}</text>')
    if spot.name_at:
        nx, ny, side = spot.name_at
        part.append(f'<text x="{nx:.4f}" y="{-ny:.4f}" font-size="{TEXT}" fill="#333" '
                    f'dominant-baseline="central" '
                    f'text-anchor="{"start" if side == "right" else "end"}">'
                    f'{escape(item.label)}</text>')
    return "".join(part) + "</g>"
