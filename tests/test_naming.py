"""Names as the headlines write them, and names that stay put."""

from __future__ import annotations

import numpy as np

from radar.engine.naming import NameOption, event_names, stable_label, theme_names
from radar.engine.phrases import PhraseTable
from radar.models import Finding

FINDING = Finding(id="", label="", keywords=(), entities=(), terms={}, quadrant="Threats",
                  quadrant_reason="", suggested_ring="hold", status="steady", score=0.0,
                  article_count=1, story_count=1, source_count=1, first_seen="", last_seen="",
                  weekly_counts=(), why="", members=frozenset())

TITLES = [
    "Lumma Stealer hits banks in Norway", "Lumma Stealer spreads through fake ads",
    "Banks in Chile warn of Lumma Stealer", "Lumma Stealer returns after a pause",
    "How Lumma Stealer steals browser data", "Lumma Stealer sold as a service",
    "Police seize Lumma servers in sweep", "Lumma operators arrested in Kenya",
    "Microsoft disrupts Lumma infrastructure",
    "Android tablets after a week of use", "The best Android launcher for a student",
    "Android battery tips that work", "Why I switched back to Android",
    "Android widgets worth a look",
    "Banks hit by outage in Peru", "Ports hit by fraud wave", "Airlines warn of ads fraud",
    "Hospitals report a wave of outages", "Schools hit in Japan",
    "Phone scams rise before the holidays", "Your phone may be listening",
    "Phone makers patch modem bugs", "A phone call that empties accounts",
    "Banks move codes off the phone",
]


def test_a_longer_name_wins_when_nearly_as_many_headlines_use_it() -> None:
    table = PhraseTable.build(TITLES)
    options = theme_names(table, [table.index["lumma"], table.index["lumma stealer"]],
                          TITLES)
    assert [o.label for o in options] == ["Lumma Stealer", "Lumma"]  # 6 of 9 use it


def test_an_event_is_named_by_its_own_subject_and_a_mixture_is_not_named() -> None:
    table = PhraseTable.build(TITLES)
    lumma = event_names(table, np.arange(6), TITLES)
    assert lumma[0].label == "Lumma Stealer"
    assert event_names(table, np.arange(9, 14), TITLES) == []  # "Android" + ordinary words


def test_a_flaw_is_named_by_what_it_is_in_when_headlines_write_that_as_often() -> None:
    titles = ["Backdoor in Zlibber archiver CVE-2031-4021 found by a Postgres developer",
              "Zlibber archiver backdoor CVE-2031-4021 reaches Fedora testing",
              "Why the Zlibber archiver backdoor CVE-2031-4021 went unnoticed",
              *TITLES]
    table = PhraseTable.build(titles)
    options = event_names(table, np.arange(3), titles)
    assert options[0].label == "Zlibber archiver backdoor"   # as two of three write it
    assert "CVE-2031-4021" in [o.label for o in options]   # still an alias of the event
    # Written by fewer headlines than the id, a name does not displace it.
    fewer = ["Backdoor CVE-2031-4021 found in Zlibber archiver",
             "CVE-2031-4021 reaches Fedora testing", "Why CVE-2031-4021 went unnoticed",
             *TITLES]
    table = PhraseTable.build(fewer)
    assert event_names(table, np.arange(3), fewer)[0].label == "CVE-2031-4021"
    # Two of three are nearly as many: "Zlibber" names it, as people call it.
    nearly = ["Backdoor CVE-2031-4021 found in Zlibber", "Zlibber hit by CVE-2031-4021",
              "Why CVE-2031-4021 went unnoticed", *TITLES]
    table = PhraseTable.build(nearly)
    assert event_names(table, np.arange(3), nearly)[0].label == "Zlibber"


def test_an_event_named_only_by_a_name_in_every_weeks_news_is_not_named() -> None:
    """"Lumma" in 9 of the table's stories: as broad as the news's vocabulary when the
    ceiling is lower, so an event it alone names is no happening."""
    table = PhraseTable.build(TITLES)
    assert event_names(table, np.arange(6, 9), TITLES, max_stories=10)
    assert event_names(table, np.arange(6, 9), TITLES, max_stories=8) == []


def test_an_everyday_name_names_only_a_larger_burst_nothing_rarer_names() -> None:
    """"Android" in a few stories of a week is chance; four stories on one pair of
    flaws that all write it, and no rarer name, are its happening."""
    flaws = ["Android flaws let apps take over the modem",
             "Google patches two Android flaws under attack",
             "Android flaws exploited in targeted attacks", "Patch now: Android flaws hit tablets"]
    chance = ["Shops sell cheap Android phones with a new launcher",
              "Hackers target Android users in Spain",
              "Retailers sold Android tablets with malware",
              "Students prefer Android devices for school", "Why families choose Android tablets"]
    titles = [*flaws, *chance, *TITLES]
    table = PhraseTable.build(titles)
    assert event_names(table, np.arange(4), titles)[0].label == "Android"
    assert event_names(table, np.arange(4, 7), titles) == []   # three share it by chance
    # A rarer name written as often wins over the everyday one.
    named = ["Android flaw Glimmerjack lets apps take over the modem",
             "Glimmerjack Android flaws under attack", *flaws[2:], *TITLES]
    table = PhraseTable.build(named)
    assert event_names(table, np.arange(4), named)[0].label.startswith("Glimmerjack")


def test_an_event_is_named_by_its_own_coined_name_before_a_name_of_the_wider_news() -> None:
    """November 2025: "WrtHug" in three of four headlines about hijacked ASUS routers,
    and nowhere else; "ASUS" in all four and in other stories of the year."""
    titles = ["Operation Quorvex hijacks 50,000 Zentro routers",
              "Quorvex exploits six Zentro flaws to hijack old routers",
              "China-linked Quorvex hijacks thousands of Zentro routers",
              "Critical flaw lets hackers access Zentro routers",
              "Zentro patches its cloud portal", "Zentro recalls a modem",
              "Police question Zentro staff", *TITLES * 30]   # a year's other news
    table = PhraseTable.build(titles)
    assert event_names(table, np.arange(4), titles)[0].label.endswith("Quorvex")
    # Written by too few of the event's headlines, it does not displace the wider name.
    fewer = [titles[0], *titles[3:], "Old Zentro routers hijacked again",
             "Hackers hijack Zentro routers worldwide"]
    table = PhraseTable.build(fewer)
    assert event_names(table, np.array([0, 1, len(fewer) - 2, len(fewer) - 1]),
                       fewer)[0].label.startswith("Zentro")


def test_a_name_stays_while_it_still_fits() -> None:
    options = [NameOption("Salt Typhoon", 10), NameOption("Salt Typhoon hackers", 6)]
    assert stable_label(options, "Salt Typhoon hackers") == "Salt Typhoon hackers"
    assert stable_label(options, "Telecom hacks") == "Salt Typhoon"
    assert stable_label([NameOption("A", 10), NameOption("B", 4)], "B") == "A"  # too weak
    assert stable_label([], "Earlier") == "Earlier"
    plural = [NameOption("IT workers", 10), NameOption("IT worker", 9)]
    assert stable_label(plural, "IT Worker") == "IT workers"   # the better-written name


def test_phrases_completed_into_one_name_are_offered_once() -> None:
    """"Codex CLI" completed with the "OpenAI" nearly every headline writes before it is
    "OpenAI Codex CLI", the name "OpenAI Codex CLI" itself is too: one option."""
    titles = [f"OpenAI Codex CLI flaw number {n} lets attackers run commands"
              for n in range(6)]
    table = PhraseTable.build(titles)
    labels = [o.label for o in theme_names(table, [table.index["codex cli"],
                                                   table.index["openai codex cli"]], titles)]
    assert labels == ["OpenAI Codex CLI"]


def test_a_subject_written_in_the_plural_is_named_so() -> None:
    """"IT worker" is mostly a modifier ("IT worker scheme"): the subject is "IT workers"
    when half as many headlines write that, or when the singular mostly describes the
    word after it; a plural few write stays an option beside a singular that names."""
    schemes = [f"Feds bust IT worker scheme number {n}" for n in range(6)]
    plurals = [f"North Korean IT workers hit firm {n}" for n in range(3)]
    heads = [f"Feds charge IT worker in case {n}" if n % 2 else f"IT worker arrested in raid {n}"
             for n in range(6)]

    def name(titles: list[str]) -> str:
        table = PhraseTable.build(titles)
        cols = [table.index["IT worker"], table.index["IT workers"]]
        return theme_names(table, cols, titles)[0].label

    assert name(schemes + plurals) == "IT workers"
    assert name(schemes + plurals[:1]) == "IT workers"   # "IT worker" describes "scheme"
    assert name(heads + plurals[:2]) == "IT worker"      # two plurals of eight


def test_between_equals_an_event_is_named_by_its_coined_name() -> None:
    """Two of three headlines say "Islamic Charity", two "Zardoor": the coined name is
    the event's own; a description is what it hit. Two names joined by "and" are no
    one name."""
    titles = ["Stealthy Zardoor backdoor targets Islamic Charity groups",
              "New Zardoor backdoor used in long espionage campaign",
              "Cyber-attack hits Islamic Charity in the Gulf",
              "Velvetcrow and Gristlemouse malware hit wallets",
              "Velvetcrow and Gristlemouse steal browser data",
              *TITLES]
    table = PhraseTable.build(titles)
    assert event_names(table, np.arange(3), titles)[0].label.startswith("Zardoor")
    mixed = [o.label.lower() for o in event_names(table, np.arange(3, 5), titles)]
    assert mixed and "velvetcrow and gristlemouse" not in mixed


def test_an_event_is_named_by_what_did_it_not_by_words_describing_whom_it_hit() -> None:
    """Three headlines say "political parties" (written in lower case, as words are),
    two "Quillloader": the name is the coined one, the words describe the victims."""
    titles = ["Russian spies target German political parties with Quillloader",
              "Quillloader backdoor hits German political parties",
              "German political parties are the latest targets of spies",
              *TITLES]
    table = PhraseTable.build(titles)
    assert event_names(table, np.arange(3), titles)[0].label == "Quillloader"
