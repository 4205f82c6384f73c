"""Editions: immutable, content-addressed, and a diff that names every kind of change."""

from __future__ import annotations

from dataclasses import replace

from radar.picture import draw, trend_items
from radar.share.snapshot import (
    Entry,
    Snapshot,
    changes_summary,
    diff,
    exposure_brief,
    freeze,
    from_json,
    roadmap_brief,
    to_json,
)

from .records import make_trend

RINGS = ("adopt", "assess", "hold")
QUADRANTS = ("Q0", "Q1", "Q2", "Q3")


def entry(id_: str, ring: str = "assess", quadrant: str = "Q0", decisions=()) -> Entry:
    return Entry(id=id_, label=f"Trend {id_}", quadrant=quadrant, ring=ring, decided=False,
                 status="steady", score=1.0, article_count=3, source_count=2, why="why",
                 keywords=("k",), x=0.1, y=0.1, radius=0.02, decisions=tuple(decisions))


def edition(id_: str, created: str, *entries: Entry) -> Snapshot:
    """An edition of these entries, numbered in order as the radar would number them."""
    numbered = tuple(replace(e, number=n) for n, e in enumerate(entries, start=1))
    return Snapshot(id=id_, name=id_, note="", created_at=created, as_of=created,
                    sharing="TLP:CLEAR", quadrants=QUADRANTS, rings=RINGS, entries=numbered,
                    meanings=(("act now", "check", "watch"),) * 4)


def test_diff_names_new_moved_quadrant_dropped_and_decisions() -> None:
    older = edition("A", "2031-03-01T00:00:00Z", entry("same"), entry("in", "hold"),
                    entry("out", "adopt"), entry("quad"), entry("gone"))
    decision = {"at": "2031-03-05T00:00:00Z", "author": "ana", "old": "hold",
                "new": "assess", "note": "now", "internal": False}
    newer = edition("B", "2031-03-08T00:00:00Z", entry("same"), entry("in", "assess",
                    decisions=[decision]), entry("out", "hold"), entry("quad", quadrant="Q2"),
                    entry("fresh"))
    changes = diff(older, newer)
    kinds = {(c.kind, c.entry.id, c.before) for c in changes.changes}
    assert kinds == {("new", "fresh", None), ("moved in", "in", "hold"),
                     ("moved out", "out", "adopt"), ("quadrant", "quad", "Q0"),
                     ("dropped", "gone", None)}
    assert [(e.id, d["note"]) for e, d in changes.decisions] == [("in", "now")]
    assert changes.status_of("same") == "no change" and changes.status_of("fresh") == "new"
    # What every brief lists: the kinds in the briefs' order, each change with its detail.
    assert [(title, [c.entry.id + c.detail for c in found])
            for title, found in changes.listed()] == [
        ("New", ["fresh"]), ("Moved in", ["in (hold → assess)"]),
        ("Moved out", ["out (adopt → hold)"]), ("Changed quadrant", ["quad (from Q0)"]),
        ("Dropped", ["gone"])]


def test_a_first_edition_marks_nothing_new_and_says_it_is_the_first() -> None:
    newer = edition("B", "2031-03-08T00:00:00Z", entry("x"))
    changes = diff(None, newer)
    assert changes.changes == [] and changes.status_of("x") == "no change"
    assert changes_summary(changes).startswith("First edition")
    same = diff(newer, newer)
    assert changes_summary(same) == "No changes since edition B."


def test_freeze_is_content_addressed_and_round_trips() -> None:
    trends = [make_trend("T1", label="L", quadrant="Q0", score=2.0)]
    picture = draw(trend_items(trends), quadrants=QUADRANTS, rings=RINGS,
                   meanings=[["act", "check", "watch"]] * 4)
    args = {"decisions": {}, "evidence": {}, "name": "n", "note": "", "as_of": "2031",
            "sharing": "TLP:CLEAR"}
    first = freeze(picture, trends, created_at="2031-01-01", **args)
    again = freeze(picture, trends, created_at="2031-02-02", **args)
    assert first.id == again.id  # the same content is the same edition
    assert from_json(to_json(first)) == first
    assert first.entries[0].number == 1 and first.meanings[0] == ("act", "check", "watch")


def roadmap_trend(label: str, ring: str, *, act_now: bool = False, note: str = "",
                  internal: bool = False) -> dict:
    return {"id": label, "label": label, "ring": ring, "decided": bool(note), "status": "rising",
            "act_now": act_now, "why": "3 articles", "note": note, "internal": internal}


def test_the_roadmap_brief_gives_each_initiative_its_title_and_lines_support_first() -> None:
    roadmap = ({"name": "Passkeys", "owner": "ciso", "target": "2031-Q3", "trends": [
        roadmap_trend("Worm", "hold"), roadmap_trend("Keys", "adopt", note="go", internal=True),
        roadmap_trend("Flaw", "assess", act_now=True)]},
               {"name": "Quiet", "owner": "", "target": "", "trends": []})
    shown = replace(edition("B", "2031-03-08T00:00:00Z"), roadmap=roadmap)
    assert roadmap_brief(shown, include_internal=False) == [
        ("Passkeys (ciso, 2031-Q3)", [("Support", "Keys (adopt): 3 articles"),
                                      ("Risk", "Worm (hold, suggested): 3 articles"),
                                      ("Risk", "Flaw (assess, suggested, act now): 3 articles")]),
        ("Quiet", [])]
    assert roadmap_brief(shown, include_internal=True)[0][1][0] == ("Support", "Keys (adopt): go")


def test_the_exposure_brief_lists_ten_flaws_and_says_how_many_more() -> None:
    flaws = tuple({"cve": f"CVE-2031-{n:04d}", "product": "Acme VPN", "due_date": "2031-04-01",
                   "ransomware": n == 1, "required_action": "Patch."} for n in range(1, 13))
    shown, more = exposure_brief(replace(edition("B", "2031-03-08T00:00:00Z"), exposure=flaws))
    assert len(shown) == 10 and shown[0] == (flaws[0], "CVE-2031-0001 in Acme VPN, due "
                                                       "2031-04-01, used by ransomware: Patch.")
    assert more == ("… and 2 more exploited flaws in our stack (the Roadmap view lists them "
                    "all)")
    assert exposure_brief(replace(edition("B", "2031-03-08T00:00:00Z"),
                                  exposure=flaws[:3]))[1] == ""
