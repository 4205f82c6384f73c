"""The radar slide as PNG, and a short PDF brief, drawn offline with matplotlib (pure: an
edition in, bytes out).

Drawn with matplotlib's object API (`Figure`), never `pyplot`: pyplot keeps global state
and is not thread-safe, and the app serves every session from its own thread. The slide is
the same picture as the SVG: numbered blips, names where they fit, and the legend of every
number beside the radar.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib.figure import Figure
from matplotlib.patches import Circle

from radar.layout import MARK_COLOUR, QUADRANT_CORNERS, STATUS_COLOURS, ring_bounds
from radar.picture import (
    SLIDE_HALF_HEIGHT,
    SLIDE_HALF_WIDTH,
    Picture,
    legend_columns,
    legend_line_height,
)
from radar.share.snapshot import (
    CHANGE_TITLES,
    Snapshot,
    SnapshotDiff,
    changes_summary,
    decision_line,
    exposure_brief,
    exposure_line,
    initiative_title,
    more_flaws_line,
    picture_of,
    rationale,
    ring_meaning,
    roadmap_brief,
    roadmap_line,
    segments,
)
from radar.text import plural

LEGEND_STYLE = {"quadrant": {"fontweight": "bold", "color": "#111"},
                "ring": {"fontweight": "bold", "color": "#666"},
                "meaning": {"fontstyle": "italic", "color": "#888"}}


def draw_slide(snapshot: Snapshot, changes: SnapshotDiff | None = None, *,
               inches: float = 16.0) -> Figure:
    """The radar with its legend on a slide (16:9-ish), legible when projected."""
    picture = picture_of(snapshot, changes)
    ratio = SLIDE_HALF_HEIGHT / SLIDE_HALF_WIDTH
    figure = Figure(figsize=(inches, inches * ratio), dpi=110)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(-SLIDE_HALF_WIDTH, SLIDE_HALF_WIDTH)
    axes.set_ylim(-SLIDE_HALF_HEIGHT, SLIDE_HALF_HEIGHT)
    axes.set_aspect("equal")
    axes.axis("off")
    points = inches * 72 / (2 * SLIDE_HALF_WIDTH)   # font points per radar unit
    _draw_radar(axes, picture, points)
    _draw_legend(axes, picture, points)
    axes.text(0, -SLIDE_HALF_HEIGHT + 0.03,
              f"{snapshot.name} · {snapshot.sharing} · analysis as of {snapshot.as_of[:10]}",
              ha="center", va="bottom", fontsize=0.035 * points, color="#b45309")
    return figure


def _draw_radar(axes, picture: Picture, points: float) -> None:
    for (inner, outer), name in zip(ring_bounds(len(picture.rings)), picture.rings,
                                    strict=True):
        axes.add_patch(Circle((0, 0), outer, fill=False, color="#c8c8c8", lw=1))
        axes.text((inner + outer) / 2, 0.012, name.upper(), ha="center", va="bottom",
                  fontsize=0.03 * points, color="#888")
    axes.plot([-1, 1], [0, 0], color="#c8c8c8", lw=1)
    axes.plot([0, 0], [-1, 1], color="#c8c8c8", lw=1)
    for (x, y, ha, va), name in zip(QUADRANT_CORNERS, picture.quadrants, strict=True):
        axes.text(x, y, name, ha=ha, va=va, fontsize=0.042 * points, fontweight="bold")
    for spot in picture.spots:
        colour = STATUS_COLOURS.get(spot.item.status, "#1f77b4")
        axes.add_patch(Circle((spot.x, spot.y), spot.radius, lw=1.2, ec=colour,
                              fc=colour if spot.item.decided else "white"))
        axes.text(spot.x, spot.y, str(spot.number), ha="center", va="center",
                  fontsize=max(5.0, spot.radius * points * 0.95),
                  color="white" if spot.item.decided else colour)
        mark = "★" if spot.item.new else "▲" if spot.item.moved else ""
        if mark:
            axes.text(spot.x + spot.radius, spot.y + spot.radius * 0.7, mark,
                      fontsize=0.028 * points, color=MARK_COLOUR, ha="left", va="center")
        if spot.name_at:
            x, y, side = spot.name_at
            axes.text(x, y, spot.item.label, ha="left" if side == "right" else "right",
                      va="center", fontsize=0.028 * points, color="#333")


def _draw_legend(axes, picture: Picture, points: float) -> None:
    columns = legend_columns(picture)
    step = legend_line_height(columns)
    for x, _, lines in columns:
        y = SLIDE_HALF_HEIGHT - step
        for line in lines:
            if line.text:
                style = LEGEND_STYLE.get(line.kind, {"color": STATUS_COLOURS.get(
                    line.spot.item.status, "#333") if line.spot else "#333"})
                size = step * 0.72 * points * (1.15 if line.kind == "quadrant" else 1.0)
                axes.text(x, y, line.text, ha="left", va="baseline", fontsize=size, **style)
            y -= step


def render_png(snapshot: Snapshot, changes: SnapshotDiff, *,
               include_internal: bool = False) -> bytes:
    out = io.BytesIO()
    draw_slide(snapshot, changes).savefig(out, format="png")
    return out.getvalue()


def brief_lines(snapshot: Snapshot, changes: SnapshotDiff, *,
                include_internal: bool) -> list[str]:
    """The text of the brief: what changed, the decisions, then every trend on the radar
    by quadrant and ring (with what the ring means there), numbered as on the slide."""
    lines = [f"{snapshot.name} — {snapshot.sharing}",
             f"Analysis as of {snapshot.as_of[:10]} · edition {snapshot.id} · "
             f"{plural(len(snapshot.entries), 'trend')} on the radar", ""]
    if snapshot.note:
        lines += [snapshot.note, ""]
    lines.append("WHAT CHANGED")
    listed = False
    for kind in CHANGE_TITLES:
        for change in changes.of_kind(kind):
            was = f" (was {change.before})" if change.before else ""
            lines.append(f"  {kind}: {change.entry.label} — {change.entry.ring}{was}")
            listed = True
    if not listed:
        lines.append(f"  {changes_summary(changes)}")
    decided = changes.shared_decisions(include_internal=include_internal)
    if decided:
        lines += ["", "DECISIONS"]
        lines += [f"  {decision_line(e, d)}" for e, d in decided]
    if snapshot.roadmap or snapshot.exposure:
        lines += ["", "WHAT THIS MEANS FOR YOUR ROADMAP"]
        for initiative, support, risks in roadmap_brief(snapshot,
                                                        include_internal=include_internal):
            lines.append(f"  {initiative_title(initiative)}")
            lines += [f"    {kind}: {roadmap_line(t, why)}"
                      for kind, found in (("Support", support), ("Risk", risks))
                      for t, why in found] or ["    No trend touches it yet."]
        if snapshot.exposure:
            shown, more = exposure_brief(snapshot)
            lines.append("  Exploited flaws in our stack")
            lines += [f"    {exposure_line(e)}" for e in shown]
            lines += [f"    {more_flaws_line(more)}"] if more else []
    lines += ["", "THE RADAR (numbers as on the slide)"]
    shown_quadrant = None
    for quadrant, ring, members in segments(snapshot):
        if quadrant != shown_quadrant:
            lines += ["", quadrant.upper()]
            shown_quadrant = quadrant
        meaning = ring_meaning(snapshot, quadrant, ring)
        lines.append(f"  {ring.capitalize()}" + (f" — {meaning}" if meaning else ""))
        for entry in sorted(members, key=lambda e: e.number):
            state = "" if entry.decided else " (suggested)"
            lines.append(f"    {entry.number}. {entry.label}{state}, {entry.status}: "
                         f"{rationale(entry, include_internal=include_internal)}")
    return [wrapped for line in lines
            for wrapped in (textwrap.wrap(line, 110, subsequent_indent="        ") or [""])]


def render_pdf(snapshot: Snapshot, changes: SnapshotDiff, *,
               include_internal: bool = False) -> bytes:
    """A short brief on landscape A4: the radar slide with its legend on page one, then
    what changed, the decisions and every trend on the radar."""
    from matplotlib.backends.backend_pdf import PdfPages  # here: a PNG does not need it

    out = io.BytesIO()
    with PdfPages(out) as pdf:
        slide = draw_slide(snapshot, changes, inches=11.69)
        slide.set_size_inches(11.69, 11.69 * SLIDE_HALF_HEIGHT / SLIDE_HALF_WIDTH)
        pdf.savefig(slide)
        lines = brief_lines(snapshot, changes, include_internal=include_internal)
        per_page = 52
        for start in range(0, len(lines), per_page):
            page = Figure(figsize=(11.69, 8.27))
            page.text(0.05, 0.95, "\n".join(lines[start:start + per_page]), va="top",
                      family="monospace", fontsize=8)
            pdf.savefig(page)
    return out.getvalue()
