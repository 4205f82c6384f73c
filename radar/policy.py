"""Rules about trends that people rely on, as pure functions.

The store loads and saves; whether a trend is listed, whether a dismissal survives a
re-analysis, whether a blip counts as "new" or "moved" is decided here, once, and tested
without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from radar.models import EMERGING, OPEN, RISING, KevMark

# Which column of `trends` each kind of edit changes (the old value goes into history).
EDIT_COLUMNS = {"rename": "user_label", "quadrant": "quadrant_override", "dismiss": "state",
                "merge": "merged_into"}
HIDDEN_STATES = ("dismissed", "merged")
REPLAYED_AFTER = timedelta(days=2)   # later than this, an analysis was not seen live


def is_listed(state: str, *, decided: bool) -> bool:
    """Dismissed and merged-away trends are hidden; a dormant one stays listed only while a
    person's decision is attached to it (their decision must not silently disappear)."""
    if state in HIDDEN_STATES:
        return False
    return state != "dormant" or decided


def state_after_analysis(previous: str | None) -> str:
    """A trend found again becomes active, except that a dismissal is for good."""
    return "dismissed" if previous == "dismissed" else "active"


def has_moved(*, ring_before: str | None, ring_at_analysis: str | None, ring_now: str) -> bool:
    """The radar shows a trend in another ring than at the analysis before the last one
    (a new suggestion), or a person decided on another ring since the last analysis."""
    changed_since = bool(ring_at_analysis) and ring_at_analysis != ring_now
    changed_by_analysis = bool(ring_before) and ring_before != ring_at_analysis
    return changed_since or changed_by_analysis


def new_on_radar(shown: set[str], previous: set[str] | None) -> set[str]:
    """Trends on the radar now that were not on the previous radar. On a first radar
    nothing is "new": everything would be, which tells a reader nothing. A previous radar
    that showed nothing (an analysis of an empty database, before the first collect or
    import) makes this one the first."""
    return shown - previous if previous else set()


def kev_mark_of(marks: Iterable[KevMark], cve: str, stack_id: str) -> KevMark | None:
    """The mark in force for a KEV entry on one stack item: the latest one given for that
    item or for every item (marks in the order they were given); None while open."""
    found = None
    for mark in marks:
        if mark.cve == cve and mark.stack_id in ("", stack_id):
            found = mark
    return None if found is None or found.state == OPEN else found


def is_replayed(as_of: datetime, ran_at: datetime, *, asked: bool = False) -> bool:
    """An analysis is history replayed after the fact, not seen live, when asked to be (a
    backtest) or when it ran more than `REPLAYED_AFTER` after the moment it is about: its
    flags must not count as warnings we had in time."""
    return asked or as_of < ran_at - REPLAYED_AFTER


def suggest_ring(status: str, *, rings: Sequence[str], evidence: bool = False) -> str:
    """The ring the radar suggests claims only what the evidence backs, so it reads right
    in every quadrant (for threats adopt = act now, assess = check our exposure, hold =
    watch): the inner ring only with `evidence` that it concerns us (a threat exploiting a
    product we run, see `radar.links`); the middle ring for emerging or rising subjects
    (look into them now); the outer ring for the rest (keep an eye on them)."""
    if evidence:
        return rings[0]
    if status in (EMERGING, RISING):
        return rings[len(rings) // 2]
    return rings[-1]
