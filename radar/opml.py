"""OPML in and out: how feed readers exchange subscription lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from radar.errors import ImportFileError
from radar.models import Feed
from radar.text import safe_link, site_of, slugify

NESTING_MAX = 50   # folders inside folders, at most


@dataclass(frozen=True)
class OpmlImport:
    feeds: list[Feed]
    skipped: list[str]


def read_opml(path: str | Path, *, existing: Iterable[Feed] = ()) -> OpmlImport:
    """Feeds listed in an OPML file that are not already configured.

    Categories come from the enclosing outline's title; names are made unique against
    the existing feeds. Entries with non-http(s) addresses are skipped and reported.
    """
    path = Path(path)
    try:
        tree = ElementTree.parse(path)
    except RecursionError as e:
        raise ImportFileError(f"{path}: nested too deeply to read") from e
    except ElementTree.ParseError as e:
        raise ImportFileError(f"{path}:{e.position[0]}: not valid OPML/XML ({e})") from e
    except OSError as e:
        raise ImportFileError(f"{path}: cannot open ({e.strerror or e})") from e
    body = tree.getroot().find("body")
    if tree.getroot().tag != "opml" or body is None:
        raise ImportFileError(f"{path}: not an OPML file (no <opml><body>)")
    existing = list(existing)
    names = {feed.name.casefold() for feed in existing}
    urls = {feed.url for feed in existing}
    feeds: list[Feed] = []
    skipped: list[str] = []
    for outline, category in _feed_outlines(body, "imported", path):
        url = (outline.get("xmlUrl") or "").strip()
        if not safe_link(url):
            skipped.append(f"{url or '(no url)'}: not an http(s) address")
            continue
        if url in urls:
            skipped.append(f"{url}: already in the feed list")
            continue
        title = " ".join((outline.get("title") or outline.get("text") or "").split())
        name = _unique(title[:80] or site_of(url) or url, names)
        names.add(name.casefold())
        urls.add(url)
        feeds.append(Feed(name=name, url=url, category=category))
    return OpmlImport(feeds=feeds, skipped=skipped)


def _feed_outlines(body: ElementTree.Element, category: str, path: Path
                   ) -> Iterator[tuple[ElementTree.Element, str]]:
    """(feed outline, category of the folder it is in), folders walked without recursion
    and at most `NESTING_MAX` deep, so a file nested thousands deep is an error, not a crash."""
    stack = [(iter(body.findall("outline")), category, 1)]
    while stack:
        outlines, folder, depth = stack[-1]
        outline = next(outlines, None)
        if outline is None:
            stack.pop()
        elif outline.get("xmlUrl") is not None:
            yield outline, folder
        elif depth >= NESTING_MAX:
            raise ImportFileError(f"{path}: outlines nested more than {NESTING_MAX} deep")
        else:
            label = outline.get("title") or outline.get("text") or ""
            stack.append((iter(outline.findall("outline")), slugify(label, default=folder),
                          depth + 1))


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate.casefold() in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def render_opml(feeds: Iterable[Feed], *, title: str = "Trend Radar feeds") -> str:
    """OPML 2.0 text with one folder per category."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    body = ElementTree.SubElement(root, "body")
    by_category: dict[str, list[Feed]] = defaultdict(list)
    for feed in feeds:
        by_category[feed.category].append(feed)
    for category in sorted(by_category):
        folder = ElementTree.SubElement(body, "outline", text=category, title=category)
        for feed in by_category[category]:
            ElementTree.SubElement(folder, "outline", type="rss", text=feed.name,
                                   title=feed.name, xmlUrl=feed.url)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode") + "\n"
