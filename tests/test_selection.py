from radar.layout import blip_specs
from radar.selection import Filters, filter_trends, inbox, sparkline

from .records import make_trend as trend

TRENDS = [trend("A"), trend("B", ring="adopt", status="steady", score=2.0),
          trend("C", status="rising", score=9.0, quadrant="Platforms"),
          trend("D", status="fading", score=0.0, last_seen="2031-01-01T00:00:00Z")]


def ids(trends) -> list[str]:
    return [t.id for t in trends]


def test_filters_narrow() -> None:
    assert ids(filter_trends(TRENDS, Filters())) == ["A", "B", "C", "D"]
    assert ids(filter_trends(TRENDS, Filters(quadrant="Platforms"))) == ["C"]
    assert ids(filter_trends(TRENDS, Filters(ring="adopt"))) == ["B"]
    assert ids(filter_trends(TRENDS, Filters(ring="assess"))) == ["A", "C", "D"]
    assert ids(filter_trends(TRENDS, Filters(decided=True))) == ["B"]
    assert ids(filter_trends(TRENDS, Filters(decided=False, min_score=4))) == ["A", "C"]
    assert ids(filter_trends(TRENDS, Filters(since="2031-03-01"))) == ["A", "B", "C"]
    assert ids(filter_trends(TRENDS, Filters(matching=frozenset({"D"})))) == ["D"]
    assert ids(filter_trends(TRENDS, Filters(status="rising"))) == ["C"]


def test_inbox_is_undecided_emerging_or_rising_by_score() -> None:
    assert ids(inbox(TRENDS)) == ["C", "A"]


def test_blip_specs() -> None:
    specs = blip_specs(TRENDS, quadrants=["Threats", "Tools", "Platforms", "Rules"],
                       rings=["adopt", "assess", "hold"])
    assert [(s.quadrant, s.ring) for s in specs] == [(0, 1), (0, 0), (2, 1), (0, 1)]
    assert [round(s.strength, 2) for s in specs] == [0.56, 0.22, 1.0, 0.0]


def test_sparkline() -> None:
    assert sparkline([["w1", 0], ["w2", 4], ["w3", 8]]) == "▁▄█"
    assert sparkline([["w1", 0]]) == "▁"
    assert sparkline([]) == ""
