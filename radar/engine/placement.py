"""Where a trend goes on the radar: its quadrant and the ring the engine suggests (pure).

What a ring means is said per quadrant in the settings (for threats, adopt = act now,
assess = check our exposure, hold = watch); the suggestion follows from momentum so that
it reads right in every quadrant: a subject growing now is looked into (the middle ring,
never the outer one), an established, widely covered one is in the inner ring, the rest
is watched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from radar.engine.momentum import Signal
from radar.models import EMERGING, RISING, STEADY, Quadrant
from radar.text import term_pattern


def place_quadrant(titles: Sequence[str], quadrants: Sequence[Quadrant], *,
                   default: str) -> tuple[str, str]:
    """The quadrant whose seed vocabulary the trend's headlines use most, and why.

    Returns (quadrant name, reason), e.g. ("Threats & Vulnerabilities",
    "matched: ransomware (4), exploited (3)"). Ties go to the earlier quadrant.
    """
    best, best_hits, best_reason = default, 0, "no seed term matched; default quadrant"
    text = "\n".join(titles).lower()
    for quadrant in quadrants:
        found = Counter(term_pattern(quadrant.terms).findall(text))
        counts = {term: found[term.lower()] for term in quadrant.terms}
        hits = sum(counts.values())
        if hits > best_hits:
            top = sorted((c for c in counts.items() if c[1]), key=lambda c: (-c[1], c[0]))[:3]
            best, best_hits = quadrant.name, hits
            best_reason = "matched: " + ", ".join(f"{term} ({n})" for term, n in top)
    return best, best_reason


def suggest_ring(signal: Signal, *, source_count: int, rings: Sequence[str]) -> str:
    """Middle ring for emerging or rising subjects (look into them now); inner ring for
    established, widely covered ones; outer ring for the rest (keep an eye on them)."""
    if signal.status in (EMERGING, RISING):
        return rings[len(rings) // 2]
    if signal.status == STEADY and source_count >= 5 and signal.baseline >= 10:
        return rings[0]
    return rings[-1]
