"""One analysis: stored articles -> stories -> themes and events -> scored trends with ids.

I/O stays at the edges: `analyze` reads the history from the store, the pure steps find
themes and events with their momentum (`candidates.py`), give them stable ids
(`identity.py`), name them (`naming.py`, `apart.py`) and keep the alert budget (`budget.py`); the
result is saved in one transaction.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache

import numpy as np

from radar.config import Settings
from radar.engine.apart import (
    MOSTLY,
    befalls_an_actor,
    befell,
    events_befallen,
    full_name,
    ids_named,
    in_their_own_words,
    is_actor,
    names_apart,
    words_about,
    written,
    written_in_lower_case,
)
from radar.engine.budget import within_budget
from radar.engine.candidates import Candidate, find_candidates
from radar.engine.cluster import extract_entities
from radar.engine.identity import match_identities, merge_same_id, theme_of
from radar.engine.momentum import weekly_counts, why_now
from radar.engine.naming import stable_label
from radar.engine.pause import paused_gc
from radar.engine.placement import place_quadrant
from radar.engine.scope import holds_most, one_event, take_off_name
from radar.engine.spelling import completed_in
from radar.engine.stories import Story, build_stories
from radar.engine.wordforms import is_kind
from radar.errors import StaleDataError
from radar.links import update_links
from radar.models import EVENT, STEADY, THEME, Finding, Identity, KnownTrend, Topic
from radar.policy import suggest_ring
from radar.selection import radar_selection
from radar.store import Store
from radar.text import find_word, iso_utc, parse_iso_utc, utc_now
from radar.thresholds import THRESHOLDS

MOMENTUM = THRESHOLDS.momentum


@dataclass
class Analysis:
    as_of: datetime
    trends: list[Finding]
    identity: Identity
    stories: int
    seconds: float = 0.0


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


def _take_off(candidate: Candidate, window: list[int], titles: Sequence[str],
              sites: Sequence[frozenset[str]], *, told: Sequence[str], said: Sequence[str],
              events: Sequence[np.ndarray], flagged_themes: Sequence[set[int]],
              actor: bool) -> str | None:
    """What a flagged theme's take-off is named apart, if it is: a name in the news all
    along ("Apple zero-day"), or a theme of one happening named for what befell it
    ("TeamViewer breach"): one mostly one of its events, or whose window's headlines
    mostly say it, as one writes it ("GeoServer vulnerability") or each in its own
    words ("Balancer heist"); never words of a category ("federal agencies"). None
    otherwise. `told`: the theme's headlines; `said`: its window's."""
    bare = candidate.names[0].label
    if not candidate.perennial and written_in_lower_case(bare, told):
        return None
    new = len(window) == len(candidate.rows)
    one = candidate.perennial or new or one_event(window, events, theme=candidate.rows)
    # Otherwise said by most of the window (as one of its headlines writes it, first).
    least = 0 if one else math.ceil(MOSTLY * len(window))

    def fits(name: str, *, first: bool = False) -> bool:
        if candidate.perennial:   # anything new about it, not its full name
            return not full_name(name, bare) and not (first and words_about(name, bare, told))
        return befell(name, bare, actor=actor) and (one or written(name, said) or (
            in_their_own_words(name, bare, past=not new and not first)))

    def named(fitting: Callable[[str], bool]) -> str | None:
        return take_off_name([o.label for o in candidate.names], titles, sites,
                             window=window, theme=candidate.rows, events=events,
                             flagged_themes=flagged_themes, fits=fitting, least=least)

    # A name as written comes first: words headlines write about a name in the news all
    # along ("Instagram passwords") name its take-off only when nothing else does
    # ("Instagram fine"), and a flaw no headline writes with the name only then too
    # ("SharePoint flaws", as written, over "SharePoint exploitation").
    return named(lambda name: fits(name, first=True)) or named(fits)


def _of_the_take_off(findings: list[Finding], candidates: Sequence[Candidate],
                     took_off: dict[str, set[int]]) -> list[Finding]:
    """A flagged event telling most of the stories a name in the news all along took off
    with (or told mostly by them) is that take-off's happening, listed under it: "NSO
    Group damages" under "WhatsApp fine", not beside it, though the NSO Group theme holds
    it too."""
    placed = list(findings)
    for index, (found, candidate) in enumerate(zip(findings, candidates, strict=True)):
        if found.kind != EVENT or not candidate.signal.flagged or found.theme in took_off:
            continue
        rows = set(candidate.rows.tolist())
        theme = next((i for i, window in took_off.items()
                      if holds_most(rows, window) or holds_most(window, rows)), None)
        if theme is not None:
            placed[index] = replace(found, theme=theme)
    return placed


def _may_fill(candidate: Candidate) -> bool:
    """A steady theme growing enough to fill a quiet week's list (`within_budget`): named
    as a flagged one would be ("Roundcube flaw", not "Roundcube")."""
    return not candidate.perennial and candidate.pace >= MOMENTUM.fill_growth


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
    told = [[titles[r] for r in c.rows] for c in candidates]
    had_past = _written_before(stories, event_start)
    findings = []
    took_off: dict[str, set[int]] = {}   # a name in the news all along: its take-off's rows
    for index, candidate in enumerate(candidates):
        trend_id = ids[index]
        label = stable_label(candidate.names, previous.get(trend_id))
        if candidate.kind == THEME and (candidate.signal.flagged or _may_fill(candidate)):
            since = as_of - timedelta(days=candidate.signal.window_days)
            window = [int(r) for r in candidate.rows if stories[r].published > since]
            said = [titles[r] for r in window]
            others = [rows for i, rows in flagged_themes.items() if i != index]
            bare = candidate.names[0].label
            actor = is_actor(bare, told[index])
            apart = _take_off(candidate, window, titles, sites, told=told[index], said=said,
                              events=event_rows, flagged_themes=others, actor=actor) or (
                None if candidate.perennial else _its_happenings_name(
                    bare, window, said, candidates, had_past=had_past))
            if apart is None and candidate.perennial:
                candidate = replace(candidate, signal=replace(candidate.signal, status=STEADY))
            elif apart is not None and not befalls_an_actor(apart, bare, actor=actor):
                label = apart
                if candidate.perennial:
                    took_off[trend_id] = set(window)
            else:   # as the take-off's headlines write it ("Moonstone Sleet")
                label = completed_in(label, said)
        found = describe(candidate, stories, as_of=as_of, settings=settings, label=label)
        theme = theme_of(candidate.rows, theme_rows) if candidate.kind == EVENT else None
        findings.append(replace(found, id=trend_id, parent_id=combined.parents.get(trend_id),
                                theme=theme))
    combined.ids = [ids[i] for i in range(len(candidates))]
    findings = _of_the_take_off(findings, candidates, took_off)
    findings = events_befallen(ids_named(findings, told), told, had_past=had_past)
    return merge_same_id(names_apart(findings, told)), combined


def _its_happenings_name(bare: str, window: Sequence[int], said: Sequence[str],
                         candidates: Sequence[Candidate], *,
                         had_past: Callable[[str], bool]) -> str | None:
    """A flagged theme whose weeks are mostly one event with a new name of its own, which
    most of those weeks' headlines write, the newest among them, is named by it: "Google
    Play" is "Mandrake Spyware" in the week that spyware was found in its apps. A name
    with a past ("AT&T" in Salt Typhoon's weeks) is another subject's; one the newest
    story does not write is no longer what is new ("Migo" of a Redis theme whose last
    stories are another campaign's)."""
    told = set(window)
    for event in candidates:
        if event.kind != EVENT or not holds_most(set(event.rows.tolist()), told):
            continue
        name = event.names[0].label
        # Written by its own name, with or without its kind ("Mandrake Android spyware").
        own = _without_kind(name).lower()
        if bare.lower() not in name.lower() and name.lower() not in bare.lower() \
                and not had_past(own) and find_word(said[-1].lower(), own) >= 0 \
                and sum(find_word(title.lower(), own) >= 0 for title in said
                        ) >= MOSTLY * len(said):
            return name
    return None


def _without_kind(name: str) -> str:
    """A name without the kind of thing it is ("Mandrake" of "Mandrake Spyware")."""
    words = name.split()
    return " ".join(words[:-1]) if len(words) > 1 and is_kind(words[-1]) else name


def _written_before(stories: Sequence[Story], start: datetime) -> Callable[[str], bool]:
    """Whether a headline before `start` writes a name, as a word: the headlines are
    joined (in lower case, one a line) only when first asked, each name looked up once."""
    @cache
    def earlier() -> str:
        return "\n".join(s.title for s in stories if s.published <= start).lower()

    @cache
    def written(name: str) -> bool:
        return find_word(earlier(), name.lower()) >= 0

    return written
