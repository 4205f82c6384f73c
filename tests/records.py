"""Records for tests that need a trend as readers get it, without running the engine."""

from __future__ import annotations

from radar.models import Finding, Identity, Trend


def make_trend(id_: str, **fields) -> Trend:
    """A plausible listed trend; any field can be overridden."""
    base = dict(id=id_, label=f"Trend {id_}", auto_label=f"Trend {id_}", keywords=("k",),
                entities=(), quadrant="Threats", quadrant_reason="", ring=None,
                suggested_ring="assess", status="emerging", score=5.0, article_count=9,
                story_count=9, source_count=5, first_seen="2031-03-01T00:00:00Z",
                last_seen="2031-03-30T10:00:00Z", weekly_counts=(), why="why now")
    if "label" in fields and "auto_label" not in fields:
        fields["auto_label"] = fields["label"]
    return Trend(**(base | fields))


def make_finding(id_: str, **fields) -> Finding:
    """A plausible finding of an analysis; any field can be overridden."""
    base = dict(id=id_, label=f"Trend {id_}", keywords=(), entities=(), terms={},
                quadrant="Q", quadrant_reason="", suggested_ring="hold", status="steady",
                score=0.0, article_count=1, story_count=1, source_count=1, first_seen="",
                last_seen="", weekly_counts=(), why="", members=frozenset())
    return Finding(**(base | fields))


def identity_of(*findings: Finding) -> Identity:
    """What identification gives findings that are all new."""
    return Identity(ids=[f.id for f in findings])
