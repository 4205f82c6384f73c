"""A synthetic news corpus with known structure: steady topics, background noise, bursts.

Titles mix a topic's keywords with pseudo-words (so no real-language accident makes two
unrelated stories look alike). Everything is seeded: the same call gives the same corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from radar.models import Article
from radar.text import article_id, iso_utc

START = datetime(2031, 1, 1, tzinfo=UTC)
SYLLABLES = ["ka", "lo", "mi", "ne", "tu", "ra", "vi", "so", "pe", "zu", "di", "go", "fa"]


@dataclass(frozen=True)
class Topic:
    name: str             # what a label should contain
    keywords: tuple[str, ...]
    days: tuple[int, ...]  # day offsets from START of each story
    sites: int = 4


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(4, 6))))
    return rng.sample(sorted(words), count)


def steady(name: str, keywords: tuple[str, ...], *, every: int, until: int) -> Topic:
    return Topic(name, keywords, tuple(range(0, until, every)))


def burst(name: str, keywords: tuple[str, ...], *, start: int, stories: int,
          sites: int = 5) -> Topic:
    return Topic(name, keywords, tuple(start + (i % 3) for i in range(stories)), sites)


def make_corpus(topics: list[Topic], *, noise: int, days: int, seed: int = 7) -> list[Article]:
    """Articles for `topics` plus `noise` unrelated stories spread over `days`."""
    rng = random.Random(seed)
    # Filler words are never reused: unrelated stories share nothing specific by chance.
    filler = iter(pseudo_words(rng, 20000))
    articles: list[Article] = []

    def add(title: str, day: float, site: str) -> None:
        published = START + timedelta(days=day, hours=rng.randint(0, 20))
        link = f"https://{site}/{len(articles)}"
        articles.append(Article(
            id=article_id(source=site, guid=None, canonical_link=link, title=title,
                          summary=""),
            source=site, site=site, category="news", title=title, link=link,
            canonical_link=link, summary="", published=iso_utc(published),
            published_flag="", fetched_at=iso_utc(published)))

    for topic in topics:
        for n, day in enumerate(topic.days):
            picked = rng.sample(topic.keywords, k=min(2, len(topic.keywords)))
            title = " ".join([*picked, next(filler), next(filler)]).capitalize()
            add(title, day, f"site{n % topic.sites}.example.test")
    for n in range(noise):
        generic = rng.choice(["ransomware", "breach", "attack", "malware", "phishing"])
        words = [generic, *(next(filler) for _ in range(4))]
        add(" ".join(words).capitalize(), rng.uniform(0, days),
            f"noise{n % 7}.example.test")
    return sorted(articles, key=lambda a: (a.published, a.id))


def default_topics(days: int = 90) -> list[Topic]:
    """Three steady topics over the whole period and one burst in its last two days.

    Each headline uses two of its topic's words, as real headlines vary their wording.
    """
    return [
        steady("Passkeys", ("passkeys", "passwordless", "webauthn", "fido", "authenticator"),
               every=3, until=days),
        steady("Kubernetes", ("kubernetes", "helm", "kubelet", "clusters", "operator"),
               every=4, until=days),
        steady("Lattice", ("lattice", "kyber", "dilithium", "pqc", "quantum"), every=5,
               until=days),
        burst("Glimmerfox", ("glimmerfox", "vpn", "appliance"), start=days - 2, stories=9),
    ]
