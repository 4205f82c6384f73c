"""Channels: the channels file, checking URLs before sending, and delivery through Apprise
to real local servers in the shapes Slack, Microsoft Teams and JSON webhooks accept.

Slack's and Teams' Apprise plugins send to fixed cloud hosts; to keep the internet out,
the Slack test points the plugin's webhook base (a class attribute) at a local server,
and the Teams test uses a Workflows URL (how Teams takes webhooks now) whose host is a
local HTTPS server with a throw-away certificate (`verify=no`). What is checked is the
request the real plugin sends: path, and the JSON body those services document.
"""

from __future__ import annotations

import datetime
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from radar.errors import ConfigError
from radar.notify.channels import (
    Channel,
    ChannelSettings,
    Message,
    deliver,
    load_channel_settings,
    parse_channel_settings,
    pick_channels,
)

ROOT = Path(__file__).resolve().parents[1]
MESSAGE = Message("Trend Radar: 2 alerts", "- Ivanti is emerging\n  http://app/?trend=T1",
                  "<p>Ivanti is emerging</p>")
SLACK_TOKENS = "T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7"


def test_the_channels_file_names_channels_and_the_app_address(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("RADAR_APP_URL", raising=False)
    path = tmp_path / "channels.yaml"
    path.write_text("app_url: https://radar.example.com\nchannels:\n"
                    "  soc: json://127.0.0.1:9/hook\n", encoding="utf-8")
    settings = load_channel_settings(path)
    assert settings.channels == {"soc": "json://127.0.0.1:9/hook"}
    assert settings.app_url == "https://radar.example.com"
    monkeypatch.setenv("RADAR_APP_URL", "https://other.example.com")
    assert load_channel_settings(path).app_url == "https://other.example.com"
    assert load_channel_settings(tmp_path / "absent.yaml").channels == {}


@pytest.mark.parametrize(("text", "problem"), [
    ("channels: [a, b]", "must map each name"),
    ("channels:\n  'bad name!': json://x", "channel name 'bad name!'"),
    ("channels:\n  soc:", "channel 'soc' needs an Apprise URL"),
    ("app_url: ftp://x", "app_url 'ftp://x'"),
    ("chanels: {}", "expected 'channels:'"),
    ("channels: {a: [", "channels.yaml:1: invalid YAML"),
])
def test_a_bad_channels_file_is_named(text, problem) -> None:
    with pytest.raises(ConfigError, match=problem.replace("(", r"\(").replace("[", r"\[")):
        parse_channel_settings(text, source="channels.yaml")


def test_unknown_names_and_malformed_urls_stop_before_anything_is_sent() -> None:
    settings = ChannelSettings({"soc": "json://127.0.0.1:9/x", "typo": "jsn://x"})
    with pytest.raises(ConfigError, match="unknown channel 'ciso'"):
        pick_channels(settings, names=("ciso",))
    with pytest.raises(ConfigError, match="channel 'typo': not a valid Apprise URL"):
        pick_channels(settings)
    with pytest.raises(ConfigError, match="channel 'foo://host': not a valid"):
        pick_channels(settings, names=("soc",), urls=("foo://host/secret",))
    assert [c.name for c in pick_channels(settings, names=("soc",))] == ["soc"]


def test_a_to_url_is_logged_without_its_secrets() -> None:
    [channel] = pick_channels(ChannelSettings(), urls=("json://user:s3cret@127.0.0.1:9/x",))
    assert channel.name == "json://127.0.0.1:9" and not channel.named
    assert "s3cret" not in channel.key and channel.key.startswith("url:")


def test_the_channels_file_is_ignored_by_git() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    assert subprocess.run(["git", "check-ignore", "-q", "channels.yaml"], cwd=ROOT,
                          check=False).returncode == 0


def test_json_webhook_gets_title_and_text(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/hook", method="POST").respond_with_data("ok")
    url = f"json://127.0.0.1:{feed_server.port}/hook"
    assert deliver(Channel("soc", url), MESSAGE) is None
    body = feed_server.log[0][0].get_json()
    assert body["title"] == MESSAGE.title and body["message"] == MESSAGE.text


def test_slack_gets_an_attachment_with_title_and_text(feed_server: HTTPServer,
                                                      monkeypatch) -> None:
    from apprise.plugins.slack import NotifySlack

    feed_server.expect_request(f"/services/{SLACK_TOKENS}", method="POST") \
        .respond_with_data("ok")
    monkeypatch.setattr(NotifySlack, "webhook_url", feed_server.url_for("/services"))
    assert deliver(Channel("soc", f"slack://{SLACK_TOKENS}"), MESSAGE) is None
    [attachment] = feed_server.log[0][0].get_json()["attachments"]
    assert attachment["title"] == MESSAGE.title and attachment["text"] == MESSAGE.text


@pytest.fixture
def https_server(tmp_path: Path):
    """A local HTTPS server with a certificate made for the test."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    yield server
    server.stop()


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_teams_workflow_gets_an_adaptive_card(https_server: HTTPServer) -> None:
    https_server.expect_request("/workflows/WF1/triggers/manual/paths/invoke",
                                method="POST").respond_with_data("", status=202)
    url = f"workflows://127.0.0.1:{https_server.port}/WF1/SIG1?verify=no"
    assert deliver(Channel("team", url), MESSAGE) is None
    request = https_server.log[0][0]
    assert request.args["sig"] == "SIG1"
    body = request.get_json()
    assert body["type"] == "message"
    [card] = body["attachments"]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    texts = [block.get("text") for block in card["content"]["body"]]
    assert MESSAGE.title in texts and MESSAGE.text in texts


def test_a_closed_port_is_a_one_line_reason() -> None:
    with socket.socket() as probe:      # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = deliver(Channel("soc", f"json://127.0.0.1:{port}/x"), MESSAGE)
    assert error and "\n" not in error and "127.0.0.1" in error


def test_a_hanging_webhook_is_timed_out() -> None:
    with socket.socket() as silent:     # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        started = time.monotonic()
        error = deliver(Channel("soc", f"json://127.0.0.1:{silent.getsockname()[1]}/x"),
                        MESSAGE, timeout=0.5)
        # Apprise words a read timeout as a connection error: one line naming the host.
        assert error == "A Connection error occurred sending JSON notification to 127.0.0.1."
        assert time.monotonic() - started < 10     # not the 10 s default, nor forever
