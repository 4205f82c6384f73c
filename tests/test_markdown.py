"""The Markdown brief: what changed, decisions, escaped feed text, no internal notes."""

from __future__ import annotations

from radar.share.markdown import render_markdown
from radar.share.snapshot import diff

from .test_interchange import CHANGES, NEWER


def test_markdown_brief_has_label_changes_and_decisions() -> None:
    text = render_markdown(NEWER, CHANGES)
    assert "**TLP:CLEAR**" in text
    assert "- **New**: Trend new" in text and "- **Dropped**: Trend gone" in text
    assert "Moved in**: Trend keys (assess → adopt)" in text
    assert "Roll out to all staff" in text


def test_markdown_escapes_hostile_labels() -> None:
    from dataclasses import replace

    hostile = replace(NEWER, entries=(replace(NEWER.entries[0],
                                              label="<script>alert(1)</script>"),))
    text = render_markdown(hostile, diff(None, hostile))
    assert "\\<script>alert(1)\\</script>" in text and text.count("<") == text.count("\\<")


def test_markdown_brief_escapes_only_what_markdown_would_misread() -> None:
    from dataclasses import replace

    flaw = {"cve": "CVE-2025-49706", "product": "Microsoft SharePoint", "name": "",
            "due_date": "2025-07-23", "ransomware": False, "required_action": "Apply updates."}
    named = replace(NEWER, name="Radar 2026-Q2 for the CIO", note="Costs $10M; see item 1.",
                    entries=(replace(NEWER.entries[0], label="CVE-2025-49706 (ToolShell)"),),
                    exposure=(flaw,))
    text = render_markdown(named, diff(None, named))
    assert "\\-" not in text and "\\(" not in text and "\\$" not in text
    assert "# Radar 2026-Q2 for the CIO" in text and "Costs $10M; see item 1." in text
    assert "- CVE-2025-49706 in Microsoft SharePoint, due 2025-07-23: Apply updates." in text
    assert "CVE-2025-49706 (ToolShell)" in text


def test_markdown_leaves_internal_notes_out_unless_asked_for() -> None:
    assert "secret" not in render_markdown(NEWER, CHANGES).lower()
    assert "secret" in render_markdown(NEWER, CHANGES, include_internal=True).lower()
