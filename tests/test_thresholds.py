"""The engine's thresholds live in one record, and the README says the same numbers."""

import ast
import re
from pathlib import Path

from radar.config import Settings
from radar.thresholds import THRESHOLDS, Gate

ROOT = Path(__file__).resolve().parents[1]
# Modules whose decisions the record holds (the engine, what is drawn, what is linked).
DECIDING = [*sorted((ROOT / "radar" / "engine").glob("*.py")),
            ROOT / "radar" / "selection.py", ROOT / "radar" / "links.py"]
# Module-level numbers that decide no trend: a label for "no topic", a memory cap, a unit,
# the order of a search's results.
NOT_THRESHOLDS = {"NOISE", "WORKING_MEMORY_MB", "MONTH", "NAME_WEIGHT", "TERMS_WEIGHT"}
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _module_numbers(path: Path) -> list[str]:
    """Names bound at module level to a number or a timedelta."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        value = node.value
        number = isinstance(value, ast.Constant) and isinstance(value.value, int | float) \
            and not isinstance(value.value, bool)
        duration = isinstance(value, ast.Call) and getattr(value.func, "id", "") == "timedelta"
        if (number or duration) and isinstance(node.targets[0], ast.Name):
            found.append(node.targets[0].id)
    return found


def test_no_deciding_module_keeps_a_threshold_of_its_own():
    assert len(DECIDING) > 10
    strays = {p.name: names for p in DECIDING
              if (names := [n for n in _module_numbers(p) if n not in NOT_THRESHOLDS])}
    assert strays == {}


def test_the_check_sees_a_stray_threshold(tmp_path):
    module = tmp_path / "stray.py"
    module.write_text("from datetime import timedelta\nNOISE = -1\nLIMIT = 0.4\n"
                      "WAIT = timedelta(days=3)\nNAME = 'x'\n", encoding="utf-8")
    assert _module_numbers(module) == ["LIMIT", "WAIT"]


def test_a_persons_floors_only_raise_the_engines():
    gate = Gate(min_stories=3, min_sources=3)
    assert gate.at_least(stories=5, sources=1) == Gate(min_stories=5, min_sources=3)
    assert gate.at_least(stories=1, sources=1) == gate


def _said(pattern: str) -> re.Match:
    match = re.search(pattern, " ".join(README.split()))
    assert match, pattern
    return match


def test_the_readme_states_the_takeoff_gate():
    said = _said(r"its last 7 days hold at least (\d+) stories \(from (\d+) site or more: .*?\)"
                 r" and three times what its sites' baselines predict \(z ≥ (\d+)\)")
    takeoff = THRESHOLDS.momentum.takeoff
    assert (int(said[1]), int(said[2]), float(said[3])) == (
        takeoff.min_stories, takeoff.min_sources, takeoff.rising_z)
    assert takeoff.rising_ratio == 3.0  # "three times"


def test_the_readme_states_the_four_week_and_event_gates():
    theme, event = THRESHOLDS.momentum.theme, THRESHOLDS.momentum.event
    said = _said(r"\*emerging\* with (\d+) stories from (\d+) sites, mostly recent \((\d+) %\),"
                 r" and \*rising\* when its coverage at least doubled \(ratio ≥ (\d+), z ≥ (\d+)\)")
    assert (int(said[1]), int(said[2]), int(said[3]) / 100, float(said[4]), float(said[5])) == (
        theme.min_stories, theme.min_sources, theme.emerging_novelty, theme.rising_ratio,
        theme.rising_z)
    said = _said(r"fewer than (\d+) % of those stories in the last two weeks")
    assert int(said[1]) / 100 == THRESHOLDS.momentum.sustained_share
    said = _said(r"keeps the pace of the (\d+) weeks before it, as many stories a day or\s+more")
    assert (int(said[1]), THRESHOLDS.momentum.past_pace) == (THRESHOLDS.momentum.past_weeks, 1.0)
    said = _said(r"An event is \*emerging\* with (\d+) stories from (\d+) sites, significantly"
                 r" more than expected \(z ≥ (\d+)\) and mostly recent \((\d+) %\) or four times"
                 r" the usual; \*rising\* at ([\d.]+) times the usual \(z ≥ (\d+)\)")
    assert (int(said[1]), int(said[2]), float(said[3]), int(said[4]) / 100, float(said[5]),
            float(said[6])) == (event.min_stories, event.min_sources, event.emerging_z,
                                event.emerging_novelty, event.rising_ratio, event.rising_z)
    assert event.surge_ratio == 4.0  # "four times"


def test_the_readme_states_the_budget_hold_and_perennial_rule():
    said = _said(r"is\s+still ([\d.]+) times the usual")
    assert float(said[1]) == THRESHOLDS.momentum.hold_growth
    said = _said(r"filled up to (\d+) subjects with the strongest of those whose\s+coverage"
                 r" at least doubled, told by (\d+) sites or more")
    momentum = THRESHOLDS.momentum
    assert (int(said[1]), 2.0, int(said[2])) == (
        momentum.quiet_floor, momentum.fill_growth, momentum.fill_sources)
    scope = THRESHOLDS.scope
    _said(r"three in four months, over four months or more\) and in four stories or more")
    assert (scope.perennial_share, scope.perennial_months, scope.perennial_level) == (0.75, 4, 4)
    _said(r"a one-word name in two months in three at two stories or more")
    assert (scope.name_share, scope.name_level) == (0.66, 2)
    _said(r"a word of everyday English, or nearly \(wordfreq Zipf 2\.9 or more")
    assert scope.everyday_zipf == 2.9
    _said(r"only when one happening tells a quarter\s+of that week's stories or more "
          r"\(two at least, from two sites or more\)")
    assert (scope.happening_share, scope.happening_stories, scope.happening_sites) == \
        (0.25, 2, 2)
    _said(r"most of whose headlines date themselves")
    assert scope.series_share == 0.5
    said = _said(r"at most `max_new_weekly` \((\d+)\) trends are newly flagged .{0,200}?"
                 r"still flags its best (\d+) new ones")
    assert (int(said[1]), int(said[2])) == (Settings().max_new_weekly,
                                            momentum.new_each_day)


def test_the_readme_states_the_relapse_and_person_rules():
    _said(r"A flag that ended within those four weeks comes back only with a new take-off")
    assert Settings().theme_recent_days == 28
    said = _said(r"a name (\d+) % of whose headlines \((\d+) at least\) give it a person's")
    scope = THRESHOLDS.scope
    assert (int(said[1]) / 100, int(said[2])) == (scope.person_share, scope.person_titles)
    said = _said(r"takes the word it describes in (\d+) % of its headlines")
    assert int(said[1]) / 100 == THRESHOLDS.names.describing_share
    said = _said(r"a name that (\d+) % of its headlines or more write with one more word")
    assert int(said[1]) / 100 == THRESHOLDS.names.completing_share
    said = _said(r"an acronym takes any capitalised word (\d+) % of its headlines write")
    assert int(said[1]) / 100 == THRESHOLDS.names.completing_share
    said = _said(r"an organisation, a name (\d+) % of whose headlines \((\d+) at least\) write it,"
                 r" or a longer name of it, doing what organisations do")
    assert (int(said[1]) / 100, int(said[2])) == (scope.organisation_share,
                                                  scope.organisation_headlines)
    said = _said(r"written right after the name, or said in (\d+) % of its headlines or more")
    assert int(said[1]) / 100 == THRESHOLDS.names.happened_share
    _said(r"and its plural when half as many write that")
    assert THRESHOLDS.names.plural_share == 0.5
    said = _said(r"written at most ([\d.]+) times a week in the (\d+) weeks before and now three")
    assert float(said[1]) == THRESHOLDS.events.quiet_weekly
    assert int(said[2]) == THRESHOLDS.momentum.past_weeks
