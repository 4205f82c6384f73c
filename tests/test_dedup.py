import random
from datetime import UTC, datetime, timedelta

from radar.dedup import DedupItem, content_words, group_near_duplicates, update_duplicate_groups
from radar.models import Article

T0 = datetime(2031, 3, 1, 8, tzinfo=UTC)


def item(id_: str, hours: float, site: str, title: str, group: str | None = None) -> DedupItem:
    return DedupItem(id=id_, published=T0 + timedelta(hours=hours), site=site, title=title,
                     group=group)


def test_syndicated_story_is_grouped_across_sites() -> None:
    groups = group_near_duplicates([
        item("a", 0, "wire.test", "Hackers exploit critical Ivanti Connect Secure zero-day flaw"),
        item("b", 5, "news.test", "Hackers Exploit Critical Ivanti Connect Secure Zero-Day Flaw"),
        item("c", 9, "blog.test",
             "Critical Ivanti Connect Secure zero-day flaw exploited by hackers"),
        item("d", 10, "blog.test", "Passkeys adoption doubles at large retailers"),
    ])
    assert groups == {"a": "a", "b": "a", "c": "a", "d": "d"}


def test_same_site_repeating_a_title_is_separate_news() -> None:
    title = "CISA Adds Two Known Exploited Vulnerabilities to Catalog"
    groups = group_near_duplicates([item("a", 0, "cisa.gov", title),
                                    item("b", 24, "cisa.gov", title)])
    assert groups == {"a": "a", "b": "b"}


def test_stories_outside_the_window_are_not_linked() -> None:
    title = "Major cloud provider outage disrupts services across Europe"
    groups = group_near_duplicates([item("a", 0, "x.test", title),
                                    item("b", 24 * 4, "y.test", title)])
    assert groups == {"a": "a", "b": "b"}


def test_short_titles_must_match_exactly() -> None:
    groups = group_near_duplicates([
        item("a", 0, "x.test", "Weekly roundup"), item("b", 1, "y.test", "Weekly roundup"),
        item("c", 2, "z.test", "Monthly roundup"),
    ])
    assert groups == {"a": "a", "b": "a", "c": "c"}


def test_related_but_different_stories_stay_apart() -> None:
    groups = group_near_duplicates([
        item("a", 0, "x.test", "Microsoft patches Exchange Server zero-day exploited in attacks"),
        item("b", 3, "y.test", "Microsoft warns of new Outlook phishing campaign targeting banks"),
    ])
    assert groups == {"a": "a", "b": "b"}


def test_existing_groups_anchor_new_articles() -> None:
    groups = group_near_duplicates([
        item("old", 0, "x.test", "Ransomware gang leaks data stolen from city council", "root"),
        item("new", 6, "y.test", "Ransomware gang leaks data stolen from city council"),
    ])
    assert groups == {"new": "root"}


def group_by_comparing_every_pair(items: list[DedupItem]) -> dict[str, str]:
    """The rule stated plainly: each item against every earlier one in the window."""
    result: dict[str, str] = {}
    for n, new in enumerate(items):
        if new.group:
            continue
        words, best, best_group = content_words(new.title), 0.0, None
        for old in items[:n]:
            other = content_words(old.title)
            if old.site == new.site or new.published - old.published > timedelta(days=3):
                continue
            if min(len(words), len(other)) < 4:
                score = 1.0 if words and words == other else 0.0
            else:
                score = len(words & other) / len(words | other)
            if score >= 0.6 and score > best:
                best, best_group = score, old.group or result[old.id]
        result[new.id] = best_group or new.id
    return result


def test_grouping_finds_what_comparing_every_pair_finds() -> None:
    chooser = random.Random(7)
    vocabulary = ["ivanti", "flaw", "exploited", "ransomware", "hospital", "patch", "zero-day",
                  "router", "botnet", "cisa", "adds", "kev", "data", "leak", "phishing"]
    items = []
    for n in range(400):
        pool = vocabulary[: chooser.choice([6, 8, 15])]
        words = chooser.sample(pool, chooser.randint(1, 6))
        items.append(item(f"i{n}", n * 0.7, chooser.choice(["a.test", "b.test", "c.test"]),
                          " ".join(words), f"g{n}" if n % 50 == 0 else None))
    expected = group_by_comparing_every_pair(items)
    assert group_near_duplicates(items) == expected
    assert sum(group != key for key, group in expected.items()) > 100  # many matches to find


def test_content_words_keep_cve_ids_and_drop_stopwords() -> None:
    assert content_words("The flaw CVE-2024-3400 is exploited") == {
        "flaw", "cve-2024-3400", "exploited"}


def test_update_duplicate_groups_is_incremental(store) -> None:
    def article(id_: str, site: str, title: str, published: str) -> Article:
        return Article(id=id_, source=site, site=site, category="news", title=title,
                       link=f"https://{site}/{id_}", canonical_link=f"https://{site}/{id_}",
                       summary="", published=published, published_flag="",
                       fetched_at=published)

    store.save_articles([article("a", "x.test", "Botnet hijacks thousands of home routers",
                                 "2031-03-01T08:00:00Z")])
    assert update_duplicate_groups(store) == 1
    store.save_articles([article("b", "y.test", "Botnet hijacks thousands of home routers",
                                 "2031-03-01T12:00:00Z")])
    assert update_duplicate_groups(store) == 1  # only the new article is grouped
    assert update_duplicate_groups(store) == 0
    assert store.duplicate_stats() == {"articles": 2, "stories": 1, "multi_site_stories": 1}
