"""Backstage's tech-radar plugin: its loader's rules, its quadrant places, short ring
descriptions, the sharing label where the plugin shows it, distinct timeline rows, and
the real parser under Node."""

from __future__ import annotations

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
from radar.share.backstage import check_backstage, render_backstage
from radar.share.editions import create_edition
from radar.share.snapshot import diff
from radar.store import Store

from .synthetic import default_topics, make_corpus, steady
from .test_interchange import CHANGES, EVERYWHERE, NEWER, OLDER
from .test_snapshot import edition, entry

# The ring meanings of the default feeds.yaml, quadrant by quadrant (839 characters).
MEANINGS = tuple(tuple(m) for m in (
    ("act now: it concerns us and our countermeasures apply",
     "check our exposure and our defences", "watch: no action for us now"),
    ("use it: proven, roll it out", "try it: pilot where it fits", "not now: wait, or avoid"),
    ("support it: the business may use it, with our guardrails",
     "evaluate it: work out risks and controls before use",
     "hold back: not ready for us, keep watching"),
    ("comply now: it applies to us and is in force", "prepare: work out what it asks of us",
     "watch: not binding yet, or not for us")))


def test_backstage_quadrants_in_the_plugins_places() -> None:
    """The plugin draws quadrant 0 bottom right, 1 bottom left, 2 top left, 3 top right."""
    data = json.loads(render_backstage(EVERYWHERE, diff(None, EVERYWHERE)))
    assert [q["name"] for q in data["quadrants"]] == ["Q3", "Q2", "Q1", "Q0"]
    placed = {q["id"]: q["name"] for q in data["quadrants"]}
    assert [placed[e["quadrant"]] for e in data["entries"]] == ["Q0", "Q1", "Q2", "Q3"]
    data["quadrants"].reverse()
    with pytest.raises(ExportError, match="would draw quadrant 'Q0' bottom right"):
        check_backstage(json.dumps(data), EVERYWHERE)


def test_backstage_ring_descriptions_fit_the_footer_and_entries_say_the_rest() -> None:
    ours = replace(EVERYWHERE, meanings=MEANINGS)
    text = render_backstage(ours, diff(None, ours))
    check_backstage(text, ours)
    data = json.loads(text)
    assert [r["description"] for r in data["rings"]] == [
        "act now / use it / support it / comply now",
        "check our exposure and our defences / try it / evaluate it / prepare",
        "watch / not now / hold back"]
    assert all(len(r["description"]) <= 120 for r in data["rings"])
    described = data["entries"][2]["description"]   # in Q2, ring assess
    assert described.startswith("**TLP:CLEAR**")
    assert "evaluate it: work out risks and controls before use" in described
    long = replace(ours, meanings=(("x " * 100,) * 3,) * 4)
    assert all(len(r["description"]) <= 120 for r in json.loads(
        render_backstage(long, diff(None, long)))["rings"])


def test_backstage_sharing_label_in_every_entry_the_parser_keeps() -> None:
    data = json.loads(render_backstage(NEWER, CHANGES))
    assert all(e["description"].startswith("**TLP:CLEAR**") for e in data["entries"])
    data["entries"][0]["description"] = "no label"
    with pytest.raises(ExportError, match="lacks the sharing label TLP:CLEAR"):
        check_backstage(json.dumps(data), NEWER)


def test_backstage_timeline_rows_never_share_a_description() -> None:
    """The plugin keys rows by description: the same rationale twice is one row and a
    React error."""
    same = [edition(name, f"2031-03-{day}T00:00:00Z", entry("keys"))
            for name, day in (("C", "15"), ("B", "08"), ("A", "01"))]
    text = render_backstage(same[0], diff(same[1], same[0], history=same[1:]))
    check_backstage(text, same[0])
    rows = json.loads(text)["entries"][0]["timeline"]
    assert [r["description"] for r in rows] == [
        "why", "why (edition B of 2031-03-08)", "why (edition A of 2031-03-01)"]
    data = json.loads(text)
    data["entries"][0]["timeline"][1]["description"] = "why"
    with pytest.raises(ExportError, match="two timeline rows say the same"):
        check_backstage(json.dumps(data), same[0])


def test_backstage_rings_have_colours_and_meanings_and_a_timeline_per_edition() -> None:
    third = edition("C", "2031-03-15T00:00:00Z", entry("keys", "hold"),
                    entry("new", "hold", quadrant="Q3"))
    changes = diff(NEWER, third, history=[NEWER, OLDER])
    text = render_backstage(third, changes)
    check_backstage(text, third)
    data = json.loads(text)
    assert [(r["id"], r["color"]) for r in data["rings"]] == [
        ("adopt", "#5ba300"), ("assess", "#c7ba00"), ("hold", "#e09b96")]
    assert data["rings"][0]["description"] == "act now"
    keys = data["entries"][0]["timeline"]
    assert [(t["date"][:10], t["ringId"], t["moved"]) for t in keys] == [
        ("2031-03-15", "hold", -1), ("2031-03-08", "adopt", 1), ("2031-03-01", "assess", 0)]
    assert keys[1]["description"] == "Roll out to all staff"
    fresh = data["entries"][1]["timeline"]
    assert [t["moved"] for t in fresh] == [0, 0]
    assert fresh[-1]["description"].startswith("New on the radar in this edition.")


@pytest.mark.parametrize("damage, problem", [
    (lambda d: d["rings"][0].pop("color"), "rings need an id, a name and a color"),
    (lambda d: d["rings"][0].update(description="x" * 121), "121 characters"),
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
    # One more subject well covered in a quadrant that has one, so that two blips per
    # quadrant bring a new one, and a threat well covered, so that each of three
    # quadrants has a blip.
    topics = [*default_topics(90), steady("Quantum vault", every=2, until=90),
              steady("Vexbyte ransomware", ("gang",), every=2, until=90)]
    store.save_articles(make_corpus(topics, noise=200, days=90))
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
    data = json.loads(out.read_text())
    assert parsed.stdout.strip() == f"ok: {len(data['entries'])} entries"
    timelines = [e["timeline"] for e in data["entries"]]
    assert max(len(t) for t in timelines) == 3
    for timeline in timelines:   # all three editions share one analysis, one why-now line
        assert len({row["description"] for row in timeline}) == len(timeline)
    assert all("TLP:AMBER" in e["description"] for e in data["entries"])
