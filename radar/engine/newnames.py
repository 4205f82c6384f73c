"""A name nobody wrote before, written by several sites within days: an event (pure).

Density clustering groups stories by their words. Three sites telling one new happening
in their own words ("FBI seizes Radar/Dispossessor ransomware gang servers", "FBI Shuts
Down Dispossessor Ransomware Group's Servers") may share little besides its name, so
they stay apart as noise. The name, new to the whole history, is what they share.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from radar.engine.phrases import PhraseTable


def new_name_groups(table: PhraseTable, loose: np.ndarray, recent: np.ndarray, *,
                    sites: Sequence[frozenset[str]], min_stories: int,
                    min_sites: int) -> list[np.ndarray]:
    """Groups of `loose` stories (rows of the history no topic took) among the `recent`
    ones, each naming a subject no story of the history named before the recent days,
    told by `min_stories` stories from `min_sites` sites at least; the most told first,
    a story in one group only."""
    recent_loose = np.intersect1d(loose, recent)
    if len(recent_loose) < min_stories:
        return []
    told = np.asarray(table.by_story[recent_loose].sum(axis=0)).ravel()
    in_recent = np.asarray(table.by_story[recent].sum(axis=0)).ravel()
    new = np.flatnonzero((told >= min_stories) & (in_recent == table.story_counts))
    taken: set[int] = set()
    groups = []
    for col in sorted(new, key=lambda c: (-told[c], c)):
        if not table.is_subject(int(col)):
            continue
        members = [int(r) for r in np.intersect1d(table.rows_of(int(col)), recent_loose)
                   if r not in taken]
        if len(members) >= min_stories and \
                len(frozenset().union(*(sites[r] for r in members))) >= min_sites:
            taken.update(members)
            groups.append(np.array(members))
    return groups
