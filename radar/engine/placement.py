"""Where a trend goes on the radar: its quadrant and the ring the engine suggests (pure).

What a ring means is said per quadrant in the settings (for threats, adopt = act now,
assess = check our exposure, hold = watch); the suggestion claims only what the evidence
backs, so it reads right in every quadrant: a subject growing now is looked into (the
middle ring), the rest is watched (the outer ring). The inner ring is suggested only
with evidence that it concerns us (a threat exploiting a product we run, see
`radar.links`); elsewhere only a person adopts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from radar.models import EMERGING, RISING, Quadrant
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


def suggest_ring(status: str, *, rings: Sequence[str], evidence: bool = False) -> str:
    """Inner ring with `evidence` that it concerns us; middle ring for emerging or rising
    subjects (look into them now); outer ring for the rest (keep an eye on them)."""
    if evidence:
        return rings[0]
    if status in (EMERGING, RISING):
        return rings[len(rings) // 2]
    return rings[-1]
