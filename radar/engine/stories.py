"""Stories: near-duplicate articles counted once, as the engine reads them (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from radar.engine.cluster import is_boilerplate
from radar.text import parse_iso_utc


@dataclass(frozen=True)
class Story:
    """Near-duplicate articles counted once: the first telling plus its retellings."""

    id: str
    title: str
    summary: str
    published: datetime
    sites: frozenset[str]
    article_ids: tuple[str, ...]


def build_stories(articles: Sequence[dict]) -> list[Story]:
    """Group articles by their near-duplicate group, keeping recurring formats out."""
    groups: dict[str, list[dict]] = {}
    for article in articles:
        groups.setdefault(article["dup_of"] or article["id"], []).append(article)
    stories = []
    for members in groups.values():
        first = members[0]  # articles arrive oldest first
        if is_boilerplate(first["title"]):
            continue
        summary = next((m["summary"] for m in members if m["summary"]), "")
        stories.append(Story(id=first["id"], title=first["title"], summary=summary,
                             published=parse_iso_utc(first["published"]),
                             sites=frozenset(m["site"] or m["source"] for m in members),
                             article_ids=tuple(m["id"] for m in members)))
    stories.sort(key=lambda s: (s.published, s.id))
    return stories
