from pathlib import Path

import pytest

from radar.errors import ImportFileError
from radar.models import Feed
from radar.opml import read_opml, render_opml

from .conftest import CORPUS, FIXTURES

EXISTING = [Feed(name="Wire", url="https://wire.example.test/feed", category="news")]


def test_read_opml_categories_names_and_skips() -> None:
    result = read_opml(FIXTURES / "subscriptions.opml", existing=EXISTING)
    assert result.feeds == [
        Feed(name="Example Research", url="https://research.example.test/atom.xml",
             category="threat-intel"),
        Feed(name="Wire (2)", url="https://other-wire.example.test/rss", category="threat-intel"),
        Feed(name="Cloud Notes", url="https://cloud.example.test/feed",
             category="cloud-platforms"),
    ]
    assert result.skipped == [
        "gopher://old.example.test/feed: not an http(s) address",
        "https://wire.example.test/feed: already in the feed list",
    ]


def test_round_trip_through_a_file(tmp_path: Path) -> None:
    feeds = [Feed(name="A & B <news>", url="https://a.example.test/rss?x=1&y=2", category="news"),
             Feed(name="C", url="https://c.example.test/atom", category="cloud")]
    path = tmp_path / "out.opml"
    path.write_text(render_opml(feeds), encoding="utf-8")
    assert sorted(read_opml(path).feeds, key=lambda f: f.name) == feeds


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<opml><body><outline", r"bad\.opml:1: not valid OPML/XML"),
        ("<html><body></body></html>", r"bad\.opml: not an OPML file"),
    ],
)
def test_bad_opml_is_reported(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.opml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError, match=message):
        read_opml(path)


@pytest.mark.corpus
def test_real_opml_lists_import(tmp_path: Path) -> None:
    files = sorted((CORPUS / "opml").glob("*.opml"))
    if not files:
        pytest.skip("../shared/corpus/opml is not available")
    for path in files:
        result = read_opml(path)
        assert len(result.feeds) > 30, path.name
        assert len({f.name.casefold() for f in result.feeds}) == len(result.feeds)
        assert all(f.url.startswith(("http://", "https://")) for f in result.feeds)


def test_an_opml_nested_5000_deep_is_refused_with_a_clear_error(tmp_path) -> None:
    path = tmp_path / "deep.opml"
    path.write_text('<opml version="2.0"><body>' + '<outline text="f">' * 5000
                    + '<outline xmlUrl="https://a.example/feed"/>' + "</outline>" * 5000
                    + "</body></opml>")
    with pytest.raises(ImportFileError, match=f"{path}: outlines nested more than 50 deep"):
        read_opml(path)
