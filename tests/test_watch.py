"""Watchlists: keywords and regular expressions matched as whole words, any case."""

from __future__ import annotations

import pytest

from radar.errors import ConfigError
from radar.models import Watchlist
from radar.notify.watch import parse_watchlist, watch_marks, watched_by

from .records import make_trend


def test_a_pattern_matches_names_and_keywords_as_whole_words_in_any_case() -> None:
    pq = Watchlist("post-quantum", ("post-quantum|PQC|ML-KEM",))
    assert watched_by(make_trend("a", label="NIST finalises ML-KEM"), [pq]) == ["post-quantum"]
    assert watched_by(make_trend("b", label="x", keywords=("pqc migration",)), [pq]) \
        == ["post-quantum"]
    assert watched_by(make_trend("c", label="PQCrypto library released"), [pq]) == []
    assert watch_marks([make_trend("a", label="Post-Quantum TLS"), make_trend("d")],
                       [pq]) == {"a": ["post-quantum"]}


def test_what_a_person_types_is_cleaned_and_bad_input_is_named() -> None:
    assert parse_watchlist("  ai   agents ", ["MCP", " ", "MCP", "agentic"]) \
        == Watchlist("ai agents", ("MCP", "agentic"))
    with pytest.raises(ConfigError, match=r"watchlist 'x': '\(' is not a valid regular"):
        parse_watchlist("x", ["("])
    with pytest.raises(ConfigError, match="needs at least one"):
        parse_watchlist("x", [" "])
    with pytest.raises(ConfigError, match="must be 1 to 60"):
        parse_watchlist("", ["a"])
