"""The alert budget: at most max_flagged trends flagged, the best first, no flicker."""

from dataclasses import replace

from radar.config import Settings
from radar.engine.budget import over_budget, within_budget
from radar.models import EVENT, RISING, STEADY, THEME, FlagHistory
from radar.thresholds import THRESHOLDS

from .records import make_finding


def test_at_most_the_budget_is_flagged_the_best_first() -> None:
    scores = [3.0, 8.0, 5.0, 4.0, 6.0]
    old = [False] * 5
    assert over_budget(scores, old, budget=3, new_budget=0) == ({0, 3}, set())  # 3.0, 4.0
    assert over_budget(scores, old, budget=10, new_budget=0) == (set(), set())
    # New ones beyond theirs wait, and leave their places to the next best.
    new = [False, True, False, True, True]                 # 8.0, 6.0 and 4.0
    assert over_budget(scores, new, budget=2, new_budget=1) == ({0}, {3, 4})


def test_yesterdays_flag_holds_while_its_week_stays_above_usual_and_room_is_left() -> None:
    settings = Settings(max_flagged=2)
    fresh = make_finding("new", status="emerging", score=5.0)
    calmer = make_finding("calm", status=STEADY, score=2.0, growth=2.0)   # was flagged
    over = make_finding("over", status=STEADY, score=1.0, growth=1.2)     # was flagged
    kept = {f.id: f for f in within_budget([fresh, calmer, over], settings,
                                           FlagHistory(before={"calm", "over"}, since_days=1))}
    assert (kept["new"].status, kept["calm"].status, kept["over"].status) == (
        "emerging", RISING, STEADY)
    assert kept["calm"].why.endswith("still flagged: its coverage 2.0x the usual")
    # No room left: fresh subjects come first, nothing is held.
    full = within_budget([fresh, replace(fresh, id="new2"), calmer], settings,
                         FlagHistory(before={"calm"}, since_days=1))
    assert [f.status for f in full] == ["emerging", "emerging", STEADY]
    # A flag of an analysis weeks before holds nothing: it says nothing of this week.
    stale = within_budget([fresh, calmer], settings, FlagHistory(before={"calm"},
                                                                 since_days=37))
    assert [f.status for f in stale] == ["emerging", STEADY]


def test_a_quiet_week_is_filled_with_subjects_still_growing_from_several_sites() -> None:
    floor = THRESHOLDS.momentum.quiet_floor
    flagged = [make_finding(f"f{n}", kind=THEME, status="rising", score=9.0)
               for n in range(floor - 3)]
    growing = dict(status=STEADY, growth=3.0, recent_sources=4)
    candidates = [
        make_finding("strong", score=3.0, members=frozenset("abcde"), **growing),
        make_finding("tells-strongs-stories", score=2.5, members=frozenset("abcz"),
                     **growing),
        make_finding("one-site", score=8.0, **growing | {"recent_sources": 1}),
        make_finding("all-along", score=8.0, perennial=True, **growing),
        make_finding("event-of-f0", kind=EVENT, theme="f0", score=8.0, **growing),
        make_finding("named-as-f1", label="Trend f1 campaign", score=8.0, **growing),
        make_finding("flat", score=8.0, **growing | {"growth": 1.6}),
        make_finding("yesterdays", score=2.0, **growing),
        make_finding("weaker", score=1.0, **growing),
        make_finding("weakest", score=0.5, **growing),
    ]
    result = {f.id: f for f in within_budget(flagged + candidates, Settings(max_flagged=25),
                                             FlagHistory(before={"yesterdays"}))}
    filled = {i for i, f in result.items() if f.status == RISING and not i.startswith("f")}
    # Three places to the floor: yesterday's first, then by score, never two telling the
    # same stories; the rest stay steady.
    assert filled == {"yesterdays", "strong", "weaker"}
    assert result["strong"].why.endswith("flagged in a quiet week: 3.0x the usual coverage")
    # The alert budget still rules: with room for one more, one is filled.
    tight = within_budget(flagged + candidates, Settings(max_flagged=floor - 2))
    assert [f.id for f in tight if f.status == RISING and not f.id.startswith("f")] == ["strong"]


def test_a_flag_that_ended_lately_returns_only_with_a_new_take_off() -> None:
    """A theme flagged on its four weeks, unflagged when its last two weeks went quiet,
    is not flagged again by one more story: only a take-off of its last week, and the
    quiet-week fill passes it over too."""
    four_weeks = dict(kind=THEME, status="rising", score=5.0, takeoff=False)
    found = [make_finding("lapsed", **four_weeks),
             make_finding("took-off", kind=THEME, status="rising", score=5.0),
             make_finding("yesterdays", **four_weeks),
             make_finding("never", **four_weeks),
             make_finding("fill", kind=THEME, status=STEADY, growth=3.0, recent_sources=5)]
    result = {f.id: f for f in within_budget(
        found, Settings(), FlagHistory(before={"yesterdays"},
                                       lately={"lapsed", "took-off", "yesterdays", "fill"}))}
    assert {i: f.status for i, f in result.items()} == {
        "lapsed": STEADY, "took-off": "rising", "yesterdays": "rising", "never": "rising",
        "fill": STEADY}
    assert "only a new take-off brings it back" in result["lapsed"].why


def test_an_event_that_says_nothing_new_about_a_name_in_the_news_is_not_flagged() -> None:
    always = make_finding("tiktok", kind=THEME, label="TikTok", keywords=("TikTok",),
                          perennial=True)
    young = make_finding("salt", kind=THEME, label="Salt Typhoon", keywords=("Salt Typhoon",))
    flagged = dict(kind=EVENT, status="emerging", score=5.0)
    events = [make_finding("news", label="TikTok news", **flagged),
              make_finding("counted", label="TikTok news (6 stories)", **flagged),
              make_finding("ban", label="TikTok ban", **flagged),
              make_finding("salt-news", label="Salt Typhoon news", **flagged)]
    result = {f.id: f for f in within_budget([always, young, *events], Settings(),
                                             FlagHistory())}
    assert [result[i].status for i in ("news", "counted", "ban", "salt-news")] == [
        STEADY, STEADY, "emerging", "emerging"]
    assert result["news"].why.endswith("not flagged: its headlines say nothing new about TikTok")


def test_at_most_the_weekly_budget_is_newly_flagged_the_best_first() -> None:
    """With the week's new flags spent, a day still flags its best few (a sudden event
    is never kept out); the others wait, saying why, and yesterday's flags are not new."""
    each_day = THRESHOLDS.momentum.new_each_day
    fresh = [make_finding(f"new{n}", status="emerging", score=10.0 - n)
             for n in range(each_day + 2)]
    kept = make_finding("kept", status="rising", score=1.0)
    settings = Settings(max_new_weekly=15)

    def flagged(**spent: float) -> list[str]:
        history = FlagHistory(**{"before": {"kept"}, "since_days": 1.0} | spent)
        return [f.id for f in within_budget([*fresh, kept], settings, history)
                if f.status != STEADY]

    assert flagged() == [f.id for f in fresh] + ["kept"]
    left = len(fresh) - 1                                  # room for all but the weakest
    assert flagged(new_week=15 - left) == [f.id for f in fresh[:left]] + ["kept"]
    spent = within_budget([*fresh, kept], settings,
                          FlagHistory(before={"kept"}, new_week=15, since_days=1.0))
    assert [f.id for f in spent if f.status != STEADY] == \
        [f.id for f in fresh[:each_day]] + ["kept"]
    assert spent[-2].why.endswith("not flagged yet: beyond the 15 trends newly flagged in 7 days")
    # Those of today count too: a day that already raised its few raises no more.
    assert flagged(new_week=15, new_day=each_day) == ["kept"]
    # Analyses days apart may raise a few for each day; with none in the week before
    # (a first analysis, a date months away), nothing is new to anyone: no limit.
    assert flagged(new_week=15, since_days=2.0) == [f.id for f in fresh[:2 * each_day]] + \
        ["kept"]
    assert flagged(new_week=15, since_days=30.0) == flagged()


def test_a_quiet_week_fills_with_new_subjects_only_within_the_weekly_budget() -> None:
    growing = dict(status=STEADY, growth=3.0, recent_sources=4)
    candidates = [make_finding("yesterdays", score=1.0, **growing),
                  make_finding("strong", score=5.0, **growing)]
    spent = FlagHistory(before={"yesterdays"}, new_week=15,
                        new_day=THRESHOLDS.momentum.new_each_day, since_days=0.5)
    result = within_budget(candidates, Settings(max_new_weekly=15), spent)
    assert [f.id for f in result if f.status == RISING] == ["yesterdays"]


def test_a_quiet_week_is_not_filled_with_a_subject_named_only_news() -> None:
    """An event that could only be called "<name> news" says nothing new: no fill."""
    growing = dict(status=STEADY, growth=3.0, recent_sources=4)
    candidates = [make_finding("news", label="Scattered Spider news", score=5.0, **growing),
                  make_finding("named", label="Scattered Spider arrests", score=1.0, **growing)]
    result = within_budget(candidates, Settings(), FlagHistory())
    assert [f.id for f in result if f.status == RISING] == ["named"]
