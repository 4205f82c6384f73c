"""What is a trend at all: names in the news all along, places, market news."""

from datetime import UTC, datetime, timedelta

import numpy as np

from radar.engine.scope import (
    facets,
    history_months,
    in_scope,
    is_everyday_name,
    is_market_news,
    is_organisation,
    is_perennial,
    is_series,
    one_event,
    one_happening,
    take_off_name,
    told_by_its_own,
)

NOW = datetime(2031, 12, 31, tzinfo=UTC)


def every(days: float, *, count: int, start: int = 0) -> list[datetime]:
    return [NOW - timedelta(days=start + n * days) for n in range(count)]


def test_a_name_covered_often_every_month_is_perennial() -> None:
    assert is_perennial(every(5, count=72), as_of=NOW, months=12)        # six a month
    # Covered now and then (a malware family every two weeks): its growth is news.
    assert not is_perennial(every(14, count=26), as_of=NOW, months=12)
    # Often, but only in the last months: new, not perennial.
    assert not is_perennial(every(1, count=90), as_of=NOW, months=12)
    # Four months of history are enough to tell (Linux, Windows in a radar begun in
    # October); three are not.
    assert is_perennial(every(5, count=24), as_of=NOW, months=4)
    assert not is_perennial(every(5, count=18), as_of=NOW, months=3)


def test_a_one_word_name_in_nearly_every_month_is_in_the_news_all_along() -> None:
    """An agency or a platform ("DOJ", "Cloudflare", "ChatGPT") in the news in most months
    in two or three unrelated stories; a subject of several words ("IT workers") covered
    as evenly is one subject, so is a threat actor ("APT28": its bursts are campaigns),
    and a name missing from five months in twelve is not in the news all along."""
    even = every(12, count=30)                                         # 2-3 a month
    assert is_perennial(even, as_of=NOW, months=12, name="Cloudflare")
    assert not is_perennial(even, as_of=NOW, months=12, name="IT workers")
    assert not is_perennial(even, as_of=NOW, months=12)
    two_gaps = [moment for moment in even if not 60 <= (NOW - moment).days < 120]
    assert is_perennial(two_gaps, as_of=NOW, months=12, name="Cloudflare")
    assert not is_perennial(even, as_of=NOW, months=12, name="APT28")
    four_gaps = [moment for moment in even if not 60 <= (NOW - moment).days < 180]
    assert is_perennial(four_gaps, as_of=NOW, months=12, name="Cloudflare")
    five_gaps = [moment for moment in even if not 60 <= (NOW - moment).days < 210]
    assert not is_perennial(five_gaps, as_of=NOW, months=12, name="Cloudflare")


def test_history_months() -> None:
    assert history_months(NOW - timedelta(days=365), NOW) == 12
    assert history_months(NOW - timedelta(days=10), NOW) == 0


def test_market_news_unless_an_incident() -> None:
    prices = ["Bitcoin price rallies past $100k", "ETH traders eye ETF approval",
              "Solana token surges 20%", "Crypto market cap hits record"]
    heist = ["Bybit hacked: $1.5B in ETH stolen", "Hackers drain Solana wallets",
             "Lazarus launders stolen crypto", "Bybit heist tied to North Korea"]
    assert is_market_news(prices)
    assert not is_market_news(heist)
    assert not is_market_news(["Ivanti patches zero-day", "Ivanti VPN attacks"])
    assert not is_market_news([])


def test_what_only_a_markets_sites_tell_is_market_news() -> None:
    """February 2026: "Super Bowl" ads as two crypto-market sites told them. A site is a
    market's when its headlines are mostly prices and trading; a subject it alone tells,
    with no incident, is no trend; one a security site tells too stays news."""
    market_news = ["Bitcoin price rallies past $100k", "ETH traders eye ETF approval",
                   "Solana token surges 20%", "Crypto market cap hits record"] * 6
    ads = ["Exchange ad mocked during the Super Bowl", "Super Bowl ads and the AI bubble",
           "A chatbot buys its Super Bowl slot"]
    titles = [*market_news, *ads]
    sites = [{"coinwire"}] * len(titles)
    rows = np.arange(len(market_news), len(titles))
    assert in_scope([(True, rows)], titles, sites) == [False]
    assert in_scope([(True, rows)], titles) == [True]   # by its words alone: news
    told_by_security = sites[:-2] + [{"coinwire", "securewire"}] * 2
    assert in_scope([(True, rows)], titles, told_by_security) == [True]


def test_a_subject_telling_mostly_anothers_stories_this_week_is_its_facet() -> None:
    # Firefox's zero-day week: 8 stories, 5 of them also "Mozilla" (of its 5: all held).
    firefox, mozilla, zimbra = set(range(8)), {0, 1, 2, 3, 4}, {20, 21, 22, 23}
    assert facets({1: firefox, 2: mozilla, 3: zimbra}, {1: 7.0, 2: 4.0, 3: 7.5}) == {2: 1}
    # The better-scored subject holds the other, whichever has more stories.
    assert facets({1: firefox, 2: mozilla}, {1: 3.0, 2: 4.0}) == {1: 2}
    # Two of a small subject's three stories are the larger one's: its facet ("GitHub
    # Repositories" in a worm's week); one shared story is a coincidence.
    assert facets({1: firefox, 2: {0, 1, 30}}, {1: 7.0, 2: 4.0}) == {2: 1}
    assert facets({1: firefox, 2: {0}}, {1: 7.0, 2: 4.0}) == {}
    # Under 60 % of the smaller's stories shared: two subjects.
    assert facets({1: firefox, 2: {0, 1, 2, 30, 31, 32}}, {1: 7.0, 2: 4.0}) == {}
    # A facet's facet belongs to the subject holding the first: C shares three of its four
    # stories with B, one with A, and is listed under A through B.
    b, c = {0, 1, 2, 3, 4, 40, 41}, {4, 40, 41, 50}
    assert facets({1: firefox, 2: b, 3: c}, {1: 9.0, 2: 8.0, 3: 7.0}) == {2: 1, 3: 1}
    # A subject flagged on its last week (three stories) holds a four weeks' facet
    # telling its stories of the weeks before too ("HHS" over the Change Healthcare
    # attack): given those stories as its `lately` ones.
    attack, hhs = {10, 11, 12}, {7, 8, 9, 10, 11, 12}
    assert facets({1: attack, 2: hhs}, {1: 9.0, 2: 4.0}) == {}
    assert facets({1: attack, 2: hhs}, {1: 9.0, 2: 4.0},
                  {1: attack | {8, 9}, 2: hhs}) == {2: 1}


def test_editions_of_a_series_and_the_events_inside_them_are_not_news() -> None:
    titles = ["Quillsoft Patch Day - March 2031, (Tue, Mar 11th)",           # 0 series theme
              "Quillsoft Patch Day security updates for April 2031 fix 3 zero-days",
              "Quillsoft Patch Day, May 2031 Edition",
              "Quillsoft fixes two zero-days on Patch Day",
              "Threat report Q1 2031: loaders up",                           # 4 series event
              "Loader trends in Q2 2031",
              "Vexbot ransomware hits hospitals in March 2031",              # 6 news
              "Vexbot ransomware leaks patient data",
              "Vexbot operators arrested"]
    theme, inside, reports, news = (np.array(rows) for rows in
                                    ([0, 1, 2, 3], [2, 3], [4, 5], [6, 7, 8]))
    subjects = [(True, theme), (False, inside), (False, reports), (True, news)]
    assert in_scope(subjects, titles) == [False, False, False, True]
    assert is_series(titles[:3]) and not is_series(titles[6:]) and not is_series([])
    # Without the series theme, its event is a series on its own; a subject of news may
    # hold an edition or a dated headline.
    assert in_scope([(False, inside)], titles) == [False]
    assert in_scope([(True, np.array([3, 7, 8])), (True, np.array([6, 7, 8]))],
                    titles) == [True, True]


def test_editions_dated_by_their_year_are_a_series_unless_incidents() -> None:
    """A conference dated by its year is as usual as last year's; a season's threats
    dated so are news; a CVE id is no date."""
    conference = ["Black Hat USA 2026: talks to watch", "Lessons from Black Hat 2026",
                  "Preview: our team at Black Hat USA 2026", "Black Hat keynote recap"]
    season = ["FIFA World Cup 2026 scams are live", "Hackers target World Cup 2026 fans",
              "World Cup 2026 phishing wave", "Police warn of World Cup ticket fraud"]
    flaws = ["CVE-2026-1234 exploited in Ivanti", "Ivanti CVE-2026-2222 patched",
             "Ivanti VPN flaw", "Ivanti again"]
    assert is_series(conference)
    assert not is_series(season) and not is_series(flaws)


def test_a_word_of_everyday_english_names_no_trend_by_itself() -> None:
    assert is_everyday_name("Signal") and is_everyday_name("Zoom")
    assert not is_everyday_name("Ivanti") and not is_everyday_name("Salt Typhoon")
    assert not is_everyday_name("7-Zip") and not is_everyday_name("M&S")


def test_a_name_in_the_news_all_along_takes_off_with_one_happening() -> None:
    theme = np.arange(40)                 # "Cisco": forty stories over the year
    week = list(range(28, 40))            # twelve of them this week
    flaw = np.array([31, 32, 33, 90])     # an event inside it: three of the twelve
    elsewhere = np.array([30, 37, 91, 92, 93, 94])    # mostly another theme's stories
    sites = [frozenset({f"site{i % 5}"}) for i in range(100)]
    assert one_happening(week, [flaw], theme=theme, said=[], sites=sites)
    assert not one_happening(week, [flaw[:2]], theme=theme, said=[], sites=sites)  # two
    assert not one_happening(week, [elsewhere], theme=theme, said=[], sites=sites)
    # What its name apart says ("Cisco ASA") in a quarter of the week's headlines.
    assert one_happening(week, [], theme=theme, said=[28, 29, 30], sites=sites)
    assert not one_happening(week, [], theme=theme, said=[28, 29], sites=sites)
    # ... and in two at least, however short the week.
    assert not one_happening([38, 39, 40, 41], [], theme=theme, said=[38], sites=sites)
    assert one_happening([38, 39, 40, 41], [], theme=theme, said=[38, 39], sites=sites)


def test_one_sites_posts_are_no_happening() -> None:
    # "AWS WAF": three how-to posts of one site in a week of AWS stories.
    theme, week = np.arange(40), list(range(33, 40))
    one_site = [frozenset({"howto.example"})] * 40
    assert not one_happening(week, [], theme=theme, said=[33, 34, 35], sites=one_site)
    assert not one_happening(week, [np.array([33, 34, 35])], theme=theme, said=[],
                             sites=one_site)
    two_sites = [frozenset({f"site{i % 2}"}) for i in range(40)]
    assert one_happening(week, [], theme=theme, said=[33, 34, 35], sites=two_sites)


def test_a_vendors_own_posts_about_its_products_are_not_coverage() -> None:
    """Posts on techcommunity.microsoft.com and microsoft.com about Microsoft Sentinel
    are Microsoft's; one story another site tells too, or one told since, is coverage."""
    own = [frozenset({"techcommunity.microsoft.com"}), frozenset({"microsoft.com"})]
    retold = [frozenset({"microsoft.com", "thehackernews.com"})]
    press = [frozenset({"bbc.co.uk"})]
    days = every(1, count=3)     # newest first: today, yesterday, two days ago
    since = NOW - timedelta(days=7)
    assert told_by_its_own("Microsoft Sentinel", [0, 1], own, days, since=since)
    assert not told_by_its_own("Microsoft Sentinel", [0, 1, 2], own + retold, days,
                               since=since)
    assert not told_by_its_own("Sentinel", [0], own, days, since=since)  # not Microsoft's name
    # Only the stories since `since` count: an older story of another site does not.
    assert told_by_its_own("Microsoft Sentinel", [0, 1, 2], own + press, days,
                           since=NOW - timedelta(days=1, hours=12))


def test_a_take_off_of_a_name_in_the_news_all_along_is_named_for_what_happened() -> None:
    """"WordPress" takes off with backdoored plugins told by three sites: "WordPress
    plugins", as its headlines write it. When the stories that name it apart are all
    another flagged subject's (the SocGholish takedown cleaning WordPress sites), or say
    nothing new ("WordPress news"), the take-off is no trend of its own."""
    titles = [f"WordPress sees a quiet week, part {n}" for n in range(20)] + [
        "Attackers backdoor popular WordPress plugins", "WordPress plugins backdoored again",
        "Another WordPress plugins backdoor found"]
    sites = [frozenset({f"site{n % 3}"}) for n in range(len(titles))]
    def name(window: tuple[int, ...] = (20, 21, 22), **changes) -> str | None:
        options = {"theme": np.arange(23), "events": [],
                   "flagged_themes": []} | changes
        return take_off_name(["WordPress"], titles, sites, window=window, **options)

    assert name() == "WordPress plugins"
    # A name apart that does not fit (a longer name, not what befell it) gives way.
    assert name(fits=lambda apart: apart != "WordPress plugins") == "WordPress backdoor"
    assert name(flagged_themes=[{20, 21, 22, 40}]) is None     # another subject's stories
    assert name(flagged_themes=[{20, 21}]) == "WordPress plugins"  # ... only some of them
    assert name(window=[0, 1, 2]) is None                      # "WordPress sees a quiet week"
    # Two of ten stories about its plugins are no happening of the week: not flagged,
    # whether the name is in the news all along or an organisation's.
    assert name(window=(*range(8), 20, 21)) is None
    # A theme of one happening may be asked that most of its window say it: 3 of 3 do,
    # 3 of 5 do not reach 4.
    assert name(least=3) == "WordPress plugins"
    assert name(window=(0, 1, 20, 21, 22), least=4) is None
    # What one headline, or one site, says is its view, not the take-off's subject.
    assert name(window=(0, 1, 20)) is None
    one_site = [frozenset({"site0"})] * len(titles)
    assert take_off_name(["WordPress"], titles, one_site, window=(20, 21, 22),
                         theme=np.arange(23), events=[],
                         flagged_themes=[]) is None


def test_an_organisation_is_written_doing_what_organisations_do() -> None:
    """Fortinet patches, warns and confirms in its headlines: an organisation, named for
    what happened to it. Malware spreads and a gang hits: never written so."""
    fortinet = ["Fortinet patches FortiOS zero-day", "Hackers exploit Fortinet firewalls",
                "Fortinet warns of new attacks", "Fortinet bug used in ransomware attacks",
                "Mora_001 exploits Fortinet flaws", "Leak exposes Fortinet configs"]
    lumma = ["Lumma spreads through fake CAPTCHAs", "Lumma Stealer hits hotels",
             "Police disrupt Lumma", "Lumma returns after takedown"]
    assert is_organisation(["Fortinet"], fortinet)
    assert not is_organisation(["Lumma"], lumma)
    assert not is_organisation(["Fortinet"], fortinet[:1] + ["Fortinet firewalls hit"] * 10)
    assert not is_organisation(["Fortinet"], [])
    # Its longer name speaks for it: "Palo Alto" is written "Palo Alto Networks patches".
    palo_alto = ["Palo Alto Networks patches PAN-OS zero-day", "Palo Alto Networks warns of "
                 "attacks", "Hackers exploit Palo Alto firewalls", "Palo Alto bug under attack"]
    assert is_organisation(["Palo Alto", "Palo Alto Networks", "PAN-OS"], palo_alto)
    assert not is_organisation(["Palo Alto"], palo_alto)
    # Malware named with its kind evolves ("Rhadamanthys Stealer adds …"): no company.
    stealer = ["Rhadamanthys Stealer adds AI", "Rhadamanthys Stealer Adds OCR",
               "TA547 spreads Rhadamanthys"]
    assert not is_organisation(["Rhadamanthys", "Rhadamanthys Stealer"], stealer)


def test_a_theme_whose_flagged_window_is_one_of_its_events_is_that_happening() -> None:
    # TeamViewer: six stories in its window, five of them its breach event.
    theme, window = np.arange(10), [4, 5, 6, 7, 8, 9]
    breach = np.array([5, 6, 7, 8, 9])
    assert one_event(window, [breach], theme=theme)
    # An event telling two of six stories, or one mostly outside the theme, is not.
    assert not one_event(window, [np.array([8, 9])], theme=theme)
    assert not one_event(window, [np.array([5, 6, 7, 8, 9, 20, 21, 22, 23, 24, 25, 26,
                                            27, 28, 29, 30])], theme=theme)
