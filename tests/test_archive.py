"""JSON Lines archive import: good lines stored, bad lines reported by number, idempotent."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar.archive import ImportReport, parse_archive_line, read_archive
from radar.errors import ImportFileError
from radar.store import Store

IMPORTED_AT = datetime(2031, 3, 10, tzinfo=UTC)


def item(n: int, **overrides) -> dict:
    return {
        "source": "Example Wire", "site": "wire.example.test", "feed_url": "",
        "title": f"Story number {n} about &amp; things",
        "link": f"https://wire.example.test/story/{n}?utm_source=x",
        "published": f"2031-03-0{1 + n % 5}T10:00:00Z", "summary": "<p>Text</p>",
        "first_seen": "2031-03-06T12:00:00Z", "extra_field": [1, 2, 3],
    } | overrides


def write_jsonl(path: Path, lines: list[str | dict], *, compress: bool = False) -> Path:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    if compress:
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run_import(store: Store, path: Path) -> tuple[int, ImportReport]:
    report = ImportReport()
    return store.save_articles(read_archive(path, report, now=IMPORTED_AT)), report


def test_parse_archive_line_normalises() -> None:
    article = parse_archive_line(json.dumps(item(1)).encode(), imported_at=IMPORTED_AT)
    assert article.title == "Story number 1 about & things"
    assert article.summary == "Text"
    assert article.canonical_link == "https://wire.example.test/story/1"
    assert article.published == "2031-03-02T10:00:00Z"
    assert (article.source, article.site) == ("Example Wire", "wire.example.test")
    assert article.fetched_at == "2031-03-06T12:00:00Z"
    tagged = parse_archive_line(json.dumps(item(1, feed_url="https://wire.example.test/rss"))
                                .encode(), imported_at=IMPORTED_AT)
    assert tagged.feed_url == "https://wire.example.test/rss"  # counts for that feed


def test_dates_missing_or_future_fall_back_to_first_seen() -> None:
    missing = parse_archive_line(json.dumps(item(1, published="")).encode(),
                                 imported_at=IMPORTED_AT)
    assert (missing.published, missing.published_flag) == ("2031-03-06T12:00:00Z", "missing")
    future = parse_archive_line(json.dumps(item(1, published="2031-12-24T00:00:00Z")).encode(),
                                imported_at=IMPORTED_AT)
    assert (future.published, future.published_flag) == ("2031-03-06T12:00:00Z", "future")


@pytest.mark.parametrize("compress", [False, True])
def test_good_and_bad_lines(tmp_path: Path, store: Store, compress: bool) -> None:
    path = write_jsonl(tmp_path / "items.jsonl", [
        item(1),
        "{not json",
        item(2),
        "[1, 2, 3]",
        item(3, title=""),
        item(4, title=42),
        "",
        item(5, link="javascript:alert(1)", title="<script>x()</script>Hostile"),
        item(6),
    ], compress=compress)
    new, report = run_import(store, path)
    assert new == 4
    assert report.parsed == 4
    assert [line for line, _ in report.errors] == [2, 4, 5, 6]
    messages = dict(report.errors)
    assert messages[2].startswith("invalid JSON")
    assert messages[4] == "expected a JSON object, got list"
    assert messages[5] == "'title' is missing or empty"
    assert messages[6] == "'title' must be a string"
    hostile = store.db.execute(
        "select title, link from articles where title = 'Hostile'").fetchone()
    assert hostile == ("Hostile", "")


def test_importing_twice_stores_nothing_twice(tmp_path: Path, store: Store) -> None:
    path = write_jsonl(tmp_path / "items.jsonl", [item(n) for n in range(50)])
    assert run_import(store, path)[0] == 50
    assert run_import(store, path)[0] == 0
    assert store.count_articles() == 50


def test_truncated_gzip_keeps_what_came_before(tmp_path: Path, store: Store) -> None:
    whole = gzip.compress(("\n".join(json.dumps(item(n)) for n in range(2000)) + "\n").encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    new, report = run_import(store, path)
    assert 0 < new < 2000
    assert report.errors[-1][1].startswith("file is truncated or corrupt")
    assert store.count_articles() == new


@pytest.mark.parametrize("cut", [False, True])
def test_processes_read_a_long_file_as_one_process_does(tmp_path: Path, cut: bool) -> None:
    lines = [item(n, link=f"https://wire.example.test/{n}") for n in range(40)]
    lines[7], lines[23] = "{not json", '["a list"]'
    text = ("\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines) + "\n").encode()
    whole = gzip.compress(text)
    path = tmp_path / "items.jsonl.gz"
    path.write_bytes(whole[: len(whole) * 3 // 4] if cut else whole)

    def read(workers: int) -> tuple[list, ImportReport]:
        report = ImportReport()
        articles = list(read_archive(path, report, now=IMPORTED_AT, workers=workers,
                                     chunk_lines=6))
        return articles, report

    (alone, one), (pooled, two) = read(1), read(2)
    assert pooled == alone and two == one
    assert two.errors[0][0] == 8
    if cut:
        assert two.errors[-1][1].startswith("file is truncated") and 12 < len(pooled) < 38
    else:
        assert [line for line, _ in two.errors] == [8, 24] and len(pooled) == 38


def test_non_utf8_line_is_reported(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "items.jsonl"
    path.write_bytes(json.dumps(item(1)).encode() + b"\n" + b'{"title": "caf\xe9"}\n')
    new, report = run_import(store, path)
    assert new == 1
    # \xe9 (é in Latin-1) starts a two-byte sequence in UTF-8, and '"' cannot continue it.
    assert report.errors == [(2, "not UTF-8 (invalid continuation byte)")]


def test_missing_file_is_an_import_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"absent\.jsonl: cannot open"):
        list(read_archive(tmp_path / "absent.jsonl", ImportReport()))


@pytest.mark.corpus
def test_shared_corpus_imports_completely_twice(corpus: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "corpus.db")
    new, report = run_import(store, corpus)
    assert report.error_count == 0
    assert new == report.lines == report.parsed  # every item kept, none collapsed
    again, _ = run_import(store, corpus)
    assert again == 0
    assert store.count_articles() == new
    store.close()


@pytest.mark.parametrize("published", ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00",
                                       "1899-12-31T23:00:00Z", "2101-01-01T00:00:00Z"])
def test_dates_outside_1900_to_2100_make_a_bad_line(published: str) -> None:
    with pytest.raises(ValueError, match="is not a date between 1900 and 2100"):
        parse_archive_line(json.dumps(item(1, published=published)).encode(),
                           imported_at=IMPORTED_AT)
    unreadable = parse_archive_line(json.dumps(item(1, published="2031-13-45")).encode(),
                                    imported_at=IMPORTED_AT)
    assert unreadable.published_flag == "unparseable"


@pytest.mark.parametrize("summary", ["\\ud800", "\\uDFFF", "half \\ud83d of an emoji"])
def test_a_lone_surrogate_makes_a_bad_line(summary: str) -> None:
    line = json.dumps(item(1)).replace('"<p>Text</p>"', f'"{summary}"').encode()
    with pytest.raises(ValueError, match="not valid Unicode"):
        parse_archive_line(line, imported_at=IMPORTED_AT)


def test_escaped_emoji_and_escaped_backslashes_are_text() -> None:
    line = json.dumps(item(1)).replace('"<p>Text</p>"', '"\\ud83d\\ude00 C:\\\\ud800"')
    article = parse_archive_line(line.encode(), imported_at=IMPORTED_AT)
    assert article.summary == "😀 C:\\ud800"
