"""Which trends each view lists: the radar picture's selection, browse filters and the
inbox (pure, no Streamlit)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from radar.config import Settings
from radar.models import (
    DORMANT,
    EMERGING,
    EVENT,
    FADING,
    FLAGGED,
    RISING,
    STEADY,
    THEME,
    SearchHit,
    Trend,
    TrendFacts,
)
from radar.org import CVE_ID
from radar.text import CVE_IN_TEXT, parse_iso_utc
from radar.thresholds import THRESHOLDS

# A zero between letters, as names write an o ("Cl0p" for Clop).
LETTER_ZERO = re.compile(r"(?<=[a-z])0(?=[a-z])")

MOMENTUM_ORDER = {EMERGING: 0, RISING: 1, STEADY: 2, FADING: 3, DORMANT: 4}
DRAWING = THRESHOLDS.drawing
Listed = TypeVar("Listed", bound=TrendFacts)   # a Trend, or an analysis's Finding
NAME_WEIGHT = 3.0         # a search's words in a trend's name: it is about them ...
TERMS_WEIGHT = 2.0        # ... in its keywords or entities: much about them; then the
                          # share of its articles that match (0 to 1) orders the rest


@dataclass(frozen=True)
class Filters:
    """The browse filters; every field narrows, None or empty means 'any'."""

    quadrant: str | None = None
    ring: str | None = None
    status: str | None = None
    decided: bool | None = None
    min_score: float = 0.0
    since: str | None = None           # ISO date: last seen on or after
    matching: Mapping[str, float] | None = None  # a search's trends and their relevance


def search_relevance(hits: Iterable[SearchHit]) -> dict[str, float]:
    """How much each trend a search found is about it: the name first, then keywords and
    entities, then the share of its articles that match. A search for "Ivanti" ranks the
    Ivanti trends above a trend that once mentioned Ivanti."""
    return {hit.trend_id: NAME_WEIGHT * hit.in_name + TERMS_WEIGHT * hit.in_terms
            + hit.matching / max(hit.members, 1) for hit in hits}


def filter_trends(trends: Iterable[Trend], filters: Filters) -> list[Trend]:
    """Trends that pass every filter: most relevant first when searching, else in the
    order given (score order from the store)."""
    found = [t for t in trends if _passes(t, filters)]
    if filters.matching is not None:
        found.sort(key=lambda t: -filters.matching[t.id])  # stable: score breaks ties
    return found


def _passes(trend: Trend, filters: Filters) -> bool:
    return ((not filters.quadrant or trend.quadrant == filters.quadrant)
            and (not filters.ring or trend.shown_ring == filters.ring)
            and (not filters.status or trend.status == filters.status)
            and (filters.decided is None or trend.decided == filters.decided)
            and trend.score >= filters.min_score
            and (not filters.since or trend.last_seen >= filters.since)
            and (filters.matching is None or trend.id in filters.matching))


def inbox(trends: Iterable[Trend]) -> list[tuple[Trend, list[Trend]]]:
    """Emerging and rising trends nobody has decided on, highest score first, each with
    the others about the same subject ("Ivanti" with "Ivanti Connect Secure"): one entry
    per subject."""
    waiting = sorted((t for t in trends if t.flagged and not t.decided),
                     key=lambda t: (-t.score, t.id))
    return distinct(waiting)


def distinct(ranked: Sequence[Listed]) -> list[tuple[Listed, list[Listed]]]:
    """Each trend not held by a better-ranked one, with the ones it holds; the best-ranked
    theme of a subject stands for its events wherever it ranks ("React2Shell", with
    "Next.js vulnerability" and the "Next.js" theme), unless it is a name in the news
    all along and the event has a name of its own: that is what is new ("Reprompt"
    holds "Copilot attack"), as on the radar."""
    groups: list[tuple[Listed, list[Listed]]] = []
    themes = {t.id for t in ranked if t.kind == THEME}
    for trend in ranked:
        at = next((i for i, group in enumerate(groups) if same_subject(trend, group[0])), None)
        if at is None:
            groups.append((trend, []))
            continue
        head, others = groups[at]
        # A theme gathers all its events listed so far ("Anthropic cyberattack" and
        # "Anthropic campaign", two events of one story, under "Anthropic").
        for i in reversed(range(at + 1, len(groups)) if trend.kind == THEME else ()):
            if groups[i][0].theme == trend.id:
                others += [groups[i][0], *groups.pop(i)[1]]
        if _heads(trend, head, themes):
            groups[at] = (trend, [head, *others])
        else:
            others.append(trend)
    return [_best_named(head, others) for head, others in groups]


def _best_named(head: Listed, others: list[Listed]) -> tuple[Listed, list[Listed]]:
    """A subject is listed under the name people give it: a flaw by what it is in ("Palo
    Alto zero-day"), not by its id ("CVE-2024-3400 vulnerability") nor by who exploits it
    ("Cl0p exploit"), when an entry it holds, not a name in the news all along alone, is
    named so ("Oracle E-Business Suite" for "Cl0p exploit"). The entry keeps its place."""
    better = next((o for o in others if not _bare_perennial(o)
                   and not _names_no_subject(o.label)),
                  None) if _names_no_subject(head.label) else None
    if better is None:
        return head, others
    return better, [head, *(o for o in others if o is not better)]


def _bare_perennial(trend: TrendFacts) -> bool:
    """A name in the news all along, named by that name alone ("Oracle")."""
    bare = trend.keywords[0] if trend.keywords else trend.label
    return trend.perennial and trend.label.lower() == bare.lower()


def _names_no_subject(label: str) -> bool:
    """Named by a flaw's id or by what was done with it ("… exploit", "… exploitation"),
    not by what it is in."""
    return bool(CVE_IN_TEXT.search(label)) or label.split()[-1].lower().startswith("exploit")


def _heads(trend: TrendFacts, head: TrendFacts, themes: set[str]) -> bool:
    """`trend` stands for the subject `head` has stood for so far. An event of another
    listed theme is that theme's news, whatever names its headlines share with this one
    ("Palo Alto Networks" flaws told beside SonicWall's)."""
    def own(event: TrendFacts, theme: TrendFacts) -> bool:
        return _news_of_its_own(event, theme) and event.theme not in themes - {theme.id}

    if trend.kind == THEME and head.kind == EVENT:
        return not own(head, trend)
    return trend.kind == EVENT and head.kind == THEME and own(trend, head)


def _news_of_its_own(event: TrendFacts, theme: TrendFacts) -> bool:
    """A flagged event with a name of its own about a name in the news all along
    ("Reprompt" about "Copilot attack")."""
    bare = theme.keywords[0].lower() if theme.keywords else theme.label.lower()
    return bool(theme.perennial and event.kind == EVENT and event.status in FLAGGED
                and not event.label.lower().startswith(bare))


def held_by(trend: Trend, shown: Iterable[Trend]) -> bool:
    """Another shown trend is about the same subject."""
    return any(same_subject(trend, other) for other in shown)


def same_subject(trend: TrendFacts, other: TrendFacts) -> bool:
    """One is the other's theme or event, one name holds the other ("Ivanti" and "Ivanti
    Connect Secure", "Chrome zero-day" named apart from "Chrome" and "Google Chrome"), or
    both are mainly about one vulnerability ("React2Shell" and "Next.js" through
    CVE-2025-55182, "MongoBleed" and "CVE-2025-14847"), or an event's stories name the
    theme ("Turla" and "Gamaredon" joining forces, "Akira" exploiting "SonicWall")."""
    if trend.theme == other.id or other.theme == trend.id or any(
            _nested(a, b) for a in _names(trend) for b in _names(other)):
        return True
    if _names_theme(trend, other) or _names_theme(other, trend):
        return True
    main = _main_cve(trend)
    return main is not None and main == _main_cve(other)


def _names(trend: TrendFacts) -> tuple[str, ...]:
    """Its label, and the bare name of a theme named apart: a name in the news all along
    ("Apple" of "Apple zero-day") or one named for what befell it ("FortiWeb" of
    "FortiWeb flaw")."""
    if trend.kind == THEME and trend.keywords and (
            trend.perennial or trend.label.lower().startswith(f"{trend.keywords[0].lower()} ")):
        return (trend.label, trend.keywords[0])
    return (trend.label,)


def _names_theme(event: TrendFacts, theme: TrendFacts) -> bool:
    """The theme's name is one of the names the event's headlines use."""
    return event.kind == EVENT and theme.kind == THEME and bool(
        {name.lower() for name in _names(theme)} & {k.lower() for k in event.keywords})


def _main_cve(trend: TrendFacts) -> str | None:
    """The trend's name if it is a CVE id, else the CVE its headlines name most."""
    return next((name.upper() for name in (trend.label, *trend.entities)
                 if CVE_ID.match(name.upper())), None)


def radar_selection(trends: Sequence[Trend], settings: Settings) -> list[Trend]:
    """The trends the radar picture shows, at most `radar_per_quadrant` per quadrant: every
    decided trend first, then themes and the events that are news on their own, by
    momentum: emerging and rising ones by score, then steady ones still much covered, most
    first. A subject already shown under another name ("Ivanti Connect Secure" beside
    "Ivanti", "Next.js" beside React2Shell, its CVE, an event beside its theme) is left
    out: the radar shows distinct subjects."""
    quadrants, per_quadrant = [q.name for q in settings.quadrants], settings.radar_per_quadrant
    flagged_themes = _represented(trends)
    ranked = sorted((t for t in trends if t.decided or _radar_worthy(t, flagged_themes)),
                    key=lambda t: (not t.decided, MOMENTUM_ORDER.get(t.status, 5),
                                   -(t.score if t.flagged else recent_stories(t)), t.id))
    shown: list[Trend] = []
    per: dict[str, int] = {}
    steady: dict[str, int] = {}
    for trend in ranked:
        quadrant = trend.quadrant if trend.quadrant in quadrants else quadrants[0]
        context = not trend.decided and not trend.flagged
        if per.get(quadrant, 0) >= per_quadrant or (
                context and steady.get(quadrant, 0) >= DRAWING.steady_per_quadrant):
            continue
        if not trend.decided and held_by(trend, shown):
            continue
        shown.append(trend)
        per[quadrant] = per.get(quadrant, 0) + 1
        steady[quadrant] = steady.get(quadrant, 0) + context
    return shown


def _represented(trends: Sequence[Trend]) -> set[str]:
    """Flagged themes that stand for their events on the radar. A name in the news all
    along does not when one of its flagged events has a name of its own: that event is
    what is new about it and is drawn instead ("npm" in a week that "Supply Chain" took
    off); one named after it ("GitHub leak" beside "GitHub breach") says no more."""
    themes = {t.id: t for t in trends if t.kind == THEME}
    own = {t.theme for t in trends if t.kind == EVENT and t.theme in themes
           and _news_of_its_own(t, themes[t.theme])}
    return {t.id for t in themes.values() if t.flagged and t.id not in own}


def _radar_worthy(trend: Trend, flagged_themes: set[str]) -> bool:
    """Themes growing now, or steady ones still much covered (never a name that is in the
    news all along); events that are news on their own: flagged while their theme is not
    (a new flaw of a steady vendor), or large ones without a theme."""
    if trend.state != "active":
        return False
    if trend.kind == THEME:
        if trend.perennial:
            return trend.id in flagged_themes
        return trend.flagged or (_young(trend) and recent_stories(trend) >= DRAWING.active_stories)
    if trend.theme in flagged_themes:
        return False   # listed under its theme, as its latest incident
    return trend.flagged or (trend.theme is None
                             and trend.source_count >= DRAWING.large_event_sources)


def _young(trend: Trend) -> bool:
    """First covered within DRAWING.young_days of the analysis."""
    age = _days_between(trend.first_seen, trend.updated_as_of or trend.last_seen)
    return age <= DRAWING.young_days


def recent_stories(trend: Trend, weeks: int = 4) -> int:
    """Stories in the trend's last `weeks` weeks of weekly counts."""
    return sum(count for _, count in trend.weekly_counts[-weeks:])


def _nested(label: str, other: str) -> bool:
    """One name's words appear, in order and together, in the other's, a zero written
    for an o read as the letter ("Cl0p" and "Clop")."""
    a, b = _spelled(label).split(), _spelled(other).split()
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return any(long_[i:i + len(short)] == short for i in range(len(long_) - len(short) + 1))


def _spelled(name: str) -> str:
    return LETTER_ZERO.sub("o", name.lower())


def this_weeks_events(trends: Iterable[Trend], recent_days: int) -> list[Trend]:
    """Events seen in the last `recent_days` of the analysis, flagged ones first."""
    events = [t for t in trends if t.kind == EVENT and t.updated_as_of and t.last_seen
              and _days_between(t.last_seen, t.updated_as_of) <= recent_days]
    return sorted(events, key=lambda t: (MOMENTUM_ORDER.get(t.status, 5), -t.score, t.id))


def _days_between(earlier: str, later: str) -> float:
    start, end = parse_iso_utc(earlier), parse_iso_utc(later)
    return (end - start).total_seconds() / 86400 if start and end else float("inf")
