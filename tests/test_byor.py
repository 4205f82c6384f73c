"""Thoughtworks BYOR: columns, names BYOR places, its quadrant order, its default names."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from radar.config import Settings
from radar.errors import ExportError
from radar.share.byor import (
    BYOR_COLUMNS,
    byor_advice,
    byor_rows,
    byor_settings,
    check_byor_csv,
    check_byor_json,
    check_byor_rows,
    render_byor_csv,
    render_byor_json,
)
from radar.share.snapshot import diff

from .test_interchange import CHANGES, EVERYWHERE, NEWER, OLDER, PUBLIC, edition, entry


def test_byor_csv_columns_and_values() -> None:
    text = render_byor_csv(NEWER, CHANGES)
    check_byor_csv(text, NEWER)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == BYOR_COLUMNS == ["name", "ring", "quadrant", "isNew", "status",
                                             "description"]
    assert [(r["name"], r["ring"], r["isNew"], r["status"]) for r in rows] == [
        ("Trend keys", "Adopt", "FALSE", "moved in"), ("Trend new", "Hold", "TRUE", "new")]
    assert rows[0]["description"] == "Roll out to all staff"


def test_byor_json_matches_csv() -> None:
    text = render_byor_json(NEWER, CHANGES)
    check_byor_json(text, NEWER)
    assert [r["status"] for r in json.loads(text)] == ["moved in", "new"]


def test_byor_quadrants_first_top_left_second_bottom_left() -> None:
    """BYOR draws its QUADRANTS first top left, second bottom left, third top right,
    fourth bottom right; ours are Q0 top right, Q1 top left, Q2 bottom left, Q3 bottom
    right."""
    assert byor_settings(EVERYWHERE)["QUADRANTS"] == ["Q1", "Q2", "Q0", "Q3"]


def test_byor_defaults_map_ours_onto_byors_names_by_position() -> None:
    text = render_byor_csv(EVERYWHERE, diff(None, EVERYWHERE), byor_defaults=True)
    check_byor_csv(text, EVERYWHERE, byor_defaults=True)
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(text))}
    # Techniques top left, Platforms bottom left, Tools top right, Languages & Frameworks
    # bottom right: the places of our Q1, Q2, Q0 and Q3.
    assert {name: r["quadrant"] for name, r in rows.items()} == {
        "Trend in-q0": "Tools", "Trend in-q1": "Techniques", "Trend in-q2": "Platforms",
        "Trend in-q3": "Languages & Frameworks"}
    assert {r["ring"] for r in rows.values()} == {"Assess"}   # our assess, by name
    advice = byor_advice(EVERYWHERE, byor_defaults=True)
    assert "default names" in advice and "Q0 -> Tools (top right)" in advice
    # Our own names are refused under BYOR's defaults: BYOR would drop every blip.
    with pytest.raises(ExportError, match="quadrant 'Q0' is not configured"):
        check_byor_csv(render_byor_csv(EVERYWHERE, diff(None, EVERYWHERE)), EVERYWHERE,
                       byor_defaults=True)


def test_byor_defaults_map_other_rings_by_order() -> None:
    custom = replace(NEWER, rings=("now", "later"), entries=tuple(
        replace(e, ring=ring) for e, ring in zip(NEWER.entries, ("now", "later"),
                                                 strict=True)))
    rows = byor_rows(custom, diff(None, custom), byor_defaults=True)
    assert [r["ring"] for r in rows] == ["Adopt", "Trial"]
    assert "now -> Adopt, later -> Trial" in byor_advice(custom, byor_defaults=True)


def test_byor_names_are_the_ones_the_readme_tells_users_to_set() -> None:
    settings = Settings()
    ours = replace(NEWER, quadrants=tuple(q.name for q in settings.quadrants),
                   rings=settings.rings, entries=())
    values = byor_settings(ours)
    assert len(values["QUADRANTS"]) == 4 and len(values["RINGS"]) <= 4
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for line in byor_advice(ours).splitlines()[1:]:   # the export commands, verbatim
        assert line in readme


@pytest.mark.parametrize("row, problem", [
    ({"ring": "Trial"}, "ring 'Trial' is not one of"),
    ({"quadrant": "Elsewhere"}, "quadrant 'Elsewhere' is not configured"),
    ({"quadrant": "Q1"}, "BYOR would draw 'Trend keys' top left; our radar draws it top "
                         "right"),
    ({"isNew": "yes"}, "isNew is 'yes'"),
    ({"status": "moved"}, "status 'moved' is not one of"),
])
def test_byor_rules_catch_what_byor_would_drop(row: dict, problem: str) -> None:
    good = byor_rows(NEWER, CHANGES)
    with pytest.raises(ExportError, match=problem):
        check_byor_rows([{**good[0], **row}, good[1]], NEWER)


def test_byor_csv_cells_that_a_spreadsheet_would_run_are_written_as_text() -> None:
    formula = '=HYPERLINK("http://x","y")'
    note = {**PUBLIC, "note": "+cmd|' /C calc'!A0"}
    radar = edition("C", "2031-03-08T00:00:00Z",
                    replace(entry("keys", "adopt", decisions=[note]), label=formula))
    text = render_byor_csv(radar, diff(OLDER, radar))
    check_byor_csv(text, radar)
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["name"] == "'" + formula          # a spreadsheet shows a leading ' as text
    assert row["description"].startswith("'+cmd|")
