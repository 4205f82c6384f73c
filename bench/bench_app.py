"""Benchmark: the app as a person feels it, in chromium, beside a bare Streamlit app.

On the full corpus analysed in its densest week (~300 trends, 44k articles): the radar's
first paint on a restarted server (by a browser that has seen the app before, as a
person's has; a first visit ever is printed apart), every view settled (visited once, then timed
on the second visit: warm), a click on a blip and on a legend name until the detail
shows, and a decision until it is recorded on the page; then the same again while an
analysis and a collect run in loops beside the app (the collect fetches 40 feeds from a
local server, so the data version changes with every feed, as in a real collect).

The baseline, measured in the same run, is a bare Streamlit app: its first paint, a
switch between two views and a button click until its text shows, so each ratio says
what the radar adds to what Streamlit itself costs. "Settled" means the view's content
is shown and Streamlit no longer shows it running.

    .venv/bin/python -m bench.bench_app [DB]   # DB: an analysed copy to reuse (optional)
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench._common import CORPUS

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
AS_OF = datetime(2026, 2, 12, 23, 59, tzinfo=UTC)
BARE_APP = """
import streamlit as st
view = st.sidebar.radio("View", ["One", "Two"])
st.title("Bare app")
st.write(f"Page {view}")
if st.button("Show"):
    st.write("Shown.")
"""
BLIPS = ".radar .blip"
# What shows that each view is there (the sidebar label, then a marker of its content).
VIEWS = {"Inbox": "text=/for a decision/", "Browse": "[data-testid='stDataFrame']",
         "Roadmap": "text=Our stack", "Results": "text=How early we knew",
         "Editions": "text=/Newest edition|No edition yet/",
         "Feeds": "[data-testid='stDataFrame']", "Radar": BLIPS}
BARS = {"first paint": 2.0, "view": 0.8, "click": 0.4, "decision": 0.5, "busy": 2.0}


def build(path: Path) -> None:
    from radar.archive import ImportReport, read_archive
    from radar.config import Settings
    from radar.dedup import update_duplicate_groups
    from radar.engine.analyze import analyze
    from radar.store import Store

    store = Store(path)
    store.save_articles(read_archive(CORPUS, ImportReport()))
    update_duplicate_groups(store)
    analyze(store, Settings(), as_of=AS_OF)
    store.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(app: str, db: Path, port: int | None = None) -> Iterator[str]:
    """A Streamlit server (on `port`, else a free one), healthy; yields its address."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", app, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        env={**os.environ, "RADAR_DB": str(db)}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def feed_server() -> Iterator[Path]:
    """A local server answering every path with an RSS fixture; yields a feeds file
    listing 40 feeds on it."""
    body = (ROOT / "tests" / "fixtures" / "rss20.xml").read_bytes()

    class Feed(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    feeds = Path(tempfile.mkdtemp(prefix="radar-bench-feeds-")) / "feeds.yaml"
    port = httpd.server_address[1]
    feeds.write_text("feeds:\n" + "".join(
        f"  - name: Feed {n}\n    url: http://127.0.0.1:{port}/feed{n}.xml\n"
        f"    category: news\n" for n in range(40)), encoding="utf-8")
    try:
        yield feeds
    finally:
        httpd.shutdown()
        shutil.rmtree(feeds.parent)


@contextmanager
def busy(db: Path) -> Iterator[None]:
    """An analysis and a collect, each in a loop, beside the app."""
    radar = f"{sys.executable} -m radar"
    with feed_server() as feeds:
        loops = [f"while true; do {radar} {args} >/dev/null 2>&1; done" for args in (
            f"analyze --db {db} --as-of {AS_OF:%Y-%m-%d}",
            f"collect --db {db} --feeds {feeds} --per-host-delay 0 --ignore-backoff")]
        processes = [subprocess.Popen(["bash", "-c", loop], start_new_session=True,
                                      cwd=ROOT) for loop in loops]
        time.sleep(5)   # both under way
        try:
            yield
        finally:
            for process in processes:
                os.killpg(process.pid, 15)
                process.wait(timeout=20)


def timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def settled(page, marker: str, timeout: float = 120_000) -> None:
    """The marker is shown and Streamlit is no longer running the script."""
    page.locator(marker).first.wait_for(state="visible", timeout=timeout)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=timeout)


def first_visit(browser, app: str, db: Path, port: int, marker: str) -> float:
    """A first visit, by a browser that never saw the app: its first paint (then the
    browser keeps the app's scripts, as a person's does across a restart)."""
    with server(app, db, port) as base:
        page = browser.new_page()
        seconds = timed(lambda: (page.goto(base), settled(page, marker)))
        page.close()
    return seconds


def bare_figures(browser, base: str) -> dict[str, float]:
    page = browser.new_page()
    figures = {"first paint": timed(lambda: (page.goto(base),
                                             settled(page, "text=Bare app")))}
    page.locator("[data-testid='stSidebar'] label").filter(has_text="Two").click()
    settled(page, "text=Page Two")
    page.locator("[data-testid='stSidebar'] label").filter(has_text="One").click()
    settled(page, "text=Page One")
    figures["view"] = timed(lambda: (
        page.locator("[data-testid='stSidebar'] label").filter(has_text="Two").click(),
        settled(page, "text=Page Two")))
    figures["click"] = timed(lambda: (page.get_by_role("button", name="Show").click(),
                                      settled(page, "text=Shown.")))
    page.close()
    return figures


def radar_figures(browser, base: str, *, first_paint: bool) -> dict[str, float]:
    page = browser.new_page()
    figures: dict[str, float] = {}
    paint = timed(lambda: (page.goto(base), settled(page, BLIPS)))
    if first_paint:
        figures["first paint"] = paint
    figures["radar reload"] = timed(lambda: (page.reload(), settled(page, BLIPS)))
    sidebar = page.locator("[data-testid='stSidebar'] label")
    for visit in ("first", "warm"):
        for view, marker in VIEWS.items():
            seconds = timed(lambda view=view, marker=marker: (
                sidebar.filter(has_text=re.compile(f"^{view}$")).click(),
                settled(page, marker)))
            if visit == "warm":
                figures[f"view {view}"] = seconds
    figures["blip click -> detail"] = timed(lambda: (page.locator(BLIPS).first.click(force=True),
                                                      settled(page, "text=Why now:")))
    page.goto(f"{base}/?view=Radar")
    settled(page, BLIPS)
    legend = page.locator("div[role='radiogroup'] label").filter(has_text=re.compile(r"^\d+\. "))
    figures["legend name -> detail"] = timed(lambda: (legend.nth(2).click(),
                                                       settled(page, "text=Why now:")))
    page.get_by_label("Rationale (required)").fill("browser bench")
    figures["decision saved and shown"] = timed(lambda: (
        page.get_by_role("button", name="Record decision").click(),
        settled(page, "text=Recorded:")))
    page.close()
    return figures


def baseline_of(figure: str) -> str:
    if figure.startswith(("first paint", "radar reload")):
        return "first paint"
    return "view" if figure.startswith("view") else "click"


def bar_of(figure: str, *, busy: bool) -> float:
    if busy:
        return BARS["busy"]
    if figure.startswith("decision"):
        return BARS["decision"]
    return BARS[baseline_of(figure)] if figure != "radar reload" else BARS["view"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="radar-bench-app-"))
    db = work / "radar.db"
    if len(sys.argv) > 1:
        shutil.copy(sys.argv[1], db)
    else:
        build(db)
    bare = work / "bare.py"
    bare.write_text(BARE_APP, encoding="utf-8")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    results: dict[str, tuple[dict, dict, tuple]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        context = browser.new_context(viewport={"width": 1400, "height": 1600})
        bare_port, app_port = free_port(), free_port()
        never_seen = {"bare": first_visit(context, str(bare), db, bare_port, "text=Bare app"),
                      "radar": first_visit(context, APP, db, app_port, BLIPS)}
        for mode in ("quiet", "busy"):
            load = os.getloadavg()
            with server(str(bare), db, bare_port) as base:   # restarted
                baseline = bare_figures(context, base)
            with server(APP, db, app_port) as base:          # restarted
                if mode == "quiet":
                    figures = radar_figures(context, base, first_paint=True)
                else:
                    radar_figures(context, base, first_paint=False)   # warm the server
                    with busy(db):
                        load = os.getloadavg()
                        figures = radar_figures(context, base, first_paint=False)
            results[mode] = (figures, baseline, load)
        browser.close()
    print(f"first paint in a browser that never saw the app: radar {never_seen['radar']:.2f} s,"
          f" bare app {never_seen['bare']:.2f} s")
    for mode, (figures, baseline, load) in results.items():
        print(f"\n{mode}: load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores)")
        print(f"{'figure':32}{'seconds':>9}{'bare app':>10}{'ratio':>8}{'bar':>7}")
        for name, seconds in figures.items():
            floor = baseline[baseline_of(name)]
            bar = bar_of(name, busy=mode == "busy")
            print(f"{name:32}{seconds:9.2f}{floor:10.2f}{seconds / floor:8.1f}{bar:7.1f}"
                  f"{'' if seconds <= bar else '  over'}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
