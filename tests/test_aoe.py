"""The AOE technology radar folder: one release per edition, the package's file rules,
AOE's quadrant places, and the package's own data build under Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from radar.cli import cli
from radar.errors import ExportError
from radar.share.aoe import aoe_files, check_aoe
from radar.share.formats import BY_ID
from radar.share.snapshot import diff, to_json
from radar.store import Store

from .test_snapshot import edition, entry

FIRST = edition("A", "2031-03-01T10:00:00Z", entry("keys", "hold"), entry("gone"),
                entry("left", quadrant="Q1"))
SAME_DAY = edition("S", "2031-03-01T18:00:00Z", entry("keys", "hold"), entry("gone"))
LAST = edition("B", "2031-03-08T00:00:00Z", entry("keys", "adopt"),
               *(entry(f"in-q{q}", quadrant=f"Q{q}") for q in range(4)))
HISTORY = [SAME_DAY, FIRST]   # newest first
CHANGES = diff(SAME_DAY, LAST, history=HISTORY)


def front_matter(text: str) -> dict:
    head = text.split("---\n")[1]
    return {key: json.loads(value) for key, _, value in
            (line.partition(": ") for line in head.splitlines())}


def test_one_release_per_edition_day_and_a_file_per_trend() -> None:
    files = aoe_files(LAST, CHANGES)
    check_aoe(files, LAST)
    # The newest edition of 2031-03-01 (S) is that day's release: "left" is not in it.
    assert sorted(files) == [
        "about.md", "config.json",
        "radar/2031-03-01/gone.md", "radar/2031-03-01/keys.md",
        "radar/2031-03-08/gone.md", "radar/2031-03-08/in-q0.md", "radar/2031-03-08/in-q1.md",
        "radar/2031-03-08/in-q2.md", "radar/2031-03-08/in-q3.md", "radar/2031-03-08/keys.md"]
    keys = front_matter(files["radar/2031-03-08/keys.md"])
    assert keys == {"title": "Trend keys", "ring": "adopt", "quadrant": "q0",
                    "tags": ["steady", "event"], "featured": True}
    assert front_matter(files["radar/2031-03-01/keys.md"])["ring"] == "hold"
    # A trend that left the radar stays in AOE's overview, off the radar.
    assert front_matter(files["radar/2031-03-08/gone.md"])["featured"] is False
    assert "**TLP:CLEAR**" in files["radar/2031-03-08/keys.md"]


def test_config_lists_quadrants_where_aoe_draws_ours() -> None:
    """AOE draws quadrant 1 top left, 2 top right, 3 bottom left, 4 bottom right."""
    config = json.loads(aoe_files(LAST, CHANGES)["config.json"])
    assert [q["title"] for q in config["quadrants"]] == ["Q1", "Q0", "Q2", "Q3"]
    assert [r["id"] for r in config["rings"]] == ["adopt", "assess", "hold"]
    assert config["rings"][-1]["radius"] == 1.0
    assert "TLP:CLEAR" in config["labels"]["title"]


@pytest.mark.parametrize("damage, problem", [
    (lambda f: f.update({"radar/8 March/keys.md": f["radar/2031-03-08/keys.md"]}),
     "is not radar/YYYY-MM-DD/<id>.md"),
    (lambda f: f.update({"radar/2031-03-08/keys.md": "no front matter"}), "no front matter"),
    (lambda f: f.update({"radar/2031-03-08/keys.md": f["radar/2031-03-08/keys.md"].replace(
        '"adopt"', '"trial"')}), "a configured ring and quadrant"),
    (lambda f: f.pop("radar/2031-03-08/in-q2.md"), "'Trend in-q2' is not on the newest"),
    (lambda f: f.update({"config.json": f["config.json"].replace('"Q1"', '"Qx"')}),
     "would draw quadrant 'Qx'"),
])
def test_aoe_rules_catch_what_aoe_would_drop(damage, problem) -> None:
    files = aoe_files(LAST, CHANGES)
    damage(files)
    with pytest.raises(ExportError, match=problem):
        check_aoe(files, LAST)


AOE = Path(__file__).parent / "node_aoe" / "node_modules" / "aoe_technology_radar"


def test_the_cli_writes_a_folder_that_aoes_own_data_build_reads(tmp_path: Path) -> None:
    """Editions in a real database, exported with `radar export --format aoe -o DIR`,
    then built by the package's `build:data` (the step that reads every file and drops
    items whose quadrant or ring is not configured); its full site build fetches a web
    font, so it cannot run offline."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node is not installed (the AOE check runs the package's data build)")
    assert AOE.exists(), "run `make test` (or `make export-checkers`) to install the package"
    db = tmp_path / "radar.db"
    store = Store(db)
    for made in (FIRST, SAME_DAY, LAST):
        store.save_snapshot(made.id, to_json(made), name=made.name, note="",
                            created_at=made.created_at, as_of=made.as_of, sharing=made.sharing)
    store.close()
    out = tmp_path / "aoe"
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "aoe",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "10 files" in result.output

    builder = tmp_path / "builder"   # what `techradar build` prepares, without `npm install`
    shutil.copytree(AOE, builder, ignore=shutil.ignore_patterns("radar"))
    (builder / "node_modules").symlink_to(AOE.parent)
    shutil.copytree(out / "radar", builder / "data" / "radar")
    shutil.copy(out / "config.json", builder / "data" / "config.json")
    shutil.copy(out / "about.md", builder / "data" / "about.md")
    built = subprocess.run([node, str(AOE.parent / "tsx" / "dist" / "cli.mjs"),
                            "scripts/buildData.ts"], cwd=builder, capture_output=True,
                           text=True, timeout=120)
    assert built.returncode == 0, built.stderr + built.stdout
    assert "invalid" not in built.stdout + built.stderr
    data = json.loads((builder / "data" / "data.json").read_text())
    assert data["releases"] == ["2031-03-01", "2031-03-08"]
    on_radar = {i["id"]: i for i in data["items"] if i["featured"]}
    assert set(on_radar) == {e.id for e in LAST.entries}
    assert on_radar["keys"]["ring"] == "adopt" and on_radar["keys"]["flag"] == "changed"
    # Where AOE places each blip (SVG coordinates on an 800 px chart, y downwards): each
    # quadrant where our radar draws it, Q0 top right, Q1 top left, Q2 bottom left …
    places = {("right", "top"): "q0", ("left", "top"): "q1", ("left", "bottom"): "q2",
              ("right", "bottom"): "q3"}
    for item in on_radar.values():
        x, y = item["position"]
        assert places[("left" if x < 400 else "right", "top" if y < 400 else "bottom")] \
            == item["quadrant"], item["id"]
    assert "TLP:CLEAR" in json.loads((builder / "data" / "about.json").read_text())["body"]
    assert BY_ID["aoe"].render(LAST, CHANGES).startswith(b"PK")   # the app's zip file
