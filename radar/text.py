"""Pure text helpers: clean plain text, canonical URLs, stable ids, UTC times, escaping,
spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from radar.models import Article

TITLE_MAX = 300
SUMMARY_MAX = 2000

# Query parameters that only track the reader; they make one article look like many links.
TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_hsenc",
    "_hsmi", "mkt_tok", "ncid", "cmpid", "sr_share", "guccounter", "guce_referrer",
    "guce_referrer_sig", "spm", "ref_src", "rss", "feed", "rss_source",
}
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "__twitter", "oly_")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
WHITESPACE = re.compile(r"\s")
CVE_IN_TEXT = re.compile(r"\bCVE-\d{4}-\d{4,7}\b", re.IGNORECASE)   # an id in running text


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, dropping script/style bodies."""

    SKIP = frozenset({"script", "style", "noscript", "template"})
    BREAKS = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def clean_text(value: str | None, *, max_length: int, html: bool = True) -> str:
    """HTML (or, with html=False, plain text) -> one line of plain text, capped.

    For HTML, tags are stripped and entities decoded, twice, because feeds often
    double-escape (`&lt;b&gt;`), which decodes to markup on the first pass. Plain text is
    kept as written: a headline about the `<svg>` tag keeps its word.
    """
    if not value:
        return ""
    text = value
    for _ in range(2 if html else 0):
        if "<" not in text:
            if "&" not in text:
                break
            # All the parser would do without a tag, many times sooner: labels such as
            # "Security & Blogs" fill an archive, and a parser costs 20 of them.
            text = unescape(text)
            continue
        extractor = _TextExtractor()
        extractor.feed(text)
        extractor.close()
        text = "".join(extractor.parts)
    text = CONTROL_CHARS.sub("", text)
    text = " ".join(text.split())
    if len(text) > max_length:
        cut = text[: max_length - 1]
        cut = cut.rsplit(" ", 1)[0] if " " in cut[max_length // 2 :] else cut
        text = cut.rstrip(" ,;:.-") + "…"
    return text


MARKUP = re.compile(r"</[a-z][a-z0-9]*\s*>|<[a-z][a-z0-9]*\s+[^<>]*=|<br\s*/?>|&lt;/",
                    re.IGNORECASE)


def looks_like_markup(text: str) -> bool:
    """A closing tag or a tag with attributes: the text is HTML, whatever a feed declares.

    A lone word in angle brackets ("abuse <svg> files") is not: headlines name tags.
    """
    return bool(MARKUP.search(text))


WEB_SCHEME = re.compile(r"https?://", re.IGNORECASE)


def safe_link(url: str | None) -> str:
    """The link if it is an http(s) URL, else "" (no `javascript:`, `data:` or `file:`)."""
    if not url:
        return ""
    url = url.strip()
    return url if WEB_SCHEME.match(url) and not WHITESPACE.search(url) else ""


# A link of the usual shape: lower-case host, no user, port, query or fragment. Its parts
# are plain to see, so it skips `urlsplit`, which costs most of an archive line's parsing.
PLAIN_LINK = re.compile(r"https?://([a-z0-9.-]+)(/[^?#]*)?")


@lru_cache(maxsize=64)   # an article's link is asked for its site and its canonical form
def link_identity(url: str | None) -> tuple[str | None, str]:
    """(canonical link, site) from one parse of a link: the spelling an article is stored
    under and the publisher it is credited to; (None, "") when it is not http(s)."""
    link = safe_link(url)
    if not link:
        return None, ""
    plain = PLAIN_LINK.fullmatch(link)
    if not plain:
        return split_identity(link)
    host = plain[1].removeprefix("www.")
    return (f"https://{host}{(plain[2] or '').rstrip('/') or '/'}", host) if host else (None, "")


def split_identity(link: str) -> tuple[str | None, str]:
    """`link_identity` of a safe link of any shape, by `urlsplit`."""
    try:
        parts = urlsplit(link)
    except ValueError:   # a bracketed host that is no IP address
        return None, ""
    host = (parts.hostname or "").removeprefix("www.")
    try:
        port = parts.port
    except ValueError:   # a port out of range: a site, but no link to keep
        return None, host
    if not host:
        return None, ""
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
        ]
    ) if parts.query else ""
    netloc = f"{host}:{port}" if port and port not in (80, 443) else host
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", netloc, path, query, "")), host


def canonical_url(url: str | None) -> str | None:
    """One spelling per article: lower-case scheme/host, no www., default port, fragment,
    tracking parameters or trailing slash. None when the URL is not http(s)."""
    return link_identity(url)[0]


def site_of(url: str | None) -> str:
    """Host of a link without www. (the publisher), or "" when there is none."""
    return link_identity(url)[1]


def article_id(*, source: str, guid: str | None, canonical_link: str | None,
               title: str, summary: str) -> str:
    """Stable id: the feed's guid when trustworthy, else the canonical link, else content.

    Guids are only unique within one feed, so they are scoped by source; links and
    content hashes are global, which lets the same link arriving from two feeds (or from
    an archive import) resolve to one article.
    """
    if guid:
        key = f"guid\x00{source}\x00{guid}"
    elif canonical_link:
        key = f"link\x00{canonical_link}"
    else:
        key = f"text\x00{source}\x00{title}\x00{summary}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def parse_iso_utc(value: str | None) -> datetime | None:
    """ISO 8601 (with Z or offset; naive means UTC) -> aware UTC datetime, or None."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):  # 0001-01-01T00:00:00+01:00 is before year 1 in UTC
        return None


def utc_now() -> datetime:
    """The current time, UTC, to the second: the default "as of" and "at" everywhere."""
    return datetime.now(UTC).replace(microsecond=0)


def now_iso() -> str:
    """The current time as stored: when a decision, edit or edition was made."""
    return iso_utc(utc_now())


def iso_utc(moment: datetime) -> str:
    """The one timestamp format stored everywhere: second precision, UTC, trailing Z."""
    moment = moment.astimezone(UTC)   # formatted by hand: strftime's %Y drops zeros
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (  # noqa: UP031 (twice as fast as an f-string)
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def settle_published(published: datetime | None, *, fetched_at: datetime,
                     had_value: bool, max_ahead: timedelta = timedelta(days=1)) -> tuple[str, str]:
    """Decide an article's publication time and flag why it is not the feed's own.

    Missing or unparseable -> the fetch time; more than `max_ahead` in the future ->
    clamped to the fetch time. Returns (iso time, flag) with flag "" when trusted.
    """
    if published is None or published.year < 1900:   # 0001-01-01: a placeholder, not a date
        return iso_utc(fetched_at), "unparseable" if had_value else "missing"
    if published > fetched_at + max_ahead:
        return iso_utc(fetched_at), "future"
    return iso_utc(published), ""


def settle_article(*, source: str, site: str, category: str, title: str, link: str,
                   summary: str, published: datetime | None, had_date: bool,
                   fetched_at: datetime, feed_url: str, guid: str | None = None) -> Article:
    """An article from its cleaned parts, by the rules a feed and an archive share: its
    stable id, canonical link and settled publication time; the link's host as its site
    (else `site`), and a title from its text when it has none."""
    canonical, link_site = link_identity(link)
    when, flag = settle_published(published, fetched_at=fetched_at, had_value=had_date)
    return Article(
        id=article_id(source=source, guid=guid, canonical_link=canonical, title=title,
                      summary=summary),
        source=source,
        site=link_site or site,
        category=category,
        title=title or clean_text(summary, max_length=120),
        link=link,
        canonical_link=canonical,
        summary=summary,
        published=when,
        published_flag=flag,
        fetched_at=iso_utc(fetched_at),
        feed_url=feed_url,
    )


def slugify(value: str, *, default: str) -> str:
    """Free text -> lower-case words joined by '-' (the form feeds.yaml categories take)."""
    slug = "-".join(re.findall(r"[a-z0-9]+", value.lower()))
    return slug[:40].strip("-") or default


@lru_cache(maxsize=64)
def term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation matching any of `terms` as whole words (lower case)."""
    alternatives = "|".join(re.escape(t.lower()) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w])")


def find_word(text: str, word: str, start: int = 0) -> int:
    """Where `word` first stands whole in `text` from `start` ("Biden" is not in
    "Biden-Harris"), or -1: a `str.find` per occurrence, no pattern to compile for each
    word asked."""
    at = text.find(word, start)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not _continues(text[at - 1])) and \
                (end == len(text) or not _continues(text[end])):
            return at
        at = text.find(word, at + 1)
    return -1


def _continues(char: str) -> bool:
    """A character that continues a word."""
    return char.isalnum() or char in "-_"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 trend', '2 trends', '0 articles': counts read right in every message."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


# What Markdown reads as markup anywhere in a line: code, emphasis, links and images,
# HTML, tables, strikethrough, escapes.
MARKDOWN_INLINE = re.compile(r"[\\`*\[\]<|~]"
                             r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"   # _ not inside a word
                             r"|&(?=#?\w+;)")                          # an entity, &amp;
# What it reads as markup only where a line starts: headings, quotes, lists, rules.
MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)


# GFM links bare web addresses (http://…, www.…) in the text left after escapes are read,
# so escaping cannot stop it: an invisible word joiner breaks the pattern instead.
AUTOLINKED = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=\bwww)(?=\.)")


def md_escape(text: str, *, math: bool = True) -> str:
    """Feed text made inert for Markdown, escaping only what Markdown would misread (a
    date, a CVE id or "C++" stay as written, so a brief pasted into a mail reads clean);
    bare web addresses are kept from becoming links. `math`: also `$`, which Streamlit
    reads as a formula; a Markdown file leaves it."""
    escaped = MARKDOWN_INLINE.sub(lambda m: "\\" + m.group(), AUTOLINKED.sub("\u2060", text))
    if math:
        escaped = escaped.replace("$", "\\$")
    return MARKDOWN_LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\"
                                   + m.group(2)[-1], escaped)


# A spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: text starting with = + - @ tab or CR gets a
    leading ' (OWASP's advice). Numbers, and text that is only a number ("-3.5"), stay as
    they are so they remain numbers; dates (2026-09-30) start with a digit."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) \
            and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_uncell(text: str) -> str:
    """A cell as `csv_cell` received it: the ' it added is taken off again, so our own
    exports import unchanged (a typed value starting with '= loses its quote too)."""
    return text[1:] if text[:1] == "'" and text[1:2] and text[1:2] in "=+-@\t\r" else text


def render_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with every cell passed through `csv_cell`: how every CSV export is written."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(name) for name in header])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
