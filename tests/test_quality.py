"""The engine on real data: the shared archive (../shared/corpus) analysed on dates of our
own, with subjects we know were news on them. Skipped where the archive is absent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.archive import ImportReport, read_archive
from radar.config import Settings, load_settings
from radar.dedup import update_duplicate_groups
from radar.engine.analyze import analyze
from radar.engine.places import is_place
from radar.models import FLAGGED, THEME
from radar.selection import radar_selection
from radar.store import Store

from .conftest import CORPUS

pytestmark = pytest.mark.corpus
SETTINGS = Settings()
# (date, subjects that took off in the days before: a pattern their name matches)
KNOWN = {
    "2024-06-12": ("snowflake",),        # the Snowflake customer breaches
    "2025-09-10": ("salesloft",),        # the Salesloft Drift token theft
    "2026-02-12": ("openclaw", "notepad++"),
    "2024-11-12": ("citrix",),           # the Citrix Virtual Apps flaws; a week of
}                                        # Korea, Canada and TikTok headlines


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Store:
    """The archive imported once into a real SQLite file."""
    path = CORPUS / "items.jsonl.gz"
    if not path.exists():
        pytest.skip("../shared/corpus is not available")
    store = Store(tmp_path_factory.mktemp("archive") / "radar.db")
    store.save_articles(read_archive(path, ImportReport()))
    update_duplicate_groups(store)
    yield store
    store.close()


def end_of(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=23, minute=59, second=59, tzinfo=UTC)


@pytest.fixture(scope="module", params=sorted(KNOWN))
def radar(request, archive: Store):
    """(day, every trend of the analysis, the radar picture's trends)."""
    analyze(archive, SETTINGS, as_of=end_of(request.param))
    trends = [t for t in archive.load_trends() if t.state == "active"]
    return request.param, trends, radar_selection(trends, SETTINGS)


def test_known_subjects_are_flagged_on_the_radar_under_their_name(radar) -> None:
    day, _, shown = radar
    for subject in KNOWN[day]:
        named = [t for t in shown if subject in t.label.lower()]
        assert named and any(t.flagged for t in named), (subject, [t.label for t in shown])


def test_a_radar_a_cio_can_read(radar) -> None:
    _, trends, shown = radar
    assert 5 <= len(shown) <= 4 * SETTINGS.radar_per_quadrant
    assert sum(t.status in FLAGGED for t in trends) <= SETTINGS.max_flagged
    names = [t.label.lower() for t in trends]
    assert len(names) == len(set(names))                # no two trends share a name
    # A name in the news all along is on the radar only when it took off, and then under
    # what happened to it ("Ivanti attacks"), never as the bare name.
    for trend in shown:
        if trend.kind == THEME and trend.perennial:
            assert trend.flagged and len(trend.label.split()) > 1, trend.label
    # A place is never flagged, not even named for what happened there ("Russia breach"),
    # and a take-off with nothing new to name it by ("FBI news") is no flag.
    for trend in trends:
        if trend.flagged:
            assert not is_place(trend.label), trend.label
            assert not (trend.kind == THEME and trend.keywords
                        and is_place(trend.keywords[0])), trend.label
            assert not (trend.perennial and trend.label.endswith(" news")), trend.label
    # No stack, no roadmap: nothing is suggested for the inner ring (act now, adopt).
    assert all(t.suggested_ring != SETTINGS.rings[0] for t in trends)


@pytest.mark.parametrize("setting", ["min_sources", "min_stories"])
def test_raising_the_minimums_in_the_feeds_file_calms_the_radar(
        archive: Store, setting: str, tmp_path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"settings:\n  {setting}: 40\nfeeds: []\n", encoding="utf-8")
    calmer = load_settings(feeds)
    assert getattr(calmer, setting) == 40
    as_of = end_of("2025-12-05")
    flagged = sum(t.status in FLAGGED for t in
                  analyze(archive, SETTINGS, as_of=as_of, save=False).trends)
    calm = sum(t.status in FLAGGED for t in
               analyze(archive, calmer, as_of=as_of, save=False).trends)
    assert flagged >= 10 and calm < flagged
