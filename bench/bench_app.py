"""Benchmark: the app over the full corpus analysed in its densest week (~300 trends,
44k articles), server side and in the browser. Prints first paint, blip click -> detail
and tag times (targets: paint <= 2 s warm, click <= 1 s, tag <= 1 s); the ratio compares
a cold render (caches empty: every read goes to SQLite, the naive way) with a warm one.

    .venv/bin/python -m bench.bench_app
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from bench._common import CORPUS
from radar.archive import ImportReport, read_archive
from radar.config import Settings
from radar.dedup import update_duplicate_groups
from radar.engine.analyze import analyze
from radar.store import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def build(path: Path) -> tuple[int, int]:
    store = Store(path)
    store.save_articles(read_archive(CORPUS, ImportReport()))
    update_duplicate_groups(store)
    analyze(store, Settings(), as_of=datetime(2026, 2, 12, 23, 59, tzinfo=UTC))
    trends, articles = len(store.load_trends()), store.count_articles()
    store.close()
    return trends, articles


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def server_side(db: Path) -> None:
    os.environ["RADAR_DB"] = str(db)
    cold = []
    for _ in range(3):
        st.cache_data.clear()
        cold.append(timed(lambda: AppTest.from_file(APP, default_timeout=120).run()))
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    warm = [timed(app.run) for _ in range(5)]
    trend_id = sqlite3.connect(db).execute(
        "select id from trends order by score desc limit 1").fetchone()[0]
    tags = []
    for n in range(3):
        app = AppTest.from_file(APP, default_timeout=120)
        app.query_params["trend"] = trend_id
        app.run()
        app.text_area(key=f"note-{trend_id}").input(f"bench {n}")
        submit = next(b for b in app.button if b.label == "Record decision")
        tags.append(timed(lambda submit=submit: submit.click().run()))
    print(f"AppTest radar page, cold (caches empty) median {statistics.median(cold):.2f}s")
    print(f"AppTest radar page, warm                median {statistics.median(warm):.2f}s")
    print(f"AppTest tag action (submit + rerun)     median {statistics.median(tags):.2f}s")
    print(f"cold / warm render: {statistics.median(cold) / statistics.median(warm):.1f}x")


def in_browser(db: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    chromium = shutil.which("chromium")
    if not chromium:
        print("browser: skipped (no chromium)")
        return
    with socket.socket() as probe:   # a free port: never a stale server's
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", APP, "--server.port", str(port),
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
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}")
            points = page.locator(".js-plotly-plot .scatterlayer path.point")
            expect(points.first).to_be_visible(timeout=120_000)
            render = time.perf_counter() - started
            count = points.count()
            started = time.perf_counter()  # again, with the server warm: a returning user
            page.reload()
            expect(points.first).to_be_visible(timeout=120_000)
            reload = time.perf_counter() - started
            started = time.perf_counter()
            points.first.click(force=True)
            expect(page.get_by_text("Why now:")).to_be_visible(timeout=60_000)
            detail = time.perf_counter() - started
            page.get_by_label("Rationale (required)").fill("browser bench")
            started = time.perf_counter()
            page.get_by_role("button", name="Record decision").click()
            expect(page.get_by_text("Recorded:")).to_be_visible(timeout=60_000)
            tag = time.perf_counter() - started
            browser.close()
        print(f"browser: first radar paint {render:.2f}s on a fresh server, "
              f"{reload:.2f}s on a warm one ({count} blips); blip click -> detail "
              f"{detail:.2f}s; tag action {tag:.2f}s")
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="radar-bench-app-"))
    trends, articles = build(work / "radar.db")
    print(f"database: {trends} trends listed, {articles} articles")
    server_side(work / "radar.db")
    in_browser(work / "radar.db")


if __name__ == "__main__":
    main()
