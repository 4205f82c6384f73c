"""Every export written from an edition and parsed back; internal notes stay internal."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from radar.cli import cli
from radar.config import Settings
from radar.engine.analyze import analyze
from radar.errors import ExportError
from radar.share.editions import create_edition
from radar.share.formats import BY_ID
from radar.share.interchange import (
    BYOR_COLUMNS,
    byor_advice,
    byor_rows,
    byor_settings,
    check_backstage,
    check_byor_csv,
    check_byor_json,
    check_byor_rows,
    check_zalando,
    render_backstage,
    render_byor_csv,
    render_byor_json,
    render_zalando,
    zalando_rings,
)
from radar.share.snapshot import diff
from radar.store import Store

from .synthetic import default_topics, make_corpus
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
    ({"isNew": "yes"}, "isNew is 'yes'"),
    ({"status": "moved"}, "status 'moved' is not one of"),
])
def test_byor_rules_catch_what_byor_would_drop(row: dict, problem: str) -> None:
    good = byor_rows(NEWER, CHANGES)[0]
    with pytest.raises(ExportError, match=problem):
        check_byor_rows([{**good, **row}], NEWER)


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


@pytest.mark.parametrize("rings, indexes, how", [
    (("adopt", "assess", "hold"), [0, 2, 3], "rings mapped by name"),
    (("Adopt", "Trial", "Assess", "Hold"), [0, 1, 2, 3], "rings mapped by name"),
    (("hold",), [3], "rings mapped by name"),
    (("use", "try", "evaluate", "avoid"), [0, 1, 2, 3],
     "rings mapped by order: use -> ADOPT, try -> TRIAL, evaluate -> ASSESS, avoid -> HOLD"),
    (("now", "later"), [0, 1], "rings mapped by order: now -> ADOPT, later -> TRIAL"),
])
def test_zalando_ring_mapping(rings, indexes, how) -> None:
    assert zalando_rings(rings) == (indexes, how)


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


def test_five_rings_are_refused_with_a_clear_error() -> None:
    five = replace(NEWER, rings=("a", "b", "c", "d", "e"), entries=())
    for format_id in ("zalando", "byor-csv", "byor-json"):
        fmt = BY_ID[format_id]
        assert "at most 4 rings" in fmt.refusal(five)
        with pytest.raises(ExportError, match="this radar has 5"):
            fmt.render(five, diff(None, five))
    assert BY_ID["backstage"].refusal(five) == ""
    check_backstage(BY_ID["backstage"].render(five, diff(None, five)).decode(), five)


def test_backstage_rings_have_colours_and_meanings_and_a_timeline_per_edition() -> None:
    third = edition("C", "2031-03-15T00:00:00Z", entry("keys", "hold"),
                    entry("new", "hold", quadrant="Q3"))
    changes = diff(NEWER, third, history=[NEWER, OLDER])
    text = render_backstage(third, changes)
    check_backstage(text, third)
    data = json.loads(text)
    assert [(r["id"], r["color"]) for r in data["rings"]] == [
        ("adopt", "#5ba300"), ("assess", "#c7ba00"), ("hold", "#e09b96")]
    assert data["rings"][0]["description"].startswith("Q0: act now")
    keys = data["entries"][0]["timeline"]
    assert [(t["date"][:10], t["ringId"], t["moved"]) for t in keys] == [
        ("2031-03-15", "hold", -1), ("2031-03-08", "adopt", 1), ("2031-03-01", "assess", 0)]
    assert keys[1]["description"] == "Roll out to all staff"
    fresh = data["entries"][1]["timeline"]
    assert [t["moved"] for t in fresh] == [0, 0]
    assert fresh[-1]["description"].startswith("New on the radar in this edition.")


@pytest.mark.parametrize("damage, problem", [
    (lambda d: d["rings"][0].pop("color"), "rings need an id, a name and a color"),
    (lambda d: d["entries"][0]["timeline"][0].update(moved=2), "moved -1, 0 or 1"),
    (lambda d: d["entries"][0]["timeline"][0].update(date="last week"), "needs a date"),
])
def test_backstage_rules_catch_what_the_plugin_refuses(damage, problem) -> None:
    data = json.loads(render_backstage(NEWER, CHANGES))
    damage(data)
    with pytest.raises(ExportError, match=problem):
        check_backstage(json.dumps(data), NEWER)


NODE_CHECKER = Path(__file__).parent / "node" / "check_backstage.cjs"


def test_backstage_export_loads_in_the_plugins_own_parser(tmp_path: Path) -> None:
    """A real database with new, moved-in, moved-out, dropped and decided trends, three
    editions, exported by the CLI and parsed by the plugin's zod schema under Node."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node is not installed (the Backstage check runs the plugin's parser)")
    assert (NODE_CHECKER.parent / "node_modules").exists(), \
        "run `make test` (or `npm ci --prefix tests/node`) to install the plugin's parser"
    db = tmp_path / "radar.db"
    store = Store(db)
    store.save_articles(make_corpus(default_topics(90), noise=200, days=90))
    analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))

    def freeze(per_quadrant: int, at: str):
        return create_edition(store, Settings(radar_per_quadrant=per_quadrant), name="",
                              note="", sharing="TLP:AMBER", created_at=at)[0]

    moved_in, decided, dropped = (e.id for e in freeze(1, "2031-04-01T00:00:00Z").entries)
    store.record_decision(decided, "assess", note="Pilot it", author="ana",
                          at="2031-04-02T00:00:00Z")
    first = freeze(1, "2031-04-03T00:00:00Z")
    store.record_decision(moved_in, "adopt", note="Roll out", author="ana",
                          at="2031-04-04T00:00:00Z")
    store.record_decision(decided, "hold", note="Not for us", author="ana",
                          at="2031-04-04T00:00:00Z")
    store.record_edit(dropped, "dismiss", "dismissed", note="noise", author="ana",
                      at="2031-04-04T00:00:00Z")
    last = freeze(2, "2031-04-05T00:00:00Z")   # more blips per quadrant: some are new
    store.close()
    kinds = {c.kind for c in diff(first, last).changes}
    assert {"new", "moved in", "moved out", "dropped"} <= kinds

    out = tmp_path / "backstage.json"
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "backstage",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    parsed = subprocess.run([node, str(NODE_CHECKER), str(out)], capture_output=True,
                            text=True, timeout=60)
    assert parsed.returncode == 0, parsed.stderr
    assert parsed.stdout.strip() == f"ok: {len(json.loads(out.read_text())['entries'])} entries"
    timelines = [e["timeline"] for e in json.loads(out.read_text())["entries"]]
    assert max(len(t) for t in timelines) == 3


def test_internal_notes_are_left_out_unless_asked_for() -> None:
    for render in (render_byor_csv, render_byor_json, render_zalando,
                   render_backstage):
        assert "secret" not in render(NEWER, CHANGES).lower(), render.__name__
    assert "secret" in render_backstage(NEWER, CHANGES, include_internal=True).lower()


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
