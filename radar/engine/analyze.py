"""One analysis: stored articles -> stories -> themes and events -> scored trends with ids.

I/O stays at the edges: `analyze` reads the history from the store, the pure steps find
themes (subjects over months, `themes.py`) and events (bursts in the last weeks,
`cluster.py`), measure their momentum (`momentum.py`), name them (`naming.py`) and give
them stable ids (`identity.py`); the result is saved in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np

from radar.config import Settings
from radar.engine.budget import within_budget
from radar.engine.cluster import (
    NOISE,
    cluster_rows,
    extract_entities,
    group_rows,
    latest_burst,
    vectorize,
)
from radar.engine.identity import match_identities, merge_same_id, theme_of
from radar.engine.momentum import (
    Coverage,
    Signal,
    keeps_pace,
    measure,
    membership_matrix,
    theme_signal,
    weekly_counts,
    why_now,
)
from radar.engine.naming import (
    NameOption,
    befell,
    event_names,
    ids_named,
    names_apart,
    stable_label,
    theme_names,
)
from radar.engine.newnames import new_name_groups, split_by_name
from radar.engine.pause import paused_gc
from radar.engine.phrases import PhraseTable
from radar.engine.placement import place_quadrant
from radar.engine.scope import (
    facets,
    history_months,
    in_scope,
    is_everyday_name,
    is_organisation,
    is_perennial,
    is_place_or_person,
    one_event,
    take_off_name,
    told_by_its_own,
)
from radar.engine.stories import Story, build_stories
from radar.engine.themes import find_themes, vocabulary_ceiling
from radar.errors import StaleDataError
from radar.links import update_links
from radar.models import EVENT, STEADY, THEME, Finding, Identity, KnownTrend, Topic
from radar.policy import suggest_ring
from radar.selection import radar_selection
from radar.store import Store
from radar.text import iso_utc, parse_iso_utc, utc_now
from radar.thresholds import THRESHOLDS, Events, Gate

MOMENTUM = THRESHOLDS.momentum


@dataclass
class Analysis:
    as_of: datetime
    trends: list[Finding]
    identity: Identity
    stories: int
    seconds: float = 0.0


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
    news = in_scope([(c.kind == THEME, c.rows) for c in candidates], titles)
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
        # A flag holds on the last week's pace, or on the four weeks' while they grow.
        ongoing = n >= MOMENTUM.sustained_share * long.recent and paced[0]
        candidates.append(Candidate(THEME, theme.rows, names,
                                    theme_signal(long, short, last_two_weeks=n),
                                    perennial=background or is_everyday_name(names[0].label)
                                    or is_organisation([n.label for n in names], told),
                                    pace=max(short.growth if paced[1] else 0.0,
                                             long.growth if ongoing else 0.0)))
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
        if found := names_of(burst_rows):
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


def describe(candidate: Candidate, stories: Sequence[Story], *, as_of: datetime,
             settings: Settings, label: str) -> Finding:
    """Everything the radar shows about one candidate, except its id and theme."""
    chosen = [stories[i] for i in sorted(candidate.rows)]
    titles = [s.title for s in chosen]
    theme = candidate.kind == THEME
    span_days = settings.theme_window_days if theme else settings.window_days
    recent_days = candidate.signal.window_days
    recent_start = as_of - timedelta(days=recent_days)
    sources = frozenset().union(*(s.sites for s in chosen))
    quadrant, reason = place_quadrant(titles, settings.quadrants,
                                      default=settings.default_quadrant)
    signal = candidate.signal
    return Finding(
        id="", label=label, kind=candidate.kind,
        keywords=tuple(option.label for option in candidate.names[:8]),
        entities=tuple(extract_entities(titles, settings.vendors)),
        terms={option.label.lower(): float(option.support) for option in candidate.names},
        quadrant=quadrant, quadrant_reason=reason,
        suggested_ring=suggest_ring(signal.status, rings=settings.rings),
        status=signal.status, score=signal.score,
        article_count=sum(len(s.article_ids) for s in chosen), story_count=len(chosen),
        source_count=len(sources), first_seen=iso_utc(chosen[0].published),
        last_seen=iso_utc(chosen[-1].published),
        weekly_counts=tuple(tuple(w) for w in weekly_counts(
            [s.published.date() for s in chosen],
            start=(as_of - timedelta(days=span_days)).date(), end=as_of.date())),
        why=why_now(signal, recent_articles=sum(len(s.article_ids) for s in chosen
                                                if s.published > recent_start),
                    recent_days=recent_days) + (
            f"; not flagged on its own: its stories are mostly {candidate.facet_of}'s"
            if candidate.facet_of else ""),
        members=frozenset(a for s in chosen for a in s.article_ids),
        perennial=candidate.perennial,
        growth=candidate.pace if candidate.kind == THEME else signal.growth,
        recent_sources=signal.recent_sources, takeoff=recent_days <= settings.recent_days)


@paused_gc()
def analyze(store: Store, settings: Settings, *, as_of: datetime,
            window_days: int | None = None, save: bool = True,
            require_recent: bool = False, replayed: bool = False) -> Analysis:
    """Analyse the history ending at `as_of`; nothing published later is read.

    `require_recent` is for undated analyses ("now"): when nothing stored was published
    in the last `recent_days`, the analysis would turn a rich radar into an empty one, so
    it raises `StaleDataError` saying where the data ends instead of saving anything.
    """
    started = time.perf_counter()
    if require_recent:
        check_recent(store, settings, as_of=as_of)
    if window_days:
        settings = replace(settings, window_days=window_days,
                           theme_window_days=max(settings.theme_window_days, window_days))
    history = max(settings.theme_window_days, settings.window_days)
    articles = store.load_window_articles(start=iso_utc(as_of - timedelta(days=history)),
                                          end=iso_utc(as_of))
    stories = build_stories(articles)
    candidates, _ = find_candidates(stories, as_of=as_of, settings=settings)
    known = store.load_known_trends()
    findings, identity = identify(candidates, stories, known, as_of=as_of, settings=settings)
    moment = iso_utc(as_of)
    findings = within_budget(findings, settings, store.flag_history(
        moment, lately_days=settings.theme_recent_days, week_days=MOMENTUM.budget_days))
    analysis = Analysis(as_of=as_of, trends=findings, identity=identity,
                        stories=len(stories), seconds=time.perf_counter() - started)
    if save:
        store.save_analysis(findings, identity, as_of=iso_utc(as_of),
                            window_days=settings.window_days, stories=len(stories),
                            seconds=analysis.seconds, replayed=replayed, ran_at=utc_now())
        # What the radar showed after this analysis: the next one marks what is new.
        store.save_radar([t.id for t in radar_selection(store.load_trends(), settings)])
        update_links(store, settings)   # what touches the roadmap and the stack, now
    return analysis


def check_recent(store: Store, settings: Settings, *, as_of: datetime) -> None:
    """Raise StaleDataError unless the last `recent_days` hold at least `min_stories`
    articles their feeds dated (one undated item stamped when fetched is not news)."""
    newest = store.newest_published(before=iso_utc(as_of))
    moment = parse_iso_utc(newest) if newest else None
    recent_start = as_of - timedelta(days=settings.recent_days)
    if moment is not None and moment > recent_start and store.count_dated(
            start=iso_utc(recent_start), end=iso_utc(as_of)) >= settings.min_stories:
        return
    last = store.last_analysis()
    kept = (f"the radar keeps its analysis as of {last['as_of'][:10]}" if last
            else "no analysis was made")
    if moment is None:
        raise StaleDataError(f"No articles are stored yet: {kept}. Collect the feeds "
                             "(`radar collect`) or import an archive (`radar import FILE`).",
                             newest=None)
    raise StaleDataError(
        f"Nothing stored was published in the {settings.recent_days} days up to "
        f"{iso_utc(as_of)[:10]} (the newest article is from {newest[:10]}): {kept}. Collect "
        f"the feeds (`radar collect`), or analyse up to the data: "
        f"`radar analyze --as-of {newest[:10]}`.", newest=newest)


def identify(candidates: Sequence[Candidate], stories: Sequence[Story],
             known: Sequence[KnownTrend], *, as_of: datetime, settings: Settings
             ) -> tuple[list[Finding], Identity]:
    """Ids for themes, then events (each matched against earlier trends of its kind), the
    names they had before where those still fit, and each event's theme."""
    combined = Identity(ids=[])
    ids: dict[int, str] = {}
    event_start = as_of - timedelta(days=settings.window_days)
    for kind in (THEME, EVENT):
        chosen = [i for i, c in enumerate(candidates) if c.kind == kind]
        window = {a for s in stories for a in s.article_ids
                  if kind == THEME or s.published > event_start}
        topics = [Topic(members=frozenset(a for r in candidates[i].rows
                                          for a in stories[r].article_ids),
                        terms={o.label.lower(): float(o.support) for o in candidates[i].names})
                  for i in chosen]
        result = match_identities(topics, [k for k in known if k.kind == kind],
                                  in_window=frozenset(window), reserved=frozenset(ids.values()),
                                  salt="" if kind == EVENT else "theme:")
        ids.update(zip(chosen, result.ids, strict=True))
        combined.events += result.events
        combined.parents.update(result.parents)
        combined.merged.update(result.merged)
        combined.dormant += result.dormant
    previous = {k.id: k.label for k in known}
    theme_rows = {ids[i]: c.rows for i, c in enumerate(candidates) if c.kind == THEME}
    event_rows = [c.rows for c in candidates if c.kind == EVENT]
    sites, titles = [s.sites for s in stories], [s.title for s in stories]
    flagged_themes = {i: set(c.rows.tolist()) for i, c in enumerate(candidates)
                      if c.kind == THEME and c.signal.flagged and not c.perennial}
    findings = []
    for index, candidate in enumerate(candidates):
        trend_id = ids[index]
        label = stable_label(candidate.names, previous.get(trend_id))
        since = as_of - timedelta(days=candidate.signal.window_days)
        window = [int(r) for r in candidate.rows if stories[r].published > since]
        # "Apple zero-day"; "TeamViewer breach" for a theme of one happening: new, or
        # mostly one of its events
        new = len(window) == len(candidate.rows)
        if candidate.kind == THEME and candidate.signal.flagged and (
                candidate.perennial or new or one_event(window, event_rows,
                                                        theme=candidate.rows)):
            apart = take_off_name([o.label for o in candidate.names], titles, sites,
                                  window=window, theme=candidate.rows, events=event_rows,
                                  flagged_themes=[rows for i, rows in flagged_themes.items()
                                                  if i != index])
            if apart is None and candidate.perennial:
                candidate = replace(candidate, signal=replace(candidate.signal, status=STEADY))
            elif apart is not None and (candidate.perennial
                                        or befell(apart, candidate.names[0].label,
                                                  new=new)):
                label = apart
        found = describe(candidate, stories, as_of=as_of, settings=settings, label=label)
        theme = theme_of(candidate.rows, theme_rows) if candidate.kind == EVENT else None
        findings.append(replace(found, id=trend_id, parent_id=combined.parents.get(trend_id),
                                theme=theme))
    combined.ids = [ids[i] for i in range(len(candidates))]
    told = [[titles[r] for r in c.rows] for c in candidates]
    return merge_same_id(names_apart(ids_named(findings, told), told)), combined
