from pathlib import Path

import pytest

from radar.config import append_feeds, load_feeds, parse_feeds
from radar.errors import ConfigError
from radar.models import Feed

ROOT = Path(__file__).resolve().parents[1]

GOOD = """\
feeds:
  - name: Wire
    url: https://wire.example.test/feed
    category: news
  - name: Research
    url: http://research.example.test/atom.xml
    category: vendor-research
    weight: 0.5
    enabled: false
"""


def test_parse_valid_feeds_with_defaults() -> None:
    feeds = parse_feeds(GOOD)
    assert feeds == [
        Feed(name="Wire", url="https://wire.example.test/feed", category="news"),
        Feed(name="Research", url="http://research.example.test/atom.xml",
             category="vendor-research", weight=0.5, enabled=False),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("feeds:\n  - name: A\n    category: news\n", "feeds.yaml:2: feed is missing url"),
        ("feeds:\n  - name: A\n    url: ftp://a.example.test/x\n    category: news\n",
         "feeds.yaml:3: feed 'A': url 'ftp://a.example.test/x' must be an http"),
        ("feeds:\n  - name: A\n    url: javascript:alert(1)\n    category: news\n",
         "feeds.yaml:3: feed 'A': url"),
        ("feeds:\n  - name: A\n    url: https://a.example.test/f\n    category: news\n"
         "    colour: red\n", "feeds.yaml:5: unknown key 'colour'"),
        ("feeds:\n  - name: A\n    url: https://a.example.test/f\n    category: news\n"
         "  - name: a\n    url: https://b.example.test/f\n    category: news\n",
         "feeds.yaml:5: duplicate feed name 'a' (first at line 2)"),
        ("feeds:\n  - name: A\n    url: https://a.example.test/f\n    category: News Stuff\n",
         "feeds.yaml:4: feed 'A': category 'News Stuff'"),
        ("feeds:\n  - name: A\n    url: https://a.example.test/f\n    category: news\n"
         "    weight: -1\n", "feeds.yaml:5: feed 'A': weight must be a positive number"),
        ("feeds:\n  - name: A\n    url: https://a.example.test/f\n    category: news\n"
         "    enabled: maybe\n", "feeds.yaml:5: feed 'A': enabled must be true or false"),
        ("feeds:\n  - name: A\n    url: https://a.example.test/f\n    url: https://c.test/x\n"
         "    category: news\n", "feeds.yaml:4: key 'url' given twice"),
        ("feeds:\n  - name: A\n    url: https://a.example.test/f\n    category: news\n"
         "    site: not a host\n", "feeds.yaml:5: feed 'A': site 'not a host' must be a host"),
        ("feeds:\n  - [not, a, mapping]\n", "feeds.yaml:2: each feed must be a mapping"),
        ("feeds: {a: 1}\n", "feeds.yaml:1: 'feeds' must be a list"),
        ("sources: []\n", "feeds.yaml:1: unknown key 'sources'"),
        ("feeds:\n  - name: A\n   url: x\n", "feeds.yaml:3: invalid YAML"),
        ("", "feeds.yaml:1: empty file"),
    ],
)
def test_invalid_feeds_name_line_and_problem(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_feeds(text)
    assert expected in str(caught.value)


def test_every_problem_is_reported_at_once() -> None:
    text = ("feeds:\n  - name: A\n    category: news\n"
            "  - name: B\n    url: gopher://b.test/\n    category: news\n")
    with pytest.raises(ConfigError) as caught:
        parse_feeds(text)
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("feeds.yaml:2:")
    assert lines[1].startswith("feeds.yaml:5:")


def test_duplicate_url_is_an_error() -> None:
    text = ("feeds:\n  - name: A\n    url: https://a.example.test/f\n    category: news\n"
            "  - name: B\n    url: https://a.example.test/f\n    category: news\n")
    with pytest.raises(ConfigError, match=r"feeds\.yaml:5: duplicate feed url"):
        parse_feeds(text)


def test_load_feeds_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("feeds:\n  - name: A\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mine\.yaml:2: feed is missing url, category"):
        load_feeds(path)
    with pytest.raises(ConfigError, match="feeds file not found"):
        load_feeds(tmp_path / "absent.yaml")


def test_shipped_feed_list_is_valid_and_broad() -> None:
    feeds = load_feeds(ROOT / "feeds.yaml")
    assert len(feeds) >= 40
    categories = {feed.category for feed in feeds}
    assert {"news", "government-advisory", "vendor-research", "it-news", "cloud",
            "ai"} <= categories
    names = " ".join(feed.name for feed in feeds)
    for agency in ("CISA", "NCSC", "ENISA"):
        assert agency in names


def test_append_feeds_keeps_comments_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("# my curated list\n" + GOOD, encoding="utf-8")
    append_feeds(path, [Feed(name="New: one", url="https://new.example.test/rss",
                             category="imported", weight=2.0)])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# my curated list\n")
    feeds = load_feeds(path)
    assert [f.name for f in feeds] == ["Wire", "Research", "New: one"]
    assert feeds[-1].weight == 2.0


def test_settings_defaults_and_overrides(tmp_path: Path) -> None:
    from radar.config import Settings, load_settings

    assert load_settings(tmp_path / "absent.yaml") == Settings()
    shipped = load_settings(ROOT / "feeds.yaml")
    assert shipped.rings == ("adopt", "assess", "hold")
    assert [q.name for q in shipped.quadrants] == [
        "Threats & Vulnerabilities", "Security Tools & Practices", "Technology & Platforms",
        "Regulation & Governance"]
    path = tmp_path / "feeds.yaml"
    path.write_text("settings:\n  window_days: 60\n  max_new_weekly: 10\n"
                    "  rings: [adopt, trial, assess, hold]\n"
                    "  quadrants:\n" + "".join(
                        f"    - name: Q{i}\n      terms: [w{i}]\n" for i in range(4))
                    + "  default_quadrant: Q2\nfeeds: []\n")
    custom = load_settings(path)
    assert (custom.window_days, custom.max_new_weekly, custom.rings[1],
            custom.default_quadrant) == (60, 10, "trial", "Q2")
    assert shipped.quadrants[0].meaning("adopt").startswith("act now")
    path.write_text("settings:\n  quadrants:\n" + "".join(
        f"    - name: Q{i}\n      terms: [w{i}]\n      rings: {{hold: watch Q{i}}}\n"
        for i in range(4)) + "  default_quadrant: Q0\nfeeds:\n  - name: A\n"
        "    url: https://feeds.example.test/a\n    category: news\n"
        "    site: www.a.example.test\n")
    meant = load_settings(path)
    assert [q.meaning("hold") for q in meant.quadrants] == [f"watch Q{i}" for i in range(4)]
    assert meant.quadrants[0].meaning("adopt") == ""
    assert load_feeds(path)[0].site == "a.example.test"


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ("  window_days: 0\n", "feeds.yaml:2: window_days must be a whole number"),
        ("  rings: [adopt]\n", "feeds.yaml:2: rings needs at least 2 distinct names"),
        ("  colour: blue\n", "feeds.yaml:2: unknown key 'colour'"),
        ("  default_quadrant: Elsewhere\n", "default_quadrant 'Elsewhere' is not one of"),
        ("  quadrants: [{name: A, terms: [a]}]\n", "quadrants must be a list of exactly four"),
        ("  recent_days: 90\n", "recent_days must be shorter than window_days"),
        ("  theme_recent_days: 400\n", "theme_recent_days must be shorter than"),
        ("  radar_per_quadrant: 0\n", "radar_per_quadrant must be a whole number"),
        ("  max_new_weekly: many\n", "max_new_weekly must be a whole number"),
        ("  quadrants:\n" + "".join(f"    - name: Q{i}\n      terms: [w]\n"
                                    "      rings: {maybe: x}\n" for i in range(4)),
         "'maybe' is not a ring"),
    ],
)
def test_invalid_settings_name_the_line(tmp_path: Path, settings: str, expected: str) -> None:
    from radar.config import load_settings

    path = tmp_path / "feeds.yaml"
    path.write_text("settings:\n" + settings + "feeds: []\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert expected in str(caught.value)


def test_append_refuses_when_feeds_is_not_the_last_section(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds: []\nsettings:\n  window_days: 30\n")
    with pytest.raises(ConfigError):
        append_feeds(path, [Feed(name="A", url="https://a.example.test/f", category="news")])
    assert path.read_text() == "feeds: []\nsettings:\n  window_days: 30\n"


def test_every_problem_of_every_feed_is_reported() -> None:
    text = ("feeds:\n"
            "  - name: A\n    url: https://a.example.test/f\n    category: news\n"
            "  - name: B\n    url: https://a.example.test/f\n    category: News Site\n"
            "    weight: -1\n    enabled: maybe\n"
            "  - name: C\n    url: ftp://c.test/\n    category: news\n    colour: red\n")
    with pytest.raises(ConfigError) as caught:
        parse_feeds(text)
    assert str(caught.value).splitlines() == [
        "feeds.yaml:7: feed 'B': category 'News Site' must be lower-case words joined by '-'",
        "feeds.yaml:8: feed 'B': weight must be a positive number",
        "feeds.yaml:9: feed 'B': enabled must be true or false",
        "feeds.yaml:5: duplicate feed url 'https://a.example.test/f' (first at line 2)",
        "feeds.yaml:13: unknown key 'colour' (expected one of: category, enabled, name, site, "
        "url, weight)",
        "feeds.yaml:11: feed 'C': url 'ftp://c.test/' must be an http:// or https:// address"]
