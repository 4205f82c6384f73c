"""How each configured feed is doing, as one row per feed (pure): the CLI's `radar feeds`
table and JSON and the app's Feeds page show the same rows."""

from __future__ import annotations

from collections.abc import Sequence

from radar.models import Feed


def feed_rows(configured: Sequence[Feed], health: dict[str, dict]) -> list[dict]:
    """name, url, category, status, last_status, last_success, articles, error per feed."""
    rows = []
    for feed in configured:
        seen = health.get(feed.name, {})
        status = seen.get("last_outcome") or "never fetched"
        rows.append({
            "name": feed.name, "url": feed.url, "category": feed.category,
            "status": status if feed.enabled else "disabled",
            "last_status": seen.get("last_status"),
            "last_success": seen.get("last_success"),
            "articles": seen.get("articles", 0),
            "error": seen.get("last_error") or seen.get("last_warning"),
        })
    return rows
