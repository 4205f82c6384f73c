"""The alert budget: at most max_flagged trends flagged, the best first, no flicker."""

from dataclasses import replace

from radar.config import Settings
from radar.engine.budget import over_budget, within_budget
from radar.models import RISING, STEADY

from .records import make_finding


def test_at_most_the_budget_is_flagged_the_best_first() -> None:
    scores = [3.0, 8.0, 5.0, 4.0, 6.0]
    assert over_budget(scores, 3) == {0, 3}                 # 3.0 and 4.0 are cut
    assert over_budget(scores, 10) == set()


def test_yesterdays_flag_holds_while_its_week_stays_above_usual_and_room_is_left() -> None:
    settings = Settings(max_flagged=2)
    fresh = make_finding("new", status="emerging", score=5.0)
    calmer = make_finding("calm", status=STEADY, score=2.0, growth=2.0)   # was flagged
    over = make_finding("over", status=STEADY, score=1.0, growth=1.2)     # was flagged
    kept = {f.id: f for f in within_budget([fresh, calmer, over], settings,
                                           before={"calm", "over"})}
    assert (kept["new"].status, kept["calm"].status, kept["over"].status) == (
        "emerging", RISING, STEADY)
    assert kept["calm"].why.endswith("still flagged: its last week 2.0x the usual")
    # No room left: fresh subjects come first, nothing is held.
    full = within_budget([fresh, replace(fresh, id="new2"), calmer], settings,
                         before={"calm"})
    assert [f.status for f in full] == ["emerging", "emerging", STEADY]
