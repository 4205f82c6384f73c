"""Which act-now alerts are due, once each, across merges and splits; one grouped message."""

from __future__ import annotations

from datetime import date

from radar.flaws import open_hits
from radar.links import Ties, load_ties
from radar.models import STACK, KevEntry, Link, StackItem
from radar.notify.alerts import alert_message, kev_alerts, pending, trend_alerts
from radar.notify.watch import watch_marks

from .notify_data import HOSTILE, seed
from .records import make_trend

APP = "https://radar.example.com"
FORTIOS = StackItem("fortios", "Fortinet", "FortiOS")


def test_due_alerts_from_the_store(store) -> None:
    seed(store)
    trends = store.load_trends()
    alerts = kev_alerts(open_hits(store), date(2031, 3, 30)) \
        + trend_alerts(trends, load_ties(store),
                       watch_marks(trends, store.load_watchlists()), APP)
    assert [a.key for a in alerts] == [
        "kev:CVE-2031-0001:fortinet-fortios",     # added this week; 2020's is past due
        "emerging:T1",                           # our stack
        "watch:post-quantum:T2",                 # rising, on a watchlist
        "emerging:T3"]                           # an initiative
    assert alerts[1].url == f"{APP}/?view=Radar&trend=T1"


def test_a_kev_entry_still_within_its_due_date_is_due_even_when_added_long_ago() -> None:
    entry = KevEntry("CVE-1", "Fortinet", "FortiOS", date_added="2031-01-01",
                     due_date="2031-04-01")
    assert [a.key for a in kev_alerts([(entry, FORTIOS)], date(2031, 3, 30))] \
        == ["kev:CVE-1:fortios"]
    assert kev_alerts([(entry, FORTIOS)], date(2031, 4, 2)) == []


def test_an_alert_sent_for_a_trend_is_not_sent_again_after_a_merge_or_a_split() -> None:
    def tie(trend_id: str) -> Ties:
        return Ties(stack=((Link(trend_id, STACK, "fortios", "named", 1.0), FORTIOS),))

    delivered = {"emerging:T1"}
    keeper = make_trend("T9", status="emerging", aliases=("T1",))
    child = make_trend("T8", status="emerging", parent_id="T1")
    fresh = make_trend("T7", status="emerging")
    alerts = trend_alerts([keeper, child, fresh], {t: tie(t) for t in ("T9", "T8", "T7")},
                          {}, APP)
    assert [a.key for a in pending(alerts, delivered)] == ["emerging:T7"]


def test_a_burst_is_one_message_grouped_by_kind_with_names_escaped_in_html(store) -> None:
    seed(store)
    trends = store.load_trends()
    alerts = trend_alerts(trends, load_ties(store),
                          watch_marks(trends, store.load_watchlists()), APP)
    message = alert_message(alerts)
    assert message.title == "Trend Radar: 3 alerts"
    assert message.text.index("EMERGING, TOUCHING") < message.text.index("WATCHLIST MATCHES")
    assert f"{HOSTILE} is emerging and touches Fortinet FortiOS" in message.text
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html
    assert alert_message(alerts[:1]).title.startswith(f"Trend Radar: {HOSTILE} is emerging")
