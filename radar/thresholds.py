"""Every number that decides what the radar shows, in one record (pure data).

What is a story, an event or a theme, when one is emerging or rising, when a name is in
the news all along, what a subject is called, when a flaw is linked to it and what is
drawn: each value here says why in one line. They were chosen by measurement on the
shared archive (bench/quality.py, docs/engine-quality.md); change one, then measure again.

Three are a person's to tune, as settings in `feeds.yaml`: `min_stories` and `min_sources`
raise the floors of every momentum gate (`Gate.at_least`), and `max_flagged` is the alert
budget. The time windows (`recent_days`, `theme_recent_days`, `history_days`) are settings
too; everything else is the engine's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import timedelta


@dataclass(frozen=True)
class Gate:
    """When a subject counts as emerging, rising or fading, against its own baseline."""

    min_stories: int = 3           # recent stories (all sites) to be emerging or rising
    min_sources: int = 3           # ... from at least this many sites
    emerging_z: float = 3.0        # recent stories this many deviations above the expected
    emerging_novelty: float = 0.6  # ... and most of its stories are recent ...
    surge_ratio: float = 4.0       # ... or its coverage quadrupled: emerging
    rising_z: float = 2.0          # significantly above the expected ...
    rising_ratio: float = 1.5      # ... by this factor: rising
    fading_ratio: float = 0.5      # under half the expected: fading

    def at_least(self, *, stories: int, sources: int) -> Gate:
        """This gate, with the person's `min_stories` and `min_sources` as floors."""
        return replace(self, min_stories=max(self.min_stories, stories),
                       min_sources=max(self.min_sources, sources))


@dataclass(frozen=True)
class Momentum:
    """Which subjects grow, measured site by site against each site's own baseline."""

    # An event is judged on its burst within the recent days.
    event: Gate = Gate()
    # A theme is emerging when it is new (most of its year's stories in the last weeks);
    # one with a past is rising when its coverage at least doubled, significantly.
    theme: Gate = Gate(min_stories=5, emerging_z=2.0, emerging_novelty=0.7,
                       surge_ratio=math.inf, rising_z=3.0, rising_ratio=2.0)
    # A theme takes off when its last week holds three times what its sites' baselines
    # predict: flagged then, not once four weeks have piled up. New to the history (half
    # of its stories in that week) it is emerging, else rising. One site's stories may
    # start it: a theme is told by several sites over the year, and its score (by sources)
    # puts it last within the alert budget.
    takeoff: Gate = Gate(min_stories=3, min_sources=1, emerging_z=2.0, emerging_novelty=0.5,
                         surge_ratio=math.inf, rising_z=2.0, rising_ratio=3.0)
    sustained_share: float = 0.4   # a four-week flag holds while its last two weeks keep
                                   # this share of the four weeks' stories ...
    lately_stories: int = 2        # ... and its last `lately_days` this many: readers call
    lately_days: int = 10          # a burst stale when it is quiet for longer
    past_weeks: int = 8            # a theme's window flags (and holds) only while its
    past_pace: float = 1.0         # pace is this much that of these weeks before it
    hold_growth: float = 1.5       # a flag of yesterday holds while the last week (or the
                                   # four weeks, still growing) is this much the usual
                                   # (and the alert budget has room)
    budget_days: int = 7           # the period `max_new_weekly` counts new flags over
    new_each_day: int = 3          # ... once spent, a day still flags its best this many
    quiet_floor: int = 15          # a quiet week's list is filled up to this many subjects
    fill_growth: float = 2.0       # ... with ones whose coverage at least doubled
    fill_sources: int = 3          # ... told by this many sites in their recent days
    shrink: float = 20.0           # a site's baseline share is pulled towards all sites'
                                   # by this many stories (a small site proves little)
    dump_size: int = 20            # this many stories of one site at one instant are an
                                   # archive dumped by a feed, not news of that day
    event_settle: timedelta = timedelta(days=14)  # a site publishing this long before
    theme_settle: timedelta = timedelta(days=28)  # "now" is established (has a baseline)


@dataclass(frozen=True)
class Events:
    """Bursts of stories about one happening, grouped by their words (DBSCAN)."""

    summary_words: int = 20        # a story is its title (twice) and this many words ...
    summary_lead: int = 400        # ... of its summary's first characters (not boilerplate)
    eps: float = 0.6               # cosine distance between neighbours
    min_samples: int = 3           # a topic needs a story and two neighbours
    max_df: float = 0.02           # words in more than 2 % of stories do not group ...
    per_site: int = 3              # ... counting this many stories of one site at most
    idf_power: float = 2.0         # how much rarer words outweigh common ones
    attach_similarity: float = 0.35  # noise this close to a topic's core terms joins it
    merge_similarity: float = 0.35   # topics whose core terms are this alike are one
    anchor_span_days: float = 2.0    # stories naming a topic's anchor this close join it
    anchor_share: float = 0.6      # the anchor is a word this share of a topic's stories use
    anchor_max_days: float = 14.0  # a topic spanning longer runs on its own: no anchor help
    max_cluster_size: int = 80     # bigger topics are split with a tighter eps ...
    min_eps: float = 0.25          # ... down to this
    gap: timedelta = timedelta(days=7)    # coverage quiet this long ends a burst
    span: timedelta = timedelta(days=28)  # a burst has most of its stories within this ...
    span_share: float = 0.6        # ... else it is a subject covered all along: a theme
    of_theme: float = 0.35         # an event belongs to the theme holding this much of it
    named_share: float = 0.5       # a burst whose best name fewer of its headlines
                                   # write is several happenings, split by their names
    quiet_weekly: float = 0.5      # a name in this many stories a week before (of the
                                   # `Momentum.past_weeks`) that takes off groups its own


@dataclass(frozen=True)
class Themes:
    """Subjects over months, found as the phrases headlines name them by."""

    min_stories: int = 5           # a subject is named in at least this many stories ...
    min_sites: int = 3             # ... by at least this many sites
    max_site_share: float = 0.6    # no single site tells most of it (a blog's own series)
    max_story_share: float = 0.015  # in more stories than this it is vocabulary, not a theme
    vocabulary_floor: int = 50     # ... but a young radar's themes may take this many
    covered_share: float = 0.8     # left to longer phrases that hold this much of it
    common_covered_share: float = 0.5  # ... or this much, for an ordinary word ("Black" of
                                       # Black Hat, Black Basta, Carbon Black)
    same_subject: float = 0.5      # phrases sharing this much (Jaccard) name one subject
    same_name_share: float = 0.6   # ... or sharing a word and this much of the smaller's
    same_name_size: float = 3.0    # ... stories, when the larger is at most this much larger
    held_share: float = 0.8        # ... or holding this much of the smaller's stories
                                   # ("CVE-2026-21509" in "Microsoft Office") ...
    held_size: float = 4.0         # ... when at most this much larger: a broad name
                                   # ("North Korean") does not swallow a subject of its
                                   # own ("North Korean IT workers")
    alias_stories: int = 2         # ... or named together in this many stories, one of
    alias_share: float = 0.3       # them as each other's alias, and in this much of the
                                   # smaller's stories ("Clawdbot's rename to Moltbot")


@dataclass(frozen=True)
class Scope:
    """What is news about a subject, not who is in the news."""

    perennial_share: float = 0.75  # named in this share of the history's months ...
    perennial_months: int = 4      # ... of a history at least this long (a young radar too) ...
    perennial_level: int = 4       # ... in this many stories a typical month: a vendor,
                                   # an agency, a platform, no trend by itself
    name_share: float = 0.66       # a one-word name in this share of the months (8 of 12) ...
    name_level: int = 2            # ... at this many stories a typical month: bursts
                                   # about an organisation or a platform, all along
    organisation_share: float = 0.12  # a name its headlines write doing what organisations
    organisation_headlines: int = 2   # do in this share of them (this many at least)
    everyday_zipf: float = 2.9     # a one-word name this common in English (wordfreq)
                                   # is named for what happened to it
    city_population: int = 1_000_000  # a city this large names a place, not a subject
    person_share: float = 0.15     # a name its headlines give a person's title in this
    person_titles: int = 2         # share of them (this many at least) is a person's
    market_share: float = 0.4      # market words (or only a market site told it) in
                                   # this share of its headlines ...
    incident_share: float = 0.2    # ... and incident words in fewer: market news
    market_site_share: float = 0.3  # a site writing market words in this share of its
    market_site_stories: int = 20   # headlines (this many at least) is a market's news
    series_share: float = 0.5      # editions of a series (dated by month or quarter, a
                                   # patch day) in this share of its headlines: no trend
    happening_share: float = 0.25  # a name in the news all along takes off when one
    happening_stories: int = 2     # happening tells this share of its week's stories
                                   # (this many at least) ...
    happening_sites: int = 2       # ... from this many sites
    facet_share: float = 0.6       # a flagged theme sharing this share of its recent
    facet_stories: int = 2         # stories (this many at least) with a larger one is a
                                   # facet of that subject this week: one flag


@dataclass(frozen=True)
class Names:
    """What a subject is called: phrases as the headlines write them."""

    actor_headlines: int = 1       # a headline calling a name a group: a threat actor
    max_words: int = 4             # the longest phrase considered a name
    rare_zipf: float = 2.5         # rarer than this in English: a subject word ("passkeys")
    common_zipf: float = 3.3       # commoner: an ordinary word unless written as a name
    nameish_zipf: float = 4.0      # ... below this, one never written in lower case in ...
    nameish_stories: int = 10      # ... this many headlines is a name ("Claude")
    everyday_event_stories: int = 4   # a common word written as a name ("Linux") names
    everyday_event_share: float = 0.75  # an event this many of its headlines, this share, write
    verb_zipf: float = 2.0         # a verb in -ize this common, or an -ing word whose verb
                                   # is, is no name ("weaponize", "weaponizing") unless
                                   # written as one
    edge_share: float = 0.35       # a common word may end a phrase making this share of its uses
    completing_share: float = 0.7  # a name is completed by a word next to it in this share ...
    min_completing: int = 3        # ... of at least this many headlines ...
    completing_zipf: float = 4.0   # ... when it is no commoner than this ("Palo", not "Users")
    describing_share: float = 0.3  # a describing word takes the word it describes in
                                   # this share of its headlines ("Agentic AI")
    tail_share: float = 0.75       # an ordinary word ending a longer name in this share ...
    min_tail_evidence: int = 5     # ... of at least this many capitalised uses: no name alone
    keep_share: float = 0.5        # an earlier name stays while it has half the best's support
    described_weight: float = 0.5  # an event's phrase mostly written in lower case weighs
                                   # this much: words describing it, not its name
    longer_share: float = 0.6      # a longer phrase wins with this share of the best's support
    plural_share: float = 0.5      # a plural name wins with this share of the singular's
    happened_share: float = 0.25   # a name apart says what this share of its headlines say
                                   # happened, when none writes it right after the name


@dataclass(frozen=True)
class Links:
    """When an exploited flaw or a stack product is tied to a trend (the inner ring)."""

    everyday_zipf: float = 4.0     # words this common in English are everyday words
    everyday_phrase_zipf: float = 4.6  # phrases of several words are rarer than their words
    min_headlines: int = 2         # a product named in this many of the trend's headlines ...
    min_share: float = 0.15        # ... and this share of them
    vendor_share: float = 0.05     # ... or this share, for a trend named after the vendor


@dataclass(frozen=True)
class Drawing:
    """What is drawn besides the flagged trends: context, not noise."""

    large_event_sources: int = 5   # an event without a theme is drawn with this many sites
    active_stories: int = 5        # a steady theme is drawn with this many stories in 4 weeks,
    steady_per_quadrant: int = 4   # ... this many per quadrant at most (the radar is for what
                                   # moves) ...
    young_days: int = 180          # ... first covered within this many days (new this half-year)


@dataclass(frozen=True)
class EngineThresholds:
    momentum: Momentum = field(default_factory=Momentum)
    events: Events = field(default_factory=Events)
    themes: Themes = field(default_factory=Themes)
    scope: Scope = field(default_factory=Scope)
    names: Names = field(default_factory=Names)
    links: Links = field(default_factory=Links)
    drawing: Drawing = field(default_factory=Drawing)


THRESHOLDS = EngineThresholds()
