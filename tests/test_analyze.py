"""The engine end to end on a synthetic corpus with planted structure, in a real SQLite file."""

from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
import pytest

from radar.config import Settings
from radar.engine.analyze import (
    _its_happenings_name,
    _of_the_take_off,
    _written_before,
    analyze,
)
from radar.engine.backtest import Backtest, backtest, count_continuity
from radar.engine.candidates import Candidate
from radar.engine.cluster import latest_burst
from radar.engine.momentum import Signal
from radar.engine.naming import NameOption
from radar.engine.stories import Story, build_stories
from radar.errors import StaleDataError
from radar.models import EVENT, THEME, Article, Finding
from radar.store import Store
from radar.text import iso_utc

from .synthetic import (
    ORDINARY,
    START,
    Topic,
    burst,
    default_topics,
    make_corpus,
    recurring_titles,
    steady,
    year_topics,
)

SETTINGS = Settings()
DAYS = 90


def as_of(day: int):
    return START + timedelta(days=day, hours=23, minutes=59)


@pytest.fixture
def corpus_store(store: Store) -> Store:
    store.save_articles(make_corpus(default_topics(DAYS), noise=600, days=DAYS))
    return store


PLANTED = {topic.name for topic in default_topics(DAYS)}


def by_label(analysis, name: str, kind: str = THEME):
    """The trend of a planted subject: it is named exactly as its headlines name it."""
    found = [t for t in analysis.trends if t.label == name and t.kind == kind]
    assert found, [(t.kind, t.label) for t in analysis.trends]
    return found[0]


def event_of(analysis, theme):
    """The event filed under a theme."""
    found = [t for t in analysis.trends if t.kind == EVENT and t.theme == theme.id]
    assert len(found) == 1, [(t.kind, t.label) for t in analysis.trends]
    return found[0]


def test_planted_burst_is_emerging_and_ranked_first(corpus_store: Store) -> None:
    result = analyze(corpus_store, SETTINGS, as_of=as_of(DAYS))
    emerging = [t for t in result.trends if t.status == "emerging"]
    theme = by_label(result, "Glimmerfox VPN")
    event = event_of(result, theme)
    assert {t.id for t in emerging} == {theme.id, event.id}
    # Named apart from its theme: the subject and what happened, in its own headlines' words.
    assert event.label.startswith("Glimmerfox VPN ") and event.label.split()[-1] in ORDINARY
    assert emerging[0].score == max(t.score for t in result.trends)
    assert (theme.story_count, theme.source_count) == (9, 5) == (event.story_count,
                                                               event.source_count)
    assert theme.suggested_ring == "assess" and event.theme == theme.id
    assert theme.why == "9 articles from 5 sources in the last 28 days, none before"
    assert event.why == "9 articles from 5 sources in the last 7 days, none before"


def test_a_new_product_told_with_its_flaw_is_named_for_it(store: Store) -> None:
    """A product new to the history whose burst's headlines all say a flaw ("Quillstone
    Gateway zero-day …") is named for it, as they write it, and so is its event, apart
    from the theme: not the bare product name, never two flaws in one name."""
    flaws = ("flaw", "vulnerability", "zero-day")
    topics = [*default_topics(DAYS)[:3],
              burst("Quillstone Gateway", flaws, start=DAYS - 2, stories=9)]
    store.save_articles(make_corpus(topics, noise=600, days=DAYS))
    result = analyze(store, SETTINGS, as_of=as_of(DAYS))
    theme = next(t for t in result.trends if t.kind == THEME
                 and t.keywords[0] == "Quillstone Gateway")
    event = event_of(result, theme)
    assert theme.status == event.status == "emerging"
    for trend in (theme, event):
        assert trend.label.startswith("Quillstone Gateway ")
        assert [word in flaws for word in trend.label.split()[2:]] == [True]
    assert theme.label != event.label


def test_steady_subjects_are_themes_and_noise_is_nothing(corpus_store: Store) -> None:
    result = analyze(corpus_store, SETTINGS, as_of=as_of(DAYS))
    for name in ("Passkeys", "Kubernetes", "Lattice crypto"):
        assert by_label(result, name).status in ("steady", "fading"), name
    # 600 unrelated stories: no trend; every event is one of the planted subjects'.
    assert {t.label for t in result.trends if t.kind == THEME} == PLANTED
    themes = {t.id: t.label for t in result.trends if t.kind == THEME}
    events = [t for t in result.trends if t.kind == EVENT]
    assert "Glimmerfox VPN" in {themes.get(t.theme) for t in events}   # the burst, at least
    assert [t.label for t in events if not t.label.startswith(themes.get(t.theme, "?"))] == []


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """A year of situations themes must get right (see synthetic.year_topics), analysed
    as of its last day."""
    store = Store(tmp_path_factory.mktemp("year") / "radar.db")
    store.save_articles(make_corpus(year_topics(), noise=1500, days=365,
                                    extra_titles=recurring_titles()))
    result = analyze(store, SETTINGS, as_of=as_of(365))
    yield store, result
    store.close()


def test_a_subject_growing_over_months_is_rising(year) -> None:
    _, result = year
    mirelock = by_label(result, "Mirelock")
    assert mirelock.status == "rising" and mirelock.suggested_ring == "assess"
    # Nine stories in the last four weeks where about two were usual.
    assert float(re.search(r"([\d.]+)x the usual coverage", mirelock.why).group(1)) >= 3


def test_an_always_covered_subject_is_steady_and_a_joining_source_adds_nothing_new(
        year) -> None:
    _, result = year
    assert by_label(result, "Patchday").status == "steady"
    coinvault = [t for t in result.trends if t.label == "Coinvault"]
    assert coinvault and all(t.status == "steady" for t in coinvault)


def test_an_event_belongs_to_its_theme(year) -> None:
    # Glimmerfox is covered all year; its zero-day is most of its last weeks: the theme
    # is flagged under what befell it, and the event listed under it is named apart.
    store, result = year
    theme = by_label(result, "Glimmerfox zero-day")
    assert theme.keywords[0] == "Glimmerfox" and theme.status == "rising"
    event = event_of(result, theme)
    assert event.status == "emerging" and event.label.startswith("Glimmerfox ")
    assert event.label != theme.label
    assert event.story_count == 9 and theme.story_count > event.story_count
    assert event.members < theme.members
    listed = {t.id: t for t in store.load_trends()}
    assert listed[event.id].theme == theme.id and event.id in listed[theme.id].events


def test_recurring_formats_are_never_trends_and_names_stay_whole(year) -> None:
    _, result = year
    labels = {t.label for t in result.trends}
    assert not any(word in label for label in labels
                   for word in ("Catalog", "Webinar", "Diary", "Known Exploited"))
    assert by_label(result, "MITRE ATT&CK").status == "steady"


def test_latest_burst() -> None:
    days = [START + timedelta(days=d) for d in (0, 12, 24, 80, 80.5, 81, 81.5)]
    assert latest_burst(days, 3) == [3, 4, 5, 6]
    assert latest_burst(days[:3], 3) == []            # covered all along: no burst
    assert latest_burst([START + timedelta(days=d) for d in range(0, 90, 3)], 3) == []


def test_nothing_after_as_of_is_used(corpus_store: Store) -> None:
    before = analyze(corpus_store, SETTINGS, as_of=as_of(DAYS - 10), save=False)
    labels = {t.label for t in before.trends}
    assert {"Passkeys", "Kubernetes", "Lattice crypto"} <= labels   # what was there then
    assert [label for label in labels if "glimmerfox" in label.lower()] == []
    assert max(t.last_seen for t in before.trends) <= (
        START + timedelta(days=DAYS - 9)).isoformat()


def test_analysis_is_deterministic(corpus_store: Store) -> None:
    first = analyze(corpus_store, SETTINGS, as_of=as_of(DAYS), save=False)
    second = analyze(corpus_store, SETTINGS, as_of=as_of(DAYS), save=False)
    assert [(t.id, t.label, t.score, t.members) for t in first.trends] == \
        [(t.id, t.label, t.score, t.members) for t in second.trends]


def test_analysis_is_identical_under_different_hash_seeds(corpus_store: Store,
                                                         tmp_path) -> None:
    """Set iteration order changes with PYTHONHASHSEED; the result must not."""
    import json
    import os
    import shutil
    import subprocess
    import sys

    corpus_store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    outputs = []
    for seed in ("1", "2"):
        copy = tmp_path / f"seed{seed}.db"
        shutil.copy(corpus_store.path, copy)
        env = {**os.environ, "PYTHONHASHSEED": seed, "RADAR_DB": str(copy),
               "RADAR_FEEDS": str(tmp_path / "none.yaml")}
        outputs.append(subprocess.run(
            [sys.executable, "-m", "radar", "trends", "--as-of", "2031-03-31", "--json"],
            capture_output=True, text=True, check=True, env=env).stdout)
    assert json.loads(outputs[0])["trends"] and outputs[0] == outputs[1]


def test_ids_are_stable_across_daily_reanalysis_and_tags_survive(corpus_store: Store) -> None:
    first = analyze(corpus_store, SETTINGS, as_of=as_of(DAYS - 5))
    passkeys = by_label(first, "Passkeys")
    corpus_store.record_decision(passkeys.id, "adopt", note="roll out to staff",
                                 author="ciso", at="2031-03-28T00:00:00Z")
    ids = {}
    for day in range(DAYS - 4, DAYS + 1):
        result = analyze(corpus_store, SETTINGS, as_of=as_of(day))
        for name in ("Passkeys", "Kubernetes", "Lattice crypto"):
            ids.setdefault(name, set()).add(by_label(result, name).id)
    assert {name: len(found) for name, found in ids.items()} == \
        {"Passkeys": 1, "Kubernetes": 1, "Lattice crypto": 1}
    assert passkeys.id in ids["Passkeys"]
    listed = {t.id: t for t in corpus_store.load_trends()}
    assert listed[passkeys.id].ring == "adopt"


def test_decided_trend_is_listed_when_dormant(corpus_store: Store) -> None:
    result = analyze(corpus_store, SETTINGS, as_of=as_of(DAYS))
    glimmer = by_label(result, "Glimmerfox VPN")
    corpus_store.record_decision(glimmer.id, "hold", note="we do not run it",
                                 author="ciso", at="2031-04-01T00:00:00Z")
    later = analyze(corpus_store, SETTINGS, as_of=as_of(DAYS + 120))  # window moved past it
    assert glimmer.id not in {t.id for t in later.trends}
    listed = {t.id: t for t in corpus_store.load_trends()}
    assert listed[glimmer.id].status == "dormant"
    assert listed[glimmer.id].ring == "hold"


def test_human_edits_survive_reanalysis(corpus_store: Store) -> None:
    result = analyze(corpus_store, SETTINGS, as_of=as_of(DAYS - 1))
    kube, lattice = by_label(result, "Kubernetes"), by_label(result, "Lattice crypto")
    corpus_store.record_edit(kube.id, "rename", "Container platforms", note="", author="a",
                             at="2031-03-31T00:00:00Z")
    corpus_store.record_edit(kube.id, "quadrant", "Security Tools & Practices", note="",
                             author="a", at="2031-03-31T00:00:01Z")
    corpus_store.record_edit(lattice.id, "dismiss", "dismissed", note="not for us",
                             author="a", at="2031-03-31T00:00:02Z")
    analyze(corpus_store, SETTINGS, as_of=as_of(DAYS))
    listed = {t.id: t for t in corpus_store.load_trends()}
    assert listed[kube.id].label == "Container platforms"
    assert listed[kube.id].quadrant == "Security Tools & Practices"
    assert lattice.id not in listed
    hidden = {t.id: t for t in corpus_store.load_trends(include_hidden=True)}
    assert hidden[lattice.id].state == "dismissed"
    assert [h["action"] for h in corpus_store.load_history(kube.id)] == ["rename", "quadrant"]


def test_manual_merge_keeps_target_and_lists_alias(corpus_store: Store) -> None:
    result = analyze(corpus_store, SETTINGS, as_of=as_of(DAYS - 1))
    kube, lattice = by_label(result, "Kubernetes"), by_label(result, "Lattice crypto")
    corpus_store.record_edit(lattice.id, "merge", kube.id, note="same program", author="a",
                             at="2031-03-31T00:00:00Z")
    again = analyze(corpus_store, SETTINGS, as_of=as_of(DAYS))
    assert lattice.id not in {t.id for t in again.trends}
    merged = next(t for t in again.trends if t.id == kube.id)
    # Both trends' stories (nearly all still in the window a day later) now count for kube.
    assert len(kube.members & merged.members) >= 0.8 * len(kube.members)
    assert len(lattice.members & merged.members) >= 0.8 * len(lattice.members)
    listed = {t.id: t for t in corpus_store.load_trends()}
    assert listed[kube.id].aliases == (lattice.id,)


def test_burst_is_flagged_within_days_in_a_backtest(store: Store, tmp_path) -> None:
    topics = [*default_topics(DAYS)[:3], burst("Quartzwing", start=80, stories=8)]
    store.save_articles(make_corpus(topics, noise=400, days=DAYS))
    result = backtest(store, SETTINGS, start=(START + timedelta(days=76)).date(),
                      end=(START + timedelta(days=84)).date(),
                      scratch=Store(tmp_path / "scratch.db"))
    quartz = [(day, rank) for day, rank, label in result.first_emerging.values()
              if label == "Quartzwing"]
    assert len(quartz) == 2, result.first_emerging  # the theme and its event
    for day, rank in quartz:
        assert 0 <= (day - (START + timedelta(days=80)).date()).days <= 3
        assert rank == 1
    assert result.churn == 0.0
    # Its theme and its event are two trends newly flagged, one entry of the lists.
    assert result.most_flagged >= 2 and result.span_days == 9
    assert result.newly_listed < result.newly_flagged
    assert result.per_week(result.newly_flagged) == 7 * result.newly_flagged / 9
    assert store.load_known_trends() == []  # the real store was not touched


def test_build_stories_counts_near_duplicates_once() -> None:
    rows = [
        {"id": "a", "title": "Glimmerfox flaw", "summary": "", "published": "2031-01-01T00:00:00Z",
         "site": "x.test", "source": "X", "dup_of": "a"},
        {"id": "b", "title": "Glimmerfox flaw!", "summary": "more",
         "published": "2031-01-01T05:00:00Z", "site": "y.test", "source": "Y", "dup_of": "a"},
        {"id": "c", "title": "A week in review", "summary": "", "site": "x.test",
         "published": "2031-01-02T00:00:00Z", "source": "X", "dup_of": "c"},
    ]
    stories = build_stories(rows)
    assert [(s.id, s.article_ids, s.sites, s.summary) for s in stories] == [
        ("a", ("a", "b"), frozenset({"x.test", "y.test"}), "more")]


def test_empty_database_gives_no_trends(store: Store) -> None:
    result = analyze(store, SETTINGS, as_of=as_of(DAYS))
    assert result.trends == [] and result.stories == 0
    assert store.last_analysis()["trends"] == 0


def test_a_handful_of_unrelated_stories_gives_no_trends(store: Store) -> None:
    from radar.models import Article

    for n, title in enumerate(["Alpha beta", "Gamma delta", "Epsilon zeta"]):
        store.save_articles([Article(
            id=f"a{n}", source="s", site=f"s{n}.test", category="news", title=title,
            link=f"https://s{n}.test/{n}", canonical_link=f"https://s{n}.test/{n}", summary="",
            published=f"2031-01-0{n + 1}T00:00:00Z", published_flag="",
            fetched_at="2031-01-05T00:00:00Z")])
    assert analyze(store, SETTINGS, as_of=as_of(5)).trends == []


def test_a_ring_change_since_the_last_analysis_is_marked_moved(corpus_store: Store) -> None:
    analyze(corpus_store, SETTINGS, as_of=as_of(DAYS - 1))
    assert not any(t.moved for t in corpus_store.load_trends())
    passkeys = next(t for t in corpus_store.load_trends() if t.label == "Passkeys")
    target = "adopt" if passkeys.suggested_ring != "adopt" else "hold"
    corpus_store.record_decision(passkeys.id, target, note="n", author="a",
                                 at="2031-03-31T00:00:00Z")
    moved = {t.id for t in corpus_store.load_trends() if t.moved}
    assert moved == {passkeys.id}
    analyze(corpus_store, SETTINGS, as_of=as_of(DAYS))  # it moved since the previous one
    assert passkeys.id in {t.id for t in corpus_store.load_trends() if t.moved}
    analyze(corpus_store, SETTINGS, as_of=as_of(DAYS))  # and then it stays put
    assert passkeys.id not in {t.id for t in corpus_store.load_trends() if t.moved}


def test_one_undated_item_does_not_make_old_data_look_fresh(store: Store) -> None:
    """An archive that ends months ago plus one undated item stamped with its fetch time:
    an undated analysis says where the data ends instead of emptying the radar."""
    store.save_articles(make_corpus(default_topics(DAYS), noise=300, days=DAYS))
    analyze(store, SETTINGS, as_of=as_of(DAYS))
    now = START + timedelta(days=DAYS + 200)
    junk = Article(id="junk", source="Hostile", site="hostile.example.test", category="news",
                   title="<script>alert(1)</script>", link="http://hostile.example.test/1",
                   canonical_link="http://hostile.example.test/1", summary="",
                   published=iso_utc(now), published_flag="missing", fetched_at=iso_utc(now))
    store.save_articles([junk])
    with pytest.raises(StaleDataError, match="the newest article is from"):
        analyze(store, SETTINGS, as_of=now, require_recent=True)
    assert store.last_analysis()["as_of"] == iso_utc(as_of(DAYS))   # the radar is kept


def test_continuity_follows_the_first_largest_share_of_the_same_kind() -> None:
    a, b = frozenset({"a1", "a2", "a3"}), frozenset({"b1", "b2"})
    previous = {("event", "E1"): a, ("theme", "T1"): a | b, ("event", "E2"): b}
    current = {("event", "E1"): a | {"a4"}, ("theme", "T9"): a | b, ("event", "E3"): {"c1"}}
    result = Backtest()
    count_continuity(previous, current, result)
    assert (result.continuing, result.kept_id) == (2, 1)
    count_continuity({}, current, result)
    assert (result.continuing, result.kept_id) == (2, 1)


def test_an_event_of_a_names_take_off_is_listed_under_it() -> None:
    """The fine a court gave NSO Group for hacking WhatsApp users: the flagged event
    (held by the NSO Group theme) tells most of the stories "WhatsApp" took off with,
    so it is that take-off's happening; an event of other stories stays where it was."""
    def signal(status: str) -> Signal:
        return Signal(status=status, score=1.0, recent=4, baseline=0, recent_sources=3,
                      observed=4, expected=0.5, z=3.0, novelty=1.0)

    def finding(label: str, theme: str) -> Finding:
        return Finding(id=label, label=label, keywords=(), entities=(), terms={},
                       quadrant="Threats", quadrant_reason="", suggested_ring="hold",
                       status="rising", score=1.0, article_count=4, story_count=4,
                       source_count=3, first_seen="", last_seen="", weekly_counts=(),
                       why="", members=frozenset(), kind=EVENT, theme=theme)

    fine = Candidate(EVENT, np.array([10, 11, 12, 13, 2]), (), signal("rising"))
    other = Candidate(EVENT, np.array([20, 21, 22]), (), signal("rising"))
    placed = _of_the_take_off([finding("NSO Group damages", "nso"), finding("Other", "x")],
                              [fine, other], {"whatsapp": {10, 11, 12, 13}})
    assert [f.theme for f in placed] == ["whatsapp", "x"]


def test_a_burst_gone_quiet_neither_holds_a_flag_nor_fills_a_quiet_week(tmp_path) -> None:
    """Quillbrook, told now and then all year, had its burst two weeks ago; one story
    since. Readers call that stale: not flagged, not even to fill a short list, though
    that one story is several times its usual week."""
    topics = [steady("Quillbrook", every=30, until=340, sites=5),
              burst("Quillbrook", start=350, stories=4, sites=5),
              Topic("Quillbrook", ORDINARY, (362.0,), sites=1)]
    store = Store(tmp_path / "radar.db")
    store.save_articles(make_corpus(topics, noise=800, days=365))
    result = analyze(store, SETTINGS, as_of=as_of(365))
    quillbrook = by_label(result, "Quillbrook")
    assert quillbrook.status == "steady", quillbrook.why
    # Two weeks earlier the same burst was news.
    earlier = by_label(analyze(store, SETTINGS, as_of=as_of(353)), "Quillbrook")
    assert earlier.status in ("emerging", "rising"), earlier.why
    store.close()


def test_a_name_written_before_an_event_is_found_as_a_word() -> None:
    """An event's flaw is said in the headlines' own words only of a name with a past:
    one a headline wrote before the event, as a whole word."""
    def story(title: str, day: int) -> Story:
        return Story(id=title, title=title, summary="", published=as_of(day), sites=frozenset(),
                     article_ids=(title,))

    stories = [story("Quillguard VPN endpoints brute-forced", 1),
               story("Quillstone-Gateway patched", 2), story("Newbleed flaw exploited", 9)]
    written = _written_before(stories, as_of(5))
    assert written("Quillguard") and written("quillguard VPN")
    assert not written("Quill")          # part of a longer word
    assert not written("Quillstone")     # part of a hyphenated name
    assert not written("Newbleed")       # written only after the start


def _burst_of_flaws(naming: int) -> tuple[tuple[str, float, str], ...]:
    """Six flaws exploited in the wild over three days, the first `naming` of them in one
    product, Zorvane Gateway; the others each in a device of their own."""
    devices = ["Camera", "Phone kernel", "Printer", "Router", "Modem", "Badge reader"]
    endings = [", agencies warn", " as patches lag"]
    return tuple((f"{'Zorvane Gateway' if i < naming else devices[i]} flaw exploited in the "
                  f"wild{endings[i % 2]}", 86.0 + i / 2, f"a{i % 5}.example.test")
                 for i in range(6))


@pytest.mark.parametrize(("naming", "named"), [(2, False), (4, True)])
def test_a_burst_is_named_by_a_name_most_of_its_headlines_write(store: Store, naming: int,
                                                                  named: bool) -> None:
    """The week's "exploited in the wild" stories, two of six in one product: several
    happenings, not a "Zorvane Gateway flaw" event (Acronis over Android's zero-day,
    August 2024). Four of six are that product's event."""
    store.save_articles(make_corpus(default_topics(DAYS), noise=600, days=DAYS,
                                    extra_titles=_burst_of_flaws(naming)))
    analysis = analyze(store, SETTINGS, as_of=as_of(DAYS - 1))
    labels = [t.label for t in analysis.trends if t.kind == EVENT]
    assert ("Zorvane Gateway flaw" in labels) is named, labels


def test_a_theme_of_one_new_named_happening_is_named_by_it() -> None:
    """"Google Play", July 2024: four of its five flagged weeks' stories, the newest
    among them, are the Mandrake spyware found in its apps, a name no earlier headline
    wrote. A name with a past, or one the newest story no longer writes, names nothing."""
    said = ["Konfety ad fraud hides in Play decoy apps",
            "Mandrake spyware sneaks onto Play again",
            "Mandrake Spyware infects 32,000 devices via Play apps",
            "New Mandrake Spyware found in Play Store apps",
            "Mandrake Android spyware found in five Play apps"]
    window = [10, 11, 12, 13, 14]
    signal = Signal(status="steady", score=1.0, recent=4, baseline=0, recent_sources=3,
                    observed=4, expected=0.5, z=3.0, novelty=1.0)
    mandrake = Candidate(EVENT, np.array([11, 12, 13, 14]),
                         (NameOption("Mandrake Spyware", 4),), signal)

    def named(candidates, titles=said, *, past: bool = False) -> str | None:
        return _its_happenings_name("Play", window, titles, candidates,
                                    had_past=lambda name: past)

    assert named([mandrake]) == "Mandrake Spyware"
    assert named([mandrake], past=True) is None
    assert named([mandrake], [*said[1:], said[0]]) is None   # older news by now
    other = Candidate(EVENT, np.array([20, 21, 22]), (NameOption("Mandrake Spyware", 3),),
                      signal)
    assert named([other]) is None   # not the theme's happening
