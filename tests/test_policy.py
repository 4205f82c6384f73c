"""The rules people rely on, without a database: listing, dismissals, new and moved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from radar import policy


@pytest.mark.parametrize(("state", "decided", "listed"), [
    ("active", False, True), ("active", True, True),
    ("dormant", False, False), ("dormant", True, True),  # a decision keeps it in view
    ("dismissed", True, False), ("merged", True, False),
])
def test_is_listed(state: str, decided: bool, listed: bool) -> None:
    assert policy.is_listed(state, decided=decided) is listed


@pytest.mark.parametrize(("previous", "after"), [
    (None, "active"), ("active", "active"), ("dormant", "active"), ("merged", "active"),
    ("dismissed", "dismissed"),
])
def test_a_dismissal_survives_reanalysis(previous, after) -> None:
    assert policy.state_after_analysis(previous) == after


def test_moved_by_a_new_suggestion_or_a_decision_since() -> None:
    assert not policy.has_moved(ring_before=None, ring_at_analysis="hold", ring_now="hold")
    assert not policy.has_moved(ring_before="hold", ring_at_analysis="hold", ring_now="hold")
    assert policy.has_moved(ring_before="hold", ring_at_analysis="assess", ring_now="assess")
    assert policy.has_moved(ring_before=None, ring_at_analysis="hold", ring_now="adopt")


def test_new_means_not_on_the_previous_radar_and_nothing_is_new_on_the_first() -> None:
    assert policy.new_on_radar({"a", "b"}, None) == set()
    assert policy.new_on_radar({"a", "b"}, {"a", "c"}) == {"b"}
    assert policy.new_on_radar({"a"}, {"a"}) == set()
    # `make run` before an import analyses an empty database: its empty radar is no
    # previous radar, and the first real one has nothing new
    assert policy.new_on_radar({"a", "b"}, set()) == set()


def test_every_edit_action_changes_one_column() -> None:
    assert set(policy.EDIT_COLUMNS) == {"rename", "quadrant", "dismiss", "merge"}
    assert len(set(policy.EDIT_COLUMNS.values())) == 4


def test_the_latest_kev_mark_for_the_item_or_every_item_is_in_force() -> None:
    from radar.models import KevMark

    def mark(state: str, stack_id: str = "", at: str = "2031-04-01") -> KevMark:
        return KevMark("CVE-2031-1111", state, note="why", author="ana", at=at,
                       stack_id=stack_id)

    assert policy.kev_mark_of([], "CVE-2031-1111", "gf-vpn") is None
    every = mark("mitigated")
    assert policy.kev_mark_of([every], "CVE-2031-1111", "gf-vpn") == every
    assert policy.kev_mark_of([every], "CVE-2031-9999", "gf-vpn") is None
    other = mark("patched", "other-item")
    assert policy.kev_mark_of([every, other], "CVE-2031-1111", "gf-vpn") == every
    assert policy.kev_mark_of([every, other], "CVE-2031-1111", "other-item") == other
    # "open" withdraws: the flaw is open again on that item, and stays in the history
    assert policy.kev_mark_of([every, mark("open", "gf-vpn")], "CVE-2031-1111",
                              "gf-vpn") is None


@pytest.mark.parametrize(("ran_after", "asked", "replayed"), [
    (timedelta(hours=1), False, False),              # the nightly run: seen live
    (timedelta(days=2), False, False),               # two days late still counts as live
    (timedelta(days=2, seconds=1), False, True),     # later: replayed from the archive
    (timedelta(hours=1), True, True),                # a backtest is replayed whenever run
    (-timedelta(days=30), False, False),             # an as-of ahead of the clock
])
def test_is_replayed(ran_after: timedelta, asked: bool, replayed: bool) -> None:
    as_of = datetime(2031, 3, 31, 23, 59, 59, tzinfo=UTC)
    assert policy.is_replayed(as_of, as_of + ran_after, asked=asked) is replayed
