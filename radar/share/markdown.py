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
    exposure_brief,
    exposure_line,
    initiative_title,
    more_flaws_line,
    rationale,
    roadmap_brief,
    roadmap_line,
    segments,
)
from radar.text import md_escape


def esc(text: str) -> str:
    """Escaped for a Markdown file (`$` is plain text there, unlike in the app)."""
    return md_escape(text, math=False)


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
    lines += _roadmap(snapshot, include_internal)
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


def _roadmap(snapshot: Snapshot, include_internal: bool) -> list[str]:
    """Per initiative, the trends to support and the risks; then exploited flaws we run."""
    if not snapshot.roadmap and not snapshot.exposure:
        return []
    lines = ["", ROADMAP_TITLE_MD, ""]
    for initiative, support, risks in roadmap_brief(snapshot,
                                                    include_internal=include_internal):
        lines += [f"### {esc(initiative_title(initiative))}", ""]
        if not support and not risks:
            lines.append("No trend touches it yet.")
        lines += [f"- **Support**: {esc(roadmap_line(t, why))}" for t, why in support]
        lines += [f"- **Risk**: {esc(roadmap_line(t, why))}" for t, why in risks]
        lines.append("")
    if snapshot.exposure:
        shown, more = exposure_brief(snapshot)
        lines += ["### Exploited flaws in our stack", ""]
        lines += [f"- {esc(exposure_line(e))}" for e in shown]
        lines += [f"- {esc(more_flaws_line(more))}"] if more else []
    return lines


ROADMAP_TITLE_MD = "## What this means for your roadmap"
