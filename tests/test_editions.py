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


def test_the_brief_says_what_the_radar_means_for_the_roadmap(store: Store) -> None:
    """md, html and pdf: per initiative the trends to support and the risks, then the
    exploited flaws in our stack; internal notes stay out."""
    from html.parser import HTMLParser
    from io import BytesIO

    from pypdf import PdfReader

    from radar.links import update_links
    from radar.org import read_initiatives_csv, read_kev, read_stack_csv
    from radar.share.image import render_pdf
    from radar.share.markdown import render_markdown
    from radar.share.page import render_html

    from .conftest import FIXTURES

    store.save_articles(make_corpus(default_topics(90), noise=200, days=90))
    store.save_initiatives(read_initiatives_csv((FIXTURES / "roadmap.csv").read_text()))
    store.save_stack(read_stack_csv((FIXTURES / "stack.csv").read_text()))
    store.save_kev(read_kev((FIXTURES / "kev.json").read_text()))
    analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))
    update_links(store, Settings())
    trends = {t.label: t for t in store.load_trends()}
    store.record_decision(trends["Passkeys"].id, "adopt", note="Roll out to customers",
                          author="ana", at="2031-04-01T00:00:00Z")
    store.record_decision(trends["Kubernetes"].id, "hold", note="Budget is secret",
                          author="ana", at="2031-04-01T00:00:00Z", internal=True)
    edition, _ = create_edition(store, Settings(), name="Q2", note="", sharing="TLP:AMBER",
                                created_at="2031-04-02T00:00:00Z")
    changes = diff(None, edition)

    markdown = render_markdown(edition, changes)
    section = markdown.split("## What this means for your roadmap")[1].split("\n## ")[0]
    section = section.replace("\\", "")   # as a Markdown viewer shows it, escapes undone
    assert "### Passkeys for customers (Head of Digital, 2031-06-30)" in section
    # why it concerns the initiative, then the decision's rationale
    assert ("- **Support**: Passkeys (adopt): the trend is named after 'passkeys'; Roll out "
            "to customers") in section
    assert "- **Risk**: Kubernetes (hold): " in section and "secret" not in markdown
    assert "### Exploited flaws in our stack" in section
    assert "CVE-2031-1111 in Glimmerfox GF-VPN, due 2031-04-02, used by ransomware" in section

    class Roadmap(HTMLParser):
        inside, texts = False, []

        def handle_starttag(self, tag, attrs):
            self.inside |= tag == "section" and ("id", "roadmap") in attrs

        def handle_endtag(self, tag):
            self.inside &= tag != "section"

        def handle_data(self, data):
            if self.inside:
                self.texts.append(data)

    parser = Roadmap()
    parser.feed(render_html(edition, changes))
    text = " ".join(parser.texts)
    assert "Passkeys for customers (Head of Digital, 2031-06-30)" in text
    assert "Passkeys (adopt): the trend is named after 'passkeys'; Roll out to customers" in text
    assert "secret" not in text
    assert "CVE-2031-3333 in Microsoft Exchange Server" in text

    pdf = "".join(page.extract_text() for page in
                  PdfReader(BytesIO(render_pdf(edition, changes))).pages)
    assert "What this means for your roadmap" in pdf and "secret" not in pdf
    assert "Roll out to customers" in pdf and "CVE-2031-3333" in pdf


def test_an_unchanged_radar_is_the_same_edition_under_any_hash_seed(tmp_path) -> None:
    """The roadmap part of an edition must not follow set order (PYTHONHASHSEED): freezing
    the same radar in two processes gives one edition id."""
    import os
    import shutil
    import subprocess
    import sys

    from radar.links import update_links
    from radar.org import make_initiative, read_initiatives_csv

    from .conftest import FIXTURES

    store = Store(tmp_path / "radar.db")
    store.save_articles(make_corpus(default_topics(90), noise=200, days=90))
    store.save_initiatives([*read_initiatives_csv((FIXTURES / "roadmap.csv").read_text()),
                            make_initiative("Platform", keywords=["Passkeys", "Kubernetes",
                                                                  "Lattice crypto"])])
    analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))
    update_links(store, Settings())
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    ids = []
    for seed in ("1", "2", "3"):
        copy = tmp_path / f"seed{seed}.db"
        shutil.copy(tmp_path / "radar.db", copy)
        env = {**os.environ, "PYTHONHASHSEED": seed, "RADAR_DB": str(copy)}
        out = subprocess.run([sys.executable, "-m", "radar", "snapshot", "create", "--name",
                              "Q2"], capture_output=True, text=True, check=True, env=env)
        ids.append(out.stdout.split()[0])
    assert len(set(ids)) == 1
