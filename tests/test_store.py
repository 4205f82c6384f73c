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
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from radar.errors import StoreError
from radar.models import Article, Feed, FeedState, FetchOutcome
from radar.store import Store

from .conftest import fixture_bytes, write_feeds
from .records import identity_of, make_finding

RAN_AT = datetime(2031, 3, 2, tzinfo=UTC)   # when the analyses below ran

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
    from .synthetic import default_topics, make_corpus

    articles = make_corpus(default_topics(30), noise=10, days=30)
    store.save_articles([*articles, Article(**{**article(99).__dict__,
                                               "title": "New C++ zero-day in compilers"})])
    trend = make_finding("T1", label="C++ compilers", keywords=("c++",),
                         members=frozenset({"id-99"}))
    store.save_analysis([trend], identity_of(trend), as_of="2031-03-01T00:00:00Z",
                        window_days=90, stories=1, seconds=0.1, ran_at=RAN_AT)

    def found(query: str) -> set[str]:
        return {hit.trend_id for hit in store.load_search_hits(query)}

    for query in ('unbalanced "quote', "NOT OR AND", "*", ""):
        assert found(query) == set()  # never raises
    assert found("C++ zero-day") == {"T1"} == found("zero-day")    # its one article
    assert found("compilers") == {"T1"}
    assert found("glimmerfox") == set()     # in other articles, in no trend
    assert found("%") == set() == found("_")  # literal


def test_an_analysis_is_saved_replayed_as_the_policy_says(store: Store) -> None:
    from datetime import UTC, datetime

    found = make_finding("T1", status="emerging")
    for ran_at in ("2031-03-01T06:00:00Z", "2031-03-10T00:00:00Z"):   # that day, 9 days on
        store.save_analysis([found], identity_of(found), as_of="2031-03-01T00:00:00Z",
                            window_days=7, stories=1, seconds=0.1,
                            ran_at=datetime.fromisoformat(ran_at).astimezone(UTC))
    store.save_analysis([found], identity_of(found), as_of="2031-03-01T00:00:00Z",
                        window_days=7, stories=1, seconds=0.1, replayed=True,
                        ran_at=datetime(2031, 3, 1, 6, tzinfo=UTC))      # a backtest
    assert store.db.execute("select ran_at, replayed from analyses order by id").fetchall() \
        == [("2031-03-01T06:00:00Z", 0), ("2031-03-10T00:00:00Z", 1), ("2031-03-01T06:00:00Z", 1)]
    assert sorted(replayed for *_, replayed in store.load_flags()) == [False, True, True]


def test_flags_of_the_last_days_and_of_the_latest_analysis(store: Store) -> None:
    days = {"2031-03-01": ["A", "B"], "2031-03-10": ["B"], "2031-03-20": ["C"]}
    for day, ids in days.items():
        found = [make_finding(i, status="rising") for i in ids]
        store.save_analysis(found, identity_of(*found), as_of=f"{day}T23:59:59Z",
                            window_days=7, stories=1, seconds=0.1, ran_at=RAN_AT)
    now = "2031-03-21T23:59:59Z"
    assert store.flagged_before(now) == {"C"}
    assert store.flagged_lately(now, days=14) == {"B", "C"}     # A was 20 days ago
    assert store.flagged_lately("2031-03-20T23:59:59Z", days=30) == {"A", "B"}   # before


def test_newly_flagged_counts_the_flags_each_analysis_raised(store: Store) -> None:
    days = {"2031-03-01": ["A"], "2031-03-14": ["A"], "2031-03-15": ["A", "B"],
            "2031-03-16": ["B", "C", "D"], "2031-03-17": [], "2031-03-18": ["A"]}
    for day, ids in days.items():
        found = [make_finding(i, status="rising") for i in ids]
        store.save_analysis(found, identity_of(*found), as_of=f"{day}T23:59:59Z",
                            window_days=7, stories=1, seconds=0.1, ran_at=RAN_AT)

    def newly(as_of: str, days: int) -> int:
        return store.newly_flagged(as_of, days=days, within=7)

    # The 16th raised C and D, the 18th A again (not flagged the day before); the 15th's
    # B is exactly 4 days before, outside.
    assert newly("2031-03-19T23:59:59Z", 4) == 3
    assert newly("2031-03-19T23:59:59Z", 1) == 0                 # none that day
    assert newly("2031-03-19T06:00:00Z", 1) == 1                 # the 18th's A
    # The 14th's A came 13 days after the analysis before: nothing to compare with. So
    # is the first analysis's.
    assert newly("2031-03-18T23:59:59Z", 7) == 3                 # B, C, D
    assert newly("2031-03-02T00:00:00Z", 7) == 0
    history = store.flag_history("2031-03-19T23:59:59Z", lately_days=2, week_days=4)
    assert (history.before, history.lately, history.new_week, history.new_day,
            history.since_days) == ({"A"}, {"A"}, 3, 0, 1.0)
    assert store.flag_history("2031-03-01T00:00:00Z", lately_days=2,
                              week_days=4).since_days is None    # no analysis before


def test_search_finds_what_ranking_needs(store: Store) -> None:
    from radar.models import SearchHit

    titles = {"a": "Ivanti gateway flaw exploited", "b": "Ivanti patches gateway",
              "c": "Ransomware hits hospital", "d": "Ransomware on Ivanti gear"}
    store.save_articles([Article(**{**article(n).__dict__, "id": key, "title": title,
                                    "link": f"https://x.test/{key}",
                                    "canonical_link": f"https://x.test/{key}"})
                         for n, (key, title) in enumerate(titles.items())])
    found = [make_finding("T1", label="Ivanti", keywords=("Ivanti",),
                          members=frozenset({"a", "b"})),
             make_finding("T2", label="Hospital ransomware", keywords=("Hospital ransomware",),
                          members=frozenset({"c", "d"}))]
    store.save_analysis(found, identity_of(*found), as_of="2031-03-01T00:00:00Z",
                        window_days=90, stories=4, seconds=0.1, ran_at=RAN_AT)
    assert store.load_search_hits("ivanti") == [       # name, terms, articles matching
        SearchHit("T1", in_name=True, in_terms=True, matching=2, members=2),
        SearchHit("T2", in_name=False, in_terms=False, matching=1, members=2)]
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
    stop, writing = threading.Event(), threading.Event()

    def keep_writing() -> None:
        busy = Store(tmp_path / "radar.db")
        n = 1000
        while not stop.is_set():
            busy.save_articles([article(n + i) for i in range(50)])
            n += 50
            writing.set()
        busy.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        assert writing.wait(timeout=30)        # the backup starts while batches go in
        writer.backup(tmp_path / "copy.db")
    finally:
        stop.set()
        thread.join(timeout=30)
    writer.close()
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("pragma integrity_check").fetchone() == ("ok",)
        articles = copy.execute("select count(*) from articles").fetchone()[0]
        indexed = copy.execute("select count(*) from articles_fts").fetchone()[0]
    assert articles >= 250 and articles % 50 == 0 and indexed == articles  # whole batches


def test_watchlists_and_deliveries_survive_reopening(db_path) -> None:
    from radar.errors import NotFoundError
    from radar.models import Watchlist

    store = Store(db_path)
    store.save_watchlist(Watchlist("pq", ("PQC",)), author="a", at="2031-03-01T00:00:00Z")
    store.save_watchlist(Watchlist("pq", ("PQC", "ML-KEM")), author="a",
                         at="2031-03-02T00:00:00Z")
    store.record_delivery("soc", shown="soc", kind="alerts", title="t", keys=["k1", "k2"],
                          ok=True, error="", at="2031-03-02T00:00:00Z")
    store.record_delivery("soc", shown="soc", kind="alerts", title="t", keys=["k3"],
                          ok=False, error="refused", at="2031-03-02T00:01:00Z")
    store.close()
    store = Store(db_path)   # a restart
    assert store.load_watchlists() == [Watchlist("pq", ("PQC", "ML-KEM"))]
    assert store.delivered_keys("soc") == {"k1", "k2"} and store.delivered_keys("x") == set()
    assert [(d["ok"], d["error"]) for d in store.load_deliveries()] == [(False, "refused"),
                                                                        (True, "")]
    store.remove_watchlist("pq")
    with pytest.raises(NotFoundError, match="no watchlist named 'pq'"):
        store.remove_watchlist("pq")
    store.close()


def test_the_database_its_wal_and_backups_are_readable_by_their_owner_only(
        tmp_path: Path) -> None:
    path = tmp_path / "new" / "radar.db"
    store = Store(path)
    store.sync_feeds([Feed(name="f", url="https://a.example/feed", category="news")])
    files = {p.name: p.stat().st_mode & 0o777 for p in path.parent.iterdir()}
    store.backup(tmp_path / "copies" / "backup.db")
    store.close()
    assert files == {"radar.db": 0o600, "radar.db-wal": 0o600, "radar.db-shm": 0o600}
    assert (tmp_path / "copies" / "backup.db").stat().st_mode & 0o777 == 0o600


def test_a_backup_into_an_unwritable_place_names_the_destination(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    store = Store(tmp_path / "radar.db")
    with pytest.raises(StoreError, match=f"^{blocker}/backup.db: cannot write the backup "
                                         f"there \\({blocker}: File exists\\)"):
        store.backup(blocker / "backup.db")
    store.close()


def as_another_user(args: list[str]) -> subprocess.CompletedProcess:
    """Run `args` as an unprivileged user: root may write anywhere, so a read-only folder
    is only read-only for someone else."""
    prefix = (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
              if os.geteuid() == 0 else [])
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
           "PYTHONDONTWRITEBYTECODE": "1", "HOME": "/tmp"}
    return subprocess.run([*prefix, *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def test_reading_commands_work_on_a_read_only_database_folder() -> None:
    import shutil
    import tempfile
    folder = Path(tempfile.mkdtemp(prefix="radar-ro-"))   # under /tmp: reachable by others
    try:
        from datetime import UTC, datetime

        from radar.config import Settings
        from radar.engine.analyze import analyze

        from .synthetic import default_topics, make_corpus
        store = Store(folder / "radar.db")
        store.save_articles(make_corpus(default_topics(90), noise=100, days=90))
        analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))
        store.close()
        (folder / "radar.db").chmod(0o644)
        folder.chmod(0o555)
        assert not any(p.name.endswith(("-wal", "-shm")) for p in folder.iterdir())
        db = str(folder / "radar.db")
        trends = as_another_user([sys.executable, "-m", "radar", "trends", "--db", db])
        assert trends.returncode == 0, trends.stderr
        assert len(trends.stdout.splitlines()) > 3     # a table of trends
        write = as_another_user([sys.executable, "-m", "radar", "roadmap", "add", "X",
                                 "--db", db])
        assert write.returncode == 1
        assert write.stderr.strip() == (f"Error: {db} is read-only (the file or its folder): "
                                        "nothing was changed")
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)
