"""The notification commands end to end: real files, a real store, local servers."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from radar.cli import cli
from radar.store import Store

from .conftest import fixture_bytes, write_feeds
from .notify_data import seed


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    store = Store(tmp_path / "radar.db")
    seed(store)
    store.close()
    return {"RADAR_DB": str(tmp_path / "radar.db"), "RADAR_FEEDS": str(tmp_path / "feeds.yaml"),
            "RADAR_CHANNELS": str(tmp_path / "channels.yaml"),
            "RADAR_APP_URL": "https://radar.example.com"}


def run(args: list[str], env: dict[str, str]):
    return CliRunner().invoke(cli, args, env=env, catch_exceptions=False)


def dead_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"json://127.0.0.1:{probe.getsockname()[1]}/hook"


def test_digest_dry_run_prints_the_week_and_sends_nothing(env) -> None:
    result = run(["digest", "--since", "7d", "--dry-run"], env)
    assert result.exit_code == 0, result.output
    assert "NEWLY FLAGGED" in result.output and "Post-quantum migration" in result.output
    assert "https://radar.example.com/?view=Radar&trend=T2" in result.output
    assert "Old news" not in result.output
    quiet = run(["digest", "--as-of", "2031-06-30", "--dry-run"], env)
    assert "A QUIET WEEK" in quiet.output


def test_digest_to_a_webhook_is_one_message(env, feed_server: HTTPServer) -> None:
    feed_server.expect_request("/digest", method="POST").respond_with_data("ok")
    result = run(["digest", "--to", f"json://127.0.0.1:{feed_server.port}/digest"], env)
    assert result.exit_code == 0, result.output
    [(request, _)] = feed_server.log
    assert "Zero trust rollout" in json.loads(request.data)["message"]


def test_notify_delivers_once_and_then_nothing_new(env, feed_server: HTTPServer) -> None:
    feed_server.expect_request("/alerts", method="POST").respond_with_data("ok")
    to = ["--to", f"json://127.0.0.1:{feed_server.port}/alerts"]
    first = run(["notify", *to], env)
    assert first.exit_code == 0 and "4 delivered" in first.output
    again = run(["notify", *to], env)
    assert again.exit_code == 0 and "nothing new to send" in again.output
    assert len(feed_server.log) == 1


def test_a_dead_channel_is_one_line_and_exit_1(env) -> None:
    result = CliRunner().invoke(cli, ["notify", "--to", dead_url()], env=env)
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("channel json://127.0.0.1:") and "not delivered" in line
    assert "Traceback" not in result.output


def test_bad_channels_stop_before_anything_is_sent(env, feed_server: HTTPServer) -> None:
    good = f"json://127.0.0.1:{feed_server.port}/alerts"
    result = run(["notify", "--to", good, "--to", "jsn://typo"], env)
    assert result.exit_code == 2 and "channel 'jsn://typo': not a valid Apprise URL" \
        in result.output
    unknown = run(["digest", "--channel", "ciso"], env)
    assert unknown.exit_code == 2 and "unknown channel 'ciso'" in unknown.output
    assert feed_server.log == []


def test_collect_with_a_dead_channel_still_succeeds(env, tmp_path,
                                                    feed_server: HTTPServer) -> None:
    feed_server.expect_request("/feed").respond_with_data(fixture_bytes("rss20.xml"),
                                                          content_type="application/xml")
    feed_server.expect_request("/alerts", method="POST").respond_with_data("ok")
    write_feeds(tmp_path / "feeds.yaml", [
        {"name": "Good", "url": feed_server.url_for("/feed"), "category": "news"}])
    Path(env["RADAR_CHANNELS"]).write_text(f"channels:\n  soc: {dead_url()}\n",
                                           encoding="utf-8")
    live = f"json://127.0.0.1:{feed_server.port}/alerts"
    result = CliRunner().invoke(cli, ["collect", "--per-host-delay", "0", "--quiet",
                                      "--to", live], env=env)
    assert result.exit_code == 0, result.output
    assert "Alerts: channel soc: not delivered" in result.output
    assert "Traceback" not in result.output
    assert [r.path for r, _ in feed_server.log] == ["/feed", "/alerts"]   # the live one got them
    again = CliRunner().invoke(cli, ["collect", "--per-host-delay", "0", "--quiet",
                                     "--to", live], env=env)
    assert again.exit_code == 0 and "Alerts: channel soc: not delivered" in again.output
    assert [r.path for r, _ in feed_server.log].count("/alerts") == 1      # retried: soc only


def test_watch_add_list_remove(env) -> None:
    added = run(["watch", "add", "zt", "zero trust", "ZTNA"], env)
    assert added.exit_code == 0 and "trends matching it now: 1" in added.output
    listed = run(["watch", "list"], env)
    assert "zt" in listed.output and "Zero trust rollout" in listed.output
    assert "post-quantum" in listed.output
    assert run(["watch", "remove", "zt"], env).exit_code == 0
    missing = run(["watch", "remove", "zt"], env)
    assert missing.exit_code == 1 and "no watchlist named 'zt'" in missing.output
    bad = run(["watch", "add", "x", "("], env)
    assert bad.exit_code == 2 and "not a valid regular expression" in bad.output
