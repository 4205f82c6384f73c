"""`radar mcp` as an assistant sees it: the MCP SDK's own client starts the real command
(over standard input and output, and over HTTP on 127.0.0.1) against a small real
database, lists the tools and calls each one."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import anyio
import pytest
from click.testing import CliRunner
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from radar.cli import cli
from radar.config import Settings, load_settings
from radar.engine.analyze import analyze
from radar.links import update_links
from radar.org import make_initiative, read_initiatives_csv, read_kev, read_stack_csv
from radar.share.editions import create_edition
from radar.store import Store

from .conftest import FIXTURES
from .synthetic import default_topics, make_corpus

ROOT = Path(__file__).resolve().parents[1]
FEEDS = ROOT / "feeds.yaml"
RADAR = str(Path(sys.executable).parent / "radar")
APP_URL = "http://radar.test:8501"
AS_OF = datetime(2031, 3, 31, 23, 59, tzinfo=UTC)
TOOLS = {"radar", "trend", "search", "emerging", "roadmap", "act_now", "editions",
         "edition_diff", "metrics"}
NOTE = "Customers ask for it"


@dataclass
class Radar:
    path: Path
    passkeys: str          # the Passkeys theme's id (decided: assess)
    editions: list[str]    # oldest first; the decision was made between them


@dataclass
class Asked:
    tools: dict            # name -> Tool
    results: dict          # key -> CallToolResult
    texts: dict            # resource URI -> text


@pytest.fixture(scope="module")
def radar(tmp_path_factory: pytest.TempPathFactory) -> Radar:
    """The synthetic corpus analysed, with a roadmap, a stack, KEV, and two editions with
    a decision between them."""
    path = tmp_path_factory.mktemp("assistant") / "radar.db"
    settings = load_settings(FEEDS)
    store = Store(path)
    store.save_articles(make_corpus(default_topics(90), noise=300, days=90))
    analyze(store, settings, as_of=AS_OF)
    store.save_initiatives([*read_initiatives_csv((FIXTURES / "roadmap.csv").read_text()),
                            make_initiative("Replace the VPN", keywords=["Glimmerfox"])])
    store.save_stack(read_stack_csv((FIXTURES / "stack.csv").read_text()))
    store.save_kev(read_kev((FIXTURES / "kev.json").read_text()))
    update_links(store, Settings())
    passkeys = next(t.id for t in store.load_trends() if t.label == "Passkeys")
    first, _ = create_edition(store, settings, name="", note="", sharing="TLP:CLEAR",
                              created_at="2031-04-01T08:00:00Z")
    store.record_decision(passkeys, "assess", note=NOTE, author="ciso@example.test",
                          at="2031-04-01T09:00:00Z")
    second, _ = create_edition(store, settings, name="", note="", sharing="TLP:CLEAR",
                               created_at="2031-04-01T10:00:00Z")
    store.close()
    return Radar(path, passkeys, [first.id, second.id])


def server_args(path: Path, *extra: str) -> list[str]:
    return ["mcp", "--db", str(path), "--feeds", str(FEEDS), "--app-url", APP_URL, *extra]


def stdio(path: Path, *extra: str) -> StdioServerParameters:
    """`radar mcp` from this checkout, started by the SDK's client."""
    return StdioServerParameters(command=RADAR, args=server_args(path, *extra),
                                 env={"PYTHONPATH": str(ROOT)}, cwd=str(ROOT))


def ask(server: StdioServerParameters | str, calls: dict[str, tuple[str, dict]]) -> Asked:
    """Connect once, list the tools, make every call in order, read every resource."""

    async def session() -> Asked:
        async with Client(server, read_timeout_seconds=60) as client:
            tools = {t.name: t for t in (await client.list_tools()).tools}
            results = {key: await client.call_tool(name, args)
                       for key, (name, args) in calls.items()}
            uris = [str(r.uri) for r in (await client.list_resources()).resources]
            texts = {uri: (await client.read_resource(uri)).contents[0].text for uri in uris}
        return Asked(tools, results, texts)

    return anyio.run(session)


def calls_for(radar: Radar) -> dict[str, tuple[str, dict]]:
    return {
        "radar": ("radar", {}),
        "radar frozen": ("radar", {"edition": radar.editions[0], "limit": 100}),
        "radar bad ring": ("radar", {"ring": "maybe"}),
        "trend": ("trend", {"trend_id": radar.passkeys, "limit": 5}),
        "trend unknown": ("trend", {"trend_id": "nope"}),
        "search": ("search", {"query": "Glimmerfox"}),
        "search page": ("search", {"query": "Glimmerfox", "limit": 1}),
        "search limit 0": ("search", {"query": "Glimmerfox", "limit": 0}),
        "emerging": ("emerging", {"since": "2031-03-01"}),
        "emerging bad date": ("emerging", {"since": "last week"}),
        "emerging vpn": ("emerging", {"since": "2031-03-01", "initiative": "Replace the VPN"}),
        "emerging passkeys": ("emerging", {"since": "2031-03-01",
                                           "initiative": "passkeys-for-customers"}),
        "emerging unknown": ("emerging", {"initiative": "Mars base"}),
        "roadmap": ("roadmap", {}),
        "roadmap one": ("roadmap", {"initiative": "passkeys-for-customers"}),
        "roadmap unknown": ("roadmap", {"initiative": "Mars base"}),
        "act_now": ("act_now", {}),
        "editions": ("editions", {}),
        "edition_diff": ("edition_diff", {}),
        "metrics": ("metrics", {"start": "2031-01-01", "end": "2031-03-31"}),
        "metrics reversed": ("metrics", {"start": "2031-04-01", "end": "2031-03-01"}),
        "tag": ("tag", {"trend_id": radar.passkeys, "ring": "hold", "rationale": "no"}),
    }


@pytest.fixture(scope="module")
def asked(radar: Radar) -> Asked:
    """One read-only server over stdio, every call made once."""
    return ask(stdio(radar.path), calls_for(radar))


def structured(asked: Asked, key: str) -> dict:
    result = asked.results[key]
    assert not result.is_error, result.content
    return result.structured_content


def error_text(asked: Asked, key: str) -> str:
    result = asked.results[key]
    assert result.is_error and result.structured_content is None
    return result.content[0].text


def test_the_tools_are_listed_each_with_a_description_and_an_input_schema(asked) -> None:
    assert set(asked.tools) == TOOLS
    for tool in asked.tools.values():
        assert len(tool.description.split()) >= 8, tool.name
        assert tool.input_schema["type"] == "object", tool.name
        assert tool.annotations.read_only_hint is True, tool.name
    assert asked.tools["trend"].input_schema["required"] == ["trend_id"]
    assert asked.tools["search"].input_schema["properties"]["limit"]["maximum"] == 100


def test_radar_lists_the_picture_with_rings_meanings_and_links(asked, radar) -> None:
    now = structured(asked, "radar")
    assert now["as_of"] == "2031-03-31T23:59:00Z" and now["returned"] == len(now["trends"]) > 0
    passkeys = next(t for t in now["trends"] if t["id"] == radar.passkeys)
    assert passkeys["label"] == "Passkeys" and passkeys["ring"] == "assess"
    assert passkeys["decided"] is True and passkeys["ring_meaning"]
    for trend in now["trends"]:
        assert trend["app_link"] == f"{APP_URL}/?view=Radar&trend={trend['id']}"
        assert trend["articles"] and all(a["link"].startswith("https://")
                                         for a in trend["articles"])
    frozen = structured(asked, "radar frozen")
    assert frozen["edition"] == radar.editions[0]
    assert frozen["edition_link"] == f"{APP_URL}/?snapshot={radar.editions[0]}"
    assert next(t for t in frozen["trends"] if t["id"] == radar.passkeys)["decided"] is False
    assert "'maybe' is not a ring (use one of: adopt, assess, hold)" in error_text(
        asked, "radar bad ring")


def test_trend_gives_evidence_history_and_initiatives(asked, radar) -> None:
    trend = structured(asked, "trend")
    assert trend["label"] == "Passkeys" and trend["kind"] == "theme"
    assert len(trend["articles"]) == 5
    assert trend["articles_page"]["total"] == trend["article_count"] > 5
    assert trend["articles_page"]["more"] == trend["article_count"] - 5
    assert all("Passkeys" in a["title"] for a in trend["articles"])   # every one names it
    assert [(h["author"], h["new"], h["note"]) for h in trend["history"]] == [
        ("ciso@example.test", "assess", NOTE)]
    assert "passkeys-for-customers" in [i["id"] for i in trend["initiatives"]]
    assert trend["app_link"] == f"{APP_URL}/?view=Radar&trend={radar.passkeys}"
    assert "no trend with id 'nope'" in error_text(asked, "trend unknown")


def test_search_finds_the_subject_first_and_pages(asked) -> None:
    found = structured(asked, "search")
    first = found["trends"][0]
    assert "Glimmerfox" in first["label"]
    assert first["articles"] and all("Glimmerfox" in a["title"] for a in first["articles"])
    paged = structured(asked, "search page")
    assert paged["returned"] == 1 and paged["more"] == found["total"] - 1 >= 1
    assert paged["next_offset"] == 1 and paged["trends"][0]["id"] == first["id"]
    assert "limit" in error_text(asked, "search limit 0")


def test_emerging_lists_what_was_first_flagged_since_a_date(asked) -> None:
    found = structured(asked, "emerging")
    assert found["since"] == "2031-03-01"
    glimmerfox = [t for t in found["trends"] if "Glimmerfox" in t["label"]]
    assert glimmerfox and glimmerfox[0]["first_flagged"] == "2031-03-31"
    assert all(t["status"] in ("emerging", "rising") for t in found["trends"])
    assert "since 'last week' is not a date (use YYYY-MM-DD)" in error_text(
        asked, "emerging bad date")
    # Only the Glimmerfox trends touch "Replace the VPN"; the Passkeys theme is steady.
    vpn = structured(asked, "emerging vpn")["trends"]
    assert vpn and all("Glimmerfox" in t["label"] for t in vpn)
    assert {t["id"] for t in vpn} == {t["id"] for t in glimmerfox}
    assert structured(asked, "emerging passkeys")["total"] == 0
    assert "no initiative 'Mars base'" in error_text(asked, "emerging unknown")


def test_roadmap_lists_initiatives_with_the_trends_touching_them(asked, radar) -> None:
    roadmap = structured(asked, "roadmap")["initiatives"]
    assert [i["name"] for i in roadmap] == [
        "Move ITSM to ServiceNow", "Passkeys for customers", "Go services on Kubernetes",
        "Replace the VPN"]
    passkeys = roadmap[1]
    assert passkeys["trends"][0]["id"] == radar.passkeys and passkeys["trends"][0]["note"] == NOTE
    one = structured(asked, "roadmap one")["initiatives"]
    assert [i["id"] for i in one] == ["passkeys-for-customers"]
    assert "no initiative 'Mars base'" in error_text(asked, "roadmap unknown")


def test_act_now_lists_the_exploited_flaws_in_our_stack(asked) -> None:
    flaws = structured(asked, "act_now")
    # The KEV fixture has three entries; Citrix ShareFile is not a product we run.
    assert [(e["cve"], e["stack_item"]["product"], e["date_added"], e["due_date"])
            for e in flaws["entries"]] == [
        ("CVE-2031-1111", "GF-VPN", "2031-03-12", "2031-04-02"),
        ("CVE-2031-3333", "Exchange Server", "2031-01-10", "2031-01-31")]
    assert flaws["entries"][0]["ransomware"] is True
    assert flaws["entries"][0]["link"].endswith("/CVE-2031-1111")


def test_editions_and_what_changed_between_them(asked, radar) -> None:
    editions = structured(asked, "editions")
    assert [e["id"] for e in editions["editions"]] == radar.editions[::-1]
    changed = structured(asked, "edition_diff")
    assert (changed["older"], changed["newer"]) == tuple(radar.editions)
    assert [(d["trend_id"], d["author"], d["new"], d["note"]) for d in changed["decisions"]] \
        == [(radar.passkeys, "ciso@example.test", "assess", NOTE)]


def test_metrics_measures_the_period(asked) -> None:
    results = structured(asked, "metrics")
    assert (results["from"], results["to"]) == ("2031-01-01", "2031-03-31")
    assert results["summary"].startswith("We flagged")
    assert len(results["exposure"]["entries"]) == 2     # the two KEV entries we run
    assert "after" in error_text(asked, "metrics reversed")


def test_tag_does_not_exist_without_allow_decisions(asked) -> None:
    assert "tag" not in asked.tools
    assert "tag" in error_text(asked, "tag")


def test_resources_give_the_newest_edition_and_the_ring_meanings(asked, radar) -> None:
    brief = asked.texts["radar://edition/latest"]
    assert brief.startswith("# Radar 2031") and f"edition {radar.editions[1]}" in brief
    assert f"Passkeys: {NOTE}" in brief
    meanings = asked.texts["radar://rings"]
    for quadrant in load_settings(FEEDS).quadrants:
        assert f"## {quadrant.name}" in meanings
        assert all(quadrant.meaning(ring) in meanings for ring in ("adopt", "assess", "hold"))


def test_decisions_are_recorded_with_the_author_when_allowed(radar, tmp_path) -> None:
    path = tmp_path / "radar.db"
    shutil.copy(radar.path, path)
    asked = ask(stdio(path, "--allow-decisions", "--author", "cio@example.test"), {
        "tag": ("tag", {"trend_id": radar.passkeys, "ring": "hold",
                        "rationale": "Not this year"}),
        "bad ring": ("tag", {"trend_id": radar.passkeys, "ring": "maybe", "rationale": "x"}),
        "no rationale": ("tag", {"trend_id": radar.passkeys, "ring": "hold",
                                 "rationale": "  "}),
        "unknown": ("tag", {"trend_id": "nope", "ring": "hold", "rationale": "x"})})
    assert set(asked.tools) == TOOLS | {"tag"}
    assert asked.tools["tag"].annotations.read_only_hint is False
    done = structured(asked, "tag")
    assert (done["previous"], done["ring"], done["author"]) == ("assess", "hold",
                                                                "cio@example.test")
    assert "'maybe' is not a ring" in error_text(asked, "bad ring")
    assert "rationale is required" in error_text(asked, "no rationale")
    assert "no trend with id 'nope'" in error_text(asked, "unknown")
    store = Store(path)
    history = store.load_history(radar.passkeys)
    store.close()
    assert sorted((h["author"], h["new"], h["note"]) for h in history) == [
        ("cio@example.test", "hold", "Not this year"),      # the refused calls left nothing
        ("ciso@example.test", "assess", NOTE)]


def test_bad_options_are_refused_before_serving(tmp_path) -> None:
    def refusal(*args: str) -> str:
        refused = CliRunner().invoke(cli, ["mcp", "--db", str(tmp_path / "r.db"), *args])
        assert refused.exit_code == 2
        return refused.output

    assert "say whose decisions they are" in refusal("--allow-decisions")
    assert "only with --allow-decisions" in refusal("--author", "a@example.test")
    assert "'radar.example.com' is not an http(s) address" in refusal(
        "--app-url", "radar.example.com")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_same_over_http_on_localhost(radar, asked, tmp_path) -> None:
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen([RADAR, *server_args(radar.path, "--http", str(port))],
                              cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the HTTP server did not start"
                time.sleep(0.1)
        over_http = ask(f"http://127.0.0.1:{port}/mcp", {
            "search": ("search", {"query": "Glimmerfox"}),
            "act_now": ("act_now", {}),
            "trend unknown": ("trend", {"trend_id": "nope"})})
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert set(over_http.tools) == TOOLS
    assert structured(over_http, "search") == structured(asked, "search")
    assert structured(over_http, "act_now") == structured(asked, "act_now")
    assert "no trend with id 'nope'" in error_text(over_http, "trend unknown")
