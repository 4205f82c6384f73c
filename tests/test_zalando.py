"""Zalando's radar.js: its quadrant numbering, standard rings, every blip clickable."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from radar.errors import ExportError
from radar.share.snapshot import diff
from radar.share.zalando import check_zalando, render_zalando

from .test_interchange import CHANGES, EVERYWHERE, NEWER


def test_zalando_rings_by_name_quadrants_clockwise_from_bottom_right() -> None:
    text = render_zalando(NEWER, CHANGES)
    check_zalando(text, NEWER)
    data = json.loads(text)
    assert data["sharing"] == "TLP:CLEAR"
    # Our Q0 is drawn top right (Zalando 3), Q3 bottom right (Zalando 0); adopt is ADOPT (0)
    # and hold is HOLD (3), whatever our ring list's length.
    assert [(e["quadrant"], e["ring"], e["moved"]) for e in data["entries"]] == [
        (3, 0, 1), (0, 3, 2)]
    assert [q["name"] for q in data["quadrants"]] == ["Q3", "Q2", "Q1", "Q0"]
    assert [r["name"] for r in data["rings"]] == ["ADOPT", "TRIAL", "ASSESS", "HOLD"]
    assert all(r["color"].startswith("#") for r in data["rings"])
    assert {"svg_id", "width", "height", "colors", "entries"} <= set(data)


def test_every_zalando_entry_is_active_whatever_its_status() -> None:
    """`active` is "in use" in radar.js: an inactive blip cannot be clicked."""
    fading = replace(EVERYWHERE, entries=tuple(replace(e, status=s) for e, s in zip(
        EVERYWHERE.entries, ("fading", "dormant", "steady", "emerging"), strict=True)))
    data = json.loads(render_zalando(fading, diff(None, fading)))
    assert [e["active"] for e in data["entries"]] == [True] * 4
    data["entries"][0]["active"] = False
    with pytest.raises(ExportError, match="must be active"):
        check_zalando(json.dumps(data), fading)


def test_zalando_check_refuses_a_mirrored_radar() -> None:
    data = json.loads(render_zalando(EVERYWHERE, diff(None, EVERYWHERE)))
    data["quadrants"].reverse()
    with pytest.raises(ExportError, match="would draw quadrant 'Q0' bottom right"):
        check_zalando(json.dumps(data), EVERYWHERE)


def test_a_custom_four_ring_radar_says_how_it_was_mapped() -> None:
    rings = ("use", "try", "evaluate", "avoid")
    custom = replace(NEWER, rings=rings, entries=tuple(
        replace(e, ring=ring) for e, ring in zip(NEWER.entries, ("use", "avoid"), strict=True)))
    text = render_zalando(custom, diff(None, custom))
    check_zalando(text, custom)
    data = json.loads(text)
    assert [e["ring"] for e in data["entries"]] == [0, 3]
    assert [r["name"] for r in data["rings"]] == ["USE", "TRY", "EVALUATE", "AVOID"]
    assert data["ring_mapping"].startswith("rings mapped by order")
