"""The roadmap, stack, KEV and link commands on real files and a real local HTTP server."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from radar.cli import cli
from radar.store import Store

from .conftest import FIXTURES


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"RADAR_DB": str(tmp_path / "radar.db")}


def run(args: list[str], env: dict[str, str], code: int = 0):
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_roadmap_add_import_list_export_archive(env, tmp_path) -> None:
    run(["roadmap", "import", str(FIXTURES / "roadmap.csv")], env)
    run(["roadmap", "add", "Zero-trust remote access", "--target", "2031-Q4",
         "--keywords", "zero trust; ZTNA"], env)
    listed = json.loads(run(["roadmap", "list", "--json"], env).output)
    assert [i["id"] for i in listed][-1] == "zero-trust-remote-access"
    assert len(listed) == 4 and listed[-1]["keywords"] == ["zero trust", "ZTNA"]
    out = tmp_path / "roadmap.csv"
    run(["roadmap", "export", "-o", str(out)], env)
    assert out.read_text().splitlines()[0] == "name,owner,target,description,keywords"
    run(["roadmap", "archive", "passkeys-for-customers"], env)
    assert len(json.loads(run(["roadmap", "list", "--json"], env).output)) == 3
    bad = run(["roadmap", "add", "X", "--target", "someday"], env, code=2)
    assert "target 'someday' is not a quarter" in bad.output


def test_a_bad_file_imports_nothing(env, tmp_path) -> None:
    bad = tmp_path / "roadmap.csv"
    bad.write_text("name,owner,target,description,keywords\nA,,,,x\nB,,2031-99,,y\n")
    result = run(["roadmap", "import", str(bad)], env, code=1)
    assert "roadmap.csv: line 3: target '2031-99'" in result.output
    assert "nothing was imported" in result.output
    assert json.loads(run(["roadmap", "list", "--json"], env).output) == []
    sbom = tmp_path / "bom.json"
    sbom.write_text('{"bomFormat": "CycloneDX", "components": [{"name": "a"}, {}]}')
    assert "component 2" in run(["stack", "import", str(sbom)], env, code=1).output
    assert "GF-VPN" not in run(["stack", "list"], env).output


def test_stack_from_csv_and_sbom(env, tmp_path) -> None:
    run(["stack", "import", str(FIXTURES / "stack.csv")], env)
    run(["stack", "import", str(FIXTURES / "sbom.cdx.json")], env)
    listed = run(["stack", "list"], env).output
    assert "GF-VPN" in listed and "fortios" in listed and "7.4.3; 7.2.8" in listed
    run(["stack", "import", "--replace", str(FIXTURES / "stack.csv")], env)
    out = tmp_path / "stack.csv"
    run(["stack", "export", "-o", str(out)], env)
    assert out.read_text() .count("\n") == 4      # the header and the three in the file


def kev_server(server: HTTPServer, *, status: int = 200) -> dict:
    """KEV served with an ETag; a request carrying it gets 304."""
    body = (FIXTURES / "kev.json").read_bytes()
    asked = {"count": 0}

    def answer(request: Request) -> Response:
        asked["count"] += 1
        if status != 200:
            return Response("trouble", status=status)
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(body, content_type="application/json", headers={"ETag": '"v1"'})

    server.expect_request("/kev.json").respond_with_handler(answer)
    return asked


def test_kev_update_twice_stores_nothing_twice_and_the_second_is_a_304(
        feed_server: HTTPServer, env) -> None:
    run(["stack", "import", str(FIXTURES / "stack.csv")], env)
    url = feed_server.url_for("/kev.json")
    kev_server(feed_server)
    first = run(["kev", "update", "--url", url], env)
    assert re.search(r"KEV catalog: 3 entries \(3 new\)\. 2 exploited flaws \(CVEs in CISA's "
                     r"KEV catalog\) in products we run, \d past CISA's due date", first.output)
    second = run(["kev", "update", "--url", url], env)
    assert "not modified (HTTP 304); 3 entries stored" in second.output
    store = Store(env["RADAR_DB"])
    assert store.db.execute("select count(*), count(distinct cve) from kev").fetchone() == (3, 3)
    assert store.load_document_state("kev")["etag"] == '"v1"'
    store.close()


@pytest.mark.parametrize("status", [500, 404])
def test_kev_update_failure_is_a_clear_error_and_keeps_the_catalog(
        feed_server: HTTPServer, env, status: int) -> None:
    run(["kev", "update", "--file", str(FIXTURES / "kev.json")], env)
    kev_server(feed_server, status=status)
    result = run(["kev", "update", "--url", feed_server.url_for("/kev.json")], env, code=1)
    assert f"HTTP {status}" in result.output
    store = Store(env["RADAR_DB"])
    assert len(store.load_kev()) == 3
    store.close()


def test_link_confirm_and_reject(env, tmp_path) -> None:
    from datetime import UTC, datetime

    from radar.config import Settings
    from radar.engine.analyze import analyze

    from .synthetic import default_topics, make_corpus

    store = Store(env["RADAR_DB"])
    store.save_articles(make_corpus(default_topics(90), noise=100, days=90))
    store.close()
    run(["roadmap", "import", str(FIXTURES / "roadmap.csv")], env)
    store = Store(env["RADAR_DB"])
    analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))
    trend = next(t for t in store.load_trends() if t.label == "Passkeys")
    store.close()
    run(["link", trend.id, "initiative", "passkeys-for-customers", "confirm"], env)
    listed = json.loads(run(["trends", "--json"], env).output)["trends"]
    passkeys = next(t for t in listed if t["id"] == trend.id)
    assert passkeys["initiatives"][0]["state"] == "confirmed"
    assert passkeys["initiatives"][0]["name"] == "Passkeys for customers"
    missing = run(["link", trend.id, "initiative", "nope", "reject"], env, code=1)
    assert "no initiative with id 'nope'" in missing.output


def test_an_empty_kev_catalog_keeps_the_stored_one_unless_forced(
        env: dict[str, str], tmp_path: Path, feed_server: HTTPServer) -> None:
    run(["kev", "update", "--file", str(FIXTURES / "kev.json")], env)
    empty = tmp_path / "empty.json"
    empty.write_text('{"vulnerabilities": []}')
    feed_server.expect_request("/kev.json").respond_with_data(empty.read_bytes())
    for source in (["--file", str(empty)], ["--url", feed_server.url_for("/kev.json")]):
        refused = CliRunner().invoke(cli, ["kev", "update", *source], env=env)
        assert refused.exit_code == 1
        assert "lists 0 of the 3 stored entries: it would remove more than half of them, so " \
               "it was refused and the stored catalog kept (--force replaces it)" in \
               " ".join(refused.output.split())
        store = Store(env["RADAR_DB"])
        assert len(store.load_kev()) == 3
        store.close()
    run(["kev", "update", "--file", str(empty), "--force"], env)
    store = Store(env["RADAR_DB"])
    assert store.load_kev() == {}
    store.close()


def test_a_latin1_kev_download_is_one_clear_line(env: dict[str, str],
                                                 feed_server: HTTPServer) -> None:
    feed_server.expect_request("/kev.json").respond_with_data(
        '{"vulnerabilities": [{"cveID": "CVE-2024-0001", "product": "Caf\xe9"}]}'
        .encode("latin-1"))
    url = feed_server.url_for("/kev.json")
    result = CliRunner().invoke(cli, ["kev", "update", "--url", url], env=env)
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {url}: not UTF-8 (byte 0xe9 at offset 63); a "
                                     "KEV catalog is UTF-8 JSON; nothing was changed")


@pytest.mark.parametrize("name, content, problem", [
    ("big.csv", "vendor,product,version,owner\nA,B,1,me\nA,C," + "9" * 200_000 + ",me\n",
     "line 3: not readable as CSV (field larger than field limit (131072))"),
    ("deep.json", '{"bomFormat": "CycloneDX", "components": '
     + '[{"name": "p", "components": ' * 1000 + "[]" + "}]" * 1000 + "}",
     "JSON nested too deeply to read"),
    ("five.json", '{"bomFormat": "CycloneDX", "components": 5}',
     '"components" must be a list of components')])
def test_oversized_or_malformed_stack_files_are_one_line_naming_the_file(
        env: dict[str, str], tmp_path: Path, name: str, content: str, problem: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    result = CliRunner().invoke(cli, ["stack", "import", str(path)], env=env)
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: {problem}; nothing was imported\n"


def test_a_kev_entry_marked_patched_leaves_act_now_and_the_counts_and_survives_update(
        env) -> None:
    """The bar of issue #18: marked patched, a flaw in our stack is no longer act-now nor
    counted (CLI, trends --json, results, the brief), stays in the history, and its mark
    survives `radar kev update`."""
    from datetime import UTC, date, datetime

    from radar.config import Settings
    from radar.engine.analyze import analyze
    from radar.results import measure
    from radar.share.editions import exposure_of

    from .synthetic import default_topics, make_corpus

    named = tuple((f"Glimmerfox VPN flaw CVE-2031-1111 exploited {n}", 89.0, f"cve{n}.example")
                  for n in range(3))
    store = Store(env["RADAR_DB"])
    store.save_articles(make_corpus(default_topics(90), noise=100, days=90,
                                    extra_titles=named))
    analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))
    store.close()
    run(["stack", "import", str(FIXTURES / "stack.csv")], env)
    before = run(["kev", "update", "--file", str(FIXTURES / "kev.json")], env).output
    assert "2 exploited flaws (CVEs in CISA's KEV catalog) in products we run" in before
    acting = [t["label"] for t in json.loads(run(["trends", "--json"], env).output)["trends"]
              if t["act_now"]]
    assert acting and all("Glimmerfox" in label for label in acting)

    marked = run(["kev", "mark", "cve-2031-1111", "patched", "--note", "CHG-7 applied",
                  "--author", "ana"], env).output
    assert "CVE-2031-1111 marked patched on every product of ours it hits" in marked
    assert "1 exploited flaw (a CVE in CISA's KEV catalog)" in marked
    for update in range(2):   # the mark outlives a new catalog
        listed = json.loads(run(["trends", "--json"], env).output)["trends"]
        assert not any(t["act_now"] for t in listed)
        assert any(k["marked"] == "patched" for t in listed for k in t["kev"])
        history = run(["kev", "list"], env).output
        assert "1 closed (marked patched, mitigated or not affected)" in history
        assert re.search(r"CVE-2031-1111 .* patched \(ana, \d{4}-\d\d-\d\d: CHG-7 applied\)",
                         history)
        if not update:
            run(["kev", "update", "--file", str(FIXTURES / "kev.json")], env)
    store = Store(env["RADAR_DB"])
    assert [e["cve"] for e in exposure_of(store)] == ["CVE-2031-3333"]
    results = measure(store, start=date(2031, 1, 1), end=date(2031, 3, 31))
    store.close()
    assert [e["cve"] for e in results.exposure["entries"]] == ["CVE-2031-3333"]
    assert [m["state"] for m in results.exposure["closed"]] == ["patched"]

    reopened = run(["kev", "mark", "CVE-2031-1111", "open", "--note", "CHG-7 rolled back"],
                   env).output
    assert "2 exploited flaws" in reopened
    assert run(["kev", "mark", "CVE-2031-1111", "patched", "--note", "x", "--stack", "nope"],
               env, code=1).output.startswith("Error: no stack item with id 'nope'")
