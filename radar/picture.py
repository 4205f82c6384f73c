"""The radar picture every drawing shares: numbered blips, their places, where each name
fits on the chart, and the legend of names beside each quadrant (pure, deterministic).

The app's chart, the SVG, the PNG and the PDF all draw a `Picture`, so they show the
same numbers, the same names and the same legend: a reader reads names, not unexplained
numbers. Numbers run quadrant by quadrant, ring by ring from the centre, strongest first.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from radar.config import Settings
from radar.layout import BlipSpec, place_blips, ring_bounds
from radar.models import Trend
from radar.text import plural

# Rough size of chart text in radar units (the radar spans -1..1): a 10-point name on a
# 720-pixel chart, with room to spare for the app's chart, drawn narrower than its
# height in a column. Names are placed only where a box of this size fits.
CHAR_WIDTH = 0.018
LINE_HEIGHT = 0.034
NAME_GAP = 0.008


@dataclass(frozen=True)
class Item:
    """What the picture needs of one trend."""

    id: str
    label: str
    quadrant: str
    ring: str
    status: str
    decided: bool
    score: float
    new: bool = False
    moved: bool = False
    detail: str = ""          # one line for hover text (plain; each drawing escapes it)


@dataclass(frozen=True)
class Spot:
    """One numbered blip as drawn; `name_at` is (x, y, "left"|"right") when its name fits
    beside it on the chart ("left": the text ends at x)."""

    item: Item
    number: int
    x: float
    y: float
    radius: float
    name_at: tuple[float, float, str] | None = None


@dataclass(frozen=True)
class Picture:
    quadrants: tuple[str, ...]
    rings: tuple[str, ...]
    meanings: tuple[tuple[str, ...], ...]   # per quadrant, per ring: what the ring means
    spots: tuple[Spot, ...]

    @property
    def ring_names(self) -> list[tuple[str, float, float]]:
        """(name, x, y) of each ring's name: centred on the right half of the horizontal
        axis, in the middle of its ring; blips and the names beside them keep clear."""
        return ring_names(self.rings)

    def legend(self) -> list[tuple[str, list[tuple[str, str, list[Spot]]]]]:
        """Per quadrant, per ring (with its meaning there), the numbered names in it."""
        groups = []
        for q, quadrant in enumerate(self.quadrants):
            rings = []
            for r, ring in enumerate(self.rings):
                members = [s for s in self.spots
                           if s.item.quadrant == quadrant and s.item.ring == ring]
                meaning = self.meanings[q][r] if q < len(self.meanings) else ""
                rings.append((ring, meaning, members))
            groups.append((quadrant, rings))
        return groups


def ring_names(rings: Sequence[str]) -> list[tuple[str, float, float]]:
    """Where every drawing writes the ring names (see `Picture.ring_names`)."""
    return [(ring.upper(), (inner + outer) / 2, 0.0)
            for (inner, outer), ring in zip(ring_bounds(len(rings)), rings, strict=True)]


def _ring_name_boxes(rings: Sequence[str]) -> list[tuple[float, float, float, float]]:
    return [(x - CHAR_WIDTH * len(name) / 2, y - LINE_HEIGHT / 2,
             x + CHAR_WIDTH * len(name) / 2, y + LINE_HEIGHT / 2)
            for name, x, y in ring_names(rings)]


def draw(items: Sequence[Item], *, quadrants: Sequence[str], rings: Sequence[str],
         meanings: Sequence[Sequence[str]] = ()) -> Picture:
    """Number, place and name the blips of the items (the trends on the radar)."""
    def segment(item: Item) -> tuple[int, int]:
        return (quadrants.index(item.quadrant) if item.quadrant in quadrants else 0,
                rings.index(item.ring) if item.ring in rings else len(rings) - 1)

    ordered = sorted(items, key=lambda i: (*segment(i), -i.score, i.id))
    top = max((i.score for i in ordered), default=0.0) or 1.0
    blips = place_blips([BlipSpec(i.id, *segment(i), strength=max(i.score, 0.0) / top)
                         for i in ordered], rings=len(rings))
    spots = [Spot(item, number, blip.x, blip.y, blip.radius)
             for number, (item, blip) in enumerate(zip(ordered, blips, strict=True), start=1)]
    return Picture(quadrants=tuple(quadrants), rings=tuple(rings),
                   meanings=tuple(tuple(m) for m in meanings),
                   spots=tuple(place_names(spots, rings=rings)))


def place_names(spots: Sequence[Spot], *, rings: Sequence[str]) -> list[Spot]:
    """Give each blip its name on the chart where a box for it fits: beside the blip on
    the side away from the centre line, inside the radar and the blip's quadrant, clear
    of every blip, of the ring names and of names already placed. Lower numbers are
    placed first."""
    taken: list[tuple[float, float, float, float]] = [
        (s.x - s.radius, s.y - s.radius, s.x + s.radius, s.y + s.radius) for s in spots]
    taken += _ring_name_boxes(rings)
    placed = []
    for spot in spots:
        width = CHAR_WIDTH * len(spot.item.label)
        outward = "right" if spot.x >= 0 else "left"
        start = spot.x + spot.radius + NAME_GAP if outward == "right" else \
            spot.x - spot.radius - NAME_GAP
        box = (start, spot.y - LINE_HEIGHT / 2, start + width, spot.y + LINE_HEIGHT / 2) \
            if outward == "right" else \
            (start - width, spot.y - LINE_HEIGHT / 2, start, spot.y + LINE_HEIGHT / 2)
        own = (spot.x - spot.radius, spot.y - spot.radius, spot.x + spot.radius,
               spot.y + spot.radius)
        fits = (_inside(box, spot.x, spot.y)
                and not any(_overlap(box, other) for other in taken if other != own))
        if fits:
            taken.append(box)
            placed.append(Spot(spot.item, spot.number, spot.x, spot.y, spot.radius,
                               (start, spot.y, outward)))
        else:
            placed.append(spot)
    return placed


def _inside(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    """Within the radar's circle and on the blip's side of both axes."""
    left, bottom, right, top = box
    corners = ((left, bottom), (left, top), (right, bottom), (right, top))
    if any(cx * cx + cy * cy > 0.985 for cx, cy in corners):
        return False
    same_x = (left >= 0.01) if x >= 0 else (right <= -0.01)
    same_y = (bottom >= 0.01) if y >= 0 else (top <= -0.01)
    return same_x and same_y


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]
             ) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def trend_items(shown: Sequence[Trend], *, new: frozenset[str] = frozenset()) -> list[Item]:
    """The trends on the radar as picture items (`new`: not on the previous radar)."""
    return [Item(id=t.id, label=t.label, quadrant=t.quadrant, ring=t.shown_ring,
                 status=t.status, decided=t.decided, score=t.score, new=t.id in new,
                 moved=t.moved,
                 detail=f"{t.kind} · {t.status} · {t.ring_label} · "
                        f"{plural(t.article_count, 'article')} from "
                        f"{plural(t.source_count, 'source')}")
            for t in shown]


def meanings_of(settings: Settings) -> list[list[str]]:
    """What each ring means in each quadrant, as the settings say."""
    return [[q.meaning(ring) for ring in settings.rings] for q in settings.quadrants]


# Slide layout shared by the SVG and the PNG/PDF: the radar in the middle (-1..1), the
# legends of quadrants 1 and 2 on the left, of 0 and 3 on the right, in radar units.
# The key every drawing of the radar carries on the picture itself: a ring the radar only
# suggests is never mistaken for a decision.
PICTURE_KEY_LINES = ("○ hollow: ring suggested by the radar, not decided · ● filled: ring "
                     "decided by a person",
                     "red emerging · orange rising · blue steady · grey fading · ★ new · "
                     "▲ moved")
PICTURE_KEY = " · ".join(PICTURE_KEY_LINES)
SLIDE_HALF_WIDTH = 2.0
SLIDE_HALF_HEIGHT = 1.16
LEGEND_INNER, LEGEND_OUTER = 1.1, 1.95
LEGEND_CHARS = 40


@dataclass(frozen=True)
class LegendLine:
    kind: str           # "quadrant", "ring", "meaning" or "entry"
    text: str
    spot: Spot | None = None


def legend_lines(picture: Picture, quadrant: int, *, width: int = LEGEND_CHARS
                 ) -> list[LegendLine]:
    """One quadrant's legend as lines to draw: its name, then each ring with its meaning
    and its numbered names ("★" new, "▲" moved), wrapped to `width` characters."""
    name, rings = picture.legend()[quadrant]
    lines = [LegendLine("quadrant", name)]
    for ring, meaning, spots in rings:
        if not spots:
            continue
        lines.append(LegendLine("ring", ring.upper()))
        lines += [LegendLine("meaning", part) for part in textwrap.wrap(meaning, width)]
        for spot in spots:
            marks = (" ★" if spot.item.new else "") + (" ▲" if spot.item.moved else "")
            text = f"{spot.number}. {spot.item.label}{marks}"
            lines.append(LegendLine("entry", textwrap.shorten(text, width, placeholder="…"),
                                    spot))
    return lines


def legend_columns(picture: Picture) -> list[tuple[float, str, list[LegendLine]]]:
    """(x, text anchor, lines) for the left and the right legend column of a slide."""
    return [(-LEGEND_OUTER, "start", [*legend_lines(picture, 1), LegendLine("gap", ""),
                                      *legend_lines(picture, 2)]),
            (LEGEND_INNER, "start", [*legend_lines(picture, 0), LegendLine("gap", ""),
                                     *legend_lines(picture, 3)])]


def legend_line_height(columns: Sequence[tuple[float, str, list[LegendLine]]]) -> float:
    """The line height that fits the longer column on the slide."""
    longest = max((len(lines) for _, _, lines in columns), default=1)
    return min(0.06, 2 * SLIDE_HALF_HEIGHT * 0.96 / max(longest, 1))
