"""The picture every drawing shares: numbers, places, names where they fit, the legend."""

from __future__ import annotations

import itertools

from radar.config import Settings
from radar.picture import (
    CHAR_WIDTH,
    LINE_HEIGHT,
    draw,
    legend_columns,
    meanings_of,
    trend_items,
)

from .records import make_trend

SETTINGS = Settings()
QUADRANTS = [q.name for q in SETTINGS.quadrants]


def picture_of(trends):
    return draw(trend_items(trends, new=frozenset({"t0"})), quadrants=QUADRANTS,
                rings=SETTINGS.rings, meanings=meanings_of(SETTINGS))


TRENDS = [make_trend(f"t{i}", label=f"Subject number {i}", quadrant=QUADRANTS[i % 4],
                     score=float(i), suggested_ring=SETTINGS.rings[i % 3]) for i in range(24)]


def test_numbers_run_quadrant_by_quadrant_ring_by_ring_strongest_first() -> None:
    picture = picture_of(TRENDS)
    assert [s.number for s in picture.spots] == list(range(1, 25))
    order = [(QUADRANTS.index(s.item.quadrant), SETTINGS.rings.index(s.item.ring),
              -s.item.score) for s in picture.spots]
    assert order == sorted(order)


def test_the_legend_lists_every_numbered_blip_with_the_ring_meaning() -> None:
    picture = picture_of(TRENDS)
    legend = [(line.spot.number, line.spot.item.label) for _, _, lines in
              legend_columns(picture) for line in lines if line.kind == "entry"]
    assert sorted(legend) == sorted((s.number, s.item.label) for s in picture.spots)
    threats = picture.legend()[0]
    assert threats[0] == QUADRANTS[0]
    assert threats[1][0][:2] == ("adopt", SETTINGS.quadrants[0].meaning("adopt"))
    text = [line.text for _, _, lines in legend_columns(picture) for line in lines]
    assert any(t.endswith("★") for t in text)  # the new one is marked


def test_names_on_the_chart_never_overlap_and_stay_in_their_quadrant() -> None:
    picture = picture_of(TRENDS)
    boxes = []
    for spot in picture.spots:
        if spot.name_at is None:
            continue
        x, y, side = spot.name_at
        width = CHAR_WIDTH * len(spot.item.label)
        left = x if side == "right" else x - width
        box = (left, y - LINE_HEIGHT / 2, left + width, y + LINE_HEIGHT / 2)
        assert (box[0] >= 0) == (spot.x >= 0) and (box[1] >= 0) == (spot.y >= 0)
        boxes.append(box)
    assert boxes  # some names fit
    for a, b in itertools.combinations(boxes, 2):
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_the_same_trends_give_the_same_picture() -> None:
    assert picture_of(TRENDS) == picture_of(list(reversed(TRENDS)))


def test_ring_names_are_kept_clear_of_blips_and_of_names() -> None:
    """Crowded right quadrants, long names: nothing is drawn over a ring's name."""
    crowded = [make_trend(f"c{i}", label=f"Supply Chain {i}", quadrant=QUADRANTS[(0, 3)[i % 2]],
                          score=float(i % 7), suggested_ring=SETTINGS.rings[i % 3])
               for i in range(90)]
    picture = picture_of(crowded)
    names = picture.ring_names
    assert [n for n, _, _ in names] == [r.upper() for r in SETTINGS.rings]
    ring_boxes = [(x - CHAR_WIDTH * len(n) / 2, y - LINE_HEIGHT / 2,
                   x + CHAR_WIDTH * len(n) / 2, y + LINE_HEIGHT / 2) for n, x, y in names]
    placed = 0
    for spot in picture.spots:
        # a ring's name is written on the axis: a blip beside it stays off its height
        assert spot.x < 0 or abs(spot.y) - spot.radius >= LINE_HEIGHT / 2
        if spot.name_at:
            placed += 1
            x, y, side = spot.name_at
            width = CHAR_WIDTH * len(spot.item.label)
            left = x if side == "right" else x - width
            box = (left, y - LINE_HEIGHT / 2, left + width, y + LINE_HEIGHT / 2)
            assert not any(_overlap(box, ring) for ring in ring_boxes)
    assert placed


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
