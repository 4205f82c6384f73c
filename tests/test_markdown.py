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
    assert "<script>" not in text and "\\<script\\>" in text


def test_markdown_leaves_internal_notes_out_unless_asked_for() -> None:
    assert "secret" not in render_markdown(NEWER, CHANGES).lower()
    assert "secret" in render_markdown(NEWER, CHANGES, include_internal=True).lower()
