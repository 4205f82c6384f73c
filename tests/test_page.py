"""The HTML page and SVG picture: self-contained, escaped, parsed back."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser
from xml.etree import ElementTree

from radar.share.page import render_html, render_svg
from radar.share.snapshot import diff

from .test_interchange import CHANGES, NEWER


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Collector:
    collector = Collector()
    collector.feed(page)
    return collector


def test_html_loads_nothing_from_the_network() -> None:
    page = parse(render_html(NEWER, CHANGES))
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed"), tag
        if tag == "a":
            continue  # evidence links are followed only when clicked
        for name in ("src", "href", "srcset"):
            assert name not in attrs, (tag, attrs)
    assert "@import" not in render_html(NEWER, CHANGES)


def test_html_has_label_radar_changes_and_rationale() -> None:
    html = render_html(NEWER, CHANGES)
    page = parse(html)
    text = " ".join(page.text)
    assert "TLP:CLEAR" in text and "What changed" in text
    assert "Roll out to all staff" in text and "secret" not in text.lower()
    assert any(tag == "svg" for tag, _ in page.tags)
    assert len(html.encode()) < 2 * 1024 * 1024


def test_hostile_titles_are_text_in_html_and_svg() -> None:
    hostile = replace(NEWER, entries=(replace(
        NEWER.entries[0], label="<script>alert(1)</script>",
        evidence=({"title": "x", "link": "javascript:alert(2)", "source": "<b>s</b>",
                   "published": "2031"},)),))
    html = render_html(hostile, diff(None, hostile))
    page = parse(html)
    assert not any(tag == "script" for tag, _ in page.tags)
    assert "javascript:" not in html
    assert "<script>alert(1)</script>" in " ".join(page.text)  # shown, as text


def test_svg_is_valid_xml_with_one_blip_per_trend() -> None:
    root = ElementTree.fromstring(render_svg(NEWER, CHANGES))
    ns = "{http://www.w3.org/2000/svg}"
    blips = [g for g in root.iter(f"{ns}g") if g.find(f"{ns}circle") is not None]
    assert len(blips) == len(NEWER.entries)
    assert any(t.text and "TLP:CLEAR" in t.text for t in root.iter(f"{ns}text"))
    titles = [g.find(f"{ns}title").text for g in blips]
    assert titles[0].startswith("1. Trend keys") and "moved in" in titles[0]
