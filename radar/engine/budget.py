"""The alert budget: how many trends one analysis flags, and which (pure).

A CISO reads the emerging and rising list in five minutes: at most `max_flagged` trends,
the highest scores first: a subject taking off now is never kept out by one flagged
before; over a week at most `max_new_weekly` are newly flagged, the best first, so the
inbox and the weekly digest stay short. While room is left, a trend flagged by the
analysis before keeps its flag as long as its coverage stays well above the usual, so a
subject at the edge of a threshold is not flagged anew every other day. In a quiet week
(fewer sites publishing, fewer subjects passing the gates) the list is filled up to
`Momentum.quiet_floor` subjects with the strongest that still grow, so a quiet week's
radar still says what is new.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace

from radar.config import Settings
from radar.engine.apart import nothing_new_named, says_nothing_new
from radar.engine.scope import holds_most
from radar.models import FLAGGED, RISING, STEADY, THEME, Finding, FlagHistory
from radar.policy import suggest_ring
from radar.selection import distinct, same_subject
from radar.thresholds import THRESHOLDS

MOMENTUM = THRESHOLDS.momentum
NO_HISTORY = FlagHistory()   # a first analysis: nothing flagged before


def over_budget(scores: Sequence[float], new: Sequence[bool], *, budget: int,
                new_budget: int, under_theme: Sequence[bool] = ()) -> tuple[set[int], set[int]]:
    """Which of these flagged trends (by score; `new` when not flagged before) go beyond
    the alert budget, taken best first: (beyond `budget` in all, new beyond `new_budget`).
    A new one waiting leaves its place to the next best. Events `under_theme` (their
    theme is flagged too, and lists them) come after every other subject."""
    cut: set[int] = set()
    waiting: set[int] = set()
    kept = kept_new = 0
    last = under_theme or [False] * len(scores)
    for i in sorted(range(len(scores)), key=lambda i: (last[i], -scores[i], i)):
        if new[i] and kept_new >= new_budget:
            waiting.add(i)
        elif kept >= budget:
            cut.add(i)
        else:
            kept, kept_new = kept + 1, kept_new + new[i]
    return cut, waiting


def within_budget(findings: list[Finding], settings: Settings,
                  history: FlagHistory = NO_HISTORY) -> list[Finding]:
    """At most `max_flagged` trends flagged, the best first: the others are steady, and
    say why. At most `max_new_weekly` newly flagged in 7 days, the best first (see
    `new_flag_room`: a sudden event is never kept out). A theme whose flag ended within
    its four weeks (flagged lately, not by the analysis before) returns only with a new
    take-off. While room is left, a trend flagged before whose coverage is still well
    above the usual (`Momentum.hold_growth`) keeps its flag; then, in a quiet week, the
    strongest growing subjects fill the list up to `Momentum.quiet_floor`."""
    before, lately = history.before, history.lately
    unnamed = nothing_new_named(findings)
    lapsed = {i for i, f in enumerate(findings) if f.status in FLAGGED
              and f.id in lately and f.id not in before and not f.takeoff}
    flagged = [i for i, f in enumerate(findings) if f.status in FLAGGED
               and i not in unnamed and i not in lapsed]
    new_room = new_flag_room(settings, history)
    themes = {findings[i].id for i in flagged if findings[i].kind == THEME}
    cut, waiting = (
        {flagged[i] for i in beyond} for beyond in over_budget(
            [findings[i].score for i in flagged], [findings[i].id not in before for i in flagged],
            budget=settings.max_flagged, new_budget=new_room,
            under_theme=[findings[i].theme in themes for i in flagged]))
    kept = [i for i in flagged if i not in cut and i not in waiting]
    room = settings.max_flagged - len(kept)
    # Only a flag of the last days holds: an analysis weeks before says nothing of now.
    holding = _analysed_lately(history)
    held = set(sorted((i for i, f in enumerate(findings)
                       if holding and f.id in before and f.status == STEADY
                       and f.growth >= MOMENTUM.hold_growth and not f.perennial),
                      key=lambda i: (-findings[i].score, i))[:max(room, 0)])
    listed = set(kept) | held
    filled = quiet_week_fill(findings, listed, before=before, lately=lately,
                             room=room - len(held),
                             new_room=new_room - sum(findings[i].id not in before for i in kept))

    def restated(f: Finding, status: str, reason: str) -> Finding:
        return replace(f, status=status, why=f"{f.why}; {reason}",
                       suggested_ring=suggest_ring(status, rings=settings.rings))

    def decided(i: int, f: Finding) -> Finding:
        if i in unnamed and f.status in FLAGGED:
            return restated(f, STEADY, f"not flagged: its headlines say nothing new about "
                                       f"{unnamed[i]}")
        if i in lapsed:
            return restated(f, STEADY, f"not flagged again: its flag ended in the last "
                                       f"{settings.theme_recent_days} days and only a new "
                                       "take-off brings it back")
        if i in cut:
            return restated(f, STEADY, f"not flagged: beyond the {settings.max_flagged} "
                                       "trends an analysis flags")
        if i in waiting:
            return restated(f, STEADY, f"not flagged yet: beyond the {settings.max_new_weekly}"
                                       " trends newly flagged in 7 days")
        if i in held:
            return restated(f, RISING, f"still flagged: its coverage {f.growth:.1f}x the usual")
        if i in filled:
            return restated(f, RISING, f"flagged in a quiet week: {f.growth:.1f}x the usual "
                                       "coverage")
        return f

    return [decided(i, f) for i, f in enumerate(findings)]


def new_flag_room(settings: Settings, history: FlagHistory) -> int:
    """How many trends one analysis may newly flag: what is left of the week's
    `max_new_weekly`, and at least `Momentum.new_each_day` for each day since the analysis
    before (less those the last day raised). With no analysis in the week before, nothing
    it flags is new to anyone: no limit but `max_flagged`."""
    if not _analysed_lately(history):
        return settings.max_flagged
    each = math.ceil(MOMENTUM.new_each_day * max(history.since_days, 1.0))
    return max(settings.max_new_weekly - history.new_week, each - history.new_day, 0)


def _analysed_lately(history: FlagHistory) -> bool:
    """An analysis within `Momentum.budget_days` before this one: its flags count."""
    return history.since_days is not None and history.since_days < MOMENTUM.budget_days


def quiet_week_fill(findings: Sequence[Finding], listed: set[int], *,
                    before: AbstractSet[str], lately: AbstractSet[str], room: int,
                    new_room: int) -> set[int]:
    """Steady trends that fill a short list up to `Momentum.quiet_floor` subjects: ones
    still growing (`Momentum.fill_growth`) from several sites this week, not names in the
    news all along nor one named only "<name> news", not the same subject as a listed one
    nor telling mostly its stories (nor another fill's: "NSO" beside "Pegasus"), not one
    whose flag ended lately; yesterday's first, then by score, and at most `new_room`
    not flagged yesterday."""
    chosen = [findings[i] for i in sorted(listed, key=lambda i: (-findings[i].score, i))]
    wanted = min(MOMENTUM.quiet_floor - len(distinct(chosen)), room)
    growing = sorted((i for i, f in enumerate(findings)
                      if i not in listed and f.status == STEADY and not f.perennial
                      and says_nothing_new(f.label) is None
                      and (f.id in before or f.id not in lately)
                      and f.growth >= MOMENTUM.fill_growth
                      and f.recent_sources >= MOMENTUM.fill_sources),
                     key=lambda i: (findings[i].id not in before, -findings[i].score, i))
    filled: set[int] = set()
    for i in growing:
        if len(filled) >= wanted:
            break
        new = findings[i].id not in before
        if new and new_room <= 0:
            continue
        if not any(same_subject(findings[i], other) or _facets(findings[i], other)
                   for other in chosen):
            new_room -= new
            chosen.append(findings[i])
            filled.add(i)
    return filled


def _facets(one: Finding, other: Finding) -> bool:
    """One tells mostly the other's articles: a facet of one subject."""
    return holds_most(one.members, other.members) or holds_most(other.members, one.members)
