from datetime import UTC, datetime, timedelta

import pytest

from radar.text import (
    article_id,
    canonical_url,
    clean_text,
    find_word,
    link_identity,
    md_escape,
    parse_iso_utc,
    safe_link,
    settle_article,
    settle_published,
    site_of,
    slugify,
    split_identity,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("Fish &amp; chips &#8211; &quot;fresh&quot;", "Fish & chips \u2013 \"fresh\""),
        ("&lt;b&gt;double&lt;/b&gt; escaped", "double escaped"),
        ("&amp;lt;b&amp;gt; twice", "<b> twice"),   # decoded twice, then markup no more
        ("General Security & Blogs", "General Security & Blogs"),
        ("AT&T; fish&chips &#0; &#x110000;", "AT&T; fish&chips \ufffd \ufffd"),
        ("<script>alert(1)</script>Safe<style>p{}</style> text", "Safe text"),
        ("  lots\n\tof \u00a0 space  ", "lots of space"),
        ("line<br>break", "line break"),
        ("nul\x00 and bell\x07", "nul and bell"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_text(raw: str | None, expected: str) -> None:
    assert clean_text(raw, max_length=200) == expected


def test_clean_text_caps_length_at_a_word() -> None:
    text = clean_text("word " * 100, max_length=50)
    assert len(text) <= 50
    assert text.endswith("word…")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.TEST/Path/?utm_source=x&id=3&fbclid=y#frag",
         "https://example.test/Path?id=3"),
        ("http://example.test:80/a/", "https://example.test/a"),
        ("https://example.test:8443/a", "https://example.test:8443/a"),
        ("https://example.test", "https://example.test/"),
        ("javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("file:///etc/passwd", None),
        ("https://exa mple.test/x", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_url(url: str | None, expected: str | None) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_makes_one_spelling_of_variants() -> None:
    variants = [
        "https://www.example.test/story?utm_medium=rss",
        "http://example.test/story/",
        "https://example.test/story#comments",
    ]
    assert len({canonical_url(v) for v in variants}) == 1


def test_safe_link_and_site() -> None:
    assert safe_link("JavaScript:alert(1)") == ""
    assert safe_link(" https://a.test/x ") == "https://a.test/x"
    assert site_of("https://www.News.test/a") == "news.test"
    assert site_of("javascript:x") == ""


def test_links_a_parser_cannot_read_are_no_links() -> None:
    # A bracketed host that is no IP address made urlsplit raise; a control character
    # before the scheme is one a browser would drop but the stored link would keep.
    assert (canonical_url("https://[zz]/a"), site_of("https://[zz]/a")) == (None, "")
    assert safe_link("\x01https://a.test/x") == ""
    # A port out of range: still the publisher's site, but no link to store.
    assert (canonical_url("https://a.test:99999/x"), site_of("https://a.test:99999/x")) \
        == (None, "a.test")


@pytest.mark.parametrize("url", [
    "https://a.test", "http://a.test/", "https://www.a.test/x/", "https://a.test//x//",
    "https://www./x", "https://www.", "https://a..b/x/y", "https://-./", "https://a.test/x:y@z",
    "https://a.test/é/%41", "https://a.test/x/../y", "http://a.test\\x", "https://A.test/x",
    "https://a.test:443/x", "https://u@a.test/x", "https://a.test/x?", "https://a.test/x#",
    "https://a.test/x?utm_source=y", "https://a_b.test/x", "https://ä.test/x",
])
def test_a_plain_link_is_read_as_urlsplit_reads_it(url: str) -> None:
    """The shortcut for links of the usual shape gives what the full parse gives."""
    assert link_identity.__wrapped__(url) == split_identity(url)


def test_article_id_prefers_guid_then_link_then_text() -> None:
    by_guid = article_id(source="A", guid="g1", canonical_link="https://a.test/1",
                         title="t", summary="")
    assert by_guid == article_id(source="A", guid="g1", canonical_link="https://a.test/other",
                                 title="changed", summary="")
    assert by_guid != article_id(source="B", guid="g1", canonical_link="https://a.test/1",
                                 title="t", summary="")
    by_link = article_id(source="A", guid=None, canonical_link="https://a.test/1",
                         title="t", summary="")
    assert by_link == article_id(source="B", guid=None, canonical_link="https://a.test/1",
                                 title="other", summary="")
    by_text = article_id(source="A", guid=None, canonical_link=None, title="t", summary="s")
    assert by_text != article_id(source="A", guid=None, canonical_link=None, title="t",
                                 summary="s2")


def test_settle_published_flags() -> None:
    fetched = datetime(2031, 3, 6, 12, tzinfo=UTC)
    assert settle_published(fetched - timedelta(hours=2), fetched_at=fetched,
                            had_value=True) == ("2031-03-06T10:00:00Z", "")
    assert settle_published(None, fetched_at=fetched, had_value=False) == (
        "2031-03-06T12:00:00Z", "missing")
    assert settle_published(None, fetched_at=fetched, had_value=True)[1] == "unparseable"
    assert settle_published(fetched + timedelta(days=30), fetched_at=fetched,
                            had_value=True) == ("2031-03-06T12:00:00Z", "future")


def test_settle_article_applies_the_rules_feeds_and_archives_share() -> None:
    seen = datetime(2031, 3, 6, 12, tzinfo=UTC)
    parts = {"source": "Feed A", "site": "fallback.test", "category": "news",
             "link": "https://www.a.test/story/?utm_source=x", "published": None,
             "had_date": False, "fetched_at": seen, "feed_url": "https://a.test/feed"}
    article = settle_article(title="", summary="A summary standing in for a title", **parts)
    assert article.title == "A summary standing in for a title"
    assert article.site == "a.test" and article.canonical_link == "https://a.test/story"
    assert (article.published, article.published_flag, article.fetched_at) == (
        "2031-03-06T12:00:00Z", "missing", "2031-03-06T12:00:00Z")
    # The same link from another source is the same article; without a link, the site given.
    other = settle_article(title="Other", summary="", **{**parts, "source": "Feed B"})
    assert other.id == article.id
    unlinked = settle_article(title="T", summary="", **{**parts, "link": ""})
    assert unlinked.site == "fallback.test" and unlinked.canonical_link is None


def test_parse_iso_utc() -> None:
    assert parse_iso_utc("2024-06-01T10:00:00Z") == datetime(2024, 6, 1, 10, tzinfo=UTC)
    assert parse_iso_utc("2024-06-01T12:00:00+02:00") == datetime(2024, 6, 1, 10, tzinfo=UTC)
    assert parse_iso_utc("2024-06-01") == datetime(2024, 6, 1, tzinfo=UTC)
    assert parse_iso_utc("yesterday") is None


def test_slugify() -> None:
    assert slugify("Threat Intel & News", default="x") == "threat-intel-news"
    assert slugify("!!!", default="imported") == "imported"


def test_md_escape_makes_feed_text_inert() -> None:
    assert md_escape("<script>alert(1)</script>") == "\\<script>alert(1)\\</script>"
    assert md_escape("[click](javascript:x)") == "\\[click\\](javascript:x)"
    assert md_escape("![img](http://x/a.png) `code` *em* ~~gone~~ a|b") == (
        "!\\[img\\](http\u2060://x/a.png) \\`code\\` \\*em\\* \\~\\~gone\\~\\~ a\\|b")
    assert md_escape("_em_ __init__ &amp; \\") == "\\_em\\_ \\_\\_init\\_\\_ \\&amp; \\\\"
    # what starts a line: headings, quotes, lists, rules, ordered lists
    assert md_escape("# x") == "\\# x" and md_escape("> x") == "\\> x"
    assert md_escape("- x\n+ y\n===\n2026. x") == "\\- x\n\\+ y\n\\===\n2026\\. x"


HOSTILE = ["<script>alert(1)</script>", "[click](javascript:x)", "![i](http://x/a.png)",
           "`code` *em* **strong** _em_ __init__ ~~gone~~", "a | b\n---|---\nc | d",
           "# heading", "> quote", "- item", "+ item", "* item", "1. item", "2) item",
           "title\n===", "title\n---", "<http://evil.example>", "&lt;b&gt; &#60;i&#62;",
           "C++ zero-day CVE-2025-49706 2026-Q2 snake_case AT&T 50% (beta) {x} #1 a > b!",
           "back\\slash \\* and <!-- comment --> <b>bold</b>"]


@pytest.mark.parametrize("text", HOSTILE)
def test_md_escaped_text_renders_as_itself_in_commonmark(text: str) -> None:
    """An independent CommonMark parser (with tables and strikethrough, as GitHub and
    Streamlit read them) shows the escaped text as the very text: no markup."""
    from html import escape

    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    lines = [escape(line, quote=False) for line in text.split("\n")]
    # An invisible word joiner keeps a bare address from becoming a link: not shown.
    rendered = parser.render(md_escape(text, math=False)).replace("\u2060", "")
    assert rendered == "<p>" + "\n".join(lines) + "</p>\n"


def test_md_escape_leaves_what_markdown_reads_as_text() -> None:
    for plain in ("CVE-2025-49706", "2026-Q2", "C++ zero-day", "snake_case_name", "AT&T",
                  "v1.2.3 (beta) {x} #1 a > b 50% off!", "Ransom: 10 BTC"):
        assert md_escape(plain) == plain
    assert md_escape("$10M and $20M") == "\\$10M and \\$20M"   # Streamlit reads a formula
    assert md_escape("$10M and $20M", math=False) == "$10M and $20M"   # a file does not


@pytest.mark.parametrize("value, shown", [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'), ("+cmd", "'+cmd"),
    ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("-3.5", "-3.5"), ("+1", "+1"), ("2026-09-30", "2026-09-30"), ("plain", "plain"),
    (-4, -4), ("", "")])
def test_csv_cells_a_spreadsheet_would_run_get_a_quote(value, shown) -> None:
    from radar.text import csv_cell, csv_uncell
    assert csv_cell(value) == shown
    if isinstance(value, str):
        assert csv_uncell(shown) == value


def test_render_csv_neutralises_every_cell() -> None:
    from radar.text import render_csv
    assert render_csv(["a", "b"], [["=1+1", "-1"]]) == "a,b\n'=1+1,-1\n"


def test_iso_utc_is_utc_to_the_second() -> None:
    from datetime import timezone

    from radar.text import iso_utc
    two_ahead = timezone(timedelta(hours=2))
    assert iso_utc(datetime(2024, 6, 1, 1, 2, 3, 999999, tzinfo=two_ahead)) == (
        "2024-05-31T23:02:03Z")


def test_year_one_dates_are_never_stored_as_dates() -> None:
    from radar.text import iso_utc, parse_iso_utc, settle_published
    assert parse_iso_utc("0001-01-01T00:00:00+01:00") is None     # before year 1 in UTC
    assert iso_utc(datetime(999, 1, 2, tzinfo=UTC)) == "0999-01-02T00:00:00Z"
    fetched = datetime(2031, 3, 1, tzinfo=UTC)
    assert settle_published(parse_iso_utc("0001-01-01T00:00:00Z"), fetched_at=fetched,
                            had_value=True) == ("2031-03-01T00:00:00Z", "unparseable")


def test_md_escape_stops_autolinks_and_directives() -> None:
    assert md_escape("http://x.test/a") == "http\u2060://x.test/a"
    assert md_escape("www.x.test") == "www\u2060.x.test"
    assert md_escape(":red[alert]") == ":red\\[alert\\]"


def test_find_word_finds_a_word_standing_whole() -> None:
    assert find_word("quillguard vpn flaw", "quillguard") == 0
    assert find_word("the quill-guard and quill", "quill") == 20   # not "quill-guard"
    assert find_word("quillguards", "quillguard") == -1
    assert find_word("quill and quill", "quill", 1) == 10   # the next one from `start`
