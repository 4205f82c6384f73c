"""A name nobody wrote before, told by several sites in a few days, groups their stories."""

import numpy as np

from radar.engine.newnames import new_name_groups
from radar.engine.phrases import PhraseTable

OLDER = [
    "Ivanti patches gateway flaw", "Hackers breach telecoms in Asia",
    "Ransomware gang leaks hospital data", "Ivanti gateway attacks continue",
] * 5
THIS_WEEK = [
    "FBI seizes Vextorra ransomware servers in US and Europe",   # three sites, own words
    "Police dismantle Vextorra gang",
    "Vextorra group's servers shut down across three countries",
    "New Ivanti gateway flaw exploited",                          # a name written before
    "Ivanti warns of second gateway bug",
    "Ivanti gateway zero-day hits agencies",
    "Quorvane stealer spreads via ads",                           # told by two sites only
    "Quorvane stealer targets gamers",
    "Quorvane stealer returns",
]
TITLES = OLDER + THIS_WEEK
SITES = [frozenset({f"site{i % 7}"}) for i in range(len(OLDER))] + [
    frozenset({"a"}), frozenset({"b"}), frozenset({"c"}),
    frozenset({"a"}), frozenset({"b"}), frozenset({"c"}),
    frozenset({"a"}), frozenset({"b"}), frozenset({"a"}),
]


def groups(loose: np.ndarray) -> list[list[str]]:
    table = PhraseTable.build(TITLES)
    recent = np.arange(len(OLDER), len(TITLES))
    found = new_name_groups(table, loose, recent, sites=SITES, min_stories=3, min_sites=3)
    return [[TITLES[r] for r in group] for group in found]


def test_a_new_name_told_by_three_sites_is_one_group() -> None:
    assert groups(np.arange(len(TITLES))) == [THIS_WEEK[:3]]


def test_only_stories_no_topic_took_are_grouped() -> None:
    # Two of the three stories already belong to a topic of their words: nothing is left.
    loose = np.array([i for i in range(len(TITLES)) if i not in (len(OLDER), len(OLDER) + 1)])
    assert groups(loose) == []
