"""The radar as PNG and a short PDF brief, drawn offline with matplotlib (pure: an
edition in, bytes out).

Drawn with matplotlib's object API (`Figure`), never `pyplot`: pyplot keeps global state
and is not thread-safe, and the app serves every session from its own thread.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from radar.layout import QUADRANT_CORNERS, STATUS_COLOURS, ring_bounds
from radar.share.snapshot import (
    CHANGE_TITLES,
    Snapshot,
    SnapshotDiff,
    decision_line,
    rationale,
)


def draw_radar(snapshot: Snapshot, *, inches: float = 8.0) -> Figure:
    """A square figure of the radar, legible at slide size."""
    figure = Figure(figsize=(inches, inches), dpi=150)
    axes = figure.add_axes((0, 0, 1, 0.94))
    axes.set_xlim(-1.05, 1.05)
    axes.set_ylim(-1.05, 1.05)
    axes.set_aspect("equal")
    axes.axis("off")
    for (inner, outer), name in zip(ring_bounds(len(snapshot.rings)), snapshot.rings,
                                    strict=True):
        axes.add_patch(Circle((0, 0), outer, fill=False, color="#c8c8c8", lw=1))
        axes.text((inner + outer) / 2, 0.012, name.upper(), ha="center", va="bottom",
                  fontsize=8, color="#888")
    axes.plot([-1, 1], [0, 0], color="#c8c8c8", lw=1)
    axes.plot([0, 0], [-1, 1], color="#c8c8c8", lw=1)
    for (x, y, ha, va), name in zip(QUADRANT_CORNERS, snapshot.quadrants, strict=True):
        axes.text(x, y, name, ha=ha, va=va, fontsize=11, fontweight="bold")
    for number, entry in enumerate(snapshot.entries, start=1):
        colour = STATUS_COLOURS.get(entry.status, "#1f77b4")
        axes.add_patch(Circle((entry.x, entry.y), entry.radius, lw=1.2, ec=colour,
                              fc=colour if entry.decided else "white"))
        axes.text(entry.x, entry.y, str(number), ha="center", va="center",
                  fontsize=max(4.0, entry.radius * 150),
                  color="white" if entry.decided else colour)
    figure.suptitle(f"{snapshot.name}   [{snapshot.sharing}]", fontsize=13, y=0.985)
    return figure


def render_png(snapshot: Snapshot, changes: SnapshotDiff, *,
               include_internal: bool = False) -> bytes:
    out = io.BytesIO()
    draw_radar(snapshot).savefig(out, format="png")
    return out.getvalue()


def brief_lines(snapshot: Snapshot, changes: SnapshotDiff, *,
                include_internal: bool, top: int = 15) -> list[str]:
    """The text of the brief: what changed, the decisions, and the strongest trends.

    Short on purpose (the HTML page lists every trend): a first edition is summed up in
    one line instead of listing every trend as new.
    """
    lines = [f"{snapshot.name} — {snapshot.sharing}",
             f"Analysis as of {snapshot.as_of[:10]} · edition {snapshot.id}", ""]
    if snapshot.note:
        lines += [snapshot.note, ""]
    lines.append("WHAT CHANGED")
    if changes.older is None:
        lines.append(f"  first edition: {len(snapshot.entries)} trends")
    else:
        for kind in CHANGE_TITLES:
            for change in changes.of_kind(kind):
                was = f" (was {change.before})" if change.before else ""
                lines.append(f"  {kind}: {change.entry.label} — {change.entry.ring}{was}")
        if not changes.changes:
            lines.append("  no changes")
    decided = changes.shared_decisions(include_internal=include_internal)
    if decided:
        lines += ["", "DECISIONS"]
        lines += [f"  {decision_line(e, d)}" for e, d in decided]
    numbers = {e.id: n for n, e in enumerate(snapshot.entries, start=1)}
    strongest = sorted(snapshot.entries, key=lambda e: (-e.score, e.id))[:top]
    lines += ["", f"STRONGEST SIGNALS (numbers as on the radar; all {len(snapshot.entries)} "
                  "trends are in the HTML export)"]
    for entry in strongest:
        state = "" if entry.decided else " (suggested)"
        lines.append(f"  {numbers[entry.id]}. {entry.label} — {entry.quadrant}, "
                     f"{entry.ring}{state}, {entry.status}: "
                     f"{rationale(entry, include_internal=include_internal)}")
    return [wrapped for line in lines
            for wrapped in (textwrap.wrap(line, 95, subsequent_indent="      ") or [""])]


def render_pdf(snapshot: Snapshot, changes: SnapshotDiff, *,
               include_internal: bool = False) -> bytes:
    """A short brief: the radar on page one, then what changed and the decisions."""
    out = io.BytesIO()
    with PdfPages(out) as pdf:
        pdf.savefig(draw_radar(snapshot, inches=8.27))
        lines = brief_lines(snapshot, changes, include_internal=include_internal)
        for start in range(0, len(lines), 60):
            page = Figure(figsize=(8.27, 11.69))
            page.text(0.06, 0.96, "\n".join(lines[start:start + 60]), va="top",
                      family="monospace", fontsize=7.5)
            pdf.savefig(page)
    return out.getvalue()
