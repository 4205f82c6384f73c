"""End-to-end CLI tests: real files, a real HTTP server on 127.0.0.1, exit codes and output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from radar.cli import cli
from radar.cli.common import parse_duration
from radar.config import load_feeds
from radar.store import Store

from .conftest import CORPUS, FIXTURES, fixture_bytes, write_feeds

ROOT = Path(__file__).resolve().parents[1]
FAST = ["--per-host-delay", "0", "--timeout", "2", "--quiet"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"RADAR_DB": str(tmp_path / "radar.db"), "RADAR_FEEDS": str(tmp_path / "feeds.yaml")}


def run(args: list[str], env: dict[str, str]):
    return CliRunner().invoke(cli, args, env=env, catch_exceptions=False)


def serve_two(server: HTTPServer, tmp_path: Path, *, second_ok: bool = True) -> None:
    server.expect_request("/good").respond_with_data(fixture_bytes("rss20.xml"),
                                                     content_type="application/xml")
    if second_ok:
        server.expect_request("/other").respond_with_data(fixture_bytes("atom.xml"),
                                                          content_type="application/xml")
    else:
        server.expect_request("/other").respond_with_data("no", status=500)
    write_feeds(tmp_path / "feeds.yaml", [
        {"name": "Good", "url": server.url_for("/good"), "category": "news"},
        {"name": "Other", "url": server.url_for("/other"), "category": "it-news"},
    ])


def test_collect_prints_a_summary_and_exits_0(feed_server, tmp_path, env) -> None:
    serve_two(feed_server, tmp_path, second_ok=False)
    result = run(["collect", *FAST], env)
    assert result.exit_code == 0
    assert re.search(r"feeds ok\s+1", result.output)
    assert re.search(r"feeds failed\s+1", result.output)
    assert re.search(r"new articles\s+3", result.output)
    assert "1 feed failed: server error (HTTP 5xx)" in result.output
    assert "Other: HTTP 500" not in result.output  # the details come with --verbose
    verbose = run(["collect", *FAST, "--verbose", "--ignore-backoff"], env)
    assert "Other: HTTP 500" in verbose.output


def test_collect_exits_1_when_every_feed_fails(feed_server, tmp_path, env) -> None:
    feed_server.expect_request("/down").respond_with_data("no", status=503)
    write_feeds(tmp_path / "feeds.yaml",
                [{"name": "Down", "url": feed_server.url_for("/down"), "category": "news"}])
    assert run(["collect", *FAST], env).exit_code == 1


def test_bad_config_exits_2_with_file_and_line(tmp_path, env) -> None:
    (tmp_path / "feeds.yaml").write_text(
        "feeds:\n  - name: A\n    url: ftp://x.example.test/f\n    category: news\n")
    result = CliRunner().invoke(cli, ["collect", *FAST], env=env)
    assert result.exit_code == 2
    assert f"{tmp_path / 'feeds.yaml'}:3: feed 'A': url" in result.output


def test_options_beat_environment(feed_server, tmp_path, env) -> None:
    serve_two(feed_server, tmp_path)
    other_db = tmp_path / "elsewhere.db"
    assert run(["collect", *FAST, "--db", str(other_db)], env).exit_code == 0
    assert Store(other_db).count_articles() == 5
    assert not Path(env["RADAR_DB"]).exists()


def test_feeds_json_reports_health(feed_server, tmp_path, env) -> None:
    serve_two(feed_server, tmp_path, second_ok=False)
    run(["collect", *FAST], env)
    result = run(["feeds", "--json"], env)
    rows = json.loads(result.output)
    assert [set(row) >= {"name", "url", "category", "status", "last_success", "articles",
                         "error"} for row in rows] == [True, True]
    good, other = rows
    assert (good["status"], good["articles"], good["error"]) == ("ok", 3, None)
    assert good["last_success"].endswith("Z")
    assert (other["status"], other["articles"], other["error"]) == ("failed", 0, "HTTP 500")
    assert other["last_success"] is None
    table = run(["feeds"], env).output
    assert "Good" in table and "HTTP 500" in table


def test_collect_every_runs_rounds_and_survives_failures(feed_server, tmp_path, env) -> None:
    serve_two(feed_server, tmp_path)
    result = run(["collect", *FAST, "--every", "1s", "--rounds", "2"], env)
    assert result.exit_code == 0
    assert result.output.count("Round ") == 2
    assert re.search(r"feeds not modified\s+2", result.output)  # second round: bodies unchanged
    # A config error in a round is reported and does not end the schedule.
    (tmp_path / "feeds.yaml").write_text("feeds: nonsense\n")
    broken = CliRunner().invoke(cli, ["collect", *FAST, "--every", "1s", "--rounds", "2"],
                                env=env)
    assert broken.output.count("Round ") == 4  # two "Round N at" + two "Round N failed"
    assert broken.exit_code == 2


@pytest.mark.parametrize(("text", "seconds"), [("2h", 7200), ("90m", 5400), ("1h30m", 5400),
                                               ("1d", 86400), ("45s", 45)])
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "2x", "h", "0m", "2h junk"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_bad_every_is_a_usage_error(tmp_path, env) -> None:
    write_feeds(tmp_path / "feeds.yaml", [])
    result = CliRunner().invoke(cli, ["collect", "--every", "soon"], env=env)
    assert result.exit_code == 2
    assert "invalid duration 'soon'" in result.output


def test_import_reports_bad_lines_and_is_idempotent(tmp_path, env) -> None:
    path = tmp_path / "archive.jsonl"
    good = {"title": "Hello", "link": "https://a.example.test/1", "published":
            "2031-01-01T00:00:00Z", "summary": "", "source": "A", "site": "a.example.test",
            "feed_url": ""}
    path.write_text(json.dumps(good) + "\n{broken\n")
    first = CliRunner().invoke(cli, ["import", str(path)], env=env)
    assert first.exit_code == 1                     # a line was skipped
    assert "2 lines: 1 item, 1 new, 0 already stored, 1 bad line" in first.output
    assert f"{path}:2: invalid JSON" in first.output
    second = CliRunner().invoke(cli, ["import", str(path)], env=env)
    assert "1 item, 0 new, 1 already stored" in second.output


def test_import_goes_on_past_any_bad_line_and_says_lines_were_skipped(tmp_path, env) -> None:
    good = [json.dumps({"title": f"Story {n}", "link": f"https://a.example.test/{n}",
                        "published": "2031-01-01T00:00:00Z"}) for n in range(6)]
    bad = ['{"title":"x","published":"0001-01-01T00:00:00+01:00"}',
           '{"title":"x","published":"0001-01-01T00:00:00Z"}',
           '{"title":"x","published":"2999-01-01T00:00:00Z"}',
           '{"title":"x","summary":"\\ud800"}',
           '{"title":"x","summary":' + "[" * 100_000 + "]" * 100_000 + "}"]
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join([good[0], good[1], bad[0], good[2], bad[1], good[3], bad[2],
                               good[4], bad[3], bad[4], good[5]]) + "\n")
    result = CliRunner().invoke(cli, ["import", str(path)], env=env)
    assert result.exit_code == 1
    assert "11 lines: 6 items, 6 new, 0 already stored, 5 bad lines" in result.output
    assert (f"{path}:3: 'published' '0001-01-01T00:00:00+01:00' is not a date between 1900 "
            "and 2100") in result.output
    for line in (5, 7, 9, 10):
        assert f"{path}:{line}: " in result.output
    assert "not valid Unicode" in result.output and "nested too deeply" in result.output
    store = Store(env["RADAR_DB"])
    assert sorted(row[0] for row in store.db.execute("select title from articles")) == [
        f"Story {n}" for n in range(6)]
    assert not list(store.db.execute("select 1 from articles where published < '1900'"))
    store.close()


def test_import_of_only_garbage_fails(tmp_path, env) -> None:
    path = tmp_path / "garbage.jsonl"
    path.write_text("nope\n")
    assert CliRunner().invoke(cli, ["import", str(path)], env=env).exit_code == 1
    missing = CliRunner().invoke(cli, ["import", str(tmp_path / "none.jsonl")], env=env)
    assert missing.exit_code == 1
    assert "cannot open" in missing.output


def test_opml_import_then_export(tmp_path, env) -> None:
    write_feeds(tmp_path / "feeds.yaml",
                [{"name": "Wire", "url": "https://wire.example.test/feed", "category": "news"}])
    result = run(["feeds", "import-opml", str(FIXTURES / "subscriptions.opml")], env)
    assert "Added 3 feeds" in result.output and "skipped 2" in result.output
    feeds = load_feeds(tmp_path / "feeds.yaml")
    assert [f.name for f in feeds] == ["Wire", "Example Research", "Wire (2)", "Cloud Notes"]
    again = run(["feeds", "import-opml", str(FIXTURES / "subscriptions.opml")], env)
    assert "Added 0 feeds" in again.output
    exported = run(["feeds", "export-opml"], env).output
    assert exported.count("xmlUrl=") == 4
    out = tmp_path / "out.opml"
    run(["feeds", "export-opml", "-o", str(out)], env)
    assert out.read_text() == exported


@pytest.mark.corpus
def test_real_opml_imports_into_a_valid_feed_list(tmp_path, env) -> None:
    source = CORPUS / "opml" / "zer0yu_CyberSecurityRSS_tiny.opml"
    if not source.exists():
        pytest.skip("../shared/corpus/opml is not available")
    result = run(["feeds", "import-opml", str(source)], env)
    added = int(re.search(r"Added (\d+) feeds", result.output).group(1))
    assert added > 100
    assert len(load_feeds(tmp_path / "feeds.yaml")) == added


def commands(group=cli, prefix=()):
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))


def test_every_command_of_every_area_is_reachable() -> None:
    """`radar` loads a command's module when it runs: every command of every module in
    radar/cli (a new one too) must be named in AREAS to be reachable."""
    import importlib

    from radar.cli import AREAS

    modules = sorted(path.stem for path in (ROOT / "radar" / "cli").glob("*.py")
                     if hasattr(importlib.import_module(f"radar.cli.{path.stem}"), "COMMANDS"))
    found = {command.name: module for module in modules
             for command in importlib.import_module(f"radar.cli.{module}").COMMANDS}
    assert found == AREAS
    assert {"collect", "analyze", "export", "stack", "backup"} <= set(found)


@pytest.mark.parametrize(("path", "command"), list(commands()),
                         ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help_and_a_readme_mention(path, command) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert command.help and len(command.help.split()) >= 5
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"radar {' '.join(path)}" in readme


def test_every_export_format_is_offered_and_documented() -> None:
    from radar.share.formats import FORMATS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    help_text = CliRunner().invoke(cli, ["export", "--help"]).output
    for fmt in FORMATS:
        assert f"`{fmt.id}`" in readme and fmt.label in readme, fmt.id
        assert fmt.id in help_text
    assert len({fmt.file_name("abc") for fmt in FORMATS}) == len(FORMATS)


def test_loading_the_cli_imports_no_heavy_library() -> None:
    import subprocess
    import sys

    heavy = ("matplotlib", "sklearn", "scipy", "plotly", "streamlit", "mcp")
    code = ("import sys, radar.cli; "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT).stdout.strip()
    assert loaded == ""


def test_an_export_loads_only_what_its_format_needs() -> None:
    """`radar export` as a process: no collector, engine, app, pandas or matplotlib for a
    text format (sqlite-utils would load pandas: the store hides it)."""
    import subprocess
    import sys

    heavy = ("matplotlib", "sklearn", "scipy", "plotly", "streamlit", "pandas", "wordfreq",
             "httpx", "feedparser", "radar.engine", "radar.collect")
    code = ("import sys, radar.cli.share, radar.share.markdown, radar.share.interchange, "
            "radar.share.page, radar.store; "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT).stdout.strip()
    assert loaded == ""


def test_an_import_loads_neither_the_collector_nor_numpy() -> None:
    """`radar import` as a process: its start-up is part of every import's time, so it
    loads no HTTP client, feedparser, engine, pandas or numpy."""
    import subprocess
    import sys

    heavy = ("numpy", "pandas", "httpx", "feedparser", "tabulate", "radar.engine",
             "radar.collect", "radar.notify")
    code = ("import sys, radar.cli.archive; "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT).stdout.strip()
    assert loaded == ""


# --- trend engine commands ---------------------------------------------------------------


@pytest.fixture
def analysed(tmp_path, env) -> dict[str, str]:
    """A database holding the synthetic corpus, analysed as of its last day."""
    from .synthetic import default_topics, make_corpus

    store = Store(env["RADAR_DB"])
    store.save_articles(make_corpus(default_topics(90), noise=400, days=90))
    store.close()
    (tmp_path / "feeds.yaml").write_text((ROOT / "feeds.yaml").read_text())
    result = run(["analyze", "--as-of", "2031-03-31"], env)
    assert result.exit_code == 0, result.output
    return env


def test_analyze_reports_counts(analysed) -> None:
    again = run(["analyze", "--as-of", "2031-03-31", "--window", "60"], analysed)
    assert re.search(r"Analysed \d+ stories up to 2031-03-31T23:59:59Z in [\d.]+s: "
                     r"4 themes \(1 emerging, 0 rising, 3 steady, 0 fading\) and 1 event "
                     r"\(1 emerging, 0 rising, 0 steady, 0 fading\)", again.output)


def test_trends_json_has_the_promised_shape(analysed) -> None:
    payload = json.loads(run(["trends", "--json"], analysed).output)
    assert payload["as_of"] == "2031-03-31T23:59:59Z"
    trends = payload["trends"]
    assert [t["score"] for t in trends] == sorted((t["score"] for t in trends), reverse=True)
    first = trends[0]
    assert {"id", "label", "keywords", "entities", "quadrant", "ring", "suggested_ring", "status",
            "score", "article_count", "source_count", "first_seen", "last_seen",
            "weekly_counts", "articles"} <= set(first)
    assert first["status"] == "emerging" and "Glimmerfox" in first["label"]
    assert first["ring"] is None
    assert len(first["articles"]) == first["article_count"]
    published = [a["published"] for a in first["articles"]]
    assert published == sorted(published, reverse=True)
    assert all(isinstance(week, list) and len(week) == 2 for week in first["weekly_counts"])
    emerging = json.loads(run(["trends", "--json", "--status", "emerging"], analysed).output)
    theme, event = sorted(emerging["trends"], key=lambda t: t["kind"], reverse=True)
    assert (theme["kind"], event["kind"]) == ("theme", "event")
    # Two listed entries never share a name: the event says what happened to its theme.
    assert theme["label"] == "Glimmerfox VPN" != event["label"]
    assert event["label"].startswith("Glimmerfox VPN ")
    assert (theme["theme"], theme["events"]) == (None, [event["id"]])
    assert (event["theme"], event["events"]) == (theme["id"], [])
    assert theme["on_radar"] and not event["on_radar"]  # the theme stands for its event
    on_radar = [t for t in trends if t["on_radar"]]
    # Steady themes give context when their last four weeks hold five stories: Lattice
    # crypto (one story every five days) falls short.
    assert {t["label"] for t in on_radar} == {"Glimmerfox VPN", "Passkeys", "Kubernetes"}
    table = run(["trends"], analysed).output
    assert "Glimmerfox" in table and "(assess)" in table
    assert re.search(r"└ Glimmerfox VPN \w+\s+event", table)  # events listed under their theme


def test_tag_untag_and_history(analysed) -> None:
    trend_id = json.loads(run(["trends", "--json"], analysed).output)["trends"][0]["id"]
    tagged = run(["tag", trend_id, "hold", "--note", "not in our estate", "--author", "ana"],
                 analysed)
    assert tagged.output.strip() == f"{trend_id}: undecided -> hold"
    run(["analyze", "--as-of", "2031-03-31"], analysed)
    listed = json.loads(run(["trends", "--json"], analysed).output)["trends"]
    assert next(t for t in listed if t["id"] == trend_id)["ring"] == "hold"
    assert run(["untag", trend_id, "--note", "re-triage"], analysed).exit_code == 0
    shown = run(["trend", "show", trend_id], analysed).output
    assert "ana: tag - -> hold not in our estate" in shown
    assert "ciso: untag hold -> - re-triage" in shown
    headings = [line for line in shown.splitlines() if line and not line.startswith(" ")]
    assert [h.split(" (")[0] for h in headings[-3:]] == [
        "Decisions and edits", "Lineage", "Articles"]


def test_trends_says_how_many_rows_it_left_out(analysed) -> None:
    total = len(json.loads(run(["trends", "--json"], analysed).output)["trends"])
    assert total > 3
    table = run(["trends", "--limit", "3"], analysed).output
    assert f"Showing 3 of {total}, highest score first: --limit N or --all" in table
    every = run(["trends", "--all"], analysed).output
    assert "Showing" not in every and len(every.splitlines()) == total + 3   # title, header


def test_tag_rejects_unknown_ring_missing_note_and_unknown_trend(analysed) -> None:
    trend_id = json.loads(run(["trends", "--json"], analysed).output)["trends"][0]["id"]
    bad_ring = CliRunner().invoke(cli, ["tag", trend_id, "maybe", "--note", "x"], env=analysed)
    assert bad_ring.exit_code == 2 and "'maybe' is not a ring" in bad_ring.output
    no_note = CliRunner().invoke(cli, ["tag", trend_id, "adopt"], env=analysed)
    assert no_note.exit_code == 2 and "--note" in no_note.output
    unknown = CliRunner().invoke(cli, ["tag", "Tnope", "adopt", "--note", "x"], env=analysed)
    assert unknown.exit_code == 1 and "no trend with id 'Tnope'" in unknown.output


def test_trend_edits(analysed) -> None:
    trends = json.loads(run(["trends", "--json"], analysed).output)["trends"]
    first, second, third = (t["id"] for t in trends[:3])
    run(["trend", "rename", first, "Glimmerfox VPN exploitation"], analysed)
    run(["trend", "quadrant", first, "Threats & Vulnerabilities"], analysed)
    bad = CliRunner().invoke(cli, ["trend", "quadrant", first, "Nowhere"], env=analysed)
    assert bad.exit_code == 2
    run(["trend", "dismiss", second, "--note", "noise"], analysed)
    run(["trend", "merge", third, first], analysed)
    run(["analyze", "--as-of", "2031-03-31"], analysed)
    listed = {t["id"]: t for t in json.loads(run(["trends", "--json"], analysed).output)["trends"]}
    assert listed[first]["label"] == "Glimmerfox VPN exploitation"
    assert listed[first]["quadrant"] == "Threats & Vulnerabilities"
    assert listed[first]["aliases"] == [third]
    assert second not in listed and third not in listed


def test_trends_before_any_analysis_is_a_clear_error(tmp_path, env) -> None:
    result = CliRunner().invoke(cli, ["trends"], env=env)
    assert result.exit_code == 1
    assert "no analysis yet: run `radar analyze` first" in result.output


def test_backtest_reports_first_flag_and_churn(analysed) -> None:
    result = run(["backtest", "--from", "2031-03-28", "--to", "2031-03-31"], analysed)
    assert result.exit_code == 0
    assert re.search(r"2031-03-3[01]\s+1\s+.*Glimmerfox", result.output)
    assert re.search(r"4 analyses in \d+s; \d+ continuing topics, id churn 0\.0%", result.output)
    assert re.search(r"At most \d+ trends? flagged in one analysis; newly flagged a week: "
                     r"[\d.]+ trends, [\d.]+ entries as lists show them", result.output)
    bad = CliRunner().invoke(cli, ["backtest", "--from", "soon", "--to", "2031-03-31"],
                             env=analysed)
    assert bad.exit_code == 2


# --- sharing --------------------------------------------------------------------------------


def test_snapshot_create_list_diff_and_export(analysed, tmp_path) -> None:
    assert "no snapshot yet" in CliRunner().invoke(cli, ["snapshot", "diff"],
                                                   env=analysed).output
    first = run(["snapshot", "create", "--sharing", "TLP:CLEAR", "--note", "Q1"], analysed)
    assert re.match(r"[0-9a-f]{10}  Radar 2031-03-31  \(\d+ trends, created\)", first.output)
    trend_id = json.loads(run(["trends", "--json"], analysed).output)["trends"][0]["id"]
    run(["tag", trend_id, "adopt", "--note", "public reason"], analysed)
    run(["tag", trend_id, "adopt", "--note", "secret reason", "--internal"], analysed)
    second = run(["snapshot", "create"], analysed)
    assert "created" in second.output
    listed = run(["snapshot", "list"], analysed).output
    assert listed.count("TLP:") == 2
    changes = run(["snapshot", "diff"], analysed).output
    assert "moved in" in changes and "decided" in changes
    out = tmp_path / "radar.csv"
    result = run(["export", "--format", "byor-csv", "-o", str(out)], analysed)
    assert result.exit_code == 0 and out.read_text().startswith(
        "name,ring,quadrant,isNew,status,description")
    assert "moved in" in out.read_text() and "secret" not in out.read_text()
    assert "export RINGS='[\"Adopt\", \"Assess\", \"Hold\"]'" in result.output
    brief = tmp_path / "brief.md"
    run(["export", "--format", "md", "-o", str(brief), "--include-internal"], analysed)
    assert "secret reason" in brief.read_text() and "TLP:AMBER" in brief.read_text()
    missing = CliRunner().invoke(cli, ["export", "--snapshot", "nope", "--format", "md", "-o",
                                       str(brief)], env=analysed)
    assert missing.exit_code == 1 and "no snapshot with id 'nope'" in missing.output


# --- database trouble: one line naming the file, an exit code, never a traceback -----------


@pytest.fixture
def held_write_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Another process's write transaction on the database, held for the whole test."""
    import sqlite3

    Store(tmp_path / "radar.db").close()
    monkeypatch.setattr("radar.store.BUSY_TIMEOUT_MS", 200)  # fail fast instead of 10 s
    holder = sqlite3.connect(tmp_path / "radar.db")
    holder.execute("begin immediate")
    yield
    holder.rollback()
    holder.close()


def test_a_locked_database_is_one_clear_line(feed_server, tmp_path, env,
                                             held_write_lock) -> None:
    serve_two(feed_server, tmp_path)
    result = CliRunner().invoke(cli, ["collect", *FAST], env=env)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.strip().splitlines() == [
        f"Error: {tmp_path / 'radar.db'} stayed busy (a collect or an analysis is writing): "
        "nothing was changed; try again in a moment"]


def test_collect_every_logs_a_locked_round_and_goes_on(feed_server, tmp_path, env,
                                                      held_write_lock) -> None:
    serve_two(feed_server, tmp_path)
    result = CliRunner().invoke(cli, ["collect", *FAST, "--every", "1s", "--rounds", "2"],
                                env=env)
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    assert result.output.count("stayed busy") == 2  # both rounds ran and said why
    assert "Round 2 failed" in result.output and "Traceback" not in result.output


def test_a_damaged_database_is_one_clear_line(tmp_path, env) -> None:
    path = tmp_path / "radar.db"
    store = Store(path)
    store.db["articles"].insert_all(
        [{"id": f"a{i}", "title": "x" * 500, "canonical_link": f"https://x.test/{i}",
          "published": "2030-12-01T00:00:00Z"}
         for i in range(200)])
    store.close()
    data = bytearray(path.read_bytes())
    data[8192:20480] = b"\xff" * (20480 - 8192)  # scribble over pages in the middle
    path.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["analyze", "--as-of", "2031-01-01"], env=env)
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: {path}") and "malformed" in line


def test_metrics_and_report_of_a_replayed_period(analysed, tmp_path) -> None:
    """`backtest --keep` gives the radar its history; metrics and the report read it."""
    from html.parser import HTMLParser
    from io import BytesIO

    from pypdf import PdfReader

    run(["backtest", "--from", "2031-03-27", "--to", "2031-03-31", "--keep"], analysed)
    trend_id = json.loads(run(["trends", "--json"], analysed).output)["trends"][0]["id"]
    run(["tag", trend_id, "assess", "--note", "look at it"], analysed)
    period = ["--from", "2031-03-01", "--to", "2031-04-30"]
    data = json.loads(run(["metrics", *period, "--json"], analysed).output)
    assert data["replayed"] is True
    # The Glimmerfox burst: three stories on the 30th, three on the 31st. Its event is
    # flagged the day it starts, its theme the day after; both peak on the 30th (the first
    # of two equal days), and reach five sites on the 31st.
    assert [(row["label"][:14], row["first_flagged"], row["peak_day"], row["lead_days"],
             row["reached_sources_day"]) for row in data["lead_times"]] == [
        ("Glimmerfox VPN", "2031-03-30", "2031-03-30", 0, "2031-03-31"),
        ("Glimmerfox VPN", "2031-03-31", "2031-03-30", -1, "2031-03-31")]
    # A day per analysis; nothing flagged two weeks before any of them waits.
    assert data["backlog"] == [{"date": f"2031-03-{day}", "open": 0} for day in range(27, 32)]

    page = tmp_path / "report.html"
    result = run(["report", *period, "--format", "html", "-o", str(page)], analysed)
    themes = sum(lt["kind"] == "theme" for lt in data["lead_times"])
    assert f"We flagged {themes} theme" in result.output

    class Cells(HTMLParser):
        cells, images = [], 0

        def handle_starttag(self, tag, attrs):
            self.images += tag == "img" and dict(attrs)["src"].startswith("data:image/png")

        def handle_data(self, text):
            self.cells.append(text)

    parser = Cells()
    parser.feed(page.read_text(encoding="utf-8"))
    assert parser.images >= 1 and "TLP:AMBER" in parser.cells
    labels = {row["label"] for row in data["lead_times"]}
    assert len(labels) == 2 and labels <= set(parser.cells)   # every flagged trend is listed
    markdown = tmp_path / "report.md"
    run(["report", *period, "--format", "md", "-o", str(markdown)], analysed)
    text = markdown.read_text(encoding="utf-8")
    assert "## How early we knew" in text and "](data:image/png;base64," in text
    assert "look at it" not in text                     # no decision notes in the report
    pdf = tmp_path / "report.pdf"
    run(["report", *period, "--format", "pdf", "-o", str(pdf)], analysed)
    reader = PdfReader(BytesIO(pdf.read_bytes()))
    assert "How early we knew" in "".join(
        p.extract_text() for p in reader.pages)
    assert len({tuple(p.mediabox) for p in reader.pages}) == 1     # one page size
    assert reader.metadata.title.startswith("Trend watch results: 2031-03-01 to 2031-04-30")
