"""The Markdown brief: what changed, the decisions, then the radar by quadrant and ring
(pure: an edition in, text out). Feed-derived text is escaped: a Markdown viewer must
show a `<script>` title, not run it."""

from __future__ import annotations

from radar.share.snapshot import (
    Snapshot,
    SnapshotDiff,
    changes_summary,
    decision_line,
    exposure_brief,
    rationale,
    roadmap_brief,
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
    for title, found in changes.listed():
        lines.append(f"- **{title}**: " + "; ".join(esc(c.entry.label) + c.detail
                                                  for c in found))
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
    for title, trends in roadmap_brief(snapshot, include_internal=include_internal):
        lines += [f"### {esc(title)}", ""]
        if not trends:
            lines.append("No trend touches it yet.")
        lines += [f"- **{kind}**: {esc(line)}" for kind, line in trends]
        lines.append("")
    if snapshot.exposure:
        shown, more = exposure_brief(snapshot)
        lines += ["### Exploited flaws in our stack", ""]
        lines += [f"- {esc(line)}" for _, line in shown]
        lines += [f"- {esc(more)}"] if more else []
    return lines


ROADMAP_TITLE_MD = "## What this means for your roadmap"
