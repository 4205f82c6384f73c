"""Themes from phrases: names left to longer names, names of one subject joined."""

from __future__ import annotations

import itertools

from radar.engine.phrases import PhraseTable
from radar.engine.themes import find_themes
from radar.thresholds import Themes

# Headlines vary their words, as real ones do; ordinary words recur across subjects.
VERBS = ["breaches", "targets", "hits", "spies on", "returns to", "probes", "attacks",
         "raids", "infiltrates", "exploits"]
OBJECTS = ["telecoms", "power utilities", "water plants", "ports", "hospitals",
           "universities", "airlines", "banks", "retailers", "ministries"]


def headlines(name: str, count: int, *, start: int = 0) -> list[str]:
    return [f"{name} {verb} {thing} in {country}" for verb, thing, country in
            itertools.islice(zip(itertools.cycle(VERBS[start:] + VERBS[:start]),
                                 itertools.cycle(OBJECTS), itertools.cycle(
                                     ["Norway", "Chile", "Kenya", "Japan", "Peru", "Oman",
                                      "Fiji", "Laos", "Mali", "Togo", "Cuba"])), count)]


def themes_of(titles: list[str], **options) -> list[str]:
    sites = [frozenset({f"site{n % 4}.test"}) for n in range(len(titles))]
    table = PhraseTable.build(titles)
    found = find_themes(table, titles, sites, Themes(**options))
    return [" + ".join(table.keys[c] for c in theme.phrases) for theme in found]


def test_a_word_is_left_to_the_longer_names_that_hold_it() -> None:
    found = themes_of(headlines("Salt Typhoon", 8) + headlines("Volt Typhoon", 8, start=3))
    assert found == ["salt typhoon", "volt typhoon"]  # never "typhoon" or "salt"


def test_names_of_one_subject_are_one_theme() -> None:
    titles = headlines("Lumma Stealer", 6) + headlines("Lumma", 3, start=5)
    assert themes_of(titles) == ["lumma + lumma stealer"]


def test_a_single_sites_series_is_no_theme() -> None:
    titles = headlines("Quartzwing", 9)
    table = PhraseTable.build(titles)
    assert find_themes(table, titles, [frozenset({"vendor.test"})] * 9) == []


def test_too_few_stories_is_no_theme() -> None:
    assert themes_of(headlines("Mirelock", 4)) == []


def test_an_ordinary_word_is_left_to_the_names_it_starts() -> None:
    """"Black" is Black Basta, Black Hat and a few others: no theme of its own that
    mixes them."""
    leads = itertools.cycle(["Experts say", "Reports claim", "Analysts think",
                             "Officials fear", "Sources say", "Insiders claim"])

    def reported(name: str, count: int) -> list[str]:
        return [f"{next(leads)} {title} this month again"
                for title in headlines(name, count, start=count)]
    title_case = [f"{name} {verb.title()} {thing.title()} In {country}"
                  for name in ("Black Owl", "Black Kingdom", "Carbon Black")
                  for verb, thing, country in (("Hits", "Banks", "Peru"),
                                               ("Probes", "Ports", "Oman"))]
    titles = reported("Black Basta", 7) + reported("Black Hat", 7) + title_case
    found = themes_of(titles)
    assert "black basta" in found and "black hat" in found
    assert not any(theme == "black" or theme.startswith("black +") for theme in found)


def test_a_renamed_product_is_one_theme_under_its_names() -> None:
    """Headlines that give one name for another ("rename to", "A/B", "aka") join the two
    names when they share enough stories; names merely told together stay apart."""
    titles = (headlines("Clawdbot", 6) + headlines("Moltbot", 6, start=4)
              + ["Clawdbot's rename to Moltbot draws impostors",
                 "Flaw found in Moltbot/Clawdbot gateways", "Moltbot and Clawdbot users warned"])
    assert themes_of(titles) == ["clawdbot + moltbot"]
    apart = (headlines("Glimmerfox", 8) + headlines("Quartzwing", 8, start=4)
             + ["From Glimmerfox to Quartzwing: a year of kits"])
    assert sorted(themes_of(apart)) == ["glimmerfox", "quartzwing"]
