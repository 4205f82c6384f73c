"""Every export written from an edition and parsed back; internal notes stay internal."""

from __future__ import annotations

import csv
import io
import json

from radar.share.interchange import (
    render_backstage,
    render_byor_csv,
    render_byor_json,
    render_zalando,
)
from radar.share.snapshot import diff

from .test_snapshot import edition, entry

PUBLIC = {"at": "2031-03-05T00:00:00Z", "author": "ana", "old": None, "new": "adopt",
          "note": "Roll out to all staff", "internal": False}
SECRET = {"at": "2031-03-06T00:00:00Z", "author": "ana", "old": "adopt", "new": "adopt",
          "note": "Vendor contract renewal is secret", "internal": True}
OLDER = edition("A", "2031-03-01T00:00:00Z", entry("keys", "assess"), entry("gone"))
NEWER = edition("B", "2031-03-08T00:00:00Z",
                entry("keys", "adopt", decisions=[PUBLIC, SECRET]),
                entry("new", "hold", quadrant="Q3"))
CHANGES = diff(OLDER, NEWER)


def test_byor_csv_columns_and_values() -> None:
    rows = list(csv.DictReader(io.StringIO(render_byor_csv(NEWER, CHANGES))))
    assert list(rows[0]) == ["name", "ring", "quadrant", "isNew", "status", "description"]
    assert [(r["name"], r["ring"], r["isNew"], r["status"]) for r in rows] == [
        ("Trend keys", "adopt", "FALSE", "moved in"), ("Trend new", "hold", "TRUE", "new")]
    assert rows[0]["description"] == "Roll out to all staff"


def test_byor_json_matches_csv() -> None:
    rows = json.loads(render_byor_json(NEWER, CHANGES))
    assert [r["status"] for r in rows] == ["moved in", "new"]


def test_zalando_indexes_and_moves() -> None:
    data = json.loads(render_zalando(NEWER, CHANGES))
    assert data["sharing"] == "TLP:CLEAR"
    assert [(e["quadrant"], e["ring"], e["moved"]) for e in data["entries"]] == [
        (0, 0, 1), (3, 2, 2)]


def test_backstage_structure_with_timeline_newest_first() -> None:
    data = json.loads(render_backstage(NEWER, CHANGES))
    assert [q["name"] for q in data["quadrants"]] == ["Q0", "Q1", "Q2", "Q3"]
    assert [r["id"] for r in data["rings"]] == ["adopt", "assess", "hold"]
    timeline = data["entries"][0]["timeline"]
    dates = [t["date"] for t in timeline]
    assert dates == sorted(dates, reverse=True)


def test_internal_notes_are_left_out_unless_asked_for() -> None:
    for render in (render_byor_csv, render_byor_json, render_zalando,
                   render_backstage):
        assert "secret" not in render(NEWER, CHANGES).lower(), render.__name__
    assert "secret" in render_backstage(NEWER, CHANGES, include_internal=True).lower()
