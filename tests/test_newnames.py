"""A name nobody wrote before, told by several sites in a few days, groups their stories."""

import numpy as np

from radar.engine.newnames import new_name_groups, split_by_name
from radar.engine.phrases import PhraseTable

OLDER = [
    "Ivanti patches gateway flaw", "Hackers breach telecoms in Asia",
    "Ransomware gang leaks hospital data", "Ivanti gateway attacks continue",
] * 5 + ["Kestrelon ships a backup update"]                       # a name written once
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
    "Kestrelon backup flaw exploited",                            # ... now taking off
    "Critical Kestrelon bug under attack",
    "Kestrelon zero-day hits firms",
]
TITLES = OLDER + THIS_WEEK
SITES = [frozenset({f"site{i % 7}"}) for i in range(len(OLDER))] + [
    frozenset({"a"}), frozenset({"b"}), frozenset({"c"}),
    frozenset({"a"}), frozenset({"b"}), frozenset({"c"}),
    frozenset({"a"}), frozenset({"b"}), frozenset({"a"}),
    frozenset({"a"}), frozenset({"b"}), frozenset({"c"}),
]


def groups(loose: np.ndarray, *, quiet: float = 0.5) -> list[tuple[str, list[str]]]:
    table = PhraseTable.build(TITLES)
    recent = np.arange(len(OLDER), len(TITLES))
    found = new_name_groups(table, loose, recent, before=np.arange(len(OLDER)),
                            weeks_before=8, takeoff=3.0, quiet=quiet, sites=SITES,
                            min_stories=3, min_sites=3)
    return [(name, [TITLES[r] for r in group]) for name, group in found]


def test_a_new_name_told_by_three_sites_is_one_group() -> None:
    assert ("vextorra", THIS_WEEK[:3]) in groups(np.arange(len(TITLES)))


def test_a_quiet_name_taking_off_is_one_group_and_a_name_of_every_week_is_not() -> None:
    # "Kestrelon" once in eight weeks, now in three stories of three sites: its flaw.
    # "Ivanti" is in the older weeks' news every week: three more stories are no take-off.
    assert groups(np.arange(len(TITLES))) == [("kestrelon", THIS_WEEK[-3:]),
                                              ("vextorra", THIS_WEEK[:3])]
    assert groups(np.arange(len(TITLES)), quiet=0.1) == [("vextorra", THIS_WEEK[:3])]


def test_only_stories_no_topic_took_are_grouped() -> None:
    # Two of the three stories already belong to a topic of their words: nothing is left.
    loose = np.array([i for i in range(len(TITLES)) if i not in (len(OLDER), len(OLDER) + 1)])
    assert ("vextorra", THIS_WEEK[:3]) not in groups(loose)


def split(burst: list[int], *, max_stories: float = 100) -> list[list[str]]:
    table = PhraseTable.build(TITLES)
    found = split_by_name(table, np.array(burst), sites=SITES, min_stories=3, min_sites=3,
                          max_stories=max_stories)
    return [[TITLES[r] for r in group] for group in found]


def test_a_burst_of_several_happenings_splits_by_the_names_they_share() -> None:
    # This week's burst mixes the Vextorra takedown, the Ivanti gateway flaw and the
    # Quorvane stealer: each name told by three sites is an event (a name written before
    # too: a burst is news), the two-site one is not.
    this_week = list(range(len(OLDER), len(TITLES) - 3))
    assert split(this_week) == [THIS_WEEK[3:6], THIS_WEEK[:3]]


def test_a_name_as_broad_as_the_news_vocabulary_splits_nothing() -> None:
    # "Ivanti" is in 23 of the 33 headlines: the news's vocabulary here, no happening.
    this_week = list(range(len(OLDER), len(TITLES) - 3))
    assert split(this_week, max_stories=10) == [THIS_WEEK[:3]]
