"""A synthetic news corpus with known structure: named subjects, bursts, background noise.

Every headline of a subject names it, as real headlines do ("Glimmerfox VPN flaw …"),
mixed with ordinary words and pseudo-words (so no real-language accident makes two
unrelated stories look alike). Headlines are in sentence case, and a subject's name
stands mid-sentence in half of them, so its capitals read as a name. Everything is
seeded: the same call gives the same corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from radar.models import Article
from radar.text import article_id, iso_utc

START = datetime(2031, 1, 1, tzinfo=UTC)
SYLLABLES = ["ka", "lo", "mi", "ne", "tu", "ra", "vi", "so", "pe", "zu", "di", "go", "fa"]
# Ordinary words after a subject's name; none says an organisation acts ("Passkeys warns"
# would make one of "Passkeys", scope.is_organisation).
ORDINARY = ("exploited", "patch", "warning", "targets", "attack", "users", "update",
            "flaw", "report", "customers", "release", "guidance", "zero-day")
# Words that say no flaw: a burst told with them keeps its bare name (one told mostly with
# "flaw", "exploited", "zero-day" is named "<name> flaw").
NEWS = tuple(word for word in ORDINARY if word not in ("exploited", "flaw", "zero-day"))


@dataclass(frozen=True)
class Topic:
    name: str                 # how every headline names it (a label should be this)
    keywords: tuple[str, ...]
    days: tuple[float, ...]   # day offsets from START of each story
    sites: int = 4
    site_prefix: str = "site"


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(4, 6))))
    return rng.sample(sorted(words), count)


def steady(name: str, keywords: tuple[str, ...] = ORDINARY, *, every: float, until: int,
           start: float = 0, sites: int = 4, site_prefix: str = "site") -> Topic:
    days, day = [], start
    while day < until:
        days.append(day)
        day += every
    return Topic(name, keywords, tuple(days), sites, site_prefix)


def burst(name: str, keywords: tuple[str, ...] = ORDINARY, *, start: int, stories: int,
          sites: int = 5) -> Topic:
    return Topic(name, keywords, tuple(start + (i % 3) for i in range(stories)), sites)


def make_corpus(topics: list[Topic], *, noise: int, days: int, seed: int = 7,
                extra_titles: tuple[tuple[str, float, str], ...] = (),
                start: datetime = START) -> list[Article]:
    """Articles for `topics`, `noise` unrelated stories over `days` from `start`, and any
    (title, day, site) given as `extra_titles` (recurring formats, say)."""
    rng = random.Random(seed)
    # Filler words are never reused: unrelated stories share nothing specific by chance.
    filler = iter(pseudo_words(rng, 40000))
    articles: list[Article] = []

    def add(title: str, day: float, site: str) -> None:
        published = start + timedelta(days=day, hours=rng.randint(0, 20))
        link = f"https://{site}/{len(articles)}"
        articles.append(Article(
            id=article_id(source=site, guid=None, canonical_link=link, title=title,
                          summary=""),
            source=site, site=site, category="news", title=title, link=link,
            canonical_link=link, summary="", published=iso_utc(published),
            published_flag="", fetched_at=iso_utc(published)))

    for topic in topics:
        for n, day in enumerate(topic.days):
            word = rng.choice(topic.keywords)
            if n % 2:
                title = f"{next(filler).capitalize()} {topic.name} {word} {next(filler)}"
            else:
                title = f"{topic.name} {word} {next(filler)} {next(filler)}"
            add(title, day, f"{topic.site_prefix}{n % topic.sites}.example.test")
    for n in range(noise):
        generic = rng.choice(["ransomware", "breach", "attack", "malware", "phishing"])
        words = [next(filler), generic, next(filler), rng.choice(ORDINARY), next(filler)]
        add(" ".join(words).capitalize(), rng.uniform(0, days), f"noise{n % 7}.example.test")
    for title, day, site in extra_titles:
        add(title, day, site)
    return sorted(articles, key=lambda a: (a.published, a.id))


def default_topics(days: int = 90) -> list[Topic]:
    """Three steady subjects over the whole period and one burst in its last two days."""
    return [
        steady("Passkeys", every=3, until=days),
        steady("Kubernetes", every=4, until=days),
        steady("Lattice crypto", every=5, until=days),
        burst("Glimmerfox VPN", NEWS, start=days - 2, stories=9),
    ]


def year_topics(days: int = 365) -> list[Topic]:
    """A year with the situations themes must get right.

    - "Mirelock": a subject covered now and then for months, then weekly: rising.
    - "Patchday": covered every nine days all year: steady whatever the week.
    - "Coinvault": the usual subject of three sites that start publishing a month before
      the end (a feed added, an archive back-filled): not new for the radar.
    - "Glimmerfox": a subject covered now and then, with a burst about one happening in
      its last days: a theme with that event in it.
    - "MITRE ATT&CK": a steady subject whose name must stay whole.
    """
    return [
        Topic("Mirelock", ORDINARY, tuple([*range(0, days - 30, 21), *range(days - 27, days,
                                                                         3)]), sites=5),
        steady("Patchday", every=9, until=days, sites=6),
        steady("Coinvault", every=1, until=days, start=days - 30, sites=3,
               site_prefix="coin"),
        steady("Glimmerfox", every=25, until=days - 5),
        burst("Glimmerfox", ("zero-day", "exploited"), start=days - 3, stories=9, sites=5),
        steady("MITRE ATT&CK", every=9, until=days, sites=5),
    ]


def recurring_titles(days: int = 365) -> tuple[tuple[str, float, str], ...]:
    """Formats that recur and are never a subject: catalog additions, webinars, diaries."""
    titles = []
    for week in range(days // 7):
        titles.append(("CISA Adds Two Known Exploited Vulnerabilities to Catalog",
                       week * 7 + 1, "cisa.example.test"))
        titles.append((f"Webinar: How to secure the {week}th quarter", week * 7 + 2,
                       f"vendor{week % 3}.example.test"))
        titles.append((f"Honeypot notes [Guest Diary], (Tue, {week})", week * 7 + 3,
                       "isc.example.test"))
    return tuple(titles)
