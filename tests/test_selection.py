from dataclasses import replace

from radar.config import Settings
from radar.models import SearchHit
from radar.selection import (
    Filters,
    distinct,
    filter_trends,
    inbox,
    radar_selection,
    same_subject,
    search_relevance,
)

from .records import make_trend as trend

TRENDS = [trend("A"), trend("B", ring="adopt", status="steady", score=2.0),
          trend("C", status="rising", score=9.0, quadrant="Platforms"),
          trend("D", status="fading", score=0.0, last_seen="2031-01-01T00:00:00Z")]


def ids(trends) -> list[str]:
    return [t.id for t in trends]


def test_filters_narrow() -> None:
    assert ids(filter_trends(TRENDS, Filters())) == ["A", "B", "C", "D"]
    assert ids(filter_trends(TRENDS, Filters(quadrant="Platforms"))) == ["C"]
    assert ids(filter_trends(TRENDS, Filters(ring="adopt"))) == ["B"]
    assert ids(filter_trends(TRENDS, Filters(ring="assess"))) == ["A", "C", "D"]
    assert ids(filter_trends(TRENDS, Filters(decided=True))) == ["B"]
    assert ids(filter_trends(TRENDS, Filters(decided=False, min_score=4))) == ["A", "C"]
    assert ids(filter_trends(TRENDS, Filters(since="2031-03-01"))) == ["A", "B", "C"]
    assert ids(filter_trends(TRENDS, Filters(matching={"D": 1.0}))) == ["D"]
    assert ids(filter_trends(TRENDS, Filters(matching={"A": 0.2, "C": 3.0}))) == ["C", "A"]
    assert ids(filter_trends(TRENDS, Filters(status="rising"))) == ["C"]


def test_a_search_ranks_its_subject_above_a_trend_that_mentioned_it() -> None:
    relevance = search_relevance([
        SearchHit("named", in_name=True, in_terms=True, matching=2, members=2),
        SearchHit("keyword", in_name=False, in_terms=True, matching=0, members=9),
        SearchHit("mention", in_name=False, in_terms=False, matching=1, members=4),
        SearchHit("empty", in_name=False, in_terms=False, matching=0, members=0)])
    # name 3, keywords 2, then the share of its articles that match
    assert relevance == {"named": 6.0, "keyword": 2.0, "mention": 0.25, "empty": 0.0}
    ranked = filter_trends([trend(t) for t in ("mention", "keyword", "named", "other")],
                           Filters(matching=relevance))
    assert [t.id for t in ranked] == ["named", "keyword", "mention"]


def test_inbox_is_undecided_emerging_or_rising_by_score() -> None:
    assert [(t.id, ids(alike)) for t, alike in inbox(TRENDS)] == [("C", []), ("A", [])]


def test_the_inbox_groups_names_of_one_subject() -> None:
    trends = [trend("a", label="Ivanti", score=5.0), trend("b", label="Salt Typhoon"),
              trend("c", label="Ivanti Connect Secure", score=4.0)]
    assert [(t.id, ids(alike)) for t, alike in inbox(trends)] == [
        ("a", ["c"]), ("b", [])]


def test_a_theme_gathers_every_event_of_its_own_listed_before_it() -> None:
    """Two events of one story, named apart ("Quillrock cyberattack", "Quillrock
    campaign"), listed before their theme: the theme holds both, one entry."""
    attack = trend("e1", kind="event", label="Quillrock cyberattack", theme="t",
                   status="emerging", score=6.0)
    campaign = trend("e2", kind="event", label="Quillrock campaign", theme="t",
                     status="emerging", score=5.0)
    other = trend("o", label="Salt Typhoon", score=4.0)
    quillrock = trend("t", kind="theme", label="Quillrock", status="rising", score=3.0)
    assert [(t.id, ids(alike)) for t, alike in distinct([attack, campaign, other, quillrock])
            ] == [("t", ["e1", "e2"]), ("o", [])]


SETTINGS = Settings(radar_per_quadrant=3)
THREATS, TOOLS = SETTINGS.quadrants[0].name, SETTINGS.quadrants[1].name


def theme(id_: str, **fields):
    return trend(id_, kind="theme", quadrant=THREATS, **fields)


def test_the_radar_shows_decided_trends_first_then_themes_by_momentum() -> None:
    trends = [theme("steady", status="steady", score=9.0),
              theme("rising", status="rising", score=3.0),
              theme("emerging", status="emerging", score=2.0),
              theme("decided", status="fading", score=0.0, ring="hold"),
              theme("also", status="steady", score=1.0)]
    shown = radar_selection(trends, SETTINGS)
    assert ids(shown) == ["decided", "emerging", "rising"]  # three per quadrant


def test_each_quadrant_has_its_own_limit() -> None:
    trends = [theme(f"t{i}", label=f"Theme {i}") for i in range(5)]
    trends += [replace(theme(f"u{i}", label=f"Tool {i}"), quadrant=TOOLS) for i in range(2)]
    shown = radar_selection(trends, SETTINGS)
    assert sum(t.quadrant == THREATS for t in shown) == 3
    assert sum(t.quadrant == TOOLS for t in shown) == 2


def test_events_are_on_the_radar_when_news_on_their_own() -> None:
    quiet = dict(kind="event", quadrant=THREATS, status="steady")
    big = trend("big", source_count=6, label="Big outage", **quiet)
    small = trend("small", source_count=3, label="Small", **quiet)
    owned = trend("owned", source_count=9, theme="t", label="Owned", **quiet)
    assert ids(radar_selection([big, small, owned], SETTINGS)) == ["big"]
    # A new flaw of a steady vendor is news on its own; under a flagged theme it is that
    # theme's latest incident, listed with it.
    steady_vendor = theme("t", label="Vendor", status="steady", score=0.0)
    flaw = trend("flaw", kind="event", quadrant=THREATS, theme="t", label="Vendor zero-day")
    assert "flaw" in ids(radar_selection([steady_vendor, flaw], SETTINGS))
    assert "t" not in ids(radar_selection([steady_vendor, flaw], SETTINGS))
    growing = replace(steady_vendor, status="rising", score=9.0)
    assert ids(radar_selection([growing, flaw], SETTINGS)) == ["t"]


def test_a_name_in_the_news_all_along_is_no_trend_by_itself() -> None:
    always = theme("apple", label="Apple", status="steady", perennial=True,
                   weekly_counts=(("2031-03-03", 9), ("2031-03-10", 9)))
    usual = theme("mcp", label="MCP", status="steady",
                  weekly_counts=(("2031-03-03", 9), ("2031-03-10", 9)))
    assert ids(radar_selection([always, usual], SETTINGS)) == ["mcp"]
    assert ids(radar_selection([replace(always, status="rising")], SETTINGS)) == ["apple"]


def test_a_name_in_the_news_all_along_is_drawn_through_its_own_news() -> None:
    """Its take-off stands for an event named after it ("GitHub leak" beside "GitHub
    breach"), not for one with a name of its own ("npm" in "Supply Chain"'s week)."""
    github = theme("g", label="GitHub breach", status="rising", perennial=True,
                   keywords=("GitHub",), score=7.0)
    leak = trend("l", kind="event", label="GitHub leak", theme="g", status="rising",
                 quadrant=THREATS, score=3.0)
    chain = theme("s", label="Supply Chain attacks", status="rising", perennial=True,
                  keywords=("Supply Chain",), score=6.0)
    npm = trend("n", kind="event", label="npm", theme="s", status="emerging",
                quadrant=THREATS, score=5.0)
    assert ids(radar_selection([github, leak, chain, npm], SETTINGS)) == ["n", "g"]
    # Lists say it as the radar draws it: "npm" stands for "Supply Chain attacks",
    # "GitHub breach" for its leak, whichever ranks first.
    assert [(t.id, ids(alike)) for t, alike in inbox([github, leak, chain, npm])] == [
        ("g", ["l"]), ("n", ["s"])]
    assert [(t.id, ids(alike)) for t, alike in distinct([npm, chain])] == [("n", ["s"])]
    # An event of another listed theme that names this one in passing is that theme's
    # news: "Palo Alto Networks" flaws told beside SonicWall's do not stand for SonicWall.
    palo = theme("p", label="Palo Alto exploit", status="rising", perennial=True,
                 keywords=("Palo Alto",), score=3.0)
    sonicwall = theme("w", label="SonicWall flaw", status="rising", perennial=True,
                      keywords=("SonicWall",), score=4.0)
    both = trend("b", kind="event", label="Palo Alto Networks", theme="p",
                 status="emerging", keywords=("Palo Alto Networks", "SonicWall"), score=4.5)
    assert [(t.id, ids(alike)) for t, alike in distinct([both, sonicwall, palo])] == [
        ("w", ["b"]), ("p", [])]


def test_a_name_held_by_one_already_shown_is_left_out() -> None:
    trends = [theme("a", label="Ivanti", score=9.0),
              theme("b", label="Ivanti Connect Secure", score=8.0),
              theme("c", label="Salt Typhoon", score=7.0)]
    assert ids(radar_selection(trends, SETTINGS)) == ["a", "c"]


def test_a_name_in_the_news_all_along_named_apart_holds_its_bare_names() -> None:
    """Chrome, 3 September 2024: the perennial "Chrome" theme's take-off is named "Chrome
    zero-day"; the smaller "Google Chrome" theme is the same subject, not a second entry.
    Names merely sharing a word ("Salt Typhoon", "Volt Typhoon") stay two subjects."""
    chrome = theme("c", label="Chrome zero-day", status="rising", perennial=True,
                   keywords=("Chrome", "Chrome zero-days"), score=6.0)
    google = theme("g", label="Google Chrome", status="rising", score=4.0)
    salt = theme("s", label="Salt Typhoon", status="rising", score=3.0)
    volt = theme("v", label="Volt Typhoon", status="rising", score=2.0)
    assert ids(radar_selection([chrome, google, salt, volt], SETTINGS)) == ["c", "s", "v"]
    assert [(t.id, ids(alike)) for t, alike in inbox([chrome, google, salt])] == [
        ("c", ["g"]), ("s", [])]


def test_names_of_one_vulnerability_are_one_subject() -> None:
    """React2Shell and Next.js are both mainly CVE-2025-55182; a CVE named as a theme is
    the subject that leads with it. A CVE that is not the main one ties nothing."""
    trends = [theme("a", label="React2Shell", entities=("CVE-2025-55182", "Cloudflare")),
              theme("b", label="Next.js", score=4.0,
                    entities=("CVE-2025-55182", "CVE-2025-66478")),
              theme("c", label="MongoBleed", score=3.0, entities=("CVE-2025-14847",)),
              theme("d", label="CVE-2025-14847", score=2.0),
              theme("e", label="Fortinet", score=1.0,
                    entities=("CVE-2025-24472", "CVE-2025-55182"))]
    assert ids(radar_selection(trends, SETTINGS)) == ["a", "c", "e"]


def test_a_zero_written_for_an_o_is_one_name() -> None:
    """"Cl0p" and "Clop" are one gang; "APT40" and "APT4O" are not rewritten."""
    cl0p = trend("e", kind="event", label="Cl0p", theme="o", score=5.0)
    clop = theme("c", label="Clop", score=3.0)
    assert same_subject(cl0p, clop)
    assert not same_subject(theme("a", label="APT40"), theme("b", label="APT41"))


def test_dismissed_themes_are_not_drawn() -> None:
    assert radar_selection([theme("x", state="dismissed")], SETTINGS) == []


def test_a_theme_heads_its_events_in_lists() -> None:
    theme_ = trend("t", kind="theme", label="React2Shell", score=5.0)
    event = trend("e", kind="event", label="Next.js vulnerability", theme="t", score=9.0)
    other = trend("o", label="Salt Typhoon", score=7.0)
    assert [(t.id, ids(alike)) for t, alike in inbox([theme_, event, other])] == [
        ("t", ["e"]), ("o", [])]


def test_the_best_ranked_theme_of_a_subject_heads_it() -> None:
    """React2Shell, 5 December 2025: the top event is Next.js's, but the theme that leads
    the subject is React2Shell (one vulnerability, CVE-2025-55182, under both names)."""
    cve = ("CVE-2025-55182",)
    event = trend("e", kind="event", label="Next.js RCE", theme="n", score=22.0, entities=cve)
    react = trend("r", kind="theme", label="React2Shell", score=13.0, entities=cve)
    nextjs = trend("n", kind="theme", label="Next.js", score=7.0, entities=cve)
    other = trend("o", label="Cryptomixer", score=12.0)
    assert [(t.id, ids(alike)) for t, alike in inbox([event, react, nextjs, other])] == [
        ("r", ["e", "n"]), ("o", [])]


def test_an_event_whose_stories_name_a_listed_theme_is_that_subject() -> None:
    """24 September 2025: "Turla" (an event of Turla's theme) is Gamaredon and Turla
    joining forces, and its stories name the flagged "Gamaredon" theme: one entry. An
    event its stories name otherwise stays apart."""
    joint = trend("e", kind="event", label="Turla", score=9.0, theme="turla",
                  keywords=("Turla", "Gamaredon"))
    gamaredon = trend("g", kind="theme", label="Gamaredon", score=5.0, keywords=("Gamaredon",))
    other = trend("o", kind="event", label="Stellantis", score=7.0, keywords=("Stellantis",))
    assert [(t.id, ids(alike)) for t, alike in inbox([joint, other, gamaredon])] == [
        ("g", ["e"]), ("o", [])]


def test_a_subject_is_listed_under_what_it_is_in_not_its_id_nor_who_exploits_it() -> None:
    """April 2024: the PAN-OS zero-day's event is named by its CVE id and heads its
    subject (news of its own about a name in the news all along); the entry reads as the
    take-off people name it by. A bare name in the news all along names nothing better."""
    cve = trend("e", kind="event", label="CVE-2031-4400 vulnerability", theme="p",
                score=9.0)
    vendor = trend("p", kind="theme", label="Quillgate zero-day", keywords=("Quillgate",),
                   perennial=True, status="rising", score=4.0)
    other = trend("o", label="Salt Typhoon", score=7.0)
    assert [(t.id, ids(alike)) for t, alike in inbox([cve, vendor, other])] == [
        ("p", ["e"]), ("o", [])]
    exploit = trend("x", kind="event", label="Glimmer exploit", theme="b", score=9.0)
    bare = trend("b", kind="theme", label="Quillgate", keywords=("Quillgate",),
                 perennial=True, status="rising", score=4.0)
    assert [(t.id, ids(alike)) for t, alike in inbox([exploit, bare])] == [("x", ["b"])]
