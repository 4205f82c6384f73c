import math
import random

import numpy as np
import pytest

from radar.layout import BlipSpec, place_blips, ring_bounds, segment_of


def specs(n: int, *, seed: int = 3, rings: int = 3) -> list[BlipSpec]:
    rng = random.Random(seed)
    return [BlipSpec(id=f"T{i:05d}", quadrant=rng.randrange(4), ring=rng.randrange(rings),
                     strength=rng.random()) for i in range(n)]


def min_gap(blips) -> float:
    xy = np.array([(b.x, b.y) for b in blips])
    r = np.array([b.radius for b in blips])
    dist = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(axis=2)) + np.eye(len(xy)) * 10
    return float((dist - r[:, None] - r[None, :]).min())


def test_layout_is_deterministic() -> None:
    assert place_blips(specs(50), rings=3) == place_blips(specs(50), rings=3)


@pytest.mark.parametrize("rings", [3, 4])
def test_200_blips_never_overlap_and_stay_in_their_segment(rings: int) -> None:
    blips = place_blips(specs(200, rings=rings), rings=rings)
    assert min_gap(blips) >= 0
    for blip in blips:
        assert segment_of(blip.x, blip.y, rings=rings) == (blip.quadrant, blip.ring)
        inner, outer = ring_bounds(rings)[blip.ring]
        assert inner + blip.radius <= math.hypot(blip.x, blip.y) + 1e-6
        assert math.hypot(blip.x, blip.y) + blip.radius <= outer + 1e-6


def test_a_crowded_segment_still_fits() -> None:
    crowded = [BlipSpec(id=f"T{i}", quadrant=0, ring=0, strength=1.0) for i in range(60)]
    blips = place_blips(crowded, rings=3)
    assert min_gap(blips) >= 0
    assert all(segment_of(b.x, b.y, rings=3) == (0, 0) for b in blips)


def test_adding_one_trend_barely_moves_the_others() -> None:
    before = {b.id: b for b in place_blips(specs(120), rings=3)}
    after = {b.id: b for b in place_blips(
        [*specs(120), BlipSpec(id="Tnew", quadrant=1, ring=1, strength=0.5)], rings=3)}
    moved = [math.hypot(after[i].x - b.x, after[i].y - b.y) for i, b in before.items()]
    assert sum(m < 1e-3 for m in moved) >= 0.9 * len(moved)
    assert max(moved) < 0.15


def test_stronger_signal_draws_a_bigger_blip() -> None:
    weak, strong = place_blips([BlipSpec("a", 0, 1, 0.0), BlipSpec("b", 2, 1, 1.0)], rings=3)
    assert strong.radius > weak.radius


def test_empty() -> None:
    assert place_blips([], rings=3) == []
