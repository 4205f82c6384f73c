"""What the writers for other radar tools share: where each tool draws its quadrants, the
standard ring names two of them use, ring colours, and how a broken rule is reported.

Each tool draws its four quadrant slots in fixed places, listed in its file in its own
order. Our radar draws quadrant 0 top right, 1 top left, 2 bottom left, 3 bottom right
(`radar.layout.QUADRANT_CORNERS`), so every writer lists our quadrants in the order that
puts each one where our radar shows it (`in_tool_order`), and every check asserts it
(`check_orientation`). The tools' writers are `byor.py`, `zalando.py`, `backstage.py`
and `aoe.py`, each with its tool's rules as `check_*`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from radar.errors import ExportError
from radar.layout import QUADRANT_CORNERS
from radar.text import slugify

TOP_RIGHT, TOP_LEFT = "top right", "top left"
BOTTOM_LEFT, BOTTOM_RIGHT = "bottom left", "bottom right"

# Where each tool draws the quadrants its file lists first, second, third and fourth, as
# read in the tool's source:
# - Zalando `radar.js`: quadrants at radial 0-0.5π, 0.5π-π, -π..-0.5π, -0.5π-0 with the
#   SVG's y axis pointing down.
# - Backstage `plugin-tech-radar` `Radar/utils` `adjustQuadrants`: the same angles.
# - Thoughtworks BYOR `models/radar.js`: first, second, third, fourth at d3 start angles
#   0, -90, 90, -180 (d3 measures clockwise from twelve o'clock).
# - AOE `Radar/Chart.tsx`: positions 1-4 at start angles 270, 0, 180, 90.
TOOL_SLOTS: dict[str, tuple[str, str, str, str]] = {
    "zalando": (BOTTOM_RIGHT, BOTTOM_LEFT, TOP_LEFT, TOP_RIGHT),
    "backstage": (BOTTOM_RIGHT, BOTTOM_LEFT, TOP_LEFT, TOP_RIGHT),
    "byor": (TOP_LEFT, BOTTOM_LEFT, TOP_RIGHT, BOTTOM_RIGHT),
    "aoe": (TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT),
}


def our_positions() -> tuple[str, ...]:
    """Where our radar draws quadrant 0, 1, 2 and 3 ('top right' …)."""
    return tuple(f"{'top' if y > 0 else 'bottom'} {'right' if x > 0 else 'left'}"
                 for x, y, _, _ in QUADRANT_CORNERS)


def in_tool_order(quadrants: Sequence[str], tool: str) -> list[str]:
    """Our quadrants in the order the tool's file must list them, so that the tool draws
    each one where our radar draws it."""
    ours = our_positions()
    return [quadrants[ours.index(slot)] for slot in TOOL_SLOTS[tool]]


def check_orientation(tool: str, listed: Sequence[str], quadrants: Sequence[str]) -> None:
    """Refuse a file whose quadrant order would draw one of ours somewhere else."""
    require(len(listed) == 4, f"{tool} needs exactly four quadrants, not {len(listed)}")
    ours = our_positions()
    for slot, name in zip(TOOL_SLOTS[tool], listed, strict=True):
        where = ours[quadrants.index(name)] if name in quadrants else "nowhere"
        require(where == slot,
                f"{tool} would draw quadrant {name!r} {slot}; our radar draws it {where}")


# Zalando's rings, and BYOR's default ones: the same four names.
STANDARD_RINGS = ("ADOPT", "TRIAL", "ASSESS", "HOLD")
# Zalando's ring colours, then more for longer custom ring lists (Backstage has no limit).
RING_PALETTE = ("#5ba300", "#009eb0", "#c7ba00", "#e09b96", "#9c6ade", "#8c8c8c")


def standard_rings(rings: tuple[str, ...], tool: str) -> tuple[list[int], str]:
    """The standard ring (adopt, trial, assess, hold) each of our rings is drawn in, and
    how they were mapped.

    Rings named as the standard ones (in any case) keep their meaning and place: our
    default adopt / assess / hold are drawn in ADOPT, ASSESS and HOLD, leaving TRIAL
    empty. Any other list of up to four rings maps by order, inside out, and says so.
    """
    if len(rings) > len(STANDARD_RINGS):
        raise ExportError(f"{tool} draws at most four rings; this radar has "
                          f"{len(rings)} ({', '.join(rings)}): use at most four rings")
    if all(ring.upper() in STANDARD_RINGS for ring in rings):
        return [STANDARD_RINGS.index(ring.upper()) for ring in rings], "rings mapped by name"
    mapping = ", ".join(f"{ring} -> {standard}"
                        for ring, standard in zip(rings, STANDARD_RINGS, strict=False))
    return list(range(len(rings))), f"rings mapped by order: {mapping}"


def ring_colours(rings: tuple[str, ...]) -> list[str]:
    """A colour per ring: Zalando's for its ring names, else by order inside out."""
    if all(ring.upper() in STANDARD_RINGS for ring in rings):
        return [RING_PALETTE[STANDARD_RINGS.index(ring.upper())] for ring in rings]
    return [RING_PALETTE[min(i, len(RING_PALETTE) - 1)] for i in range(len(rings))]


def distinct_slugs(names: Sequence[str], *, default: str) -> list[str]:
    """A URL-safe id per name, never two alike ('threats-vulnerabilities', …)."""
    slugs: list[str] = []
    for position, name in enumerate(names, start=1):
        slug = slugify(name, default=f"{default}-{position}")
        slugs.append(slug if slug not in slugs else f"{slug}-{position}")
    return slugs


def is_date(value: object) -> bool:
    try:
        datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def require(condition: bool, message: str) -> None:
    """A tool's rule as code: raise `ExportError` with what is wrong when it is broken."""
    if not condition:
        raise ExportError(message)
