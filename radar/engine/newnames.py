"""Events found by the names their stories share, where density clustering finds none (pure).

Density clustering groups stories by their words. Three sites telling one new happening
in their own words ("FBI seizes Radar/Dispossessor ransomware gang servers", "FBI Shuts
Down Dispossessor Ransomware Group's Servers") may share little besides its name, so
they stay apart as noise. The name, new to the whole history, is what they share. So is
a name written only now and then before ("Commvault"), in the week its flaw is exploited.

The opposite happens too: headlines sharing the week's vocabulary ("actively exploited",
"security update") make one burst of several happenings (a Chrome zero-day, Patch
Tuesday, an Ivanti appliance flaw) that no name tells. Split by the names its stories
share, each happening is an event of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from radar.engine.phrases import PhraseTable


def new_name_groups(table: PhraseTable, loose: np.ndarray, recent: np.ndarray, *,
                    before: np.ndarray, weeks_before: int, takeoff: float, quiet: float,
                    sites: Sequence[frozenset[str]], min_stories: int,
                    min_sites: int) -> list[tuple[str, np.ndarray]]:
    """Groups of `loose` stories (rows of the history no topic took) among the `recent`
    ones, each naming a subject no story of the history named before the recent days, or
    a quiet one that took off: named at most `quiet` times a week in the `weeks_before`
    (rows `before`), and now `takeoff` times as often. Told by `min_stories` stories
    from `min_sites` sites at least; the most told first, a story in one group only;
    each with its name (a phrase key)."""
    recent_loose = np.intersect1d(loose, recent)
    if len(recent_loose) < min_stories:
        return []
    in_recent = np.asarray(table.by_story[recent].sum(axis=0)).ravel()
    weekly = np.asarray(table.by_story[before].sum(axis=0)).ravel() / weeks_before
    return _name_groups(table, recent_loose, sites=sites, min_stories=min_stories,
                        min_sites=min_sites, eligible=lambda col: (
                            in_recent[col] == table.story_counts[col]
                            or (weekly[col] <= quiet
                                and in_recent[col] >= takeoff * weekly[col])))


def split_by_name(table: PhraseTable, burst: np.ndarray, *, sites: Sequence[frozenset[str]],
                  min_stories: int, min_sites: int, max_stories: float) -> list[np.ndarray]:
    """A burst no name tells, split into groups of its stories sharing a subject name
    (not an ordinary word, nor one as broad as the news's vocabulary: `max_stories`)."""
    return [rows for _, rows in _name_groups(
        table, burst, sites=sites, min_stories=min_stories, min_sites=min_sites,
        eligible=lambda col: (not table.is_common_word(col)
                              and table.story_counts[col] <= max_stories))]


def _name_groups(table: PhraseTable, rows: np.ndarray, *, sites: Sequence[frozenset[str]],
                 min_stories: int, min_sites: int,
                 eligible: Callable[[int], bool]) -> list[tuple[str, np.ndarray]]:
    """Groups of `rows` sharing an `eligible` subject name, told by `min_stories` stories
    from `min_sites` sites at least; the most told first, a story in one group only."""
    cols, counts = np.unique(table.by_story[rows].indices, return_counts=True)
    told = dict(zip(cols.tolist(), counts.tolist(), strict=True))   # phrase -> its stories
    taken: set[int] = set()
    groups = []
    for col in sorted((c for c, n in told.items() if n >= min_stories),
                      key=lambda c: (-told[c], c)):
        if not eligible(col) or not table.is_subject(col):
            continue
        members = [int(r) for r in np.intersect1d(table.rows_of(col), rows) if r not in taken]
        if len(members) >= min_stories and \
                len(frozenset().union(*(sites[r] for r in members))) >= min_sites:
            taken.update(members)
            groups.append((table.keys[col], np.array(members)))
    return groups
