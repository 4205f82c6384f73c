"""Sending from a real store: the digest by e-mail to a real SMTP server on 127.0.0.1,
alerts delivered once per channel, a dead channel retried on the next run."""

from __future__ import annotations

import email
import socket
from datetime import date, timedelta
from email.message import Message as MimeMessage

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer

from radar.config import Settings
from radar.notify.channels import Channel
from radar.notify.deliver import DIGEST, send_alerts, send_message
from radar.notify.digest import digest_message, load_digest

from .notify_data import HOSTILE, seed

APP = "https://radar.example.com"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[MimeMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # the name aiosmtpd calls
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield mailbox, controller.port
    controller.stop()


def test_the_digest_arrives_by_mail_with_both_parts_links_and_subjects(store, smtp) -> None:
    seed(store)
    mailbox, port = smtp
    digest = load_digest(store, Settings(), end=date(2031, 3, 30), period=timedelta(days=7),
                         app_url=APP)
    url = f"mailto://127.0.0.1:{port}?from=radar@example.com&to=ciso@example.com"
    [outcome] = send_message(store, [Channel("ciso-mail", url)], digest_message(digest),
                             kind=DIGEST)
    assert outcome.error is None
    [mail] = mailbox.messages
    assert mail["To"] == "ciso@example.com" and "3 subjects newly flagged" in mail["Subject"]
    parts = {p.get_content_type(): p.get_payload(decode=True).decode()
             for p in mail.walk() if not p.is_multipart()}
    assert set(parts) == {"text/plain", "text/html"}
    assert f"{APP}/?view=Radar&trend=T1" in parts["text/plain"]
    assert f"{APP}/?view=Radar&amp;trend=T1" in parts["text/html"]      # escaped in HTML
    for part in parts.values():
        assert "Post-quantum migration" in part and "Zero trust rollout" in part
        assert "CVE-2031-0001" in part
        assert "Old news" not in part                 # flagged weeks ago
    assert HOSTILE in parts["text/plain"]
    assert "<script>" not in parts["text/html"] and "&lt;script&gt;" in parts["text/html"]
    assert store.load_deliveries()[0]["channel"] == "ciso-mail"


def test_alerts_are_delivered_once_per_channel(store, feed_server: HTTPServer) -> None:
    seed(store)
    feed_server.expect_request("/hook", method="POST").respond_with_data("ok")
    soc = Channel("soc", f"json://127.0.0.1:{feed_server.port}/hook")
    [first] = send_alerts(store, [soc], app_url=APP)
    assert first.sent == 4 and first.error is None
    assert len(feed_server.log) == 1                                  # one grouped message
    assert "CVE-2031-0001" in feed_server.log[0][0].get_json()["message"]
    [again] = send_alerts(store, [soc], app_url=APP)
    assert again.sent == 0 and len(feed_server.log) == 1             # nothing new: no message
    other = Channel("ciso", f"json://127.0.0.1:{feed_server.port}/hook?x=1")
    assert send_alerts(store, [other], app_url=APP)[0].sent == 4     # per channel


def test_a_dead_channel_is_logged_and_its_alerts_wait_for_the_next_run(
        store, feed_server: HTTPServer) -> None:
    seed(store)
    dead = Channel("soc", f"json://127.0.0.1:{free_port()}/hook")
    [failed] = send_alerts(store, [dead], app_url=APP)
    assert failed.error and "channel soc: not delivered" in failed.line
    assert store.delivered_keys("soc") == set()
    [logged] = store.load_deliveries()
    assert not logged["ok"] and logged["error"] == failed.error and len(logged["keys"]) == 4
    feed_server.expect_request("/hook", method="POST").respond_with_data("ok")
    alive = Channel("soc", f"json://127.0.0.1:{feed_server.port}/hook")
    assert send_alerts(store, [alive], app_url=APP)[0].sent == 4
