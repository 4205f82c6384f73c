"""Candidates of one analysis: themes and events found in the stories, with momentum.

Themes are subjects over months, found as the phrases headlines name them by
(`themes.py`); events are bursts of the last weeks, density clusters of their words
(`cluster.py`) and stories sharing a name new to the history or taking off
(`newnames.py`). Each is measured against its own baseline (`momentum.py`), and kept
only when it is news (`scope.py`): no place, person, market or series; a name in the
news all along only through a take-off of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np

from radar.config import Settings
from radar.engine.cluster import NOISE, cluster_rows, group_rows, latest_burst, vectorize
from radar.engine.momentum import (
    Coverage,
    Signal,
    keeps_pace,
    measure,
    membership_matrix,
    theme_signal,
)
from radar.engine.naming import NameOption, event_names, theme_names
from radar.engine.newnames import new_name_groups, split_by_name
from radar.engine.phrases import PhraseTable
from radar.engine.places import is_place_or_person
from radar.engine.scope import (
    facets,
    history_months,
    in_scope,
    is_everyday_name,
    is_organisation,
    is_perennial,
    told_by_its_own,
)
from radar.engine.stories import Story
from radar.engine.themes import find_themes, vocabulary_ceiling
from radar.models import EVENT, STEADY, THEME
from radar.thresholds import THRESHOLDS, Events, Gate

MOMENTUM = THRESHOLDS.momentum


@dataclass(frozen=True)
class Candidate:
    """A theme or event found by this run, before it has an id."""

    kind: str
    rows: np.ndarray                # rows of the history's stories
    names: tuple[NameOption, ...]
    signal: Signal
    perennial: bool = False  # named for what took off under it, one happening (or not
                             # flagged)
    pace: float = 0.0       # its recent coverage over the usual (holds a flag)
    facet_of: str = ""      # the larger subject whose stories it tells this week


def find_candidates(stories: Sequence[Story], *, as_of: datetime, settings: Settings,
                    options: Events = THRESHOLDS.events
                    ) -> tuple[list[Candidate], PhraseTable]:
    """Themes over the whole history and events in the event window, with momentum."""
    titles = [s.title for s in stories]
    table = PhraseTable.build(titles)
    event_start = as_of - timedelta(days=settings.window_days)
    in_window = np.array([s.published > event_start for s in stories], dtype=bool)
    candidates = _themes(stories, table, in_window, as_of=as_of, settings=settings)
    candidates += _events(stories, table, in_window, as_of=as_of, settings=settings,
                          options=options)
    news = in_scope([(c.kind == THEME, c.rows) for c in candidates], titles,
                    [s.sites for s in stories])
    candidates = [c for c, is_news in zip(candidates, news, strict=True) if is_news]
    return candidates, table


def _themes(stories: Sequence[Story], table: PhraseTable, in_window: np.ndarray, *,
            as_of: datetime, settings: Settings) -> list[Candidate]:
    """Themes still talked about in the event window, with momentum over the history."""
    found = [t for t in find_themes(table, [s.title for s in stories],
                                    [s.sites for s in stories])
             if in_window[t.rows].sum() >= settings.min_stories]
    if not found:
        return []
    sites, published = [s.sites for s in stories], [s.published for s in stories]
    membership = membership_matrix([t.rows for t in found], len(stories))

    def momentum(days: int, thresholds: Gate) -> list[Signal]:
        coverage = Coverage.of(sites, published, recent_start=as_of - timedelta(days=days),
                               settle=MOMENTUM.theme_settle)
        return measure(membership, coverage, sites, window_days=days,
                       thresholds=thresholds.at_least(
                           stories=settings.min_stories, sources=settings.min_sources))

    sustained = momentum(settings.theme_recent_days, MOMENTUM.theme)
    takeoff = momentum(settings.recent_days, MOMENTUM.takeoff)
    two_weeks = as_of - 2 * timedelta(days=settings.recent_days)
    fresh = [sum(published[r] > two_weeks for r in t.rows) for t in found]
    quiet_since = as_of - timedelta(days=MOMENTUM.lately_days)
    titles = [s.title for s in stories]
    months = history_months(published[0], as_of) if published else 0
    candidates = []
    for theme, long, short, n in zip(found, sustained, takeoff, fresh, strict=True):
        names = tuple(theme_names(table, theme.phrases, titles))
        # In the news all along: no trend by itself. Only a take-off of its own last week
        # is news about it (named for what happened, see `identify`), as for a word of
        # everyday English ("Zoom"). A place or a person never is: what happened there,
        # or to them, is an event with a name of its own.
        told = [titles[r] for r in theme.rows]
        where_who = is_place_or_person(names[0].label, told)
        times = [published[r] for r in theme.rows]
        background = where_who or is_perennial(times, as_of=as_of, months=months,
                                               name=names[0].label)
        if background:
            long = replace(long, status=STEADY)
        if where_who:
            short = replace(short, status=STEADY)
        # Past its peak, or told only by the vendor's own posts, a window neither flags
        # nor holds a flag.
        paced = [keeps_pace(times, as_of=as_of, days=signal.window_days) and not
                 told_by_its_own(names[0].label, theme.rows, sites, published,
                                 since=as_of - timedelta(days=signal.window_days))
                 for signal in (long, short)]
        long, short = (signal if ok else replace(signal, status=STEADY)
                       for signal, ok in zip((long, short), paced, strict=True))
        # A flag holds (and a quiet week is filled) on the last week's pace, or on the
        # four weeks' while they grow; never on one story of the last ten days.
        lately = sum(moment > quiet_since for moment in times)
        ongoing = n >= MOMENTUM.sustained_share * long.recent and paced[0]
        pace = max(short.growth if paced[1] else 0.0, long.growth if ongoing else 0.0)
        candidates.append(Candidate(THEME, theme.rows, names,
                                    theme_signal(long, short, last_two_weeks=n,
                                                 lately=lately),
                                    perennial=background or is_everyday_name(names[0].label)
                                    or is_organisation([n.label for n in names], told),
                                    pace=pace if lately >= MOMENTUM.lately_stories else 0.0))
    return _one_flag_per_subject(candidates, published, as_of=as_of)


def _one_flag_per_subject(candidates: list[Candidate], published: Sequence[datetime], *,
                          as_of: datetime) -> list[Candidate]:
    """A facet of a larger flagged theme this week (`scope.facets`) is not flagged."""
    def recent_rows(candidate: Candidate, days: int) -> set[int]:
        since = as_of - timedelta(days=days)
        return {int(r) for r in candidate.rows if published[r] > since}

    flagged = [i for i, c in enumerate(candidates) if c.signal.flagged]
    recent = {i: recent_rows(candidates[i], candidates[i].signal.window_days) for i in flagged}
    # A subject's stories of the weeks before are its own; a name in the news all along
    # holds only its take-off's ("Linux" does not hold Copy Fail of last week).
    widest = max((candidates[i].signal.window_days for i in flagged), default=0)
    lately = {i: recent[i] if candidates[i].perennial else recent_rows(candidates[i], widest)
              for i in flagged}
    result = list(candidates)
    for facet, holder in facets(recent, {i: candidates[i].signal.score for i in recent},
                                lately).items():
        candidate = candidates[facet]
        result[facet] = replace(candidate, signal=replace(candidate.signal, status=STEADY),
                                pace=0.0, facet_of=candidates[holder].names[0].label)
    return result


def _events(stories: Sequence[Story], table: PhraseTable, in_window: np.ndarray, *,
            as_of: datetime, settings: Settings, options: Events) -> list[Candidate]:
    """Bursts about one happening: density clusters of the event window's stories."""
    window = np.flatnonzero(in_window)
    if len(window) < options.min_samples:
        return []
    recent = [stories[i] for i in window]
    matrix = vectorize([(s.title, s.summary) for s in recent],
                       sites=[min(s.sites) for s in recent], max_df=options.max_df,
                       idf_power=options.idf_power)
    days = np.array([s.published.timestamp() / 86400 for s in recent])
    labels = cluster_rows(matrix, options, days=days)
    this_week = window[[s.published > as_of - timedelta(days=settings.recent_days)
                        for s in recent]]
    sites = [s.sites for s in stories]
    past_start = as_of - timedelta(days=settings.recent_days, weeks=MOMENTUM.past_weeks)
    past = window[[past_start < s.published <= as_of - timedelta(days=settings.recent_days)
                   for s in recent]]
    loose = new_name_groups(table, window[labels == NOISE], this_week, sites=sites,
                            before=past, weeks_before=MOMENTUM.past_weeks,
                            takeoff=MOMENTUM.takeoff.rising_ratio, quiet=options.quiet_weekly,
                            min_stories=options.min_samples, min_sites=options.min_samples)
    titles = [s.title for s in stories]
    broadest = vocabulary_ceiling(len(stories))

    def names_of(rows: np.ndarray) -> list[NameOption]:
        # Only a place or a person names it, or nothing (stories sharing a word): no trend.
        return [n for n in event_names(table, rows, titles, max_stories=broadest)
                if not is_place_or_person(n.label, [titles[r] for r in rows])]

    happenings = []   # (the topic's rows in `recent`, its burst's stories, its names)
    # A group of stories sharing a name is that name's happening only if it is named by
    # it: stories that mention "Azure" among other clouds tell no Azure event.
    topics = [("", rows) for rows in group_rows(labels).values()]
    for name, rows in [*topics, *((name, np.searchsorted(window, g)) for name, g in loose)]:
        burst = latest_burst([recent[i].published for i in rows], options.min_samples)
        if not burst:
            continue
        burst_rows = window[[rows[i] for i in burst]]
        found = names_of(burst_rows)
        if found and found[0].support >= options.named_share * len(burst_rows):
            if name in found[0].label.lower():
                happenings.append((rows, burst_rows, found))
        else:   # several happenings in one burst: each name its stories share is one
            happenings += [(np.searchsorted(window, group), group, names_of(group))
                           for group in split_by_name(
                               table, burst_rows, sites=sites, min_stories=options.min_samples,
                               min_sites=options.min_samples, max_stories=broadest)]
    happenings = [happening for happening in happenings if happening[2]]
    if not happenings:
        return []
    topics, bursts, names = zip(*happenings, strict=True)
    recent_sites = [sites[i] for i in window]
    coverage = Coverage.of(recent_sites, [s.published for s in recent],
                           recent_start=as_of - timedelta(days=settings.recent_days),
                           settle=MOMENTUM.event_settle)
    # Momentum is the whole topic's: a monthly burst about a subject covered every month
    # is as usual, a burst about a subject that was quiet is news.
    signals = measure(membership_matrix(topics, len(recent)), coverage,
                      recent_sites, window_days=settings.recent_days,
                      thresholds=MOMENTUM.event.at_least(
                          stories=settings.min_stories, sources=settings.min_sources))
    return [Candidate(EVENT, rows, tuple(named), signal)
            for rows, signal, named in zip(bursts, signals, names, strict=True)]
