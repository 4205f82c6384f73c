"""Radar geometry: where each blip goes (pure and deterministic).

The chart is the square [-1, 1]²: quadrant q spans angles q*90°..(q+1)*90°
(counter-clockwise from the positive x axis), rings are annuli of equal area from the
centre outwards. A blip starts at a spot derived from a hash of its trend id, so it stays
where it was from one day to the next, then overlapping blips push each other apart
while being held inside their own quadrant and ring.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from radar.models import DORMANT, EMERGING, FADING, RISING, STEADY

# Blips large enough for a two-digit number in a readable size (about 11 px on the app's
# chart); a crowded segment still shrinks its blips to fit (`_fit_segment`).
MIN_RADIUS, MAX_RADIUS = 0.026, 0.042
# Shared by every drawing of the radar (app chart, SVG, PNG/PDF) so they look alike.
STATUS_COLOURS = {EMERGING: "#d62728", RISING: "#ff7f0e", STEADY: "#1f77b4",
                  FADING: "#7f7f7f", DORMANT: "#bcbcbc"}
MARK_COLOUR = "#2ca02c"  # the mark beside a blip new on the radar, or moved to another ring
# Where each quadrant's name goes: (x, y, horizontal anchor, vertical anchor), y upwards.
QUADRANT_CORNERS = [(0.98, 0.98, "right", "top"), (-0.98, 0.98, "left", "top"),
                    (-0.98, -0.98, "left", "bottom"), (0.98, -0.98, "right", "bottom")]
GAP = 0.004            # space kept between two blips
EDGE = 0.012           # space kept from segment borders
# The ring names are written on the right half of the horizontal axis (picture.py): the
# blips of the two right quadrants keep this much more room from it.
RING_NAME_CLEARANCE = 0.014


@dataclass(frozen=True)
class BlipSpec:
    """What layout needs of a trend: its id, segment and signal strength (0..1)."""

    id: str
    quadrant: int
    ring: int
    strength: float


@dataclass(frozen=True)
class Blip:
    id: str
    x: float
    y: float
    radius: float
    quadrant: int
    ring: int


def ring_bounds(rings: int) -> list[tuple[float, float]]:
    """Inner and outer radius of each ring, inner ring first (equal areas)."""
    edges = [math.sqrt(k / rings) for k in range(rings + 1)]
    return list(itertools.pairwise(edges))


def seed_point(trend_id: str) -> tuple[float, float]:
    """Two numbers in [0, 1) derived from the id: the same id, the same spot."""
    digest = hashlib.sha256(trend_id.encode()).digest()
    return (int.from_bytes(digest[:4], "big") / 2**32,
            int.from_bytes(digest[4:8], "big") / 2**32)


def place_blips(specs: Sequence[BlipSpec], *, rings: int, iterations: int = 300) -> list[Blip]:
    """Positions for every blip: inside its segment, not overlapping another.

    Segments are laid out one by one: blips are held a margin away from segment borders,
    so blips of different segments can never touch, and a change in one segment (a new
    trend, a trend moved to another ring) leaves every other segment exactly as it was.
    """
    by_segment: dict[tuple[int, int], list[BlipSpec]] = {}
    for spec in specs:
        by_segment.setdefault((spec.quadrant, spec.ring), []).append(spec)
    placed: dict[str, Blip] = {}
    for members in by_segment.values():
        for blip in _place_segment(tuple(members), rings, iterations):
            placed[blip.id] = blip
    return [placed[spec.id] for spec in specs]


@lru_cache(maxsize=4096)
def _place_segment(specs: tuple[BlipSpec, ...], rings: int, iterations: int
                   ) -> tuple[Blip, ...]:
    bounds = ring_bounds(rings)
    quadrant, ring = specs[0].quadrant, specs[0].ring
    inner, outer = bounds[ring]
    radius = np.array([MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * min(max(s.strength, 0), 1)
                       for s in specs])
    radius = _fit_segment(radius, inner, outer)
    start = quadrant * math.pi / 2
    seeds = np.array([seed_point(s.id) for s in specs])
    angle = start + seeds[:, 0] * math.pi / 2
    dist = inner + seeds[:, 1] * (outer - inner)
    xy = _confine(np.column_stack([dist * np.cos(angle), dist * np.sin(angle)]), radius,
                  inner, outer, quadrant)
    for _ in range(iterations):
        if not _overlaps(xy, radius):
            break
        xy = _confine(_repel(xy, radius), radius, inner, outer, quadrant)
    return tuple(Blip(s.id, round(float(x), 5), round(float(y), 5), round(float(r), 5),
                      quadrant, ring) for s, (x, y), r in zip(specs, xy, radius, strict=True))


def _fit_segment(radius: np.ndarray, inner: float, outer: float) -> np.ndarray:
    """Shrink blips in a crowded segment so they fill at most ~35 % of its area."""
    area = math.pi / 4 * (outer**2 - inner**2)
    used = float(np.sum(math.pi * (radius + GAP) ** 2))
    return radius * math.sqrt(0.35 * area / used) if used > 0.35 * area else radius


def _repel(xy: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Move every overlapping pair apart by half their overlap each."""
    delta = xy[:, None, :] - xy[None, :, :]
    dist = np.sqrt((delta**2).sum(axis=2)) + np.eye(len(xy))
    # Two blips on the very same spot get pushed apart along a fixed, index-derived angle.
    same = dist < 1e-9
    if same.any():
        index = np.arange(len(xy))
        turn = (index[:, None] - index[None, :]) * 2.399963  # the golden angle
        delta[same] = np.column_stack([np.cos(turn[same]), np.sin(turn[same])]) * 1e-6
        dist[same] = 1e-6
    need = radius[:, None] + radius[None, :] + GAP
    overlap = np.clip(need - dist, 0, None)
    np.fill_diagonal(overlap, 0)
    push = (delta / dist[:, :, None]) * (overlap[:, :, None] / 2)
    return xy + push.sum(axis=1)


def _confine(xy: np.ndarray, radius: np.ndarray, inner: float, outer: float,
             quadrant: int) -> np.ndarray:
    """Pull each blip back inside its ring and quadrant, keeping a margin from the edges
    (a wider one from the axis the ring names are written on)."""
    start = quadrant * math.pi / 2
    dist = np.hypot(xy[:, 0], xy[:, 1])
    # Near the centre a blip must also clear both axes: at least sqrt(2)(r + edge) out.
    edge = EDGE + RING_NAME_CLEARANCE
    low = np.maximum(inner + radius + EDGE, math.sqrt(2) * (radius + edge))
    high = np.maximum(outer - radius - EDGE, low)
    dist = np.clip(dist, low, high)
    margin = np.arcsin(np.clip((radius + EDGE) / dist, 0, 1))
    named = np.arcsin(np.clip((radius + edge) / dist, 0, 1))
    # Quadrant 0 starts at the positive x axis, quadrant 3 ends at it.
    first, last = (named if quadrant == 0 else margin), (named if quadrant == 3 else margin)
    angle = np.arctan2(xy[:, 1], xy[:, 0])
    angle = start + np.mod(angle - start + math.pi / 4, 2 * math.pi) - math.pi / 4
    angle = np.clip(angle, start + first, start + math.pi / 2 - last)
    return np.column_stack([dist * np.cos(angle), dist * np.sin(angle)])


def _overlaps(xy: np.ndarray, radius: np.ndarray) -> bool:
    delta = xy[:, None, :] - xy[None, :, :]
    dist = np.sqrt((delta**2).sum(axis=2)) + np.eye(len(xy)) * 10
    return bool((dist < radius[:, None] + radius[None, :]).any())


def segment_of(x: float, y: float, *, rings: int) -> tuple[int, int]:
    """(quadrant, ring) that a point falls in: used to check layouts."""
    angle = math.atan2(y, x) % (2 * math.pi)
    dist = math.hypot(x, y)
    ring = next((i for i, (_, outer) in enumerate(ring_bounds(rings)) if dist <= outer),
                rings - 1)
    return int(angle // (math.pi / 2)) % 4, ring
