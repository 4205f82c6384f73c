"""Quadrants from seed words, and ring suggestions that read right in every quadrant."""

from radar.engine.momentum import EVENT_THRESHOLDS, classify
from radar.engine.placement import place_quadrant, suggest_ring
from radar.models import Quadrant

QUADRANTS = (Quadrant("Threats", ("ransomware", "exploited")),
             Quadrant("Tools", ("passkeys", "edr")),
             Quadrant("Platforms", ("kubernetes", "ai")),
             Quadrant("Rules", ("law", "fine")))


def signal(recent: int, baseline: int, expected: float):
    return classify(recent=recent, total=recent + baseline, observed=recent,
                    expected=expected, recent_sources=5, thresholds=EVENT_THRESHOLDS)


def test_quadrant_by_seed_vocabulary_with_a_reason() -> None:
    assert place_quadrant(["Ransomware hits hospital", "Flaw exploited by ransomware gang"],
                          QUADRANTS, default="Platforms") == (
        "Threats", "matched: ransomware (2), exploited (1)")
    assert place_quadrant(["Said nothing"], QUADRANTS, default="Platforms")[0] == "Platforms"
    assert place_quadrant(["Retail passkeys"], QUADRANTS, default="Platforms")[0] == "Tools"
    assert place_quadrant(["Faith in rules"], QUADRANTS, default="Platforms")[0] == "Platforms"


def test_suggested_ring() -> None:
    rings = ("adopt", "assess", "hold")
    burst, usual, gone = signal(8, 0, 0.1), signal(3, 30, 3.0), signal(0, 30, 3.0)
    assert (burst.status, usual.status, gone.status) == ("emerging", "steady", "fading")
    assert suggest_ring(burst, source_count=5, rings=rings) == "assess"
    assert suggest_ring(usual, source_count=8, rings=rings) == "adopt"
    assert suggest_ring(gone, source_count=8, rings=rings) == "hold"
    assert suggest_ring(burst, source_count=5,
                        rings=("adopt", "trial", "assess", "hold")) == "assess"


def test_a_growing_subject_is_never_put_on_hold() -> None:
    rings = ("adopt", "assess", "hold")
    for recent, baseline, expected in ((8, 0, 0.1), (12, 40, 3.0), (30, 100, 9.0)):
        grown = signal(recent, baseline, expected)
        assert grown.status in ("emerging", "rising")
        assert suggest_ring(grown, source_count=3, rings=rings) != "hold"
