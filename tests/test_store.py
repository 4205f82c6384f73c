"""Store tests on real SQLite files: schema, WAL, atomic per-feed writes, kill mid-run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from radar.errors import StoreError
from radar.models import Article, Feed, FeedState, FetchOutcome
from radar.store import Store

from .conftest import fixture_bytes, write_feeds

ROOT = Path(__file__).resolve().parents[1]


def article(n: int, *, link: str | None = None) -> Article:
    url = link or f"https://news.example.test/{n}"
    return Article(id=f"id-{n}", source="Wire", site="news.example.test", category="news",
                   title=f"Story {n}", link=url, canonical_link=url, summary="",
                   published="2031-03-01T00:00:00Z", published_flag="",
                   fetched_at="2031-03-01T01:00:00Z")


def test_schema_is_idempotent_and_in_wal_mode(db_path: Path) -> None:
    Store(db_path).close()
    store = Store(db_path)  # reopening an existing file changes nothing
    assert store.db.journal_mode == "wal"
    assert {"feeds", "articles", "fetch_log"} <= set(store.db.table_names())
    store.close()


def test_missing_columns_are_added_to_an_older_database(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("create table articles (id text primary key, title text)")
    conn.execute("insert into articles values ('old', 'kept')")
    conn.commit()
    conn.close()
    store = Store(db_path)
    assert "canonical_link" in store.db["articles"].columns_dict
    assert store.db.execute("select title from articles").fetchall() == [("kept",)]
    store.close()


def test_unusable_database_is_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"not-a-db\.db: cannot open database"):
        Store(bad)


def test_same_id_or_same_canonical_link_is_stored_once(store: Store) -> None:
    assert store.save_articles([article(1), article(2)]) == 2
    assert store.save_articles([article(1)]) == 0
    other_id_same_link = Article(**{**article(3).__dict__, "link": article(1).link,
                                    "canonical_link": article(1).canonical_link})
    assert store.save_articles([other_id_same_link]) == 0
    assert store.count_articles() == 2


def test_a_failed_feed_write_leaves_nothing_half_written(store: Store) -> None:
    feed = Feed(name="Wire", url="https://news.example.test/rss", category="news")
    broken = Article(**{**article(2).__dict__, "title": object()})  # sqlite cannot bind this
    outcome = FetchOutcome(feed=feed, outcome="ok", fetched_at="2031-03-01T01:00:00Z",
                           state=FeedState(etag='"new"'), articles=(article(1), broken))
    with pytest.raises(sqlite3.Error):
        store.save_fetch(outcome)
    assert store.count_articles() == 0
    assert store.load_feed_states().get("Wire", FeedState()).etag is None


def test_reader_sees_data_while_a_writer_holds_a_transaction(db_path: Path) -> None:
    writer = Store(db_path)
    writer.save_articles([article(1)])
    with writer.db.atomic():
        writer.db["articles"].insert(article(2).__dict__)
        reader = Store(db_path)  # WAL: readers are not blocked by the open write
        assert reader.count_articles() == 1
        reader.close()
    assert writer.count_articles() == 2
    writer.close()


KILLER = textwrap.dedent("""
    import os, signal, sys
    from radar import cli, store

    original = store.Store._insert_articles
    def insert_then_die(self, articles):
        articles = list(articles)
        if articles and articles[0].source == "victim":
            original(self, articles[:1])        # half of this feed is written ...
            os.kill(os.getpid(), signal.SIGKILL)  # ... when the process is killed
        return original(self, articles)
    store.Store._insert_articles = insert_then_die
    sys.argv = ["radar", "collect", "--quiet", "--per-host-delay", "0", "--concurrency", "1"]
    cli.cli()
""")


def run_collect(cwd: Path, script: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "RADAR_DB": str(cwd / "radar.db"),
           "RADAR_FEEDS": str(cwd / "feeds.yaml")}
    command = ([sys.executable, "-c", script] if script
               else [sys.executable, "-m", "radar", "collect", "--quiet", "--per-host-delay", "0"])
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=60)


def test_kill_mid_feed_loses_and_duplicates_nothing(feed_server: HTTPServer,
                                                    tmp_path: Path) -> None:
    for path, fixture in (("/first", "rss20.xml"), ("/victim", "atom.xml"),
                          ("/last", "rss10.rdf")):
        feed_server.expect_request(path).respond_with_data(
            fixture_bytes(fixture), content_type="application/xml", headers={"ETag": '"1"'})
    write_feeds(tmp_path / "feeds.yaml", [
        {"name": name, "url": feed_server.url_for(f"/{name}"), "category": "news"}
        for name in ("first", "victim", "last")])

    killed = run_collect(tmp_path, KILLER)
    assert killed.returncode == -signal.SIGKILL

    store = Store(tmp_path / "radar.db")
    per_source = dict(store.db.execute("select source, count(*) from articles group by source"))
    assert per_source.get("victim", 0) == 0  # its transaction was rolled back whole
    assert store.load_feed_states().get("victim", FeedState()).etag is None
    store.close()

    rerun = run_collect(tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    store = Store(tmp_path / "radar.db")
    per_source = dict(store.db.execute("select source, count(*) from articles group by source"))
    assert per_source == {"first": 3, "victim": 2, "last": 2}
    assert store.db.execute("select count(distinct canonical_link) from articles").fetchone() \
        == (7,)
    store.close()


def wait_for_fetch_log(path: Path, *, rows: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with sqlite3.connect(path) as conn:
                if conn.execute("select count(*) from fetch_log").fetchone()[0] >= rows:
                    return True
        except sqlite3.OperationalError:  # not created yet
            pass
        time.sleep(0.1)
    return False


def test_sigkill_of_a_running_collect_is_recovered(feed_server: HTTPServer,
                                                   tmp_path: Path) -> None:
    """A real `radar collect` killed while one feed is still downloading."""

    released = threading.Event()

    def stalled(request: Request) -> Response:
        released.wait(timeout=30)
        return Response(fixture_bytes("atom.xml"), content_type="application/xml")

    feed_server.expect_request("/quick").respond_with_data(
        fixture_bytes("rss20.xml"), content_type="application/xml")
    feed_server.expect_request("/stalled").respond_with_handler(stalled)
    # Two host names for one server, so per-host politeness does not queue one behind the other.
    write_feeds(tmp_path / "feeds.yaml", [
        {"name": "quick", "url": feed_server.url_for("/quick"), "category": "news"},
        {"name": "stalled", "url": feed_server.url_for("/stalled").replace(
            "127.0.0.1", "localhost"), "category": "news"}])
    env = {**os.environ, "RADAR_DB": str(tmp_path / "radar.db"),
           "RADAR_FEEDS": str(tmp_path / "feeds.yaml")}
    process = subprocess.Popen(
        [sys.executable, "-m", "radar", "collect", "--quiet", "--per-host-delay", "0",
         "--timeout", "60"], cwd=tmp_path, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for_fetch_log(tmp_path / "radar.db", rows=1, seconds=20)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=10)
        released.set()
    store = Store(tmp_path / "radar.db")
    assert dict(store.db.execute("select source, count(*) from articles group by source")) \
        == {"quick": 3}
    store.close()

    feed_server.clear()
    feed_server.expect_request("/quick").respond_with_data(
        fixture_bytes("rss20.xml"), content_type="application/xml")
    feed_server.expect_request("/stalled").respond_with_data(
        fixture_bytes("atom.xml"), content_type="application/xml")
    assert run_collect(tmp_path).returncode == 0
    store = Store(tmp_path / "radar.db")
    assert dict(store.db.execute("select source, count(*) from articles group by source")) \
        == {"quick": 3, "stalled": 2}
    store.close()


def test_search_survives_fts_syntax_and_finds_trends(store: Store) -> None:
    from radar.models import Identity

    from .synthetic import default_topics, make_corpus

    articles = make_corpus(default_topics(30), noise=10, days=30)
    store.save_articles([*articles, Article(**{**article(99).__dict__,
                                               "title": "New C++ zero-day in compilers"})])
    from radar.models import Finding

    trend = Finding(id="T1", label="C++ compilers", keywords=("c++",), entities=(), terms={},
                  quadrant="Q", quadrant_reason="", suggested_ring="hold", status="steady",
                  score=0.0, article_count=1, story_count=1, source_count=1,
                  first_seen="", last_seen="", weekly_counts=(), why="",
                  members=frozenset({"id-99"}))
    store.save_analysis([trend], Identity(ids=["T1"]), as_of="2031-03-01T00:00:00Z",
                        window_days=90, stories=1, seconds=0.1)
    for query in ("C++ zero-day", 'unbalanced "quote', "NOT OR AND", "zero-day", "*", ""):
        store.search_trend_ids(query)  # never raises
    assert store.search_trend_ids("C++ zero-day") == {"T1"}
    assert store.search_trend_ids("compilers") == {"T1"}
    assert store.search_trend_ids("glimmerfox") == set()
    assert store.search_trend_ids("%") == set() == store.search_trend_ids("_")  # literal


def test_search_ranks_trends_by_how_much_of_them_is_about_it(store: Store) -> None:
    from radar.models import Finding, Identity

    titles = {"a": "Ivanti gateway flaw exploited", "b": "Ivanti patches gateway",
              "c": "Ransomware hits hospital", "d": "Ransomware on Ivanti gear"}
    store.save_articles([Article(**{**article(n).__dict__, "id": key, "title": title,
                                    "link": f"https://x.test/{key}",
                                    "canonical_link": f"https://x.test/{key}"})
                         for n, (key, title) in enumerate(titles.items())])

    def finding(trend_id: str, label: str, members: set[str]) -> Finding:
        return Finding(id=trend_id, label=label, keywords=(label,), entities=(), terms={},
                       quadrant="Q", quadrant_reason="", suggested_ring="hold",
                       status="steady", score=0.0, article_count=len(members),
                       story_count=len(members), source_count=1, first_seen="", last_seen="",
                       weekly_counts=(), why="", members=frozenset(members))

    store.save_analysis([finding("T1", "Ivanti", {"a", "b"}),
                         finding("T2", "Hospital ransomware", {"c", "d"})],
                        Identity(ids=["T1", "T2"]), as_of="2031-03-01T00:00:00Z",
                        window_days=90, stories=4, seconds=0.1)
    ranked = store.search_trends("ivanti")
    assert sorted(ranked, key=ranked.get, reverse=True) == ["T1", "T2"]
    assert ranked["T1"] == 3 + 2 + 1.0 and ranked["T2"] == 0.5  # name, terms, articles
    version = store.data_version()
    store.record_decision("T1", "hold", note="n", author="a", at="2031-03-02T00:00:00Z")
    assert store.data_version() != version


def test_articles_saved_in_bulk_are_indexed_and_the_trigger_comes_back(store: Store) -> None:
    fts = ("select a.id from articles_fts f join articles a on a.rowid = f.rowid"
           " where articles_fts match ? order by a.id")
    trigger = "select sql from sqlite_master where name = 'articles_ai'"
    before = store.db.execute(trigger).fetchone()
    assert store.save_articles([article(n) for n in range(5)], batch_size=2) == 5
    assert store.save_articles([article(n) for n in range(7)], batch_size=4) == 2
    assert [r[0] for r in store.db.execute(fts, ["story"])] == [f"id-{n}" for n in range(7)]
    assert store.db.execute(trigger).fetchone() == before  # collected articles index as before
    store.save_fetch(FetchOutcome(feed=Feed(name="Wire", url="https://w.test/f", category="news"),
                                  outcome="ok", status=200, fetched_at="2031-03-01T01:00:00Z",
                                  articles=(Article(**{**article(8).__dict__,
                                                       "title": "Glimmerfox returns"}),),
                                  state=FeedState()))
    assert [r[0] for r in store.db.execute(fts, ["glimmerfox"])] == ["id-8"]


def test_an_older_database_gets_the_current_fts_trigger(db_path: Path) -> None:
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.executescript('DROP TRIGGER "articles_au";'
                       'CREATE TRIGGER "articles_au" AFTER UPDATE ON "articles" BEGIN'
                       " SELECT 1; END; PRAGMA user_version = 4;")
    conn.close()
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    sql = conn.execute("select sql from sqlite_master where name = 'articles_au'").fetchone()[0]
    conn.close()
    assert 'AFTER UPDATE OF "title", "summary"' in sql


TAGGER = textwrap.dedent("""
    import sys
    from radar.store import Store
    path, trend_id, who = sys.argv[1:4]
    store = Store(path)
    for n in range(100):
        ring = ("adopt", "assess", "hold")[n % 3]
        store.record_decision(trend_id, ring, note=f"{who} {n}", author=who,
                              at=f"2031-04-01T00:00:{n:02d}Z")
    store.close()
""")
ANALYSER = textwrap.dedent("""
    import sys
    from datetime import UTC, datetime, timedelta
    from radar.config import Settings
    from radar.engine.analyze import analyze
    from radar.store import Store
    store = Store(sys.argv[1])
    for n in range(4):
        analyze(store, Settings(), as_of=datetime(2031, 3, 28 + n, 23, 59, tzinfo=UTC))
    store.close()
""")


def test_two_editors_and_an_analysis_at_once_lose_nothing(tmp_path: Path) -> None:
    """Two processes tag the same trend 100 times each while a third re-analyses: 200
    decisions, each process's in its own order, none lost, no error."""
    from datetime import UTC, datetime

    from radar.config import Settings
    from radar.engine.analyze import analyze

    from .synthetic import default_topics, make_corpus

    path = tmp_path / "radar.db"
    store = Store(path)
    store.save_articles(make_corpus(default_topics(90), noise=300, days=90))
    analyze(store, Settings(), as_of=datetime(2031, 3, 27, 23, 59, tzinfo=UTC))
    trend_id = store.load_trends()[0].id
    store.close()
    processes = [subprocess.Popen([sys.executable, "-c", TAGGER, str(path), trend_id, who],
                                  stderr=subprocess.PIPE, text=True) for who in ("ana", "ben")]
    processes.append(subprocess.Popen([sys.executable, "-c", ANALYSER, str(path)],
                                      stderr=subprocess.PIPE, text=True))
    for process in processes:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
    store = Store(path)
    rows = list(store.db.execute("select note, ring from decisions where trend_id = ?"
                                 " order by id", [trend_id]))
    assert len(rows) == 200
    for who in ("ana", "ben"):
        assert [int(note.split()[1]) for note, _ in rows if note.startswith(who)] == \
            list(range(100))
    assert store.current_rings()[trend_id] == rows[-1][1]      # everyone sees the latest
    assert store.db.execute("select count(*) from analyses").fetchone() == (5,)
    store.close()


def test_backup_while_a_collect_writes_is_consistent(tmp_path: Path) -> None:
    writer = Store(tmp_path / "radar.db")
    writer.save_articles([article(n) for n in range(200)])
    stop = threading.Event()

    def keep_writing() -> None:
        busy = Store(tmp_path / "radar.db")
        n = 1000
        while not stop.is_set():
            busy.save_articles([article(n + i) for i in range(50)])
            n += 50
        busy.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        time.sleep(0.2)
        writer.backup(tmp_path / "copy.db")
    finally:
        stop.set()
        thread.join(timeout=30)
    writer.close()
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("pragma integrity_check").fetchone() == ("ok",)
        articles = copy.execute("select count(*) from articles").fetchone()[0]
        indexed = copy.execute("select count(*) from articles_fts").fetchone()[0]
    assert articles >= 200 and articles % 50 == 0 and indexed == articles  # whole batches
