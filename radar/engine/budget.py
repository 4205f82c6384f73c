"""The alert budget: how many trends one analysis flags, and which (pure).

A CISO reads the emerging and rising list in five minutes: at most `max_flagged` trends,
the highest scores first: a subject taking off now is never kept out by one flagged
before. While room is left, a trend flagged by the analysis before keeps its flag as long
as its coverage stays well above the usual, so a subject at the edge of a threshold is
not flagged anew every other day. In a quiet week (fewer sites publishing, fewer subjects
passing the gates) the list is filled up to `Momentum.quiet_floor` subjects with the
strongest that still grow, so a quiet week's radar still says what is new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from radar.config import Settings
from radar.engine.naming import nothing_new_named
from radar.models import FLAGGED, RISING, STEADY, Finding
from radar.policy import suggest_ring
from radar.selection import distinct, same_subject
from radar.thresholds import THRESHOLDS

MOMENTUM = THRESHOLDS.momentum


def over_budget(scores: Sequence[float], budget: int) -> set[int]:
    """Which of these flagged trends (by score) go beyond the alert budget: all but the
    `budget` best."""
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return set(ranked[budget:])


def within_budget(findings: list[Finding], settings: Settings, *, before: set[str],
                  lately: set[str] = frozenset()) -> list[Finding]:
    """At most `max_flagged` trends flagged, the best first: the others are steady, and
    say why. A theme whose flag ended within its four weeks (flagged in `lately`, not
    `before`) returns only with a new take-off, not on those four weeks again. While
    room is left, a trend flagged before whose coverage is still well above the usual
    (`Momentum.hold_growth`) keeps its flag; then, in a quiet week, the strongest
    growing subjects fill the list up to `Momentum.quiet_floor`."""
    unnamed = nothing_new_named(findings)
    lapsed = {i for i, f in enumerate(findings) if f.status in FLAGGED
              and f.id in lately and f.id not in before and not f.takeoff}
    flagged = [i for i, f in enumerate(findings) if f.status in FLAGGED
               and i not in unnamed and i not in lapsed]
    cut = {flagged[i] for i in over_budget([findings[i].score for i in flagged],
                                           settings.max_flagged)}
    room = settings.max_flagged - (len(flagged) - len(cut))
    held = set(sorted((i for i, f in enumerate(findings)
                       if f.id in before and f.status == STEADY
                       and f.growth >= MOMENTUM.hold_growth and not f.perennial),
                      key=lambda i: (-findings[i].score, i))[:max(room, 0)])
    listed = {i for i in flagged if i not in cut} | held
    filled = quiet_week_fill(findings, listed, before=before, lately=lately,
                             room=room - len(held))

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
        if i in held:
            return restated(f, RISING, f"still flagged: its coverage {f.growth:.1f}x the usual")
        if i in filled:
            return restated(f, RISING, f"flagged in a quiet week: {f.growth:.1f}x the usual "
                                       "coverage")
        return f

    return [decided(i, f) for i, f in enumerate(findings)]


def quiet_week_fill(findings: Sequence[Finding], listed: set[int], *, before: set[str],
                    lately: set[str], room: int) -> set[int]:
    """Steady trends that fill a short list up to `Momentum.quiet_floor` subjects: ones
    still growing (`Momentum.fill_growth`) from several sites this week, not names in the
    news all along, not the same subject as a listed one, not one whose flag ended lately;
    yesterday's first, then by score."""
    chosen = [findings[i] for i in sorted(listed, key=lambda i: (-findings[i].score, i))]
    wanted = min(MOMENTUM.quiet_floor - len(distinct(chosen)), room)
    growing = sorted((i for i, f in enumerate(findings)
                      if i not in listed and f.status == STEADY and not f.perennial
                      and (f.id in before or f.id not in lately)
                      and f.growth >= MOMENTUM.fill_growth
                      and f.recent_sources >= MOMENTUM.fill_sources),
                     key=lambda i: (findings[i].id not in before, -findings[i].score, i))
    filled: set[int] = set()
    for i in growing:
        if len(filled) >= wanted:
            break
        if not any(same_subject(findings[i], other) for other in chosen):
            chosen.append(findings[i])
            filled.add(i)
    return filled
