"""The Markdown brief: what changed, the decisions, then the radar by quadrant and ring
(pure: an edition in, text out). Feed-derived text is escaped: a Markdown viewer must
show a `<script>` title, not run it."""

from __future__ import annotations

from radar.share.snapshot import (
    CHANGE_TITLES,
    Snapshot,
    SnapshotDiff,
    change_detail,
    changes_summary,
    decision_line,
    rationale,
    segments,
)
from radar.text import md_escape as esc


def render_markdown(snapshot: Snapshot, changes: SnapshotDiff, *,
                    include_internal: bool = False) -> str:
    lines = [f"# {esc(snapshot.name)}", "", f"**{esc(snapshot.sharing)}** · analysis as of "
             f"{snapshot.as_of[:10]} · edition {snapshot.id}", ""]
    if snapshot.note:
        lines += [esc(snapshot.note), ""]
    lines += ["## What changed", ""]
    if not changes.changes and not changes.decisions:
        lines.append(esc(changes_summary(changes)))
    for kind, title in CHANGE_TITLES.items():
        found = changes.of_kind(kind)
        if found:
            lines.append(f"- **{title}**: " + "; ".join(
                esc(c.entry.label) + change_detail(c) for c in found))
    decided = changes.shared_decisions(include_internal=include_internal)
    if decided:
        lines += ["", "### Decisions", ""]
        lines += [f"- {esc(decision_line(e, d))}" for e, d in decided]
    shown_quadrant = None
    for quadrant, ring, members in segments(snapshot):
        if quadrant != shown_quadrant:
            lines += ["", f"## {esc(quadrant)}", ""]
            shown_quadrant = quadrant
        lines.append(f"**{ring.capitalize()}**")
        for entry in members:
            state = "" if entry.decided else " (suggested)"
            lines.append(f"- {esc(entry.label)}{state}: "
                         f"{esc(rationale(entry, include_internal=include_internal))}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
