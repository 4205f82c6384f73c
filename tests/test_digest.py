"""The weekly digest from a real store: what it lists, its links, escaping, a quiet week."""

from __future__ import annotations

from datetime import date, timedelta

from radar.config import Settings
from radar.notify.digest import (
    ALERT_BUDGET,
    build_digest,
    load_digest,
    radar_changes,
    render_html,
    render_text,
    trend_url,
)

from .notify_data import HOSTILE, seed
from .records import make_trend

APP = "https://radar.example.com/"
WEEK = timedelta(days=7)


def test_the_week_lists_new_flags_ties_flaws_and_decisions_each_linked(store) -> None:
    seed(store)
    store.record_decision("T2", "assess", note="pilot ML-KEM in TLS", author="ana",
                          at="2031-03-29T10:00:00Z")
    digest = load_digest(store, Settings(), end=date(2031, 3, 30), period=WEEK, app_url=APP)
    assert [i.trend_id for i in digest.subjects] == ["T1", "T2", "T3"]   # not "Old news"
    assert {i.trend_id: i.touches for i in digest.touching} == {
        "T1": ("stack item Fortinet FortiOS",), "T3": ("initiative Zero trust",)}
    assert digest.subjects[1].watched == ("post-quantum",)
    assert [f.cve for f in digest.new_flaws] == ["CVE-2031-0001"]
    assert [f.cve for f in digest.past_due] == ["CVE-2020-0002"]
    assert [(i.trend_id, i.note) for i in digest.decisions] == [
        ("T2", "assess (was undecided), by ana: pilot ML-KEM in TLS")]
    text = render_text(digest)
    assert "https://radar.example.com/?view=Radar&trend=T1" in text
    assert "CVE-2031-0001 Fortinet FortiOS: FortiOS auth bypass" in text
    assert "Fortinet FortiOS: 1 past due (newest CVE-2020-0002)" in text
    assert "quiet" not in text.lower()


def test_hostile_names_are_escaped_in_html(store) -> None:
    seed(store)
    html = render_html(load_digest(store, Settings(), end=date(2031, 3, 30), period=WEEK,
                                   app_url=APP))
    assert "<script>" not in html
    assert "FortiOS &lt;script&gt;alert(1)&lt;/script&gt; &amp; zero-day" in html
    assert HOSTILE in render_text(load_digest(store, Settings(), end=date(2031, 3, 30),
                                              period=WEEK, app_url=APP))


def test_a_quiet_week_says_so(store) -> None:
    seed(store)
    digest = load_digest(store, Settings(), end=date(2031, 6, 30), period=WEEK, app_url=APP)
    assert digest.quiet and digest.title.endswith("a quiet week")
    assert "A QUIET WEEK" in render_text(digest)
    assert "CVE-2020-0002" in render_text(digest)   # still past due: still listed


def test_at_most_the_alert_budget_best_first() -> None:
    trends = [make_trend(f"T{n:02}", label=f"subject {n}", score=float(n)) for n in range(20)]
    digest = build_digest(start=date(2031, 3, 23), end=date(2031, 3, 30), trends=trends,
                          first_flagged={t.id: "2031-03-30T23:59:59Z" for t in trends},
                          ties={}, watch={}, flaws=[], decisions={}, app_url=APP)
    assert len(digest.subjects) == ALERT_BUDGET and digest.more_subjects == 5
    assert [i.label for i in digest.subjects[:2]] == ["subject 19", "subject 18"]
    assert "(AND 5 MORE IN THE APP)" in render_text(digest)


def test_changes_since_the_last_edition() -> None:
    now = [make_trend("a", label="Kept", suggested_ring="hold"),
           make_trend("b", label="Fresh", suggested_ring="assess")]
    assert radar_changes({"a": ("Kept", "assess"), "c": ("Gone", "hold")}, now) == [
        "new on the radar: Fresh (assess)", "moved: Kept (assess → hold)",
        "off the radar: Gone"]


def test_a_trend_link_opens_it_on_the_radar() -> None:
    assert trend_url("http://h:8501/", "T 1&x") == "http://h:8501/?view=Radar&trend=T+1%26x"


def test_a_subject_touches_what_any_of_its_trends_touches() -> None:
    from radar.links import Ties
    from radar.models import STACK, Link, StackItem

    theme = make_trend("TH", label="BRICKSTORM", status="rising", score=7.2, kind="theme")
    event = make_trend("EV", label="BRICKSTORM", status="emerging", score=7.0, theme="TH")
    esxi = StackItem("esxi", "VMware", "ESXi")
    digest = build_digest(
        start=date(2031, 3, 23), end=date(2031, 3, 30), trends=[theme, event],
        first_flagged={"TH": "2031-03-30", "EV": "2031-03-30"},
        ties={"EV": Ties(stack=((Link("EV", STACK, "esxi", "named", 1.0), esxi),))},
        watch={"EV": ["storms"]}, flaws=[], decisions={}, app_url=APP)
    [subject] = digest.subjects
    assert subject.trend_id == "TH" and subject.touches == ("stack item VMware ESXi",)
    assert subject.watched == ("storms",) and digest.touching == [subject]
