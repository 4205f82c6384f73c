"""Where a trend goes on the radar: its quadrant, from the words its headlines use (pure).
The ring it suggests is a rule people rely on: `radar.policy.suggest_ring`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from radar.models import Quadrant
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
