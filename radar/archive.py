"""Import an archive of items (JSON Lines, optionally gzipped) so a radar starts with history.

Each line is one item with `title, link, published, summary, source, site, feed_url`
(other keys are ignored). A bad line is reported with its number and skipped; the rest
is stored in batches, and importing the same file twice stores nothing twice.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from radar.errors import ImportFileError
from radar.models import Article
from radar.text import (
    SUMMARY_MAX,
    TITLE_MAX,
    clean_text,
    parse_iso_utc,
    safe_link,
    settle_article,
    site_of,
)

GZIP_MAGIC = b"\x1f\x8b"
YEAR = re.compile(r"^\s*(\d{4})-")
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")   # \ud800 to \udfff, as JSON spells them
MAX_REPORTED_ERRORS = 1000
CHUNK_LINES = 4000   # lines a parsing process takes at once


@dataclass
class ImportReport:
    """What an import did: lines read, items parsed, and each bad line with its reason."""

    lines: int = 0
    parsed: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0
    truncated: str = ""     # why the file ended before its end, if it did

    def add_error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((line, message))


def read_archive(path: str | Path, report: ImportReport, *, now: datetime | None = None,
                 workers: int | None = None, chunk_lines: int = CHUNK_LINES
                 ) -> Iterator[Article]:
    """Yield an article per good line of a JSONL(.gz) file, recording bad lines in `report`.

    A file longer than one chunk is parsed by `workers` processes (one per core), chunk
    by chunk in file order, while the caller stores what is ready: parsing costs twice
    the storing, and an archive's lines are independent.
    """
    path = Path(path)
    imported_at = now or datetime.now(UTC)
    try:
        with path.open("rb") as probe:
            compressed = probe.read(2) == GZIP_MAGIC
        raw = gzip.open(path, "rb") if compressed else path.open("rb")  # noqa: SIM115 (closed by the with below)
    except OSError as e:
        raise ImportFileError(f"{path}: cannot open ({e.strerror or e})") from e
    with raw:
        chunks = _chunks(raw, chunk_lines, report)
        for parsed in _parsed(chunks, imported_at, workers=workers or os.cpu_count() or 1,
                              full=chunk_lines):
            for result in parsed:
                if isinstance(result, Article):
                    report.parsed += 1
                    yield result
                else:
                    report.add_error(*result)
        if report.truncated:
            report.add_error(report.lines + 1, report.truncated)


def _chunks(raw: IO[bytes], size: int, report: ImportReport
            ) -> Iterator[tuple[int, list[bytes]]]:
    """(number of the first line, up to `size` lines); counts the lines read in `report`
    and notes there why a damaged file ended early."""
    lines: list[bytes] = []
    try:
        for line in raw:
            lines.append(line)
            if len(lines) == size:
                yield report.lines + 1, lines
                report.lines, lines = report.lines + size, []
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        report.truncated = (f"file is truncated or corrupt ({e}); "
                            "lines before it were imported")
    if lines:
        yield report.lines + 1, lines
        report.lines += len(lines)


def _parsed(chunks: Iterator[tuple[int, list[bytes]]], imported_at: datetime, *,
            workers: int, full: int) -> Iterator[list[Article | tuple[int, str]]]:
    """Each chunk parsed, in order: here while the file fits one chunk, else by a pool
    of processes reading a few chunks ahead (shut down when the reading ends)."""
    pool: ProcessPoolExecutor | None = None
    pending: deque[Future] = deque()
    with ExitStack() as stack:
        for first, lines in chunks:
            if pool is None and workers > 1 and len(lines) == full:
                pool = stack.enter_context(ProcessPoolExecutor(workers))
            if pool is None:
                yield parse_chunk(first, lines, imported_at)
                continue
            pending.append(pool.submit(parse_chunk, first, lines, imported_at))
            if len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def parse_chunk(first: int, lines: list[bytes], imported_at: datetime
                ) -> list[Article | tuple[int, str]]:
    """Each line parsed: an Article, or (its line number, what is wrong with it)."""
    parsed: list[Article | tuple[int, str]] = []
    for line_no, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        try:
            parsed.append(parse_archive_line(line, imported_at=imported_at))
        except ValueError as e:
            parsed.append((line_no, str(e)))
        except RecursionError:
            parsed.append((line_no, "JSON nested too deeply to read"))
    return parsed


def _date(item: dict, key: str) -> datetime | None:
    """A date of the item (None when absent or unreadable); `ValueError` for one outside
    1900 to 2100, which no news item has: 0001-01-01 is a placeholder, not a date."""
    moment = parse_iso_utc(item.get(key))
    year = moment.year if moment else (
        int(found.group(1)) if (found := YEAR.match(item.get(key) or "")) else 2000)
    if not 1900 <= year <= 2100:
        raise ValueError(f"'{key}' {item[key]!r} is not a date between 1900 and 2100")
    return moment


def parse_archive_line(line: bytes, *, imported_at: datetime) -> Article:
    """One JSON line -> an Article. Raises ValueError saying what is wrong with it."""
    try:
        item = json.loads(line)
    except UnicodeDecodeError as e:
        raise ValueError(f"not UTF-8 ({e.reason})") from e
    except json.JSONDecodeError as e:
        raise ValueError(f"invalid JSON ({e.msg} at column {e.colno})") from e
    if not isinstance(item, dict):
        raise ValueError(f"expected a JSON object, got {type(item).__name__}")
    # JSON may spell a lone surrogate (\\ud800) that no database or page can hold; only a
    # line spelling one as an escape can (UTF-8 bytes cannot), so only those are checked.
    if SURROGATE_ESCAPE.search(line):
        try:
            json.dumps(item, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as e:
            raise ValueError(f"holds text that is not valid Unicode ({e.reason}: "
                             f"{e.object[e.start:e.end]!r})") from e
    for key in ("title", "link", "published", "summary", "source", "site", "first_seen",
                "feed_url"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise ValueError(f"'{key}' must be a string")
    title = clean_text(item.get("title"), max_length=TITLE_MAX)
    if not title:
        raise ValueError("'title' is missing or empty")
    link = safe_link(item.get("link"))
    summary = clean_text(item.get("summary"), max_length=SUMMARY_MAX)
    site = site_of(link) or (item.get("site") or "").strip().lower()
    source = clean_text(item.get("source"), max_length=120) or site or "archive"
    seen = _date(item, "first_seen") or imported_at
    # An archive's "now" is when the item was first seen, not when it is imported.
    return settle_article(
        source=source, site=site, title=title, link=link, summary=summary,
        category=clean_text(item.get("category"), max_length=60)
        if isinstance(item.get("category"), str) else "",
        published=_date(item, "published"), had_date=bool(item.get("published")),
        fetched_at=seen, feed_url=safe_link(item.get("feed_url")))
