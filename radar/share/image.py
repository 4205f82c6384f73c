"""The radar slide as PNG, and a short PDF brief, drawn offline with matplotlib (pure: an
edition in, bytes out).

Drawn with matplotlib's object API (`Figure`), never `pyplot`: pyplot keeps global state
and is not thread-safe, and the app serves every session from its own thread. The slide is
the same picture as the SVG: numbered blips, names where they fit, and the legend of every
number beside the radar.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from matplotlib.patches import Circle

from radar.layout import MARK_COLOUR, QUADRANT_CORNERS, STATUS_COLOURS, ring_bounds
from radar.picture import (
    PICTURE_KEY,
    SLIDE_HALF_HEIGHT,
    SLIDE_HALF_WIDTH,
    Picture,
    legend_columns,
    legend_line_height,
)
from radar.share.pdf import A4_LANDSCAPE, Part, Table, write_pdf
from radar.share.snapshot import (
    Snapshot,
    SnapshotDiff,
    changes_summary,
    exposure_brief,
    picture_of,
    rationale,
    ring_meaning,
    roadmap_brief,
)
from radar.text import plural

LEGEND_STYLE = {"quadrant": {"fontweight": "bold", "color": "#111"},
                "ring": {"fontweight": "bold", "color": "#666"},
                "meaning": {"fontstyle": "italic", "color": "#888"}}


def draw_slide(snapshot: Snapshot, changes: SnapshotDiff | None = None, *,
               inches: float = 16.0) -> Figure:
    """The radar with its legend on a slide (16:9-ish), legible when projected."""
    figure = Figure(figsize=(inches, inches * SLIDE_HALF_HEIGHT / SLIDE_HALF_WIDTH), dpi=110)
    _draw_slide_in(figure, (0, 0, 1, 1), snapshot, changes, inches)
    return figure


def _draw_slide_in(figure: Figure, rect: tuple[float, float, float, float],
                   snapshot: Snapshot, changes: SnapshotDiff | None, inches: float) -> None:
    """The slide in `rect` (figure fractions) of `figure`, `inches` wide."""
    picture = picture_of(snapshot, changes)
    axes = figure.add_axes(rect)
    axes.set_xlim(-SLIDE_HALF_WIDTH, SLIDE_HALF_WIDTH)
    axes.set_ylim(-SLIDE_HALF_HEIGHT, SLIDE_HALF_HEIGHT)
    axes.set_aspect("equal")
    axes.axis("off")
    points = inches * 72 / (2 * SLIDE_HALF_WIDTH)   # font points per radar unit
    _draw_radar(axes, picture, points)
    _draw_legend(axes, picture, points)
    axes.text(0, -SLIDE_HALF_HEIGHT + 0.065,
              f"{snapshot.name} · {snapshot.sharing} · analysis as of {snapshot.as_of[:10]}",
              ha="center", va="bottom", fontsize=0.035 * points, color="#b45309")
    axes.text(0, -SLIDE_HALF_HEIGHT + 0.01, PICTURE_KEY, ha="center", va="bottom",
              fontsize=0.026 * points, color="#555")


def _draw_radar(axes, picture: Picture, points: float) -> None:
    for _, outer in ring_bounds(len(picture.rings)):
        axes.add_patch(Circle((0, 0), outer, fill=False, color="#c8c8c8", lw=1))
    axes.plot([-1, 1], [0, 0], color="#c8c8c8", lw=1)
    axes.plot([0, 0], [-1, 1], color="#c8c8c8", lw=1)
    for name, x, y in picture.ring_names:   # on the axis, on white, where blips keep clear
        axes.text(x, y, name, ha="center", va="center", fontsize=0.026 * points,
                  color="#888", bbox={"boxstyle": "square,pad=0.15", "fc": "white",
                                      "ec": "none"})
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


def brief_parts(snapshot: Snapshot, changes: SnapshotDiff, *,
                include_internal: bool) -> list[Part]:
    """What the brief says after the radar page: what changed, the decisions, the
    roadmap, then every trend on the radar quadrant by quadrant, numbered as on the
    radar, each as a table."""
    listed = tuple((title, change.entry.label, change.entry.ring, change.before or "")
                   for title, found in changes.listed() for change in found)
    parts = [Part("What changed", changes_summary(changes),
                  table=Table(("change", "trend", "ring now", "before"), (1.2, 3, 1, 1.5),
                              listed))]
    decided = changes.shared_decisions(include_internal=include_internal)
    if decided:
        parts.append(Part("Decisions", table=Table(
            ("trend", "ring", "by", "on", "why"), (3, 2, 1, 1, 5),
            tuple((e.label, f"{d['old'] or 'undecided'} → {d['new'] or 'undecided'}",
                   d["author"], d["at"][:10], d["note"]) for e, d in decided))))
    if snapshot.roadmap:
        rows = []
        for title, trends in roadmap_brief(snapshot, include_internal=include_internal):
            rows += [(title, kind.lower(), line)
                     for kind, line in trends or [("", "No trend touches it yet.")]]
        parts.append(Part("What this means for your roadmap", table=Table(
            ("initiative", "", "trend"), (3, 1, 8), tuple(rows))))
    if snapshot.exposure:
        shown, more = exposure_brief(snapshot)
        parts.append(Part("Exploited flaws in our stack", more,
                          table=Table(("CVE", "product", "due", "ransomware", "what to do"),
                                      (2, 3, 1.3, 1.3, 7),
                                      tuple((e["cve"], e["product"], e["due_date"],
                                             "yes" if e["ransomware"] else "",
                                             e["required_action"]) for e, _ in shown))))
    order = {ring: index for index, ring in enumerate(snapshot.rings)}
    for quadrant in snapshot.quadrants:
        members = sorted((e for e in snapshot.entries if e.quadrant == quadrant),
                         key=lambda e: (order.get(e.ring, len(order)), e.number))
        if not members:
            continue
        meanings = " ".join(f"{ring.capitalize()}: {ring_meaning(snapshot, quadrant, ring)}."
                            for ring in snapshot.rings
                            if ring_meaning(snapshot, quadrant, ring))
        parts.append(Part(quadrant, meanings, table=Table(
            ("no.", "trend", "ring", "status", "why"), (0.4, 2.6, 1.6, 1, 8),
            tuple((e.number, e.label, e.ring + ("" if e.decided else " (suggested)"),
                   e.status, rationale(e, include_internal=include_internal))
                  for e in members))))
    return parts


def render_pdf(snapshot: Snapshot, changes: SnapshotDiff, *,
               include_internal: bool = False) -> bytes:
    """A brief on A4 landscape pages: the radar with its legend on page one, then what
    changed, the decisions, the roadmap and every trend on the radar, as tables."""
    width, height = A4_LANDSCAPE
    slide = width - 0.5

    def radar_page(page: Figure) -> None:
        page.text(0.3 / width, 1 - 0.3 / height, f"{snapshot.name} — {snapshot.sharing}",
                  fontsize=16, fontweight="bold", va="top")
        facts = (f"Analysis as of {snapshot.as_of[:10]} · edition {snapshot.id} · "
                 f"{plural(len(snapshot.entries), 'trend')} on the radar"
                 + (f" · {snapshot.note}" if snapshot.note else ""))
        page.text(0.3 / width, 1 - 0.68 / height, facts, fontsize=9, color="#555", va="top")
        tall = slide * SLIDE_HALF_HEIGHT / SLIDE_HALF_WIDTH
        _draw_slide_in(page, (0.25 / width, 0.5 / height, slide / width, tall / height),
                       snapshot, changes, slide)

    return write_pdf(brief_parts(snapshot, changes, include_internal=include_internal),
                     title=f"{snapshot.name} ({snapshot.sharing})", footer=(
                         f"{snapshot.name} · {snapshot.sharing}"),
                     size=A4_LANDSCAPE, first_page=radar_page)
