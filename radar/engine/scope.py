"""What is a trend at all: not a name in the news all along, a series, or market news (pure).

A CISO's radar shows what is new. A vendor, an agency or a platform covered in most
months of the history is not a trend by itself; neither is a place (`places.py`), nor
the price of a coin. What is new about them (a named flaw, an incident, a campaign)
reaches the radar as an event, under a name that says what happened.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import zip_longest

import numpy as np

from radar.engine.apart import name_apart, said_by, says_nothing_new
from radar.engine.phrases import common_zipf
from radar.engine.vocabulary import (
    ACTOR,
    ORGANISATION_VERBS,
    VOCABULARY,
)
from radar.engine.wordforms import is_kind
from radar.thresholds import THRESHOLDS

# A theme named in most months of a long enough history, and often (`Scope`), is in the
# news all along (a vendor, an agency, a platform): no trend by itself. A subject covered
# now and then (a malware family, a scheme) is not: its growth is news.
SCOPE, NAMES = THRESHOLDS.scope, THRESHOLDS.names
MONTH = timedelta(days=30)
# Second-level labels countries register names under ("bbc.co.uk", "abc.net.au").
SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or"})
# Market news: prices, trading and funding, unless an incident is what it reports. These
# patterns are in lower case: `_says` lowers each headline once.
MARKET = re.compile(
    r"\b(price|prices|priced|rally|rallies|surges?|plunges?|soars?|slumps?|dips?|bull(?:ish)?|"
    r"bear(?:ish)?|etfs?|trading|traders?|market cap|stocks?|shares|ipo|listing|lists|"
    r"funding|raises|valuation|investors?|tokens?|coins?|memecoins?|airdrops?|whales?|"
    r"all-time high|ath|btc|eth|xrp|sol|usdt|stablecoins?|treasury|forecast|analysts?)\b")
INCIDENT = re.compile(
    r"\b(hack(?:s|ed|ers?)?|heists?|breach(?:es|ed)?|stol(?:en|e)|theft|thie(?:f|ves)|"
    r"exploit(?:s|ed)?|drain(?:s|ed|er)?|scams?|fraud|attacks?|takedown|seiz(?:ed|es|ure)|"
    r"arrest(?:s|ed)?|launder(?:ing|ed)?|malware|phishing|ransomware|vulnerab\w*|flaws?|"
    r"sanction(?:s|ed)?|charged|sentenced|compromis\w*|leak(?:s|ed)?|backdoor\w*)\b")
# An edition of a series: a headline dated by its month and year or its quarter, or one of
# the monthly patch days every vendor's customers expect ("August Patch Tuesday").
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
EDITION = re.compile(rf"\b{_MONTH}\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+20\d\d\b"
                     r"|\b(?:q[1-4]|h[12])\s+20\d\d\b|\b20\d\d\s+(?:q[1-4]|h[12])\b"
                     r"|\bpatch (?:tuesday|day)\b")
# An annual edition: a headline dated by its year alone ("Black Hat USA 2026"; a CVE id is
# no date).
YEAR = re.compile(r"(?<![\w-])20\d\d(?![\w-])")
OF_THEME = THRESHOLDS.events.of_theme


def is_perennial(published: Sequence[datetime], *, as_of: datetime, months: int,
                 name: str = "") -> bool:
    """Named in most months of a long enough history, and often (`Scope`); or, for a
    one-word name (an organisation, a platform, a product: "DOJ", "Cloudflare",
    "ChatGPT"), in most months even at a lower level, as bursts of unrelated stories; not
    a threat actor's ("APT28"), whose bursts are its campaigns."""
    if months < SCOPE.perennial_months:
        return False
    per_month = Counter(int((as_of - moment) / MONTH) for moment in published)
    counts = sorted(per_month.get(m, 0) for m in range(months))
    covered = sum(1 for n in counts if n)
    typical = counts[months // 2]
    if covered >= SCOPE.perennial_share * months and typical >= SCOPE.perennial_level:
        return True
    return (len(name.split()) == 1 and covered >= SCOPE.name_share * months
            and typical >= SCOPE.name_level and not ACTOR.fullmatch(name))


def is_everyday_name(name: str) -> bool:
    """One word of everyday English ("Signal", "Zoom", "Wi-Fi", "Canvas"; not "7-Zip" or
    "M&S", whose parts are): the name alone says nothing of what took off under it, only
    its headlines do ("Canvas breach")."""
    return name.replace("-", "").isalpha() and common_zipf(name) >= SCOPE.everyday_zipf


def is_organisation(names: Sequence[str], titles: Sequence[str]) -> bool:
    """A vendor, an agency or a company: its headlines write it (`names[0]`, or a longer
    name of it: "Palo Alto Networks" of "Palo Alto") doing what organisations do
    ("Fortinet patches", "Europol dismantles", "Veeam warns") in a share of them.
    Malware and threat actors are never written so ("Lumma spreads"). Like a name in the
    news all along, it is named for what happened to it, not flagged by itself."""
    written = sorted((n for n in names if _names_more_of(n, names[0])), key=len, reverse=True)
    speaking = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, written))})\s+(\w+)",
                          re.IGNORECASE)
    acts = sum(any(m.group(1).lower() in ORGANISATION_VERBS for m in speaking.finditer(title))
               for title in titles)
    return acts >= SCOPE.organisation_headlines and acts >= SCOPE.organisation_share * len(titles)


def _names_more_of(name: str, bare: str) -> bool:
    """`name` is `bare` or `bare` with more words of a name ("Palo Alto Networks"), not
    with a version ("Claude Opus 4.6 released" is a product released) nor a word of the
    trade ("Rhadamanthys Stealer adds" is malware evolving)."""
    extra = name.lower().replace(bare.lower(), "", 1).split()
    return bare.lower() in name.lower() and all(
        word.isalpha() and word not in VOCABULARY and not is_kind(word)
        for word in extra)


def history_months(first: datetime, as_of: datetime) -> int:
    """Whole months of history from the first story to `as_of`."""
    return int((as_of - first) / MONTH)


def in_scope(subjects: Sequence[tuple[bool, np.ndarray]], titles: Sequence[str],
             sites: Sequence[AbstractSet[str]] = ()) -> list[bool]:
    """Which subjects, each (is it a theme, its rows in `titles`, told by `sites`), are
    news at all: not market news, not the editions of a series, nor an event inside a
    theme that is one (that month's Patch Tuesday)."""
    markets = market_sites(titles, sites) if sites else frozenset()

    def headlines(rows: np.ndarray) -> list[str]:
        return [titles[row] for row in rows]

    def by_markets(rows: np.ndarray) -> list[bool]:
        return [bool(markets) and sites[row] <= markets for row in rows]

    series = [set(rows.tolist()) for is_theme, rows in subjects
              if is_theme and is_series(headlines(rows))]

    def is_news(rows: np.ndarray) -> bool:
        told, members = headlines(rows), rows.tolist()
        return not is_market_news(told, by_markets(rows)) and not is_series(told) and not any(
            len(theme.intersection(members)) >= OF_THEME * len(members) for theme in series)

    return [is_news(rows) for _, rows in subjects]


def is_series(titles: Sequence[str]) -> bool:
    """Most of these headlines are editions of a series, dated by month or quarter ("Threat
    report, April 2026", "Exploits and vulnerabilities in Q1 2026") or a monthly patch day
    ("June Patch Tuesday"): each as usual as the last; or dated by their year ("Black Hat
    USA 2026", a conference, an annual report), few about an incident ("FIFA World Cup
    2026 scams" is a threat of the season)."""
    enough = SCOPE.series_share * len(titles)
    return bool(titles) and (_count(EDITION, titles) >= enough or (
        _count(YEAR, titles) >= enough
        and _count(INCIDENT, titles) < SCOPE.incident_share * len(titles)))


def is_market_news(titles: Sequence[str], by_markets: Sequence[bool] = ()) -> bool:
    """Most of these headlines are about prices, trading or funding, or told only by a
    market's sites (`by_markets`, one per headline: "Super Bowl" ads as a crypto site
    reports them), few about an incident (a heist, a breach, a takedown is news whatever
    the market does)."""
    market = sum(told or _says(MARKET, title)
                 for title, told in zip_longest(titles, by_markets, fillvalue=False))
    return bool(titles) and market >= SCOPE.market_share * len(titles) and \
        _count(INCIDENT, titles) < SCOPE.incident_share * len(titles)


def market_sites(titles: Sequence[str], sites: Sequence[AbstractSet[str]]) -> frozenset[str]:
    """Sites whose headlines are a market's news (prices, trading, funding in
    `Scope.market_site_share` of them): what they alone tell is market news."""
    told: Counter[str] = Counter()
    market: Counter[str] = Counter()
    for title, names in zip(titles, sites, strict=True):
        says = _says(MARKET, title)   # cached: a backtest's next day reads them again
        for site in names:
            told[site] += 1
            market[site] += says
    return frozenset(site for site, count in told.items()
                     if count >= SCOPE.market_site_stories
                     and market[site] >= SCOPE.market_site_share * count)


@lru_cache(maxsize=400_000)
def _says(pattern: re.Pattern[str], title: str) -> bool:
    """Whether a headline says what `pattern` (written in lower case) finds: read only
    when a rule needs it and cached, as every analysis of a backtest reads them again.
    A lower-cased headline searched case-sensitively is 4x faster than IGNORECASE."""
    return bool(pattern.search(title.lower()))


def _count(pattern: re.Pattern[str], titles: Sequence[str]) -> int:
    """How many of the headlines say it."""
    return sum(_says(pattern, title) for title in titles)


def facets(recent: Mapping[int, set[int]], score: Mapping[int, float],
           lately: Mapping[int, set[int]] | None = None) -> dict[int, int]:
    """Flagged subjects telling mostly the same recent stories as a better-scored one are a
    facet of it this week ("Mozilla" in the week of a Firefox zero-day, "VirusTotal"
    scanning OpenClaw's skills): {facet: the subject holding it}. A holder's stories are
    its `lately` ones (its recent ones by default): a subject flagged on its last week
    holds a four weeks' facet telling its stories of the weeks before ("HHS" over the
    Change Healthcare attack). A facet of a facet belongs to the subject holding that one
    ("Codebase" of "Grafana" of "GitHub breach")."""
    lately = lately or recent
    held: dict[int, int] = {}
    seen: list[int] = []
    for key in sorted(recent, key=lambda k: (-score[k], -len(recent[k]), k)):
        holder = next((h for h in seen if holds_most(lately[h], recent[key])), None)
        if holder is not None:
            held[key] = held.get(holder, holder)
        seen.append(key)
    return held


def one_happening(window: Sequence[int], events: Sequence[np.ndarray], *, theme: np.ndarray,
                  said: Sequence[int], sites: Sequence[AbstractSet[str]]) -> bool:
    """A take-off of a name in the news all along is news when one happening tells a good
    part of the stories of its flagged window (`Scope.happening_share`, at least
    `Scope.happening_stories`) from several sites (`Scope.happening_sites`): the stories
    whose headlines say what its name apart says (`said`: "Cisco ASA", "Apple zero-day"),
    or one of its events (the Canvas breach, Operation Endgame); not unrelated stories
    about it ("WhatsApp attacks", "AWS disruption"), nor one site's how-to posts ("AWS WAF")."""
    told = set(window)
    enough = max(SCOPE.happening_stories, SCOPE.happening_share * len(told))

    def tells(members: set[int]) -> bool:
        return len(members) >= enough and by_several_sites(members, sites)

    return tells(set(said) & told) or any(tells(members & told)
                                          for members in _events_of(theme, events))


def one_event(window: Sequence[int], events: Sequence[np.ndarray], *,
              theme: np.ndarray) -> bool:
    """One of a theme's events tells most of its flagged window (`holds_most`): the
    theme is that happening's ("TeamViewer" of the breach by APT29), and is named for
    what happened, as its headlines say it."""
    told = set(window)
    return any(holds_most(members, told) for members in _events_of(theme, events))


def _events_of(theme: np.ndarray, events: Sequence[np.ndarray]) -> Iterator[set[int]]:
    """The stories of each event belonging to the theme (`Events.of_theme`)."""
    rows = set(theme.tolist())
    for event in events:
        members = set(event.tolist())
        if len(members & rows) >= OF_THEME * len(members):
            yield members


def take_off_name(names: Sequence[str], titles: Sequence[str],
                  sites: Sequence[AbstractSet[str]], *, window: Sequence[int],
                  theme: np.ndarray, events: Sequence[np.ndarray],
                  flagged_themes: Sequence[AbstractSet[int]],
                  fits: Callable[[str], bool] = lambda name: True,
                  least: int = 0) -> str | None:
    """What a name in the news all along, an organisation or a word of everyday English
    (`names[0]`) took off for in its `window`, named apart ("Apple zero-day"), or None
    when the take-off is no news of its own: headlines that say nothing new ("FBI
    news"), unrelated stories or one site's series, without one happening ("WhatsApp
    attacks", "AWS WAF", "Mac exploitation"), or the stories of another flagged subject
    ("WordPress Sites" of the SocGholish takedown). A name apart that does not `fit`
    gives way to the next ("Allianz Life" is a longer name, not what befell it); one said
    by fewer than `least` of the window's stories too."""
    bare, said_titles = names[0], [titles[r] for r in window]
    # What one headline, or one site, says is a view of the take-off, not its subject:
    # the next name apart is tried ("Fujitsu hack" of one headline, "Fujitsu data
    # breach" of two sites), until there is nothing new to say.
    taken: set[str] = set()
    while True:
        # One headline of seven citing "breaches" ("... will hit 40 % of firms, warns
        # Gartner") is what an analyst said, not what happened to Gartner.
        apart = name_apart(bare, said_titles, frozenset(taken), names=names,
                           said_share=NAMES.happened_share)
        said = [window[i] for i in said_by(apart, bare, said_titles)]
        if says_nothing_new(apart) == bare:
            return None
        if len(said) >= max(SCOPE.happening_stories, least) and \
                by_several_sites(said, sites) and fits(apart):
            break
        taken.add(apart.lower())
    unrelated = not one_happening(window, events, theme=theme, said=said, sites=sites)
    elsewhere = any(rows.issuperset(said) for rows in flagged_themes)
    return None if unrelated or elsewhere else apart


def by_several_sites(rows: Iterable[int], sites: Sequence[AbstractSet[str]]) -> bool:
    """Told by `Scope.happening_sites` sites at least: one site's posts are no happening."""
    return len(set().union(*(sites[r] for r in rows))) >= SCOPE.happening_sites


def told_by_its_own(name: str, rows: Iterable[int], sites: Sequence[AbstractSet[str]],
                    published: Sequence[datetime], *, since: datetime) -> bool:
    """Every story since `since` is told only by the named company's own sites
    ("Microsoft Sentinel" on techcommunity.microsoft.com and microsoft.com): a vendor's
    posts about its own products are its marketing, not coverage of a subject."""
    words = [w for w in (word.lower() for word in name.split()) if len(w) >= 4 and w.isalpha()]
    told = [sites[r] for r in rows if published[r] > since]
    return bool(words and told) and all(
        story_sites and all(_organisation(site).startswith(tuple(words)) for site in story_sites)
        for story_sites in told)


def _organisation(site: str) -> str:
    """The name a site is registered under ("microsoft" of techcommunity.microsoft.com,
    "bbc" of bbc.co.uk)."""
    labels = site.lower().split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def holds_most(larger: AbstractSet[object], smaller: AbstractSet[object]) -> bool:
    """`larger` tells most of `smaller`'s stories (`Scope.facet_share`, at least
    `Scope.facet_stories` of them)."""
    shared = len(larger & smaller)
    return shared >= SCOPE.facet_stories and shared >= SCOPE.facet_share * len(smaller)
