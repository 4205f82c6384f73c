"""Momentum measured source by source: new sources corroborate, never create a trend."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from scipy import sparse

from radar.engine.momentum import (
    Coverage,
    classify,
    keeps_pace,
    measure,
    theme_signal,
    weekly_counts,
    why_now,
)
from radar.models import EMERGING, FADING, RISING, STEADY
from radar.thresholds import THRESHOLDS

NOW = datetime(2031, 3, 31, tzinfo=UTC)
RECENT = NOW - timedelta(days=7)


def signal(recent: int, baseline: int, *, expected: float, sources: int = 4, observed=None):
    return classify(recent=recent, total=recent + baseline,
                    observed=recent if observed is None else observed, expected=expected,
                    recent_sources=sources, thresholds=THRESHOLDS.momentum.event)


@pytest.mark.parametrize(
    ("recent", "baseline", "expected", "sources", "status"),
    [
        (8, 0, 0.0, 5, EMERGING),      # a burst out of nowhere
        (3, 0, 0.0, 3, EMERGING),      # the minimum support
        (3, 0, 0.0, 2, STEADY),        # too few sources
        (2, 0, 0.0, 5, STEADY),        # too few stories
        (12, 60, 6.0, 6, RISING),      # known topic, coverage doubled
        (12, 20, 2.0, 6, EMERGING),    # known topic, coverage up sixfold: a surge
        (3, 30, 3.0, 3, STEADY),       # as before
        (0, 30, 3.0, 0, FADING),       # fell away
    ],
)
def test_statuses(recent, baseline, expected, sources, status) -> None:
    assert signal(recent, baseline, expected=expected, sources=sources).status == status


def test_score_ranks_broad_bursts_first() -> None:
    assert signal(8, 0, expected=0, sources=8).score > signal(8, 0, expected=0, sources=3).score
    assert signal(8, 0, expected=0).score > signal(8, 20, expected=2).score > 0
    assert signal(0, 30, expected=3).score == 0


def test_a_theme_with_a_past_is_rising_not_emerging() -> None:
    grown = classify(recent=30, total=60, observed=30, expected=8.0, recent_sources=9,
                     thresholds=THRESHOLDS.momentum.theme)
    new = classify(recent=9, total=10, observed=6, expected=0.2, recent_sources=6,
                   thresholds=THRESHOLDS.momentum.theme)
    assert (grown.status, new.status) == (RISING, EMERGING)


def story_sites(*names: str) -> list[frozenset[str]]:
    return [frozenset({name}) for name in names]


def coverage_for(sites: list[frozenset[str]], published: list[datetime]) -> Coverage:
    return Coverage.of(sites, published, recent_start=RECENT, settle=timedelta(days=14))


def test_a_source_that_joins_does_not_make_its_usual_subjects_new() -> None:
    # old.test writes 2 of 20 stories a month about the topic, before and now; new.test
    # starts publishing this week, half of its stories about the same topic.
    published, sites, about = [], [], []
    for day in range(60, 0, -3):          # old.test: 20 stories over two months
        published.append(NOW - timedelta(days=day))
        sites.append(frozenset({"old.test"}))
        about.append(day % 30 == 0)
    for hour in range(10):                # new.test: 10 stories this week
        published.append(NOW - timedelta(hours=5 + hour))
        sites.append(frozenset({"new.test"}))
        about.append(hour % 2 == 0)
    for hour in range(3):                 # old.test this week: as usual
        published.append(NOW - timedelta(hours=2 + hour))
        sites.append(frozenset({"old.test"}))
        about.append(hour == 0)
    coverage = coverage_for(sites, published)
    assert coverage.established.sum() == 23 and not coverage.established[20:30].any()
    membership = sparse.csr_matrix(np.array([about], dtype=float))
    (measured,) = measure(membership, coverage, sites, thresholds=THRESHOLDS.momentum.event)
    assert measured.recent == 6 and measured.recent_sources == 2
    assert measured.observed == 1 and measured.status == STEADY


def test_new_sources_corroborate_a_subject_new_to_established_ones() -> None:
    published = [NOW - timedelta(days=d) for d in range(60, 10, -1)]   # background
    sites = [frozenset({f"s{d % 4}.test"}) for d in range(60, 10, -1)]
    about = [False] * len(published)
    burst = [("s0.test", 1), ("s1.test", 2), ("s2.test", 3), ("late.test", 4),
             ("late.test", 5), ("late2.test", 6)]
    for site, hours in burst:
        published.append(NOW - timedelta(hours=hours))
        sites.append(frozenset({site}))
        about.append(True)
    coverage = coverage_for(sites, published)
    membership = sparse.csr_matrix(np.array([about], dtype=float))
    (measured,) = measure(membership, coverage, sites, thresholds=THRESHOLDS.momentum.event)
    assert measured.observed == 6  # three established stories, three corroborating
    assert measured.status == EMERGING and measured.recent_sources == 5


def test_a_story_told_by_an_established_site_counts_for_it() -> None:
    coverage = coverage_for([frozenset({"old.test"}), frozenset({"new.test", "old.test"})],
                            [NOW - timedelta(days=40), NOW - timedelta(days=1)])
    assert coverage.established.tolist() == [True, True]


def test_an_archive_dumped_at_one_instant_is_not_recent_news() -> None:
    """A feed that appears with its whole history stamped with the day it was first read
    (seen in the shared corpus: 73 posts of one blog at one second) tells nothing new."""
    dumped_at = NOW - timedelta(days=2)
    published = [NOW - timedelta(days=40)] + [dumped_at] * 25 + [NOW - timedelta(hours=3)]
    sites = story_sites("blog.test", *["blog.test"] * 25, "blog.test")
    coverage = coverage_for(sites, published)
    assert coverage.recent.tolist() == [False] + [False] * 25 + [True]
    membership = sparse.csr_matrix(np.ones((1, len(published))))
    (measured,) = measure(membership, coverage, sites, thresholds=THRESHOLDS.momentum.event)
    assert measured.recent == 1 and measured.status == STEADY


def test_why_now_and_weekly_counts() -> None:
    line = why_now(signal(8, 0, expected=0, sources=5), recent_articles=11, recent_days=7)
    assert line == "11 articles from 5 sources in the last 7 days, none before"
    grown = signal(12, 60, expected=6.0, sources=6)
    assert why_now(grown, recent_articles=12, recent_days=7).endswith(
        "60 stories before; 1.9x the usual coverage (12 stories by sites with a baseline, "
        "where 6 were expected)")
    # 1.9 = (12 + 0.5) / (6 + 0.5): the smoothed ratio the status is decided on
    assert why_now(signal(1, 1, expected=1, sources=1), recent_articles=1,
                   recent_days=7) == "1 article from 1 source in the last 7 days, 1 story before"
    weeks = weekly_counts([date(2031, 3, 4), date(2031, 3, 5), date(2031, 3, 12)],
                          start=date(2031, 2, 26), end=date(2031, 3, 14))
    assert weeks == [["2031-02-24", 0], ["2031-03-03", 2], ["2031-03-10", 1]]


def theme_signals(*, week: int, month: int, expected_week: float, expected_month: float,
                  last_two_weeks: int, lately: int | None = None):
    """A theme's take-off (last week) and sustained (four weeks) signals, combined."""
    takeoff = classify(recent=week, total=week + 20, observed=week, expected=expected_week,
                       recent_sources=4, thresholds=THRESHOLDS.momentum.takeoff)
    sustained = classify(recent=month, total=month + 20, observed=month,
                         expected=expected_month, recent_sources=5,
                         thresholds=THRESHOLDS.momentum.theme, window_days=28)
    return theme_signal(sustained, takeoff, last_two_weeks=last_two_weeks,
                        lately=week if lately is None else lately)


@pytest.mark.parametrize(
    ("week", "month", "expected_week", "expected_month", "last_two_weeks", "status", "window"), [
        # Four stories this week where 0.5 were expected: three times the usual and more,
        # so flagged now, though four weeks hold too few stories to count as growth yet.
        (4, 5, 0.5, 2.0, 4, RISING, 7),
        (1, 4, 0.5, 2.0, 2, STEADY, None),   # the usual week
        (3, 12, 1.0, 3.0, 6, RISING, 28),    # four weeks of growth, going on
        # Ten of twelve stories three weeks ago, two since: the growth has ended.
        (1, 12, 1.0, 3.0, 2, STEADY, None),
    ])
def test_a_theme_is_flagged_as_it_takes_off_until_its_growth_ends(
        week, month, expected_week, expected_month, last_two_weeks, status, window) -> None:
    signal = theme_signals(week=week, month=month, expected_week=expected_week,
                           expected_month=expected_month, last_two_weeks=last_two_weeks)
    assert (signal.status, signal.window_days if signal.flagged else None) == (status, window)


def test_a_burst_gone_quiet_is_over_though_its_two_weeks_hold_it() -> None:
    """Eleven of twelve stories eleven to thirteen days ago, one since: readers call it
    stale. Two in the last ten days keep it."""
    def status(lately: int) -> str:
        return theme_signals(week=1, month=12, expected_week=1.0, expected_month=3.0,
                             last_two_weeks=11, lately=lately).status
    assert (status(1), status(2)) == (STEADY, RISING)


def test_a_theme_with_a_past_takes_off_on_one_sites_stories() -> None:
    # Lumma Stealer, late February 2025: three headlines of one site in a week, where its
    # sites' baselines predicted 0.3; the theme itself is told by several sites over the year.
    takeoff = classify(recent=3, total=12, observed=3, expected=0.3, recent_sources=1,
                       thresholds=THRESHOLDS.momentum.takeoff)
    assert takeoff.status == RISING
    # The same three stories do not make an event (a burst wants three sites) ...
    event = classify(recent=3, total=12, observed=3, expected=0.3, recent_sources=1,
                     thresholds=THRESHOLDS.momentum.event)
    assert event.status == STEADY
    # ... and a person's `min_sources` of 2 keeps single-site take-offs off the radar.
    calmer = THRESHOLDS.momentum.takeoff.at_least(stories=3, sources=2)
    assert classify(recent=3, total=12, observed=3, expected=0.3, recent_sources=1,
                    thresholds=calmer).status == STEADY


def test_why_now_states_the_window_the_status_was_decided_on() -> None:
    flagged = theme_signals(week=4, month=5, expected_week=0.5, expected_month=2.0,
                            last_two_weeks=4)
    line = why_now(flagged, recent_articles=4, recent_days=flagged.window_days)
    assert line.startswith("4 articles from 4 sources in the last 7 days")
    assert "(4 stories by sites with a baseline, where 0.5 were expected)" in line


def days_ago(*days: float) -> list[datetime]:
    return [NOW - timedelta(days=d) for d in days]


def test_a_window_past_its_peak_does_not_keep_the_pace_of_the_weeks_before() -> None:
    # Nineteen stories in the two months before, four in the last four weeks: the
    # subject's month of coverage is over, however its year compares ("TeamPCP").
    after_peak = days_ago(3, 10, 17, 24, *[30 + 1.5 * k for k in range(19)])
    assert not keeps_pace(after_peak, as_of=NOW, days=28)
    # Five stories a week for eight weeks, four this week: not growing either.
    busy = days_ago(1, 2, 3, 4, *[7.5 + 1.4 * k for k in range(40)])
    assert not keeps_pace(busy, as_of=NOW, days=7)
    # Two a week for eight weeks, then four: this week outpaces them.
    more = days_ago(1, 2, 3, 4, *[10 + 3.5 * k for k in range(16)])
    assert keeps_pace(more, as_of=NOW, days=7)
    # A subject new this week has no weeks before it to keep up with.
    assert keeps_pace(days_ago(1, 2, 3), as_of=NOW, days=7)
