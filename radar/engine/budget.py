"""The alert budget: how many trends one analysis flags, and which (pure).

A CISO reads the emerging and rising list in five minutes: at most `max_flagged` trends,
the highest scores first: a subject taking off now is never kept out by one flagged
before. While room is left, a trend flagged by the analysis before keeps its flag as long
as its last week stays well above the usual, so a subject at the edge of a threshold is
not flagged anew every other day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from radar.config import Settings
from radar.models import FLAGGED, RISING, STEADY, Finding
from radar.policy import suggest_ring
from radar.thresholds import THRESHOLDS


def over_budget(scores: Sequence[float], budget: int) -> set[int]:
    """Which of these flagged trends (by score) go beyond the alert budget: all but the
    `budget` best."""
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return set(ranked[budget:])


def within_budget(findings: list[Finding], settings: Settings, *, before: set[str]
                  ) -> list[Finding]:
    """At most `max_flagged` trends flagged, the best first: the others are steady, and
    say why. While room is left, a trend flagged before whose last week is still well
    above the usual (`Momentum.hold_growth`) keeps its flag."""
    flagged = [i for i, f in enumerate(findings) if f.status in FLAGGED]
    cut = {flagged[i] for i in over_budget([findings[i].score for i in flagged],
                                           settings.max_flagged)}
    room = settings.max_flagged - (len(flagged) - len(cut))
    held = set(sorted((i for i, f in enumerate(findings)
                       if f.id in before and f.status == STEADY
                       and f.growth >= THRESHOLDS.momentum.hold_growth and not f.perennial),
                      key=lambda i: (-findings[i].score, i))[:max(room, 0)])

    def decided(i: int, f: Finding) -> Finding:
        if i in cut:
            return replace(f, status=STEADY, why=f"{f.why}; not flagged: beyond the "
                           f"{settings.max_flagged} trends an analysis flags",
                           suggested_ring=suggest_ring(STEADY, rings=settings.rings))
        if i in held:
            return replace(f, status=RISING, why=f"{f.why}; still flagged: its last week "
                           f"{f.growth:.1f}x the usual",
                           suggested_ring=suggest_ring(RISING, rings=settings.rings))
        return f

    return [decided(i, f) for i, f in enumerate(findings)]
