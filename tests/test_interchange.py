"""What the writers for other tools share: every tool draws our quadrants where our radar
draws them, ring mapping onto the standard names, and the edition fixtures the writers'
tests use."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from radar.errors import ExportError
from radar.share.formats import BY_ID, FORMATS
from radar.share.interchange import (
    TOOL_SLOTS,
    check_orientation,
    distinct_slugs,
    in_tool_order,
    our_positions,
    standard_rings,
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
# One trend in each quadrant, for checking where each tool draws them.
EVERYWHERE = edition("C", "2031-03-08T00:00:00Z",
                     *(entry(f"in-q{q}", quadrant=f"Q{q}") for q in range(4)))


def test_our_radar_draws_q0_top_right_then_counter_clockwise() -> None:
    assert our_positions() == ("top right", "top left", "bottom left", "bottom right")


@pytest.mark.parametrize("tool, order", [
    # Zalando and Backstage: 0 bottom right, 1 bottom left, 2 top left, 3 top right.
    ("zalando", ["Q3", "Q2", "Q1", "Q0"]), ("backstage", ["Q3", "Q2", "Q1", "Q0"]),
    # BYOR: first top left, second bottom left, third top right, fourth bottom right.
    ("byor", ["Q1", "Q2", "Q0", "Q3"]),
    # AOE: 1 top left, 2 top right, 3 bottom left, 4 bottom right.
    ("aoe", ["Q1", "Q0", "Q2", "Q3"]),
])
def test_each_tool_lists_our_quadrants_so_it_draws_them_where_we_do(tool, order) -> None:
    quadrants = ("Q0", "Q1", "Q2", "Q3")
    assert in_tool_order(quadrants, tool) == order
    check_orientation(tool, order, quadrants)
    with pytest.raises(ExportError, match=r"would draw quadrant 'Q[0-3]'"):
        check_orientation(tool, quadrants, quadrants)   # our own order is wrong everywhere


def test_every_tool_file_is_checked_for_its_orientation() -> None:
    """Each format made for a tool with fixed quadrant places has a check that asserts
    the orientation: a file listing our quadrants in our own order is refused."""
    tools = {"zalando": "zalando", "backstage": "backstage", "aoe": "aoe",
             "byor-csv": "byor", "byor-json": "byor"}
    assert set(TOOL_SLOTS) == set(tools.values())
    for fmt in FORMATS:
        assert bool(fmt.check) == (fmt.id in tools), fmt.id


@pytest.mark.parametrize("rings, indexes, how", [
    (("adopt", "assess", "hold"), [0, 2, 3], "rings mapped by name"),
    (("Adopt", "Trial", "Assess", "Hold"), [0, 1, 2, 3], "rings mapped by name"),
    (("hold",), [3], "rings mapped by name"),
    (("use", "try", "evaluate", "avoid"), [0, 1, 2, 3],
     "rings mapped by order: use -> ADOPT, try -> TRIAL, evaluate -> ASSESS, avoid -> HOLD"),
    (("now", "later"), [0, 1], "rings mapped by order: now -> ADOPT, later -> TRIAL"),
])
def test_standard_ring_mapping(rings, indexes, how) -> None:
    assert standard_rings(rings, "Zalando") == (indexes, how)


def test_slugs_never_collide() -> None:
    assert distinct_slugs(["Threats & Vulnerabilities", "Threats / Vulnerabilities", "!!"],
                          default="q") == ["threats-vulnerabilities",
                                           "threats-vulnerabilities-2", "q-3"]


def test_options_go_only_to_formats_that_take_them() -> None:
    with pytest.raises(ExportError, match="has no option byor_defaults"):
        BY_ID["zalando"].render(NEWER, CHANGES, byor_defaults=True)
    rows = json.loads(BY_ID["byor-json"].render(NEWER, CHANGES, byor_defaults=True))
    assert {r["quadrant"] for r in rows} <= {"Techniques", "Platforms", "Tools",
                                              "Languages & Frameworks"}


def test_five_rings_are_refused_with_a_clear_error() -> None:
    five = replace(NEWER, rings=("a", "b", "c", "d", "e"), entries=())
    for format_id in ("zalando", "byor-csv", "byor-json"):
        fmt = BY_ID[format_id]
        assert "at most 4 rings" in fmt.refusal(five)
        with pytest.raises(ExportError, match="this radar has 5"):
            fmt.render(five, diff(None, five))
    for format_id in ("backstage", "aoe"):
        assert BY_ID[format_id].refusal(five) == ""
        assert BY_ID[format_id].render(five, diff(None, five))


def test_internal_notes_are_left_out_unless_asked_for() -> None:
    for_tools = [fmt for fmt in FORMATS if fmt.check]     # files made for another tool
    assert [fmt.id for fmt in for_tools] == ["byor-csv", "byor-json", "zalando", "backstage",
                                             "aoe"]
    for fmt in for_tools:
        assert b"secret" not in fmt.render(NEWER, CHANGES).lower(), fmt.id
    assert b"secret" in BY_ID["backstage"].render(NEWER, CHANGES, include_internal=True).lower()
