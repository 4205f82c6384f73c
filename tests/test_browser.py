"""End to end in a real headless browser: `streamlit run app.py` driven by Playwright.

Uses Debian's chromium (installed by .ci/run); skips, saying why, only where it is absent.
A screenshot of the final page is kept in test-artifacts/ (ignored by git).
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from radar.config import Settings
from radar.engine.analyze import analyze
from radar.store import Store

from .conftest import write_feeds
from .synthetic import default_topics, make_corpus

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage"]

BLIPS = ".radar .blip"   # the radar's blips, each a clickable group in its SVG

pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="Debian's chromium is not installed (.ci/run installs it)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(db: Path, feeds: Path = ROOT / "feeds.yaml", *, cwd: Path = ROOT,
            port: int | None = None) -> Iterator[str]:
    """`streamlit run app.py` on a loopback port over `db`; yields its address. `cwd` is
    where Streamlit looks for `.streamlit/secrets.toml`."""
    port = port or free_port()
    env = {**os.environ, "RADAR_DB": str(db), "RADAR_FEEDS": str(feeds)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("streamlit did not start within 60 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def running_app(tmp_path: Path):
    """The real app over a freshly analysed test database."""
    db = tmp_path / "radar.db"
    store = Store(db)
    store.save_articles(make_corpus(default_topics(90), noise=300, days=90))
    analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))
    store.close()
    with serving(db) as url:
        yield url, db


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=CHROMIUM_FLAGS)


def test_click_a_blip_read_the_detail_and_tag_it(running_app) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, db = running_app
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(url)
        blips = page.locator(BLIPS)
        expect(blips.first).to_be_visible(timeout=60_000)
        blips.first.click(force=True)
        expect(page.get_by_text("Why now:")).to_be_visible(timeout=30_000)
        page.get_by_label("Rationale (required)").fill("Checked in a real browser")
        page.get_by_role("button", name="Record decision").click()
        expect(page.get_by_text("Recorded:")).to_be_visible(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "radar-tagged.png"), full_page=True)
        browser.close()
    store = Store(db)
    decisions = list(store.db.query("select note from decisions"))
    store.close()
    assert decisions == [{"note": "Checked in a real browser"}]


def test_a_blip_opens_from_the_keyboard_and_names_itself_on_hover(running_app) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, db = running_app
    with sqlite3.connect(db) as conn:
        labels = {row[0]: row[1] for row in conn.execute("select id, label from trends")}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(url)
        blip = page.locator(BLIPS).nth(1)
        expect(blip).to_be_visible(timeout=60_000)
        trend_id = blip.get_attribute("data-id")
        title = blip.locator("title").text_content()
        blip.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Why now:")).to_be_visible(timeout=30_000)
        heading = page.locator("h3").filter(has_text=labels[trend_id]).first
        expect(heading).to_be_visible()
        assert f"trend={trend_id}" in page.url
        browser.close()
    assert labels[trend_id] in title       # the hover text names the trend


def test_html_export_renders_offline_without_any_request(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from radar.share.editions import create_edition
    from radar.share.page import render_html
    from radar.share.snapshot import diff

    store = Store(tmp_path / "radar.db")
    store.save_articles(make_corpus(default_topics(90), noise=300, days=90))
    analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))
    edition, _ = create_edition(store, Settings(), name="Radar for the CIO", note="",
                                 sharing="TLP:CLEAR", created_at="2031-04-01T00:00:00Z")
    store.close()
    page_file = tmp_path / "radar.html"
    page_file.write_text(render_html(edition, diff(None, edition)), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(offline=True)
        page = context.new_page()
        requests, failures = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("requestfailed", lambda request: failures.append(request.url))
        page.goto(page_file.as_uri())
        expect(page.locator("svg circle").first).to_be_visible()
        assert page.locator("svg g circle").count() == len(edition.entries)
        expect(page.get_by_text("TLP:CLEAR").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "export-html.png"), full_page=True)
        browser.close()
    assert requests == [page_file.as_uri()]
    assert failures == []


def test_collect_now_after_an_old_import_keeps_the_radar_then_download_an_edition(
        tmp_path: Path) -> None:
    """An archive that ends months ago, a feed that cannot be reached: Collect now must
    keep the radar and name the newest date; then an edition is frozen and downloaded."""
    from playwright.sync_api import expect, sync_playwright

    db = tmp_path / "old.db"
    store = Store(db)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    store.save_articles(make_corpus(default_topics(90), noise=300, days=90, start=start))
    analyze(store, Settings(), as_of=start + timedelta(days=90))
    newest = store.newest_published(before="2100")[:10]
    store.close()
    feeds = write_feeds(tmp_path / "feeds.yaml", [
        {"name": "Down", "url": f"http://127.0.0.1:{free_port()}/feed", "category": "news"}])
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(db, feeds) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1400}, accept_downloads=True)
        page.goto(f"{url}/?view=Feeds")
        page.get_by_role("button", name="Collect now").click()
        notice = page.get_by_text("Not re-analysed")
        expect(notice).to_be_visible(timeout=60_000)
        expect(page.get_by_text(f"radar analyze --as-of {newest}").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "collect-after-old-import.png"), full_page=True)

        page.goto(f"{url}/?view=Radar")
        blips = page.locator(BLIPS)
        expect(blips.first).to_be_visible(timeout=60_000)
        assert blips.count() > 1          # the radar is the one it was, not one grey blip

        page.goto(f"{url}/?view=Editions")
        page.get_by_role("button", name="Freeze this radar").click()
        # The page is drawn again after freezing: wait for that before clicking.
        expect(page.get_by_text("frozen", exact=False).first).to_be_visible(timeout=60_000)
        download_button = page.get_by_role("button", name="Web page (HTML)")
        expect(download_button).to_be_visible(timeout=60_000)
        page.wait_for_load_state("networkidle")
        with page.expect_download(timeout=60_000) as pending:
            download_button.click()
        download = pending.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        browser.close()
    assert saved.name.startswith("radar-") and saved.suffix == ".html"
    html = saved.read_text(encoding="utf-8")
    assert "<svg" in html and "TLP:" in html


def test_filter_the_radar_to_what_touches_our_roadmap(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from radar.links import load_ties, update_links
    from radar.org import read_initiatives_csv
    from radar.selection import radar_selection

    from .conftest import FIXTURES

    db = tmp_path / "radar.db"
    store = Store(db)
    store.save_articles(make_corpus(default_topics(90), noise=300, days=90))
    store.save_initiatives(read_initiatives_csv((FIXTURES / "roadmap.csv").read_text()))
    analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))
    update_links(store, Settings())
    ties = load_ties(store)
    everything = store.load_trends()
    touching = radar_selection([t for t in everything if t.id in ties
                                and ties[t.id].touches_roadmap], Settings())
    all_shown = radar_selection(everything, Settings())
    store.close()
    assert 0 < len(touching) < len(all_shown)
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(db) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(url)
        blips = page.locator(BLIPS)
        expect(blips.first).to_be_visible(timeout=60_000)
        expect(blips).to_have_count(len(all_shown))
        page.get_by_text("Touch our roadmap").click()
        expect(blips).to_have_count(len(touching), timeout=30_000)
        for trend in touching:
            expect(page.get_by_text(trend.label, exact=False).first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "radar-roadmap-focus.png"), full_page=True)
        browser.close()


SECRETS = """
[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "a-test-cookie-secret-of-enough-length"
client_id = "trend-radar"
client_secret = "trend-radar-secret"
server_metadata_url = "{issuer}/.well-known/openid-configuration"

[radar]
editors = ["ciso@example.com"]
viewers = ["@example.com"]
"""


def test_team_sign_in_editor_viewer_outsider_and_sign_out(tmp_path: Path) -> None:
    """Against a local OpenID Connect provider: an editor signs in and tags a trend (the
    decision's author is the editor), a viewer finds nothing to change, someone in neither
    list has no access, nor has an unverified address of the editor, and signing out works."""
    from oidc_provider_mock import User, run_server_in_thread
    from playwright.sync_api import expect, sync_playwright

    db = tmp_path / "radar.db"
    store = Store(db)
    store.save_articles(make_corpus(default_topics(90), noise=300, days=90))
    analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))
    store.close()
    users = [User(sub=email, claims={"email": email, "name": name, "email_verified": True})
             for email, name in (("ciso@example.com", "Ciso Name"), ("bob@example.com", "Bob"),
                                 ("eve@elsewhere.example", "Eve"))]
    # Someone who typed the editor's address into an account the provider did not verify.
    users.append(User(sub="mallory", claims={"email": "ciso@example.com", "name": "Mallory",
                                             "email_verified": False}))
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    with run_server_in_thread(user_claims=users) as provider:
        (tmp_path / ".streamlit").mkdir()
        (tmp_path / ".streamlit" / "secrets.toml").write_text(SECRETS.format(
            port=port, issuer=f"http://localhost:{provider.server_port}"))
        with serving(db, cwd=tmp_path, port=port), sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            app = f"http://localhost:{port}"

            def sign_in(email: str) -> None:
                page.goto(app)
                page.get_by_role("button", name="Sign in").click()
                page.get_by_role("button", name=email).click()   # the provider's page

            def sign_out() -> None:
                page.get_by_role("button", name="Sign out").click()
                page.get_by_role("button", name="End session").click()  # the provider's
                expect(page.get_by_role("button", name="Sign in")).to_be_visible(
                    timeout=30_000)

            sign_in("ciso@example.com")
            expect(page.get_by_text("Signed in as Ciso Name <ciso@example.com> · editor")
                   ).to_be_visible(timeout=60_000)
            blips = page.locator(BLIPS)
            blips.first.click(force=True)
            page.get_by_label("Rationale (required)").fill("Decided by a signed-in editor")
            page.get_by_role("button", name="Record decision").click()
            expect(page.get_by_text("Recorded:")).to_be_visible(timeout=30_000)
            sign_out()

            sign_in("bob@example.com")
            expect(page.get_by_text("· viewer")).to_be_visible(timeout=60_000)
            blips.first.click(force=True)
            expect(page.get_by_text("Why now:")).to_be_visible(timeout=30_000)
            # A viewer's detail ends with its history where an editor's has the forms:
            # once it is drawn, the forms would have been too.
            expect(page.get_by_text("History", exact=True)).to_be_visible(timeout=30_000)
            page.screenshot(path=str(ARTIFACTS / "viewer-detail.png"), full_page=True)
            assert page.get_by_role("tab", name="Decide").count() == 0
            for label in ("Record decision", "Rename", "Dismiss as noise"):
                assert page.get_by_role("button", name=label).count() == 0
            page.goto(f"{app}/?view=Feeds")
            expect(page.get_by_text("· viewer")).to_be_visible(timeout=60_000)
            # The feed table comes after the actions an editor would see.
            expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible(timeout=30_000)
            assert page.get_by_role("button", name="Collect now").count() == 0
            sign_out()

            sign_in("eve@elsewhere.example")
            expect(page.get_by_text("No access for eve@elsewhere.example")).to_be_visible(
                timeout=60_000)
            sign_out()

            sign_in("mallory")
            expect(page.get_by_text("does not say this address is verified")).to_be_visible(
                timeout=60_000)
            for label in ("Record decision", "Rename", "Collect now"):
                assert page.get_by_role("button", name=label).count() == 0
            browser.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("select author, note from decisions").fetchall() == [
            ("Ciso Name <ciso@example.com>", "Decided by a signed-in editor")]


def test_markup_in_names_and_links_makes_no_request(tmp_path: Path) -> None:
    """Trends renamed to a Markdown image, an initiative named as a phishing link and a
    crafted ?snapshot= value: the real app shows them as text and nothing asks the
    server they point at (it counts every request)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import quote

    from playwright.sync_api import expect, sync_playwright

    from radar.org import make_initiative
    from radar.text import now_iso

    asked: list[str] = []

    class Counting(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    target = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=target.serve_forever, daemon=True).start()
    port = target.server_address[1]
    image = f"![p](http://127.0.0.1:{port}/p.png)"
    phishing = f"[Sign in again](http://127.0.0.1:{port}/login)"
    db = tmp_path / "radar.db"
    store = Store(db)
    store.save_articles(make_corpus(default_topics(90), noise=300, days=90))
    analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))
    renamed = [row[0] for row in store.db.execute(
        "select id from trends order by score desc, id limit 12")]
    for trend_id in renamed:
        store.record_edit(trend_id, "rename", image, note="", author="t", at=now_iso())
    store.save_initiatives([make_initiative(phishing, keywords=["VPN"])])
    store.close()
    try:
        with serving(db) as url, sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            for address, text in (   # shown as typed (bare addresses hold a word joiner)
                    (url, "1. ![p]("), (f"{url}/?trend={renamed[0]}", "Why now:"),
                    (f"{url}/?view=Roadmap", "[Sign in again]("),
                    (f"{url}/?snapshot={quote(f'![x](http://127.0.0.1:{port}/q.png)')}",
                     "no snapshot with id '![x](http")):
                page.goto(address)
                expect(page.get_by_text(text, exact=False).first).to_be_visible(timeout=60_000)
                page.wait_for_load_state("networkidle")
            assert page.get_by_role("link", name="Sign in again").count() == 0
            assert page.locator(f"a[href*='{port}']").count() == 0   # no link to it at all
            page.screenshot(path=str(ARTIFACTS / "markup-as-text.png"), full_page=True)
            browser.close()
    finally:
        target.shutdown()
    assert asked == []


VIEWS = ("Radar", "Inbox", "Browse", "Roadmap", "Results", "Editions", "Feeds")


class ScriptRuns:
    """What the app's server says over its WebSocket: when a run of the script finished,
    and every exception element it drew. A text on the page appears before the run ends;
    an exception drawn after it would be missed by looking at the page."""

    def __init__(self, page) -> None:
        self.finished, self.exceptions = 0, []
        page.on("websocket", lambda socket: socket.on("framereceived", self.read))

    def read(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if not isinstance(payload, bytes):
            return
        message = ForwardMsg.FromString(payload)
        kind = message.WhichOneof("type")
        if kind == "script_finished":
            self.finished += 1
        elif (kind == "delta" and message.delta.WhichOneof("type") == "new_element"
              and message.delta.new_element.WhichOneof("type") == "exception"):
            self.exceptions.append(message.delta.new_element.exception.message)

    def open(self, page, url: str) -> list[str]:
        """Load `url`, wait for the script's run to end; the exceptions it drew."""
        seen, self.exceptions = self.finished, []
        page.goto(url)
        deadline = time.monotonic() + 90
        while self.finished == seen and time.monotonic() < deadline:
            page.wait_for_timeout(100)   # lets Playwright deliver the socket's frames
        assert self.finished > seen, f"{url} did not finish within 90 s"
        return self.exceptions


@pytest.fixture(scope="module")
def archive_db(tmp_path_factory) -> Path:
    """The shared archive imported once, with the sample roadmap and stack and the saved
    KEV catalog: what a new user has after following the README."""
    from click.testing import CliRunner

    from radar.cli import cli

    from .conftest import CORPUS

    if not (CORPUS / "items.jsonl.gz").exists() or not (CORPUS / "kev.json").exists():
        pytest.skip("../shared/corpus is not available")
    db = tmp_path_factory.mktemp("archive") / "radar.db"
    examples = ROOT / "docs" / "examples"
    for args in (["import", str(CORPUS / "items.jsonl.gz")],
                 ["roadmap", "import", str(examples / "roadmap.csv")],
                 ["stack", "import", str(examples / "stack.csv")],
                 ["kev", "update", "--file", str(CORPUS / "kev.json")]):
        done = CliRunner().invoke(cli, args, env={"RADAR_DB": str(db)})
        assert done.exit_code == 0, done.output
    return db


@pytest.mark.corpus
@pytest.mark.parametrize("as_of", ["2025-12-05", "2026-08-20"])
def test_every_view_opens_on_the_real_archive(archive_db: Path, tmp_path: Path,
                                              as_of: str) -> None:
    """Every view, and the detail of the radar's first trend, without an exception, on
    the days a new user looked (an emerging event without a theme in two Inbox lists)."""
    from playwright.sync_api import expect, sync_playwright

    db = tmp_path / "radar.db"
    shutil.copy(archive_db, db)
    store = Store(db)
    analyze(store, Settings(), as_of=datetime.fromisoformat(f"{as_of}T23:59:59+00:00"))
    top = store.load_trends()[0].id
    store.close()
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(db) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1500, "height": 1400})
        runs = ScriptRuns(page)
        for view, query in [(v, f"view={v}") for v in VIEWS] + [
                ("Radar-detail", f"view=Radar&trend={top}")]:
            exceptions = runs.open(page, f"{url}/?{query}")
            page.screenshot(path=str(ARTIFACTS / f"archive-{as_of}-{view}.png"))
            assert exceptions == [], (view, as_of)
            assert page.get_by_test_id("stException").count() == 0
        expect(page.get_by_text("Why now:")).to_be_visible()
        browser.close()
