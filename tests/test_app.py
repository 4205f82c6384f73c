"""The real Streamlit app, driven by streamlit.testing.v1.AppTest over real SQLite files."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from radar.config import Settings
from radar.engine.analyze import analyze
from radar.org import make_initiative
from radar.share.formats import FORMATS
from radar.store import Store
from radar.text import md_escape, now_iso

from .conftest import FIXTURES, fixture_bytes, write_feeds
from .paged import wordpress
from .synthetic import default_topics, make_corpus

APP = str(Path(__file__).resolve().parents[1] / "app.py")
AS_OF = datetime(2031, 3, 31, 23, 59, tzinfo=UTC)


@pytest.fixture
def radar_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database with the synthetic corpus, analysed; RADAR_DB points at it."""
    path = tmp_path / "radar.db"
    store = Store(path)
    store.save_articles(make_corpus(default_topics(90), noise=300, days=90))
    analyze(store, Settings(), as_of=AS_OF)
    store.close()
    monkeypatch.setenv("RADAR_DB", str(path))
    monkeypatch.setenv("RADAR_FEEDS", str(Path(APP).parent / "feeds.yaml"))
    return path


def top_trend(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("select id from trends order by score desc, id limit 1").fetchone()[0]


def run_app(**query) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        app.query_params[name] = value
    return app.run()


def radar_chart(app: AppTest):
    """The radar's chart element (the component that reports clicks)."""
    return next(e for e in app.main
                if e.type == "bidi_component" and e.proto.id.endswith("-radar_chart"))


def click_blip(app: AppTest, trend_id: str) -> AppTest:
    """What the browser sends when a blip is clicked: the chart's click, for one run.
    AppTest has no driver for components, so the widget state is the one the page sends."""
    states = app._tree.get_widget_states()
    states.widgets.append(WidgetState(
        id=_make_trigger_id(radar_chart(app).proto.id, "events"),
        json_trigger_value=json.dumps([{"event": "clicked", "value": trend_id}])))
    return app._run(states)


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def test_empty_database_explains_what_to_run(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RADAR_DB", str(tmp_path / "fresh.db"))
    app = run_app()
    assert not app.exception
    assert "No articles yet" in app.info[0].value
    assert button(app, "Collect now")


def test_radar_renders_and_a_click_opens_the_detail(radar_db: Path) -> None:
    app = run_app()
    assert not app.exception
    chart = json.loads(radar_chart(app).proto.json)
    assert chart["clickable"] and chart["svg"].count('class="blip"') >= 3
    trend_id = top_trend(radar_db)
    app = click_blip(app, trend_id)
    assert app.query_params["trend"] == [trend_id] or app.query_params["trend"] == trend_id
    assert "Glimmerfox" in app.subheader[0].value
    assert any("Why now" in m.value for m in app.markdown)
    assert any(t.label == "Decide" for t in app.tabs)
    # the weekly counts are shown once, as a chart
    assert [m.value for m in app.markdown if "week" in m.value.lower()] == [
        "**Stories per week**"]
    assert not any(bar in m.value for m in app.markdown for bar in "▁▂▃▄▅▆▇█")


def test_tagging_records_the_rationale_and_survives_reanalysis(radar_db: Path) -> None:
    trend_id = top_trend(radar_db)
    app = run_app(trend=trend_id)
    app.radio(key=f"ring-{trend_id}").set_value("hold")
    app.text_area(key=f"note-{trend_id}").input("We do not run Glimmerfox appliances")
    app.checkbox(key=f"internal-{trend_id}").check()
    app = button(app, "Record decision").click().run()
    assert not app.exception
    assert app.success and "→ hold" in app.success[0].value
    store = Store(radar_db)
    analyze(store, Settings(), as_of=AS_OF)
    ring = {t.id: t.ring for t in store.load_trends()}[trend_id]
    history = store.load_history(trend_id)
    store.close()
    assert ring == "hold"
    assert history[-1]["note"] == "We do not run Glimmerfox appliances"
    store = Store(radar_db)
    assert store.load_decisions()[trend_id][-1]["internal"] is True
    store.close()
    app = run_app(trend=trend_id)
    assert any("ring: hold" in c.value for c in app.caption)


def test_a_rationale_is_required(radar_db: Path) -> None:
    trend_id = top_trend(radar_db)
    app = run_app(trend=trend_id)
    app = button(app, "Record decision").click().run()
    assert app.error and "rationale is required" in app.error[0].value
    store = Store(radar_db)
    assert store.load_history(trend_id) == []
    store.close()


def test_rename_and_dismiss_from_the_app(radar_db: Path) -> None:
    trend_id = top_trend(radar_db)
    app = run_app(trend=trend_id)
    app.text_input(key=f"label-{trend_id}").input("Glimmerfox VPN exploitation")
    app = button(app, "Rename").click().run()
    assert "Renamed to Glimmerfox VPN exploitation." in app.success[0].value
    assert app.subheader[0].value == "Glimmerfox VPN exploitation"
    app = button(app, "Dismiss as noise").click().run()
    store = Store(radar_db)
    assert trend_id not in {t.id for t in store.load_trends()}
    store.close()


def test_hostile_text_is_shown_as_text(radar_db: Path) -> None:
    trend_id = top_trend(radar_db)
    store = Store(radar_db)
    store.record_edit(trend_id, "rename", '<script>alert("x")</script>[x](javascript:y)',
                      note="", author="t", at="2031-04-01T00:00:00Z")
    store.close()
    app = run_app(trend=trend_id)
    assert not app.exception
    heading = app.subheader[0].value
    assert heading == '\\<script>alert("x")\\</script>\\[x\\](javascript:y)'
    assert all(m.value.count("<") == m.value.count("\\<") for m in app.markdown)


def test_browse_filters_and_query_parameters(radar_db: Path) -> None:
    app = run_app(view="Browse", status="emerging")
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table["status"]) == ["emerging", "emerging"]
    assert sorted(table["kind"]) == ["event", "theme"]
    app.text_input[0].input("passkeys").run()
    assert app.query_params["q"] in ("passkeys", ["passkeys"])
    recent = run_app(view="Browse", days="7")
    assert {t for t in recent.dataframe[0].value["label"]} and all(
        seen >= "2031-03-24" for seen in recent.dataframe[0].value["last seen"])
    app = run_app(view="Browse", q="C++ zero-day")  # FTS syntax in a query must not crash
    assert not app.exception
    assert app.main.caption[-1].value == "0 trends — most about the search first"  # no C++
    found = run_app(view="Browse", q="glimmerfox")   # one subject: its theme and its event
    assert found.main.caption[-1].value == "2 trends — most about the search first"
    assert sorted(found.dataframe[0].value["kind"]) == ["event", "theme"]
    assert all(label.startswith("Glimmerfox VPN") for label in found.dataframe[0].value["label"])


def test_inbox_lists_undecided_emerging_trends(radar_db: Path) -> None:
    app = run_app(view="Inbox")
    assert not app.exception
    # The Glimmerfox VPN theme waits; its event is this week's event, under its theme.
    assert app.markdown[0].value == "**1 subject emerging or rising waits for a decision.**"
    assert any("This week's events" in m.value for m in app.markdown)
    assert any("theme: Glimmerfox VPN" in m.value for m in app.markdown)
    app = button(app, "Open").click().run()
    assert app.query_params["view"] in ("Radar", ["Radar"])
    assert app.subheader


def test_inbox_lists_an_event_on_its_own_when_its_theme_does_not_wait(radar_db: Path) -> None:
    with sqlite3.connect(radar_db) as conn:   # the theme calms down; its event goes on
        conn.execute("update trends set status = 'steady' where kind = 'theme'"
                     " and label = 'Glimmerfox VPN'")
    app = run_app(view="Inbox")
    assert app.markdown[0].value == "**1 subject emerging or rising waits for a decision.**"
    waiting = app.markdown[1].value
    assert "· event ·" in waiting and "Glimmerfox VPN" in waiting


def test_feeds_page_collects_now(radar_db: Path, feed_server, tmp_path, monkeypatch) -> None:
    feed_server.expect_request("/rss").respond_with_data(fixture_bytes("rss20.xml"),
                                                         content_type="application/xml")
    feeds = write_feeds(tmp_path / "feeds.yaml", [
        {"name": "Local", "url": feed_server.url_for("/rss"), "category": "news"}])
    monkeypatch.setenv("RADAR_FEEDS", str(feeds))
    app = run_app(view="Feeds")
    assert app.dataframe[0].value["status"].tolist() == ["never fetched"]
    assert app.dataframe[0].value["last success"].tolist() == ["never"]
    app = button(app, "Collect now").click().run()
    assert not app.exception
    # Every article stored is dated 2031, later than today: nothing recent to re-analyse.
    assert len(app.success) == 0 and len(app.warning) == 1
    notice = app.warning[0].value
    assert "Not re-analysed." in notice
    assert "Collected: 1 feed ok, 0 not modified, 0 failed, 0 backing off; 3 new articles" \
        in notice
    assert app.dataframe[0].value["status"].tolist() == ["ok"]


def test_a_new_radar_is_offered_history_once(radar_db: Path, feed_server, tmp_path,
                                             monkeypatch) -> None:
    feed_server.expect_request("/feed/").respond_with_handler(
        wordpress(pages=2, now=datetime.now(UTC)))
    monkeypatch.setenv("RADAR_FEEDS", str(write_feeds(tmp_path / "feeds.yaml", [
        {"name": "Blog", "url": feed_server.url_for("/feed/"), "category": "news"}])))
    app = run_app(view="Feeds")
    assert "History from day one" in app.info[0].value
    app = button(app, "Fetch 90 days of history").click().run()
    assert not app.exception
    assert len(app.warning) == 0 and len(app.success) == 1   # history of this week: analysed
    notice = app.success[0].value
    assert "History: " in notice and "from 1 feed" in notice
    assert feed_server.log[-1][0].args.get("paged") == "3"   # walked to the 404
    assert not [b for b in app.button if b.label == "Fetch 90 days of history"]
    assert app.dataframe[0].value["history from"].tolist() != ["—"]


def test_collect_now_after_an_old_import_keeps_the_radar(tmp_path, monkeypatch) -> None:
    """An archive that ends months ago: collecting now must not empty the radar."""
    path = tmp_path / "old.db"
    store = Store(path)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    store.save_articles(make_corpus(default_topics(90), noise=300, days=90, start=start))
    analyze(store, Settings(), as_of=start + timedelta(days=90))
    before = store.last_analysis()
    store.close()
    monkeypatch.setenv("RADAR_DB", str(path))
    monkeypatch.setenv("RADAR_FEEDS", str(write_feeds(tmp_path / "feeds.yaml", [
        {"name": "Down", "url": "http://127.0.0.1:9/none", "category": "news"}])))
    app = run_app(view="Feeds")
    app = button(app, "Collect now").click().run()
    assert not app.exception
    warning = app.warning[0].value
    store = Store(path)
    newest = store.newest_published(before="2100")[:10]
    store.close()
    assert "Not re-analysed" in warning and f"the newest article is from {newest}" in warning
    assert f"radar analyze --as-of {newest}" in warning
    assert "1 feed unreachable: connection refused" in warning
    store = Store(path)
    assert store.last_analysis() == before  # the radar is the one it was
    store.close()


def test_app_reads_while_the_collector_writes(radar_db: Path) -> None:
    writer = sqlite3.connect(radar_db)
    writer.execute("begin immediate")
    writer.execute("update feeds set last_error = 'busy'")
    try:
        app = run_app()
        assert not app.exception and not app.error
    finally:
        writer.rollback()
        writer.close()


def test_unreadable_database_is_an_error_message(tmp_path, monkeypatch) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database" * 50)
    monkeypatch.setenv("RADAR_DB", str(bad))
    app = run_app()
    assert not app.exception
    assert "could not read its data" in app.error[0].value


def test_choosing_in_the_list_after_a_click_sticks(radar_db: Path) -> None:
    with sqlite3.connect(radar_db) as conn:
        first, second = (row[0] for row in conn.execute(
            "select id from trends order by score desc, id limit 2"))
    app = click_blip(run_app(), first)
    assert app.query_params["trend"] in (first, [first])
    app = app.selectbox[0].set_value(second).run()
    app = app.run()  # the click is acted on once; the list choice must win
    assert app.query_params["trend"] in (second, [second])
    assert any(second in c.value for c in app.caption)


def test_a_damaged_database_is_an_error_message_not_a_traceback(radar_db: Path) -> None:
    with sqlite3.connect(radar_db) as conn:
        conn.execute("drop table trend_members")
    app = run_app(trend=top_trend(radar_db))
    assert not app.exception
    assert any("no such table: trend_members" in shown(e.value) for e in app.error)


def test_editions_freeze_diff_download_and_read_only_link(radar_db: Path) -> None:
    app = run_app(view="Editions")
    assert not app.exception and "No edition yet" in app.info[0].value
    app.text_input(key="freeze-name").input("Radar for the CIO")
    app.selectbox(key="freeze-sharing").set_value("TLP:CLEAR")
    app.text_input(key="freeze-note").input("Read this first")
    app = button(app, "Freeze this radar").click().run()
    assert not app.exception
    assert app.success and "frozen" in app.success[0].value
    assert any(c.value.startswith("First edition") for c in app.caption)  # nothing "new"
    downloads = [e for e in app.main if type(e).__name__ == "DownloadButton"]
    assert len(downloads) == len(FORMATS)
    assert {d.proto.label for d in downloads} == {f.label for f in FORMATS}
    assert not any(d.proto.disabled for d in downloads)
    assert any("QUADRANTS=" in c.value and "RINGS=" in c.value for c in app.code)  # for BYOR
    store = Store(radar_db)
    edition_id = store.list_snapshots()[0]["id"]
    store.close()
    shared = run_app(snapshot=edition_id)
    assert not shared.exception
    assert f"Read-only edition {edition_id}" in shared.warning[0].value
    assert not any("whoever opens" in c.value for c in shared.sidebar.caption)
    assert any("nothing on this page can change it" in c.value for c in shared.sidebar.caption)
    assert not [b for b in shared.button if b.label == "Record decision"]
    assert shared.subheader[0].value == "Radar for the CIO"
    assert any(m.value == "Read this first" for m in shared.markdown)  # the note, for readers
    missing = run_app(snapshot="nope")
    assert "no snapshot with id 'nope'" in missing.error[0].value


# --- the roadmap, the stack and exploited flaws -------------------------------------------


@pytest.fixture
def org_db(radar_db: Path) -> Path:
    """The analysed database with a roadmap, a stack and a KEV catalog."""
    from radar.links import update_links
    from radar.org import read_initiatives_csv, read_kev, read_stack_csv

    store = Store(radar_db)
    store.save_initiatives(read_initiatives_csv((FIXTURES / "roadmap.csv").read_text()))
    store.save_stack(read_stack_csv((FIXTURES / "stack.csv").read_text()))
    store.save_kev(read_kev((FIXTURES / "kev.json").read_text()))
    update_links(store, Settings())
    store.close()
    return radar_db


def test_roadmap_view_lists_initiatives_with_their_trends_and_confirms(org_db: Path) -> None:
    app = run_app(view="Roadmap")
    assert not app.exception
    assert [h.value for h in app.subheader][:3] == [
        "Move ITSM to ServiceNow", "Passkeys for customers", "Go services on Kubernetes"]
    rows = [m.value for m in app.markdown if "suggested" in m.value]
    assert any(r.startswith("Passkeys · theme") for r in rows)
    assert any(r.startswith("Kubernetes · theme") for r in rows)     # 'Go services on K8s'
    confirm = next(b for b in app.button if b.label == "Confirm"
                   and "passkeys-for-customers" in b.key)
    app = confirm.click().run()
    assert not app.exception and app.success[0].value == "Link confirmed."
    store = Store(org_db)
    states = [link.state for found in store.load_links().values() for link in found
              if link.target_id == "passkeys-for-customers"]
    store.close()
    assert "confirmed" in states


def test_roadmap_view_adds_an_initiative_and_refuses_a_bad_target(org_db: Path) -> None:
    app = run_app(view="Roadmap")
    app.text_input(key="init-new-name").input("Glimmerfox replacement")
    app.text_input(key="init-new-target").input("someday")
    app = next(b for b in app.button if b.label == "Save initiative"
               and "init-new" in str(b.proto.id)).click().run()
    assert "Not saved: target 'someday'" in app.error[0].value
    app.text_input(key="init-new-target").input("2031-Q4")
    app.text_input(key="init-new-keywords").input("Glimmerfox; GF-VPN")
    app = next(b for b in app.button if b.label == "Save initiative"
               and "init-new" in str(b.proto.id)).click().run()
    assert not app.exception and app.success[0].value == "Saved Glimmerfox replacement."
    assert "Glimmerfox replacement" in [h.value for h in app.subheader]


def test_stack_and_exposure_tabs(org_db: Path) -> None:
    app = run_app(view="Roadmap")
    tables = [d.value for d in app.dataframe]
    stack = next(t for t in tables if "vendor" in t.columns)      # the editable table
    assert list(stack["product"]) == ["NetScaler ADC", "GF-VPN", "Exchange Server"]
    exposure = next(t for t in tables if "CVE" in t.columns)
    assert list(exposure["CVE"]) == ["CVE-2031-1111", "CVE-2031-3333"]
    assert any("2 exploited flaws" in m.value for m in app.markdown)


def test_marking_a_flaw_patched_in_the_roadmap_view(org_db: Path) -> None:
    app = run_app(view="Roadmap")
    app.selectbox(key="kev-mark-cve").set_value("CVE-2031-3333")
    app.selectbox(key="kev-mark-state").set_value("patched")
    app = button(app, "Record the mark").click().run()
    assert app.error and "Say why" in app.error[0].value          # a reason is required
    app.selectbox(key="kev-mark-cve").set_value("CVE-2031-3333")
    app.selectbox(key="kev-mark-state").set_value("patched")
    app.text_input(key="kev-mark-note").input("CU15 installed, CHG-12")
    app = button(app, "Record the mark").click().run()
    assert not app.exception and app.success[0].value == "CVE-2031-3333 marked patched."
    exposure = next(d.value for d in app.dataframe if "required action" in d.value.columns)
    assert list(exposure["CVE"]) == ["CVE-2031-1111"]
    marks = next(d.value for d in app.dataframe if "why" in d.value.columns)
    assert list(marks["why"]) == ["CU15 installed, CHG-12"] and list(marks["who"]) == ["ciso"]
    assert any("1 exploited flaw (a CVE" in m.value and "1 closed" in m.value
               for m in app.markdown)
    results = run_app(view="Results")      # the same count, the same words
    assert not results.exception
    assert any(m.value.startswith("1 exploited flaw (a CVE") and "1 closed" in m.value
               for m in results.markdown)


def test_radar_focus_on_the_roadmap_shows_only_trends_touching_it(org_db: Path) -> None:
    app = run_app()
    app.radio(key="radar_focus").set_value("Touch our roadmap").run()
    assert not app.exception
    store = Store(org_db)
    touching = {link.trend_id for found in store.load_links().values() for link in found
                if link.kind == "initiative"}
    labels = {t.id: t.label for t in store.load_trends()}
    store.close()
    legend = {o for r in app.radio if r.key and r.key.startswith("legend-")
              for o in r.options}
    assert legend and all(any(labels[t] in option for t in touching) for option in legend)


# --- results ---------------------------------------------------------------------------------


def test_results_view_plots_the_measures_and_a_click_opens_the_trend(tmp_path,
                                                                     monkeypatch) -> None:
    from datetime import date

    from radar.engine.backtest import backtest

    path = tmp_path / "radar.db"
    store = Store(path)
    store.save_articles(make_corpus(default_topics(90), noise=300, days=90))
    backtest(store, Settings(), start=date(2031, 3, 20), end=date(2031, 3, 31), scratch=store)
    # Only the Glimmerfox burst (from the 30th) is flagged: its event on the 30th, its
    # theme on the 31st; both peak on the 30th (three stories, as on the 31st).
    ids = {t.kind: t.id for t in store.load_trends() if t.label.startswith("Glimmerfox VPN")}
    flagged = ids["event"]
    store.record_decision(flagged, "assess", note="look", author="ana",
                          at="2031-03-31T12:00:00Z")
    store.close()
    monkeypatch.setenv("RADAR_DB", str(path))
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["view"] = "Results"
    app.session_state["results_period"] = (date(2031, 1, 1), date(2031, 3, 31))
    app.run()
    assert not app.exception
    # The burst takes off on the 30th (three stories where none were usual): the event is
    # flagged that day, on its peak; the theme a day later, a day after both.
    assert app.markdown[0].value == "**" + md_escape(
        "We flagged 1 theme, on median 1 day after their coverage took off and 1 day after "
        "it peaked; 1 event, on median the day their coverage took off and the day it "
        "peaked; 1 decided, median 1 day after the first flag.") + "**"
    charts = {c.proto.id: c for c in app.get("plotly_chart")}
    figures = {key: json.loads(chart.proto.spec) for key, chart in charts.items()}
    timeline = next(f for key, f in figures.items() if "lead_timeline" in key)
    plotted = {trace["customdata"][0]: [x[:10] for x in trace["x"]] for trace in timeline["data"]}
    assert plotted == {ids["event"]: ["2031-03-30", "2031-03-30"],      # flagged, peak
                       ids["theme"]: ["2031-03-31", "2031-03-30"]}
    decisions = next(f for key, f in figures.items() if "decisions_chart" in key)
    assert [(t["name"], t["y"]) for t in decisions["data"]] == [("assess", [1])]
    backlog = next(f for key, f in figures.items() if "backlog_chart" in key)
    # A day per replayed analysis; none flagged two weeks before it: nothing waits.
    assert backlog["data"][0]["y"] == [0] * 12

    app.session_state["decisions_chart"] = {"selection": {
        "points": [{"x": "2031-03", "customdata": "assess"}], "point_indices": [0],
        "box": [], "lasso": []}}
    app.run()
    behind = [b for b in app.button if b.key == f"results-decided-0-{flagged}"]
    assert [b.label.startswith("Glimmerfox VPN") for b in behind] == [True]

    app.session_state["lead_timeline"] = {"selection": {
        "points": [{"customdata": flagged}], "point_indices": [0], "box": [], "lasso": []}}
    app.run()
    assert app.query_params["trend"] in (flagged, [flagged])
    assert app.session_state["view_choice"] == "Radar"


def test_results_view_without_history_says_what_to_do(radar_db) -> None:
    from datetime import date

    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["view"] = "Results"
    # One analysis, of March 31st: nothing was flagged in January.
    app.session_state["results_period"] = (date(2031, 1, 1), date(2031, 1, 31))
    app.run()
    assert not app.exception
    (said,) = [i.value for i in app.info if i.value.startswith("No trend was flagged")]
    assert "`radar backtest --from … --to … --keep`" in said
    assert [c for c in app.get("plotly_chart") if "lead_timeline" in c.proto.id] == []


# --- sign-in and roles ---------------------------------------------------------------------

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test",
        "client_id": "trend-radar", "client_secret": "test",
        "server_metadata_url": "http://localhost:9/.well-known/openid-configuration"}
ROLES = {"editors": ["ciso@example.com"], "viewers": ["@example.com"]}


def shown(markdown: str) -> str:
    """What a reader sees of Markdown whose data was escaped: the text without the
    backslashes (and the invisible word joiners that keep addresses from being links)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def as_person(email: str | None, name: str = "", *, verified: bool | None = True,
              roles: dict | None = None, metadata_url: str = "", **query) -> AppTest:
    """The app with sign-in configured, run for this signed-in person (None: nobody);
    `verified` is the provider's email_verified claim (None: not sent)."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets["auth"] = AUTH | ({"server_metadata_url": metadata_url} if metadata_url else {})
    app.secrets["radar"] = roles or ROLES
    claim = {} if verified is None else {"email_verified": verified}
    app.user = ({"is_logged_in": True, "email": email, "name": name or email, **claim}
                if email else {"is_logged_in": False})
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def test_nobody_signed_in_sees_only_the_sign_in_page(radar_db, feed_server) -> None:
    feed_server.expect_request("/.well-known/openid-configuration").respond_with_json(
        {"issuer": feed_server.url_for("/"), "authorization_endpoint": "/authorize"})
    app = as_person(None, metadata_url=feed_server.url_for("/.well-known/openid-configuration"))
    assert not app.exception and not app.error
    assert [b.label for b in app.button] == ["Sign in"]
    assert not app.get("bidi_component") and not app.sidebar.radio


def test_an_unreachable_provider_is_a_page_saying_what_to_check(radar_db) -> None:
    """AUTH's provider is a closed port: nobody is sent to a bare error page."""
    app = as_person(None)
    assert not app.exception
    assert "Sign-in is not available: the identity provider does not answer" in (
        app.error[0].value)
    assert md_escape(AUTH["server_metadata_url"]) in app.error[0].value
    assert any("server_metadata_url" in m.value and "secrets.toml" in m.value
               for m in app.markdown)
    assert [b.label for b in app.button] == ["Try again"]


def test_someone_in_neither_list_has_no_access(radar_db) -> None:
    app = as_person("eve@elsewhere.example")
    assert md_escape("No access for eve@elsewhere.example") in app.error[0].value
    assert [b.label for b in app.button] == ["Sign out"]


def test_a_viewer_reads_everything_and_finds_nothing_to_change(radar_db) -> None:
    trend = top_trend(radar_db)
    editing = {"Record decision", "Rename", "Merge", "Dismiss as noise", "Collect now",
               "Re-analyse", "Freeze this radar", "Save initiative", "Confirm", "Reject",
               "Save the stack", "Update the KEV catalog", "Withdraw decision"}
    for view in ("Radar", "Inbox", "Browse", "Roadmap", "Results", "Editions", "Feeds"):
        app = as_person("bob@example.com", "Bob", view=view, trend=trend)
        assert not app.exception, view
        assert not editing & {b.label for b in app.button}, view
        assert md_escape("Signed in as Bob <bob@example.com>") + " · viewer" in [
            c.value for c in app.sidebar.caption]
    assert app.dataframe  # the feed table is there to read


def test_an_editor_decides_as_who_they_are(radar_db) -> None:
    trend = top_trend(radar_db)
    app = as_person("ciso@example.com", "Ciso Name", trend=trend)
    assert not [t for t in app.text_input if t.label == "Author"]   # no typed author
    app.text_area(key=f"note-{trend}").input("Signed-in decision")
    app = next(b for b in app.button if b.label == "Record decision").click().run()
    assert not app.exception and app.success
    with sqlite3.connect(radar_db) as conn:
        assert conn.execute("select author from decisions").fetchall() == [
            ("Ciso Name <ciso@example.com>",)]


def test_single_user_mode_says_so(radar_db) -> None:
    app = run_app()
    assert any(c.value.startswith("Single-user mode") for c in app.sidebar.caption)


def refused_everywhere() -> None:
    """Every editing action of the app, called directly as a viewer (run by AppTest)."""
    import streamlit as st

    from radar.models import CONFIRMED, INITIATIVE, Link
    from radar.notify.channels import Channel
    from radar.ui import detail, editions, notify, pages, roadmap
    from radar.ui.data import open_store

    with open_store() as store:
        trend = store.load_trends()[0].id
    state = st.session_state
    state[f"ring-{trend}"], state[f"note-{trend}"] = "adopt", "viewer tries"
    state[f"label-{trend}"] = "Renamed by a viewer"
    state["init-new-name"], state["init-new-owner"] = "Viewer initiative", ""
    state["init-new-target"], state["init-new-description"] = "", ""
    state["init-new-keywords"] = "x"
    state["freeze-name"], state["freeze-note"], state["freeze-sharing"] = "x", "", "TLP:CLEAR"
    attempts = {
        "decide": lambda: detail.record_decision(trend, "T"),
        "rename": lambda: detail.edit(trend, "rename", "label"),
        "link": lambda: roadmap.judge_link(Link(trend, INITIATIVE, "x", "", 1.0), CONFIRMED),
        "initiative": lambda: roadmap.save_initiative("init-new"),
        "freeze": editions.freeze_now,
        "re-analyse": lambda: pages.perform(pages.reanalyse, pages.as_message),
        "watchlist": lambda: notify.perform(
            lambda store: notify.save_watchlist(store, "v", "x"), "saved"),
        "send test": lambda: notify.perform(
            lambda store: notify.send_test(Channel("x", "json://127.0.0.1:9/x"), store),
            notify.as_outcome),
    }
    for name, attempt in attempts.items():
        attempt()
        st.write(f"{name}: {state.pop('flash_error', 'ALLOWED')}")


def test_every_change_is_refused_to_a_viewer_where_it_is_performed(radar_db) -> None:
    app = AppTest.from_function(refused_everywhere, default_timeout=60)
    app.secrets["auth"], app.secrets["radar"] = AUTH, ROLES
    app.user = {"is_logged_in": True, "email": "bob@example.com", "name": "Bob",
                "email_verified": True}
    app.run()
    assert not app.exception
    outcomes = [shown(m.value) for m in app.markdown]
    assert len(outcomes) == 8
    assert all("bob@example.com may read the radar but not change it" in o
               for o in outcomes), outcomes
    with sqlite3.connect(radar_db) as conn:
        for table in ("decisions", "trend_edits", "initiatives", "snapshots", "link_states",
                      "watchlists", "notifications"):
            assert conn.execute(f"select count(*) from {table}").fetchone() == (0,), table
        assert conn.execute("select count(*) from analyses").fetchone() == (1,)


@pytest.fixture
def notify_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The notification tests' store (a watchlist, our stack, KEV) and a channels file."""
    from .notify_data import seed

    path = tmp_path / "radar.db"
    store = Store(path)
    seed(store)
    store.close()
    monkeypatch.setenv("RADAR_DB", str(path))
    monkeypatch.setenv("RADAR_FEEDS", str(Path(APP).parent / "feeds.yaml"))
    monkeypatch.setenv("RADAR_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("RADAR_APP_URL", "https://radar.example.com")
    return path


def test_notifications_page_tests_a_channel_edits_watchlists_previews_and_logs(
        notify_db: Path, feed_server, tmp_path) -> None:
    feed_server.expect_request("/hook", method="POST").respond_with_data("ok")
    (tmp_path / "channels.yaml").write_text(
        f"channels:\n  soc: json://127.0.0.1:{feed_server.port}/hook\n", encoding="utf-8")
    app = run_app(view="Notifications")
    assert not app.exception
    assert "json://127.0.0.1:" in [t.value for t in app.text][1]    # no path, no secrets
    assert any("Post-quantum migration" in t.value and "https://radar.example.com/?view="
               "Radar&trend=T2" in t.value for t in app.text)        # the digest preview
    app = button(app, "Send test").click().run()
    assert not app.exception and "channel soc: 1 delivered" in app.success[0].value
    assert feed_server.log[0][0].get_json()["title"] == "Trend Radar: test message"
    app.text_input[0].input("zero trust")
    app.text_area[0].input("zero trust\nZTNA")
    app = app.button(key="FormSubmitter:watch-add-Save watchlist").click().run()
    assert not app.exception and app.success
    assert any("Zero trust rollout" in c.value for c in app.caption)  # matching now
    assert app.dataframe[0].value["channel"].tolist() == ["soc"]      # the log


def test_a_bad_watchlist_pattern_is_refused_with_its_name(notify_db: Path) -> None:
    app = run_app(view="Notifications")
    app.text_input[0].input("broken")
    app.text_area[0].input("(")
    app = app.button(key="FormSubmitter:watch-add-Save watchlist").click().run()
    assert "watchlist 'broken': '(' is not a valid regular expression" in app.error[0].value


def test_a_watched_trend_is_marked_in_its_detail(notify_db: Path) -> None:
    app = run_app(trend="T2")
    assert not app.exception
    assert "**◉ On watchlists:** " + md_escape("post-quantum") in [m.value for m in app.markdown]


def test_a_watched_trend_is_marked_in_the_radar_legend(radar_db: Path) -> None:
    import re

    from radar.models import Watchlist

    app = run_app()
    names = [o for r in app.radio if r.label.startswith("**") for o in r.options]
    assert names and not any(o.endswith("◉") for o in names)
    label = names[0].split(". ", 1)[1].rstrip(" ★▲")
    store = Store(radar_db)
    store.save_watchlist(Watchlist("w", (re.escape(label),)), author="t", at="2031-03-31")
    store.close()
    app = run_app()
    marked = [o for r in app.radio if r.label.startswith("**") for o in r.options
              if o.endswith("◉")]
    assert marked and label in marked[0]


def test_a_viewer_gets_no_notifications_settings(notify_db: Path) -> None:
    app = as_person("bob@example.com", "Bob", view="Notifications")
    assert not app.exception
    assert app.info[0].value == "Notifications are set up by editors."
    assert not {"Send test", "Remove", "Save watchlist"} & {b.label for b in app.button}


TRUSTING = {**ROLES, "trust_email_without_verified_claim": True}


@pytest.mark.parametrize("verified, roles", [(False, ROLES), (None, ROLES), (False, TRUSTING)])
def test_an_unverified_address_of_an_editor_gets_no_edit_control(radar_db, verified,
                                                                 roles) -> None:
    app = as_person("ciso@example.com", "Mallory", verified=verified, roles=roles)
    assert not app.exception
    assert [e.value for e in app.error] == [
        "No access for ciso@example.com: your sign-in provider does not say this address "
        "is verified, so it cannot stand for an editor or a viewer (see README, Running it "
        "for a team)."]
    assert [b.label for b in app.button] == ["Sign out"]


def test_a_provider_without_the_claim_is_trusted_when_configured(radar_db) -> None:
    app = as_person("ciso@example.com", "Ciso", verified=None, roles=TRUSTING)
    assert not app.exception
    assert any("· editor" in c.value for c in app.sidebar.caption)


IMAGE = "![p](http://127.0.0.1:9/p.png)"
# Widgets whose values and options are shown as plain text (a text box, a drop-down list,
# a table, a chart or the radar's SVG whose text is HTML-escaped): there the raw text is
# what should appear.
PLAIN = {"text_input", "text_area", "selectbox", "dataframe", "plotly_chart", "bidi_component",
         "code"}


def markup_from_data(app: AppTest) -> list[str]:
    """Every element that renders Markdown and holds the raw (unescaped) image."""
    found, todo = [], [app._tree]
    while todo:
        node = todo.pop()
        todo.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if proto is not None and node.type not in PLAIN and IMAGE in str(proto):
            found.append(f"{node.type}: {str(proto)[:200]}")
    return found


def test_names_from_data_are_text_on_every_page(radar_db: Path) -> None:
    store = Store(radar_db)
    renamed = [row[0] for row in store.db.execute(
        "select id from trends order by score desc, id limit 12")]
    for trend_id in renamed:
        store.record_edit(trend_id, "rename", IMAGE, note="", author="t", at=now_iso())
    store.save_initiatives([make_initiative(IMAGE, keywords=[IMAGE])])
    store.close()
    pages = [run_app(), run_app(trend=renamed[0]), run_app(view="Inbox"),
             run_app(view="Browse"), run_app(view="Roadmap"), run_app(view="Results"),
             run_app(snapshot="![x](http://127.0.0.1:9/q.png)")]
    for app in pages:
        assert not app.exception
    legend = [option for node in pages[0].radio for option in node.proto.options]
    assert any(md_escape(IMAGE) in option for option in legend)   # shown, as text
    assert [markup_from_data(app) for app in pages] == [[]] * len(pages)
    assert [shown(e.value) for e in pages[-1].error] == [
        "no snapshot with id '![x](http://127.0.0.1:9/q.png)' (see `radar snapshot list`)"]


def test_an_event_without_a_theme_listed_twice_in_the_inbox(radar_db: Path) -> None:
    """An emerging event with no theme is both a subject waiting for a decision and one of
    this week's events: both rows are drawn, each with its own Open button. (Its names
    are its own: an event named inside a flagged theme's name, or whose headlines name
    it, is listed under that theme.)"""
    with sqlite3.connect(radar_db) as conn:
        event = conn.execute("select id from trends where kind = 'event' order by score desc, "
                             "id limit 1").fetchone()[0]
        conn.execute("update trends set theme_id = null, status = 'emerging', score = 99, "
                     "label = 'Quillwort relay outage', last_seen = updated_as_of, "
                     "keywords = '[\"Quillwort relay\"]' "
                     "where id = ?", (event,))
        label = conn.execute("select label from trends where id = ?", (event,)).fetchone()[0]
    app = run_app(view="Inbox")
    assert not app.exception
    rows = [m.value for m in app.markdown if m.value.startswith(f"**{md_escape(label)}**")]
    assert len(rows) == 2
    opens = [b for b in app.button if b.label == "Open"]
    assert len({b.key for b in opens}) == len(opens) >= 2
    this_week = next(b for b in opens if "this-week" in b.key and event in b.key)
    app = this_week.click().run()
    assert app.query_params["trend"] in (event, [event])


def test_a_collect_keeps_the_radars_reads_a_decision_renews_them(radar_db: Path) -> None:
    """Reads are cached on the parts of the data version they depend on: a feed fetched
    (a collect runs every few seconds) must not throw away the trends."""
    from radar.models import Feed, FeedState, FetchOutcome
    from radar.ui.data import FETCHES, JUDGED, ORG, part, version

    before = version()
    store = Store(radar_db)
    store.save_fetch(FetchOutcome(feed=Feed(name="Wire", url="https://w.test/f",
                                            category="news"),
                                  outcome="failed", status=503, fetched_at=AS_OF.isoformat(),
                                  articles=(), state=FeedState(), error="busy"))
    fetched = version()
    store.record_decision(top_trend(radar_db), "assess", note="n", author="a",
                          at=AS_OF.isoformat())
    decided = version()
    store.close()
    assert part(fetched, FETCHES) != part(before, FETCHES)
    assert part(fetched, *JUDGED) == part(before, *JUDGED)
    assert part(decided, *JUDGED) != part(fetched, *JUDGED)
    assert part(decided, ORG) == part(before, ORG)


def test_choosing_names_in_the_legend_opens_each_and_shows_it_chosen(radar_db: Path) -> None:
    from radar.config import load_settings
    from radar.picture import draw, trend_items
    from radar.selection import radar_selection

    settings = load_settings(Path(APP).parent / "feeds.yaml")
    store = Store(radar_db)
    on_radar = radar_selection(store.load_trends(), settings)
    store.close()
    numbered = draw(trend_items(on_radar, new=frozenset()), quadrants=[
        q.name for q in settings.quadrants], rings=settings.rings).spots
    ids = {str(spot.number): spot.item.id for spot in numbered}
    app = run_app()
    legends = [r for r in app.radio if r.key and r.key.startswith("legend-")]
    assert len(legends) >= 2 and all(r.value is None for r in legends)
    first_id, second_id = (ids[shown(r.options[0]).split(". ", 1)[0]] for r in legends[:2])
    app = legends[0].set_value(first_id).run()
    assert app.query_params["trend"] in (first_id, [first_id])
    assert app.radio(key=legends[0].key).value == first_id
    app = app.radio(key=legends[1].key).set_value(second_id).run()
    assert app.query_params["trend"] in (second_id, [second_id])
    assert app.radio(key=legends[1].key).value == second_id
    assert app.radio(key=legends[0].key).value is None   # one name chosen at a time
    assert any(second_id in c.value for c in app.caption) and not app.exception
