"""One collect run, as `radar collect` and the app's Collect now both run it: fetch the
due feeds, walk their older pages when asked (and only when a feed answered), group
near-duplicates, and re-analyse as of now when asked.

The engine (scikit-learn) is imported only when an analysis is asked for, so
`radar collect` from cron starts fast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from radar.collect import BackfillReport, CollectReport, FetchOptions, backfill_feeds, collect_feeds
from radar.config import Settings
from radar.dedup import update_duplicate_groups
from radar.errors import StaleDataError
from radar.health import next_step
from radar.models import Feed, FetchOutcome, Walk
from radar.store import Store
from radar.text import utc_now

if TYPE_CHECKING:
    from radar.engine.analyze import Analysis


@dataclass(frozen=True)
class Analysed:
    """A re-analysis as of now: what it found, or why it kept the radar as it was."""

    result: Analysis | None
    not_done: str = ""       # "the newest article is from …": data too old to re-analyse


@dataclass(frozen=True)
class CollectRun:
    """What one run did, for the CLI's tables and the app's notice."""

    collected: CollectReport
    grouped: int                          # articles newly grouped with earlier tellings
    stored: int                           # articles in the store after the run
    backfilled: BackfillReport | None = None   # None: not asked, or no feed answered
    analysed: Analysed | None = None      # None: not asked

    @property
    def next_step(self) -> str | None:
        """What to do after a run that got nothing (None when it went well)."""
        return next_step(succeeded=self.collected.succeeded, failures=self.collected.failures,
                         skipped=len(self.collected.skipped), stored=self.stored)


def run_collect(store: Store, feeds: Sequence[Feed], *, options: FetchOptions | None = None,
                backfill_cutoff: datetime | None = None, settings: Settings | None = None,
                on_outcome: Callable[[FetchOutcome, int], None] | None = None,
                on_walk: Callable[[Walk], None] | None = None) -> CollectRun:
    """Collect `feeds`; walk back to `backfill_cutoff` when given; group duplicates;
    re-analyse as of now when `settings` are given."""
    collected = collect_feeds(store, feeds, options=options, on_outcome=on_outcome)
    # Walking back is pointless (and one line of the same error per feed) when nothing
    # answered.
    backfilled = (backfill_feeds(store, feeds, cutoff=backfill_cutoff, options=options,
                                 on_walk=on_walk)
                  if backfill_cutoff is not None and collected.succeeded else None)
    grouped = update_duplicate_groups(store)
    analysed = analyse_now(store, settings) if settings is not None else None
    return CollectRun(collected, grouped, store.count_articles(), backfilled, analysed)


def analyse_now(store: Store, settings: Settings) -> Analysed:
    """Analyse as of now; when nothing stored is recent, keep the radar and say why."""
    from radar.engine.analyze import analyze

    try:
        return Analysed(analyze(store, settings, as_of=utc_now(), require_recent=True))
    except StaleDataError as e:
        return Analysed(None, str(e))
