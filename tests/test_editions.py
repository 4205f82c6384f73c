"""Editions in the store: frozen once, never changed by later decisions, found by id."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.config import Settings
from radar.engine.analyze import analyze
from radar.errors import NotFoundError
from radar.share.editions import create_edition
from radar.share.snapshot import diff
from radar.store import Store

from .synthetic import default_topics, make_corpus


def test_a_later_tag_does_not_change_an_old_edition(store: Store) -> None:
    store.save_articles(make_corpus(default_topics(90), noise=200, days=90))
    analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))
    old, is_new = create_edition(store, Settings(), name="", note="", sharing="TLP:CLEAR",
                                  created_at="2031-04-01T00:00:00Z")
    assert is_new and old.name == "Radar 2031-03-31"
    frozen = store.load_snapshot_payload(old.id)
    trend_id = old.entries[0].id
    store.record_decision(trend_id, "hold", note="later", author="a",
                          at="2031-04-02T00:00:00Z")
    assert store.load_snapshot_payload(old.id) == frozen
    newer, is_new = create_edition(store, Settings(), name="", note="", sharing="TLP:CLEAR",
                                    created_at="2031-04-03T00:00:00Z")
    assert is_new and newer.id != old.id
    assert [d["note"] for _, d in diff(old, newer).decisions] == ["later"]
    _, repeated = create_edition(store, Settings(), name="", note="", sharing="TLP:CLEAR",
                                  created_at="2031-04-04T00:00:00Z")
    assert repeated is False
    with pytest.raises(NotFoundError):
        store.load_snapshot_payload("zzz")
    for wildcard in ("%", "_"):  # a prefix is matched literally, not as a LIKE pattern
        with pytest.raises(NotFoundError, match="no snapshot with id"):
            store.load_snapshot_payload(wildcard)
    assert store.load_snapshot_payload(newer.id[:4]) == store.load_snapshot_payload(newer.id)


def test_nothing_to_freeze_before_an_analysis(store: Store) -> None:
    with pytest.raises(NotFoundError, match="run `radar analyze` first"):
        create_edition(store, Settings(), name="", note="", sharing="x", created_at="now")
