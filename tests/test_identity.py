"""Stable ids across analyses: continuing, split, merged, dormant, revived trends."""

import numpy as np
import pytest

from radar.engine.identity import (
    jaccard,
    jaccard_matrix,
    match_identities,
    term_similarity,
    theme_of,
)
from radar.models import KnownTrend, Topic


def ids(n: int, prefix: str = "a") -> frozenset[str]:
    return frozenset(f"{prefix}{i}" for i in range(n))


WINDOW = frozenset(f"{p}{i}" for p in "abcdefg" for i in range(100))


def test_continuing_topic_keeps_its_id() -> None:
    known = [KnownTrend("T1", ids(10), {"x": 1.0})]
    result = match_identities([Topic(ids(12), {"x": 1.0})], known, in_window=WINDOW)
    assert result.ids == ["T1"] and result.dormant == [] and result.events == []


def test_split_keeps_id_on_the_largest_part_and_records_the_parent() -> None:
    known = [KnownTrend("T1", ids(10) | ids(6, "b"), {"x": 1.0})]
    big, small = Topic(ids(10), {"x": 1.0}), Topic(ids(6, "b"), {"y": 1.0})
    result = match_identities([small, big], known, in_window=WINDOW)
    assert result.ids[1] == "T1"
    assert result.parents == {result.ids[0]: "T1"}
    assert [e.event for e in result.events] == ["split"]


def test_merge_keeps_the_decided_trend_else_the_oldest() -> None:
    older = KnownTrend("T1", ids(8), {"x": 1.0}, created="2031-01-01")
    decided = KnownTrend("T2", ids(5, "b"), {"y": 1.0}, decided=True, created="2031-02-01")
    joined = Topic(ids(8) | ids(5, "b"), {"x": 1.0})
    result = match_identities([joined], [older, decided], in_window=WINDOW)
    assert result.ids == ["T2"] and result.merged == {"T1": "T2"}
    undecided = KnownTrend("T2", ids(5, "b"), {"y": 1.0}, created="2031-02-01")
    result = match_identities([joined], [older, undecided], in_window=WINDOW)
    assert result.ids == ["T1"] and result.merged == {"T2": "T1"}


def test_vanished_trend_goes_dormant_and_similar_topic_revives_it() -> None:
    known = [KnownTrend("T1", ids(10), {"glimmerfox": 2.0, "vpn": 1.0})]
    quiet = match_identities([], known, in_window=WINDOW)
    assert quiet.dormant == ["T1"]
    dormant = [KnownTrend("T1", ids(10), {"glimmerfox": 2.0, "vpn": 1.0}, state="dormant")]
    back = match_identities([Topic(ids(5, "c"), {"glimmerfox": 1.5, "appliance": 0.5})],
                            dormant, in_window=WINDOW)
    assert back.ids == ["T1"] and [e.event for e in back.events] == ["revived"]
    unrelated = match_identities([Topic(ids(5, "c"), {"passkeys": 1.0})], dormant,
                                 in_window=WINDOW)
    assert unrelated.ids[0] != "T1" and [e.event for e in unrelated.events] == ["emerged"]


def test_members_outside_the_window_do_not_count_against_continuity() -> None:
    known = [KnownTrend("T1", ids(30), {"x": 1.0})]   # 20 of them have left the window
    window = frozenset(f"a{i}" for i in range(20, 40))
    result = match_identities([Topic(frozenset(f"a{i}" for i in range(20, 40)), {"x": 1.0})],
                              known, in_window=window)
    assert result.ids == ["T1"]


def test_user_merged_trend_routes_its_topic_to_the_keeper() -> None:
    known = [KnownTrend("T1", ids(10), {"x": 1.0}),
             KnownTrend("T2", ids(6, "b"), {"y": 1.0}, state="merged", merged_into="T1",
                        merged_by_person=True)]
    result = match_identities([Topic(ids(10), {"x": 1.0}), Topic(ids(6, "b"), {"y": 1.0})],
                              known, in_window=WINDOW)
    assert result.ids == ["T1", "T1"]


def test_a_trend_the_engine_merged_continues_when_found_apart_again() -> None:
    """The engine merged T2 into T1 when their stories ran together (or at a later date
    than the one analysed now); found apart, each keeps its own id: nothing vanishes into
    another subject."""
    known = [KnownTrend("T1", ids(10) | ids(6, "b"), {"x": 1.0}),
             KnownTrend("T2", ids(6, "b"), {"y": 1.0}, state="merged", merged_into="T1")]
    result = match_identities([Topic(ids(10), {"x": 1.0}), Topic(ids(6, "b"), {"y": 1.0})],
                              known, in_window=WINDOW)
    assert result.ids == ["T1", "T2"]


def test_new_ids_come_from_content_not_from_order_or_company() -> None:
    first, second = Topic(ids(4, "z"), {"x": 1.0}), Topic(ids(4, "w"), {"y": 1.0})
    alone = match_identities([first], [], in_window=WINDOW).ids
    together = match_identities([second, first], [], in_window=WINDOW).ids
    assert together[1] == alone[0] and together[0] != together[1]
    taken = KnownTrend(alone[0], ids(3, "q"), {"q": 1.0}, state="dormant")
    assert match_identities([first], [taken], in_window=WINDOW).ids[0] not in (alone[0], "")


def test_term_similarity() -> None:
    assert term_similarity({"a": 1.0}, {"a": 2.0}) == pytest.approx(1.0)
    assert term_similarity({"a": 1.0}, {"b": 1.0}) == 0.0
    assert term_similarity({}, {"b": 1.0}) == 0.0


def test_an_event_belongs_to_the_theme_holding_most_of_its_stories() -> None:
    themes = {"T-broad": np.arange(0, 40), "T-narrow": np.arange(10, 16),
              "T-other": np.arange(50, 60)}
    assert theme_of(np.array([10, 11, 12, 13]), themes) == "T-narrow"  # the smaller of equals
    assert theme_of(np.array([20, 21, 22, 55]), themes) == "T-broad"   # three of four
    assert theme_of(np.array([20, 55, 70, 71]), themes) is None        # none holds enough


def test_jaccard_matrix_is_jaccard_of_every_pair() -> None:
    rows = [ids(10), frozenset(), ids(3, "b") | ids(2)]
    cols = [ids(4), frozenset(), ids(5, "b"), ids(12) | ids(1, "c")]
    assert jaccard_matrix(rows, cols).tolist() == [[jaccard(a, b) for b in cols] for a in rows]
