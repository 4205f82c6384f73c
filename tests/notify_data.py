"""A small organisation and two analyses in a real store, for the notification tests."""

from __future__ import annotations

from datetime import UTC, datetime

from radar.config import Settings
from radar.links import update_links
from radar.models import (
    Article,
    Finding,
    Identity,
    Initiative,
    KevEntry,
    StackItem,
    Watchlist,
)
from radar.store import Store

RAN_AT = datetime(2031, 3, 2, tzinfo=UTC)   # when the analyses below ran

HOSTILE = "FortiOS <script>alert(1)</script> & zero-day"
WEEK_END = "2031-03-30"


def finding(trend_id: str, label: str, status: str, *, score: float,
            keywords: tuple[str, ...] = (), parent_id: str | None = None) -> Finding:
    return Finding(id=trend_id, label=label, keywords=keywords, entities=(), terms={},
                   quadrant="Threats & Vulnerabilities", quadrant_reason="",
                   suggested_ring="assess", status=status, score=score, article_count=6,
                   story_count=6, source_count=4, first_seen="2031-03-01T00:00:00Z",
                   last_seen="2031-03-30T00:00:00Z", weekly_counts=(), why=f"why {label}",
                   members=frozenset({f"{trend_id}-a"}), parent_id=parent_id)


def seed(store: Store) -> None:
    """Two analyses: on 2031-03-01 "Old news" was flagged; on 2031-03-30 a FortiOS
    zero-day (hostile name, our stack) is emerging, post-quantum migration is rising,
    zero trust is steady. KEV: one FortiOS flaw added this week, one past due since 2020.
    """
    store.save_articles([
        Article(id=f"{trend_id}-a", source="Wire", site="wire.example", category="news",
                title=title, link=f"https://wire.example/{trend_id}",
                canonical_link=f"https://wire.example/{trend_id}", summary="",
                published="2031-03-29T10:00:00Z", published_flag="",
                fetched_at="2031-03-29T11:00:00Z")
        for trend_id, title in (("T1", HOSTILE), ("T2", "Post-quantum migration begins"),
                                ("T3", "Zero trust rollout"), ("T4", "Old news"))])
    store.save_stack([StackItem("fortinet-fortios", "Fortinet", "FortiOS")])
    store.save_initiatives([Initiative("zt", "Zero trust", keywords=("zero trust",))])
    store.save_kev([
        KevEntry("CVE-2031-0001", "Fortinet", "FortiOS", name="FortiOS auth bypass",
                 date_added="2031-03-28", due_date="2031-04-04", ransomware=True),
        KevEntry("CVE-2020-0002", "Fortinet", "FortiOS", name="FortiOS path traversal",
                 date_added="2020-01-01", due_date="2020-02-01")])
    store.save_analysis(
        [finding("T4", "Old news", "emerging", score=3.0),
         finding("T1", HOSTILE, "steady", score=1.0)],
        Identity(ids=["T4", "T1"]), as_of="2031-03-01T23:59:59Z", window_days=90,
        stories=10, seconds=0.1, ran_at=RAN_AT)
    store.save_analysis(
        [finding("T1", HOSTILE, "emerging", score=9.0),
         finding("T2", "Post-quantum migration", "rising", score=5.0, keywords=("ML-KEM",)),
         finding("T3", "Zero trust rollout", "emerging", score=2.0,
                 keywords=("zero trust",)),
         finding("T4", "Old news", "steady", score=1.0)],
        Identity(ids=["T1", "T2", "T3", "T4"]), as_of=f"{WEEK_END}T23:59:59Z",
        window_days=90, stories=20, seconds=0.1, ran_at=RAN_AT)
    store.save_watchlist(Watchlist("post-quantum", ("post-quantum|PQC|ML-KEM",)),
                         author="test", at="2031-03-30T00:00:00Z")
    update_links(store, Settings())
