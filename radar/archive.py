"""Import an archive of items (JSON Lines, optionally gzipped) so a radar starts with history.

Each line is one item with `title, link, published, summary, source, site, feed_url`
(other keys are ignored). A bad line is reported with its number and skipped; the rest
is stored in batches, and importing the same file twice stores nothing twice.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

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


@dataclass
class ImportReport:
    """What an import did: lines read, items parsed, and each bad line with its reason."""

    lines: int = 0
    parsed: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0

    def add_error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((line, message))


def read_archive(path: str | Path, report: ImportReport, *,
                 now: datetime | None = None) -> Iterator[Article]:
    """Yield an article per good line of a JSONL(.gz) file, recording bad lines in `report`."""
    path = Path(path)
    imported_at = now or datetime.now(UTC)
    try:
        with path.open("rb") as probe:
            compressed = probe.read(2) == GZIP_MAGIC
        raw = gzip.open(path, "rb") if compressed else path.open("rb")  # noqa: SIM115 (closed by the with below)
    except OSError as e:
        raise ImportFileError(f"{path}: cannot open ({e.strerror or e})") from e
    with raw:
        line_no = 0
        try:
            for line_no, line in enumerate(raw, start=1):
                report.lines = line_no
                if not line.strip():
                    continue
                try:
                    article = parse_archive_line(line, imported_at=imported_at)
                except ValueError as e:
                    report.add_error(line_no, str(e))
                    continue
                except RecursionError:
                    report.add_error(line_no, "JSON nested too deeply to read")
                    continue
                report.parsed += 1
                yield article
        except (EOFError, gzip.BadGzipFile, zlib.error) as e:
            report.add_error(line_no + 1, f"file is truncated or corrupt ({e}); "
                             "lines before it were imported")


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
