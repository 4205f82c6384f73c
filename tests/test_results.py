"""Measures of the trend watch on constructed histories with known answers, and on a
real store replayed day by day."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from radar.config import Settings
from radar.engine.backtest import backtest
from radar.leadtimes import LeadTime, first_flags, lead_time, takeoff
from radar.results import Results, backlog, decision_measures, measure
from radar.store import Store

from .synthetic import default_topics, make_corpus

DAY = date(2031, 3, 1)


def day(n: int) -> str:
    return (DAY + timedelta(days=n)).isoformat()


def test_flagged_on_day_3_peaking_on_day_7_is_four_days_early() -> None:
    members = [(day(1), "a.test", False), (day(3), "b.test", False),
               *[(day(7), f"s{n}.test", False) for n in range(6)], (day(9), "a.test", False)]
    flags = first_flags([("t", day(5) + "T23:59:59Z", "rising", False),
                         ("t", day(3) + "T23:59:59Z", "emerging", True)])
    assert flags == {"t": (DAY + timedelta(days=3), True)}
    found = lead_time("t", "Glimmerfox", flags["t"][0], members, replayed=True,
                      kev_added=DAY + timedelta(days=10))
    assert (found.peak_day, found.lead_days) == (DAY + timedelta(days=7), 4)
    assert found.reached_sources_day == DAY + timedelta(days=7)   # the 5th site that day
    assert (found.sources_lead_days, found.kev_lead_days, found.replayed) == (4, 7, True)


def test_the_peak_is_the_one_the_flag_warned_of() -> None:
    """A theme covered all year: its busiest day in December says nothing of a March flag."""
    members = [(day(0), "a.test", False), (day(2), "b.test", False), (day(2), "c.test", False),
               *[(day(270), f"s{n}.test", False) for n in range(9)]]
    found = lead_time("t", "T", DAY + timedelta(days=1), members)
    assert (found.peak_day, found.lead_days) == (DAY + timedelta(days=2), 1)
    later = lead_time("t", "T", DAY + timedelta(days=120), members)
    assert (later.peak_day, later.lead_days) == (None, None)   # nothing near to measure


def test_back_filled_articles_never_count_as_known_early() -> None:
    history = [(day(0), "a.test", True), (day(1), "b.test", True), (day(6), "c.test", False)]
    assert lead_time("t", "T", DAY + timedelta(days=2), history) is None
    seen_live = [(day(0), "a.test", False), *history]
    found = lead_time("t", "T", DAY + timedelta(days=2), seen_live)
    # Two articles on day 0, one on day 1 and day 6: the peak is day 0, two days before.
    assert (found.peak_day, found.lead_days, found.articles) == (DAY, -2, 4)


def test_decisions_per_month_and_days_to_decision() -> None:
    flagged = {"a": DAY, "b": DAY, "c": DAY + timedelta(days=40), "old": DAY}
    decisions = [("a", "assess", day(2) + "T10:00:00Z"), ("a", "adopt", day(30) + "T10:00Z"),
                 ("b", "hold", day(10) + "T10:00:00Z"), ("b", None, day(11) + "T10:00:00Z"),
                 ("c", "assess", day(44) + "T10:00:00Z"),
                 ("old", "hold", "2030-01-01T00:00:00Z")]          # before the period
    by_month, waited = decision_measures(decisions, flagged, {"a": "A"}, DAY,
                                         DAY + timedelta(days=60))
    assert by_month == {"2031-03": {"assess": 1, "hold": 1, "adopt": 1},
                        "2031-04": {"assess": 1}}
    assert waited == [("a", "A", 2), ("c", "c", 4), ("b", "b", 10)]


def test_backlog_counts_flagged_trends_undecided_after_two_weeks() -> None:
    flagged = {"a": DAY, "b": DAY + timedelta(days=10)}
    decisions = [("a", "assess", day(20) + "T09:00:00Z")]
    days = [DAY + timedelta(days=n) for n in (13, 14, 19, 20, 24, 25)]
    assert backlog(flagged, decisions, days) == list(zip(days, [0, 1, 1, 0, 1, 1],
                                                         strict=True))


def test_measures_of_a_replayed_history(tmp_path) -> None:
    """Daily analyses replayed in the store itself: the flags they leave are the backtest's."""
    store = Store(tmp_path / "radar.db")
    store.save_articles(make_corpus(default_topics(90), noise=200, days=90))
    start, end = date(2031, 3, 25), date(2031, 3, 31)
    result = backtest(store, Settings(), start=start, end=end, scratch=store)
    trend = next(t for t in store.load_trends() if t.label == "Glimmerfox VPN")
    trend_id = trend.id
    store.record_decision(trend_id, "assess", note="look", author="ana",
                          at="2031-04-02T09:00:00Z")
    results = measure(store, start=start, end=date(2031, 4, 30))
    store.close()
    glimmerfox = next(lt for lt in results.lead_times if lt.trend_id == trend_id)
    # The burst: three stories on the 30th (sites 0, 3, 1), three on the 31st (sites 1, 4,
    # 2), the rest on April 1st, after the period replayed. Its theme is flagged on the
    # 31st, once two days confirm it; the busiest day is the first of the two tied.
    assert (glimmerfox.first_flagged, glimmerfox.peak_day, glimmerfox.lead_days) == (
        date(2031, 3, 31), date(2031, 3, 30), -1)
    assert (glimmerfox.reached_sources_day, glimmerfox.articles) == (date(2031, 3, 31), 6)
    assert result.first_flagged[trend_id][0] == date(2031, 3, 31)   # the backtest agrees
    assert glimmerfox.replayed      # analyses run long after the days they are about
    assert results.days_to_decision == [(trend_id, "Glimmerfox VPN", 2)]   # 31st → 2nd
    assert results.decisions_by_month == {"2031-04": {"assess": 1}}
    # Nothing was flagged two weeks before any day of the period: no backlog on any day.
    assert results.backlog == [(start + timedelta(days=n), 0) for n in range(7)]
    shape = results.to_json()
    assert set(shape) >= {"lead_times", "decisions", "backlog", "roadmap", "exposure",
                          "coverage"}
    assert set(shape["lead_times"][0]) >= {"trend_id", "label", "first_flagged", "peak_day",
                                           "reached_sources_day", "lead_days",
                                           "kev_date_added"}
    assert set(shape["decisions"]) >= {"by_month", "median_days_to_decision",
                                       "p90_days_to_decision"}
    themes = sum(lt.kind == "theme" for lt in results.lead_times)
    events = len(results.lead_times) - themes
    assert results.summary().startswith(f"We flagged {themes} theme")
    assert f"; {events} event" in results.summary()
    assert set(shape["by_kind"]) == {"theme", "event"}
    assert results.summary().endswith("; 1 decided, median 2 days after the first flag.")


def test_nothing_stored_measures_nothing(tmp_path) -> None:
    store = Store(tmp_path / "radar.db")
    results = measure(store, start=DAY, end=DAY + timedelta(days=30))
    store.close()
    assert results.lead_times == [] and results.days_to_decision == []
    assert results.roadmap == {} and results.exposure == {}
    assert results.summary() == "We flagged 0 themes; 0 events; 0 decided."
    assert results.median_days_to_decision is None


def test_an_analysis_of_today_is_not_replayed(tmp_path) -> None:
    from radar.engine.analyze import analyze

    store = Store(tmp_path / "radar.db")
    now = datetime.now(UTC)
    store.save_articles(make_corpus(default_topics(90), noise=100, days=90,
                                    start=now - timedelta(days=90)))
    analyze(store, Settings(), as_of=now)
    assert store.db.execute("select replayed from analyses").fetchall() == [(0,)]
    glimmerfox = {t.id for t in store.load_trends() if t.label == "Glimmerfox VPN"}
    flags = store.load_flags()
    store.close()
    assert len(glimmerfox) == 1 and glimmerfox <= {trend_id for trend_id, *_ in flags}
    assert [replayed for *_, replayed in flags] == [False] * len(flags)


def test_takeoff_is_the_first_week_three_times_the_usual() -> None:
    flag = date(2031, 3, 20)
    usual = Counter({flag - timedelta(days=d): 1 for d in range(20, 80, 14)})  # 1 a fortnight
    # Three stories on 12-14 March: the week ending 14 March holds 3, the usual is 0.5 a week.
    burst = usual + Counter({date(2031, 3, 12): 1, date(2031, 3, 13): 1, date(2031, 3, 14): 1})
    assert takeoff(burst, flag) == date(2031, 3, 14)
    assert takeoff(usual, flag) is None
    early = lead_time("t", "T", flag, [(d.isoformat(), "a.test", False)
                                       for d, n in burst.items() for _ in range(n)])
    assert early.takeoff_day == date(2031, 3, 14) and early.takeoff_lag_days == 6


def test_earliness_is_said_in_days_themes_apart_from_events() -> None:
    def lead(kind: str, flagged: int, takeoff_day: int, peak: int) -> LeadTime:
        start = date(2031, 3, 1)
        return LeadTime("t", "T", start + timedelta(days=flagged), start + timedelta(days=peak),
                        None, peak - flagged, kind=kind,
                        takeoff_day=start + timedelta(days=takeoff_day))
    results = Results(start=date(2031, 3, 1), end=date(2031, 3, 31), lead_times=[
        lead("theme", 5, 3, 15), lead("theme", 9, 5, 20), lead("theme", 10, 10, 12),
        lead("event", 4, 4, 4)])
    assert results.median_takeoff_lag_of("theme") == 2        # lags 2, 4, 0
    assert results.median_lead_of("theme") == 10              # leads 10, 11, 2
    assert results.earliness("theme") == ("3 themes, on median 2 days after their coverage "
                                          "took off and 10 days before it peaked")
    assert results.earliness("event") == ("1 event, on median the day their coverage took "
                                          "off and the day it peaked")


def test_every_listed_trend_has_its_own_name() -> None:
    from radar.models import EVENT, THEME
    from radar.results import own_names

    from .records import make_trend

    names = own_names([make_trend("T1", label="FortiBleed", kind=THEME),
                       make_trend("T2", label="FortiBleed", kind=EVENT),
                       make_trend("T3", label="Snowflake")])
    assert names == {"T1": "FortiBleed (theme T1)", "T2": "FortiBleed (event T2)",
                     "T3": "Snowflake"}


def test_decisions_after_a_replayed_period_are_shown_apart_not_lost() -> None:
    """A quarter of 2024 replayed today: its trends' decisions are dated today."""
    from radar.results import Results, decided_after

    flagged = {"T1": date(2024, 2, 1), "T2": date(2024, 5, 1)}
    decisions = [("T1", "assess", "2026-12-06T10:00:00Z"), ("T1", None, "2026-12-06T11:00:00Z"),
                 ("T2", "adopt", "2026-12-06T10:00:00Z"), ("T9", "hold", "2026-12-06T10:00:00Z")]
    later = decided_after(decisions, flagged, {"T1": "Ivanti"}, date(2024, 1, 1),
                          date(2024, 3, 31))
    assert later == [("T1", "Ivanti", "assess", date(2026, 12, 6))]
    _, waited = decision_measures(decisions, flagged, {}, date(2024, 1, 1), date(2024, 3, 31))
    assert waited == []                                     # nothing decided in the period
    results = Results(start=date(2024, 1, 1), end=date(2024, 3, 31), decided_later=later)
    assert results.summary() == ("We flagged 0 themes; 0 events; 0 decided in the period, "
                                 "1 more after it.")
    assert results.to_json()["decided_after_period"] == [
        {"trend_id": "T1", "label": "Ivanti", "ring": "assess", "date": "2026-12-06"}]
