"""Places and people name no trend by themselves."""

from radar.engine.places import (
    SCOPE,
    _gazetteer,
    _large_cities,
    is_person,
    is_place,
    is_place_or_person,
)


def test_places_from_the_gazetteer() -> None:
    for place in ("London", "Texas", "Asia", "Poland", "MENA", "south korea", "UAE", "U.S.",
                  "Chinese", "North Korean", "Southeast Asian", "Romanian", "Brazilian",
                  "Italian", "Pakistani", "Mexican",
                  "Netherlands",                         # "The Netherlands" in the gazetteer
                  "Czech Republic", "Britain", "Scotland",   # common names it lacks
                  "Uyghur"):                             # a people without a country
        assert is_place(place), place
    for name in ("Salt Typhoon", "Snowflake", "MOVEit", "Apple", "North Korean IT workers",
                 "Korean Air", "Lazarus", "Akira", "Kimsuky", "Romanian hackers", ""):
        assert not is_place(name), name


def test_large_cities_read_from_the_data_file_are_the_gazetteers() -> None:
    gazetteer = _gazetteer()
    assert _large_cities(gazetteer.min_city_population) == {
        city["name"] for city in gazetteer.get_cities().values()
        if city["population"] >= SCOPE.city_population}


def test_a_person_is_named_with_a_title_in_a_share_of_the_headlines() -> None:
    headlines = ["President Quarrick signs a cyber order", "Quarrick's order on AI agents",
                 "The Quarrick administration names a CISO", "Quarrick order: what it means",
                 "Agencies react to Quarrick", "Zyntel CEO Dana Mervo steps down",
                 "Mervo to leave Zyntel", "Zyntel flaw exploited", "Mervo speaks",
                 "Zyntel patches a router bug", "Zyntel Director of Research on Mervo",
                 "Mervo on quantum", "Mervo interview", "Mervo again"]
    assert is_person("Quarrick", headlines)                # 2 of 5 titled
    assert not is_person("Mervo", headlines)               # 1 of 7: a title once is chance
    assert not is_person("Zyntel", headlines)              # "Zyntel CEO", "Zyntel Director"
    assert not is_person("Quarrick Order", headlines)      # the name is not written alone
    assert is_place_or_person("Texas", []) and is_place_or_person("Quarrick", headlines)
    # A title alone names whoever holds the office.
    assert is_person("Attorney General", []) and not is_person("", [])
