"""Quadrants from seed words, and ring suggestions that read right in every quadrant."""

from radar.engine.momentum import classify
from radar.engine.placement import place_quadrant
from radar.models import Quadrant
from radar.policy import suggest_ring
from radar.thresholds import THRESHOLDS

QUADRANTS = (Quadrant("Threats", ("ransomware", "exploited")),
             Quadrant("Tools", ("passkeys", "edr")),
             Quadrant("Platforms", ("kubernetes", "ai")),
             Quadrant("Rules", ("law", "fine")))


def signal(recent: int, baseline: int, expected: float):
    return classify(recent=recent, total=recent + baseline, observed=recent,
                    expected=expected, recent_sources=5, thresholds=THRESHOLDS.momentum.event)


def test_quadrant_by_seed_vocabulary_with_a_reason() -> None:
    assert place_quadrant(["Ransomware hits hospital", "Flaw exploited by ransomware gang"],
                          QUADRANTS, default="Platforms") == (
        "Threats", "matched: ransomware (2), exploited (1)")
    assert place_quadrant(["Said nothing"], QUADRANTS, default="Platforms")[0] == "Platforms"
    assert place_quadrant(["Retail passkeys"], QUADRANTS, default="Platforms")[0] == "Tools"
    assert place_quadrant(["Faith in rules"], QUADRANTS, default="Platforms")[0] == "Platforms"


def test_suggested_ring_claims_only_what_the_evidence_backs() -> None:
    rings = ("adopt", "assess", "hold")
    burst, usual, gone = signal(8, 0, 0.1), signal(3, 30, 3.0), signal(0, 30, 3.0)
    assert (burst.status, usual.status, gone.status) == ("emerging", "steady", "fading")
    assert suggest_ring(burst.status, rings=rings) == "assess"
    # Much covered is no reason to adopt: without evidence the inner ring is never suggested.
    assert suggest_ring(usual.status, rings=rings) == "hold"
    assert suggest_ring(gone.status, rings=rings) == "hold"
    assert suggest_ring(usual.status, rings=rings, evidence=True) == "adopt"
    assert suggest_ring(burst.status, rings=("adopt", "trial", "assess", "hold")) == "assess"


def test_a_growing_subject_is_never_put_on_hold() -> None:
    rings = ("adopt", "assess", "hold")
    for recent, baseline, expected in ((8, 0, 0.1), (12, 40, 3.0), (30, 100, 9.0)):
        grown = signal(recent, baseline, expected)
        assert grown.status in ("emerging", "rising")
        assert suggest_ring(grown.status, rings=rings) == "assess"
