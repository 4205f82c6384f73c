"""How headlines write a phrase: spelling, names cut short, describing words."""

from __future__ import annotations

from radar.engine.phrases import PhraseTable
from radar.engine.spelling import completed_in, spellings

from .test_phrases import TITLES


def test_spelling_is_the_headlines_own() -> None:
    table = PhraseTable.build(TITLES)
    cols = [table.index["glimmerfox gateways"], table.index["windows"]]
    assert sorted(spellings(table, cols, TITLES).values()) == ["Glimmerfox gateways",
                                                              "Windows"]


def test_a_name_cut_short_is_completed_as_the_headlines_write_it() -> None:
    """"Alto Networks" stands in every headline after "Palo": the label is the whole
    name. A common word beside a name does not join it ("Windows users")."""
    titles = ["Hackers exploit Palo Alto Networks firewalls", "Palo Alto Networks patches bug",
              "Experts warn Palo Alto Networks customers", "Why Windows users should patch",
              "Windows users face new attacks", "Old Windows users lose support"]
    table = PhraseTable.build(titles)
    cols = [table.index["alto networks"], table.index["windows"]]
    assert sorted(spellings(table, cols, titles).values()) == ["Palo Alto Networks", "Windows"]


def test_a_name_most_headlines_write_whole_is_completed() -> None:
    """"Webmail" after "Roundcube" in 7 of 10 headlines is "Roundcube Webmail"; in 6 of
    10 (others naming other webmail products) it stays as it is."""
    others = ["Government webmail servers hit by APT28", "Zimbra webmail flaw exploited",
              "Horde webmail bug fixed after years"]
    whole = [f"Roundcube Webmail flaw number {n} exploited" for n in range(7)]
    def spelled(titles: list[str]) -> str:
        table = PhraseTable.build(titles)
        return spellings(table, [table.index["webmail"]], titles)[table.index["webmail"]]

    assert spelled(whole + others) == "Roundcube Webmail"
    assert "Roundcube" not in spelled(whole[:6] + others + ["SquirrelMail webmail retires"])


def test_a_describing_word_is_named_with_the_word_it_describes() -> None:
    """"Agentic" is written in lower case and mostly before "AI": the label is "Agentic
    AI". A name written with capitals ("Signal") and a describing word followed by no
    common word stay as they are."""
    titles = ["Securing agentic AI in the enterprise", "Agentic AI Breach Will Happen",
              "Why agentic browsers worry defenders", "The era of agentic AI",
              "Attackers abuse agentic tools in firms", "New agentic SOC tools announced",
              "Signal users get a new feature", "Hackers phish Signal accounts again",
              "Lawmakers used Signal chats", "Teams warned about Signal spoofing"]
    table = PhraseTable.build(titles)
    cols = [table.index["agentic"], table.index["signal"]]
    assert sorted(spellings(table, cols, titles).values()) == ["Signal", "agentic AI"]


def test_an_acronym_is_completed_by_the_word_nearly_every_headline_writes_with_it() -> None:
    """"NSO" is "NSO Group" where nearly every headline writes "Group" after it, although
    "group" is an everyday word; a verb after it ("NSO Warns") completes nothing."""
    grouped = [f"NSO Group ordered to hand over code, case {n}" for n in range(7)] + \
        ["Judge rules against NSO in WhatsApp case", "Report names NSO again", "Why NSO lost"]
    warning = [f"CISA Warns of flaw number {n}" for n in range(8)] + ["CISA adds two bugs"]
    table = PhraseTable.build(grouped + warning)
    cols = [table.index["nso"], table.index["cisa"]]
    assert sorted(spellings(table, cols, grouped + warning).values()) == ["CISA", "NSO Group"]


def test_an_everyday_word_is_completed_by_the_word_nearly_every_headline_writes_with_it(
        ) -> None:
    """"Commission" alone is a fragment where nearly every headline writes "European
    Commission" (a nationality names no subject alone, but starts this name); "Outlook"
    written alone stays "Outlook"."""
    commission = [f"European Commission probes attack on staff phones, day {n}"
                  for n in range(7)] + ["Breach at the Commission"]
    outlook = [f"Outlook outage hits users, day {n}" for n in range(4)]
    titles = commission + outlook
    table = PhraseTable.build(titles)
    cols = [table.index["commission"], table.index["outlook"]]
    assert sorted(spellings(table, cols, titles).values()) == ["European Commission",
                                                                 "Outlook"]


def test_the_kind_of_malware_written_with_a_name_completes_it() -> None:
    """"Rhadamanthys Stealer" wherever headlines write it with a capital: the kind is part
    of the name; written in lower case ("Rhadamanthys stealer") it only describes."""
    named = [f"Rhadamanthys Stealer adds an AI feature, version {n}" for n in range(4)]
    described = [f"Rhadamanthys stealer adds an AI feature, version {n}" for n in range(4)]
    for titles, expected in ((named, "Rhadamanthys Stealer"), (described, "Rhadamanthys")):
        table = PhraseTable.build(titles)
        col = table.index["rhadamanthys"]
        assert spellings(table, [col], titles)[col] == expected


def test_a_word_heading_names_completes_one() -> None:
    """"Operation" is an everyday word, yet "Eastwood" written after it in nearly every
    headline is "Operation Eastwood"; a police operation named otherwise stays as it is."""
    titles = [f"Operation Eastwood hits pro-Russian group, raid {n}" for n in range(7)] + \
        ["Europol: Eastwood raids ended", "Police run operation against scammers"]
    def spelled(titles: list[str]) -> str:
        table = PhraseTable.build(titles)
        return spellings(table, [table.index["eastwood"]], titles)[table.index["eastwood"]]

    assert spelled(titles) == "Operation Eastwood"
    assert spelled(titles[6:]) == "Eastwood"


def test_a_name_is_completed_as_its_take_off_writes_it() -> None:
    """"Sleet" names several groups over a year; in the week one of them was new, every
    headline writes "Moonstone Sleet". A verb or a release after a name says what it
    did or which one, not the rest of its name."""
    week = ["Microsoft names Moonstone Sleet a new threat group",
            "Moonstone Sleet ships a fake tank game", "Moonstone Sleet deploys custom ransomware"]
    assert completed_in("Sleet", week) == "Moonstone Sleet"
    assert completed_in("Sleet", [*week, "Diamond Sleet hits CyberLink",
                                  "Sapphire Sleet lures job seekers"]) == "Sleet"
    pleads = [f"Ransomware Negotiator Pleads Guilty in case {n}" for n in range(3)]
    assert completed_in("Ransomware Negotiator", pleads) == "Ransomware Negotiator"
    release = [f"Quillwolf v7 botnet hits {n} routers" for n in (10, 20, 30)]
    assert completed_in("Quillwolf", release) == "Quillwolf"
