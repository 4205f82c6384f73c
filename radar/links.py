"""Which trends touch the CIO's roadmap and our stack, and which name flaws being exploited.

A trend touches an initiative or a stack item when it is named after one of its terms
(its label or keywords: the phrases its headlines use), or when enough of its headlines
name one: at least two, and 15 % of them (5 % when the trend is named after the
product's vendor), so a theme that mentions our product twice in 300 headlines does not
count. A term that is also an everyday word ("Go", "Outlook", "Exchange") is only
trusted in the trend's own name and keywords, never in running headline text; a product
with an everyday name is looked for with its vendor ("Microsoft Exchange"). CVE ids in a
trend's headlines are looked up in CISA's KEV catalog; KEV entries for a product we run
that a tenth of its headlines name (or its keywords) make the trend one to act on now.

Matching is pure; `update_links` is the one step that reads and writes the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from radar.config import Settings
from radar.flaws import StackByVendor, kev_by_product
from radar.models import (
    CONFIRMED,
    INITIATIVE,
    REJECTED,
    STACK,
    Initiative,
    KevEntry,
    KevMark,
    Link,
    StackItem,
    Trend,
)
from radar.policy import kev_mark_of, suggest_ring
from radar.store import Store
from radar.text import CVE_IN_TEXT, term_pattern
from radar.thresholds import THRESHOLDS

LINKS = THRESHOLDS.links
WORD_RUN = re.compile(r"\w+")


@dataclass(frozen=True)
class Target:
    """An initiative or stack item as matching sees it: what it is and the words for it."""

    kind: str
    id: str
    name: str                     # how reasons name it ("stack item Fortinet FortiOS")
    terms: tuple[str, ...]        # trusted in headlines
    names: tuple[str, ...]        # trusted only in the trend's own name and keywords
    vendor: str = ""              # a stack item's vendor


@lru_cache(maxsize=65536)
def is_everyday(phrase: str) -> bool:
    """'Go', 'Outlook', 'zero-day' are words anyone uses; 'FortiOS', 'zero trust' are not."""
    from wordfreq import zipf_frequency  # here: readers of links (exports, the app) never ask

    limit = LINKS.everyday_phrase_zipf if len(phrase.split()) > 1 else LINKS.everyday_zipf
    return zipf_frequency(phrase, "en") >= limit


def initiative_target(initiative: Initiative) -> Target:
    words = [w for w in initiative.keywords if w.strip()]
    return Target(INITIATIVE, initiative.id, f"initiative {initiative.name}",
                  terms=tuple(w for w in words if not is_everyday(w)), names=tuple(words))


def stack_target(item: StackItem) -> Target:
    """Terms for a product: its name when distinctive, else with its vendor in front."""
    products = dict.fromkeys(p for p in (item.product, item.cpe_product.replace("_", " "))
                             if p)
    terms, names = [], []
    for product in products:
        names.append(product)
        if item.vendor and not product.lower().startswith(item.vendor.lower()):
            terms.append(f"{item.vendor} {product}")
        if not is_everyday(product):
            terms.append(product)
    label = " ".join(dict.fromkeys(filter(None, (item.vendor, item.product))))
    return Target(STACK, item.id, f"stack item {label}", terms=tuple(dict.fromkeys(terms)),
                  names=tuple(names), vendor=item.vendor)


def find_links(trend: Trend, headlines: Sequence[str], targets: Iterable[Target]
               ) -> list[Link]:
    """The targets this trend touches, each with its reason and a score in 0..1."""
    own = [trend.label, *trend.keywords]   # entities: names any one article mentions
    links = []
    for target in targets:
        named = next((name for name in target.names
                      if any(_names(text, name) for text in own)), None)
        if named:
            links.append(Link(trend.id, target.kind, target.id,
                              f"the trend is named after {named!r}; {target.name}", 1.0))
            continue
        if not target.terms or not headlines:
            continue
        pattern = term_pattern(target.terms)
        hits = [h for h in headlines if pattern.search(h.lower())]
        share = len(hits) / len(headlines)
        about_vendor = target.vendor and any(_names(text, target.vendor) for text in own)
        if len(hits) >= LINKS.min_headlines and share >= (LINKS.vendor_share if about_vendor
                                                          else LINKS.min_share):
            term = max(target.terms, key=lambda t: sum(t.lower() in h.lower() for h in hits))
            links.append(Link(trend.id, target.kind, target.id,
                              f"{len(hits)} of {len(headlines)} headlines name {term}; "
                              f"{target.name}", round(min(1.0, 0.5 + share), 3)))
    return links


def _names(text: str, name: str) -> bool:
    """The trend's own text uses `name` as a word, in the case it was written (so the
    verb 'go' is not the language 'Go'), or is it, in any case."""
    if text.casefold() == name.casefold():
        return True
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def cves_in(texts: Iterable[str]) -> set[str]:
    return {cve.upper() for text in texts for cve in CVE_IN_TEXT.findall(text)}


def _substantial(cves: list[str], headlines: Sequence[str], keywords: Sequence[str]) -> bool:
    """The flaws are what the trend is about, not one advisory among a government
    agency's two hundred: a keyword, or a tenth of its headlines."""
    if cves_in(keywords) & set(cves):
        return True
    naming = sum(bool(cves_in([h]) & set(cves)) for h in headlines)
    return bool(headlines) and naming / len(headlines) >= LINKS.min_share


@dataclass(frozen=True)
class Findings:
    """Everything matching found for the trends: links and KEV entries per trend."""

    links: list[Link]
    kev: dict[str, list[tuple[str, str | None]]]   # trend id -> [(cve, stack item id)]


def match_all(trends: Sequence[Trend], headlines: dict[str, list[str]],
              initiatives: Sequence[Initiative], stack: Sequence[StackItem],
              kev: dict[str, KevEntry]) -> Findings:
    """Links and KEV entries for every trend (pure)."""
    targets = [initiative_target(i) for i in initiatives if not i.archived] \
        + [stack_target(item) for item in stack]
    names = PhraseIndex((n, name) for n, target in enumerate(targets) for name in target.names)
    terms = PhraseIndex((n, term.lower()) for n, target in enumerate(targets)
                        for term in target.terms)
    by_vendor = StackByVendor(stack)
    hits_of: dict[str, set[int]] = {}   # KEV entry -> positions of the stack items it is for
    links, kev_of = [], {}
    for trend in trends:
        titles = headlines.get(trend.id, [])
        candidates = names.found_in([trend.label, *trend.keywords], casefold=True)
        if titles:
            candidates |= terms.found_in([title.lower() for title in titles])
        found = {(link.kind, link.target_id): link for link in
                 find_links(trend, titles, [targets[n] for n in sorted(candidates)])}
        by_product = kev_by_product(trend, titles, kev)
        entries = sorted((cves_in([*titles, *trend.keywords]) & kev.keys()) | by_product)
        for cve in entries:
            if cve not in hits_of:
                hits_of[cve] = set(by_vendor.positions_hit_by(kev[cve]))
        on_stack = {}
        for n in sorted(set().union(*(hits_of[cve] for cve in entries))):
            item = stack[n]
            hit = [cve for cve in entries if n in hits_of[cve]]
            if by_product.issuperset(hit) or _substantial(hit, titles, trend.keywords):
                on_stack.update(dict.fromkeys(hit, item.id))
                found.setdefault((STACK, item.id), Link(
                    trend.id, STACK, item.id, f"{', '.join(hit)} (exploited, in CISA KEV) "
                    f"affects {kev[hit[0]].vendor} {kev[hit[0]].product}; stack item "
                    f"{item.vendor} {item.product}", 1.0))
        if entries:
            kev_of[trend.id] = [(cve, on_stack.get(cve)) for cve in entries]
        links += found.values()
    return Findings(links=links, kev=kev_of)


class PhraseIndex:
    """Which of many phrases can occur as whole words in some texts, found without
    searching for each: a phrase matched with word boundaries around it has each of its
    word runs (`\\w+`) among the texts' word runs, so only phrases whose runs are all
    there are candidates. Matching then checks the candidates exactly, as before."""

    def __init__(self, phrases: Iterable[tuple[int, str]]) -> None:
        self.by_first: dict[str, list[tuple[int, frozenset[str]]]] = {}
        self.by_folded: dict[str, set[int]] = {}
        self.always: set[int] = set()   # phrases without a word character
        for owner, phrase in phrases:
            runs = WORD_RUN.findall(phrase)
            if runs:
                self.by_first.setdefault(runs[0], []).append((owner, frozenset(runs)))
            else:
                self.always.add(owner)
            self.by_folded.setdefault(phrase.casefold(), set()).add(owner)

    def found_in(self, texts: Iterable[str], *, casefold: bool = False) -> set[int]:
        """Owners of the phrases that may occur in `texts` (or, with `casefold`, that
        are one of them in any case)."""
        texts = list(texts)
        runs = {run for text in texts for run in WORD_RUN.findall(text)}
        found = set(self.always)
        for run in runs:
            for owner, needed in self.by_first.get(run, ()):
                if needed <= runs:
                    found.add(owner)
        for text in texts if casefold else ():
            found |= self.by_folded.get(text.casefold(), set())
        return found


@dataclass(frozen=True)
class Ties:
    """What ties one trend to the organisation, as readers show it."""

    initiatives: tuple[tuple[Link, Initiative], ...] = ()
    stack: tuple[tuple[Link, StackItem], ...] = ()
    kev: tuple[tuple[KevEntry, StackItem | None], ...] = ()
    marks: tuple[KevMark, ...] = ()   # people's word on the flaws it names in our stack

    @property
    def act_now(self) -> bool:
        """A flaw being exploited in a product we run is named by this trend, and nobody
        has marked it patched, mitigated or not affected there."""
        return bool(self.open_in_stack)

    def mark_of(self, entry: KevEntry, item: StackItem | None) -> KevMark | None:
        """The mark in force for a flaw it names on one of our products (None: open)."""
        return kev_mark_of(self.marks, entry.cve, item.id) if item is not None else None

    @property
    def open_in_stack(self) -> list[tuple[KevEntry, StackItem]]:
        return [(entry, item) for entry, item in self.kev
                if item is not None and self.mark_of(entry, item) is None]

    @property
    def closed_in_stack(self) -> list[tuple[KevEntry, StackItem, KevMark]]:
        return [(entry, item, mark) for entry, item in self.kev
                if (mark := self.mark_of(entry, item)) is not None]

    @property
    def touches_roadmap(self) -> bool:
        return any(link.state != REJECTED for link, _ in self.initiatives)

    @property
    def touches_stack(self) -> bool:
        return any(link.state != REJECTED for link, _ in self.stack)


def load_ties(store: Store) -> dict[str, Ties]:
    """Every trend's links (with people's states), initiatives, stack items and KEV."""
    initiatives = {i.id: i for i in store.load_initiatives(include_archived=True)}
    stack = {item.id: item for item in store.load_stack()}
    kev = store.load_trend_kev()
    links = store.load_links()
    marks = store.load_kev_marks()
    ties = {}
    for trend_id in sorted(set(links) | set(kev)):   # sorted: the same order every run
        found = links.get(trend_id, [])
        ties[trend_id] = Ties(
            initiatives=tuple((link, initiatives[link.target_id]) for link in found
                              if link.kind == INITIATIVE and link.target_id in initiatives
                              and not initiatives[link.target_id].archived),
            stack=tuple((link, stack[link.target_id]) for link in found
                        if link.kind == STACK and link.target_id in stack),
            kev=tuple((entry, stack.get(item_id or "")) for entry, item_id in
                      kev.get(trend_id, ())),
            marks=tuple(m for m in marks if m.cve in {e.cve for e, _ in kev.get(trend_id, ())}))
    return ties


def trends_by_initiative(ties: dict[str, Ties]) -> dict[str, list[str]]:
    """Per initiative id, the ids of the trends touching it (rejected links left out)."""
    touching: dict[str, list[str]] = {}
    for trend_id, tie in ties.items():
        for link, initiative in tie.initiatives:
            if link.state != REJECTED:
                touching.setdefault(initiative.id, []).append(trend_id)
    return touching


def update_links(store: Store, settings: Settings) -> Findings:
    """Match every trend against the roadmap, the stack and KEV, and store what is found
    and the rings it backs (after each analysis, and whenever the roadmap, stack, catalog
    or a person's word on a link changes)."""
    initiatives, stack, kev = store.load_initiatives(), store.load_stack(), store.load_kev()
    trends = store.load_trends()
    if not (initiatives or stack or kev):
        findings = Findings(links=[], kev={})
    else:
        articles = store.load_articles_of_trends([t.id for t in trends])
        headlines = {trend_id: [a["title"] for a in rows] for trend_id, rows in articles.items()}
        findings = match_all(trends, headlines, initiatives, stack, kev)
    store.save_links(findings.links, findings.kev)
    ties = load_ties(store)
    store.save_suggested_rings({
        t.id: ring for t in trends
        if (ring := suggested_ring(t, ties.get(t.id, Ties()), settings)) != t.suggested_ring})
    return findings


def suggested_ring(trend: Trend, ties: Ties, settings: Settings) -> str:
    """The ring the evidence backs: the inner one ("act now") only for a threat that
    exploits a product we run or that a person tied to our stack; in the other quadrants
    only a person adopts. The threats are the first quadrant."""
    evidence = trend.quadrant == settings.quadrants[0].name and (
        ties.act_now or any(link.state == CONFIRMED for link, _ in ties.stack))
    return suggest_ring(trend.status, rings=settings.rings, evidence=evidence)
