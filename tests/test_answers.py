"""The pure parts of the radar's answers: pages, choices, dates, links."""

from __future__ import annotations

from datetime import date

import pytest

from radar.answers import choice, edition_link, page, parse_day, trend_link
from radar.errors import BadInputError


def test_a_page_says_how_many_more_follow() -> None:
    items = list("abcdefg")
    assert page(items, limit=3) == (["a", "b", "c"], {
        "total": 7, "offset": 0, "returned": 3, "more": 4, "next_offset": 3})
    assert page(items, limit=3, offset=6) == (["g"], {
        "total": 7, "offset": 6, "returned": 1, "more": 0, "next_offset": None})
    assert page(items, limit=3, offset=9)[1]["returned"] == 0


def test_choices_and_dates_are_refused_by_name() -> None:
    assert choice(None, ("adopt", "hold"), "ring") is None
    assert choice("hold", ("adopt", "hold"), "ring") == "hold"
    with pytest.raises(BadInputError, match=r"'Hold' is not a ring \(use one of: adopt, hold\)"):
        choice("Hold", ("adopt", "hold"), "ring")
    assert parse_day(" 2031-03-01 ", "since") == date(2031, 3, 1)
    with pytest.raises(BadInputError, match=r"since '03/01/2031' is not a date"):
        parse_day("03/01/2031", "since")


def test_links_into_the_app_only_when_its_address_is_known() -> None:
    assert trend_link(None, "T1") is None and edition_link(None, "e1") is None
    assert trend_link("https://radar.example.com/", "T a&b") == \
        "https://radar.example.com/?view=Radar&trend=T%20a%26b"
    assert edition_link("https://radar.example.com", "ab12") == \
        "https://radar.example.com/?snapshot=ab12"
