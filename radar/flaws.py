"""Exploited flaws in our stack: CISA KEV entries for products we run, one flaw per CVE
with the products it hits and people's marks (patched, mitigated, not affected), and the
entries a trend names by vendor and product rather than by CVE id (pure, and `open_hits`
to read the store)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache

from radar.models import Flaw, KevEntry, KevMark, StackItem, Trend
from radar.policy import kev_mark_of
from radar.store import Store

BURST_DAYS = 28             # a KEV entry named by product belongs to the trend's last weeks
PRODUCT_HEADLINES, PRODUCT_SHARE = 2, 0.15   # headlines naming the product (as links)


def kev_by_product(trend: Trend, headlines: Sequence[str], kev: dict[str, KevEntry]
                   ) -> set[str]:
    """KEV entries the trend's headlines name by vendor and product (without the CVE id:
    "Ivanti Connect Secure zero-days under attack") and that CISA added during the trend's
    burst: its stories of the last BURST_DAYS."""
    if not headlines or not trend.last_seen:
        return set()
    end = trend.last_seen[:10]
    start = max(trend.first_seen[:10], _days_before(end, BURST_DAYS))
    lowered = [h.lower() for h in headlines]
    found = set()
    for cve, entry in kev.items():
        if not (_days_before(start, 2) <= entry.date_added <= _days_after(end, 7)):
            continue
        named = sum(any(_product_named(text, entry.vendor, product)
                        for product in _products(entry.product)) for text in lowered)
        if named >= PRODUCT_HEADLINES and named >= PRODUCT_SHARE * len(headlines):
            found.add(cve)
    return found


def _products(product: str) -> list[str]:
    """'NetScaler ADC and NetScaler Gateway' -> ['netscaler adc', 'netscaler gateway']."""
    return [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+|/", product.lower())
            if p.strip()]


def _product_named(text: str, vendor: str, product: str) -> bool:
    """The headline names the vendor (unless the product holds it) and every word of the
    product, as words."""
    words = [*words_of(product), *([] if vendor.lower() in product else words_of(vendor))]
    return bool(words) and all(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)
                               for w in words)


def _days_before(day: str, days: int) -> str:
    return (date.fromisoformat(day) - timedelta(days=days)).isoformat()


def _days_after(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def kev_hits_stack(entry: KevEntry, item: StackItem) -> bool:
    """A KEV entry is for a product we run: same vendor, and the product names overlap
    ('Connect Secure' in 'Connect Secure, Policy Secure, and ZTA Gateways')."""
    vendor, product = words_of(entry.vendor), words_of(entry.product)
    vendors = [words_of(v) for v in (item.vendor, item.cpe_vendor.replace("_", " ")) if v]
    products = [words_of(p) for p in (item.product, item.cpe_product.replace("_", " ")) if p]
    same_vendor = any(v and (v <= vendor or vendor <= v) for v in vendors)
    return same_vendor and any(p and (p <= product or product <= p) for p in products)


class StackByVendor:
    """The stack indexed by the words of its vendors: a KEV entry is compared only with
    the items sharing one of its vendor's words (with all when it names no vendor), as
    `kev_hits_stack` cannot match the others; thousands of items stay quick."""

    def __init__(self, stack: Sequence[StackItem]) -> None:
        self.stack = list(stack)
        self.by_word: dict[str, set[int]] = {}
        for number, item in enumerate(self.stack):
            for vendor in (item.vendor, item.cpe_vendor.replace("_", " ")):
                for word in words_of(vendor):
                    self.by_word.setdefault(word, set()).add(number)

    def positions_hit_by(self, entry: KevEntry) -> list[int]:
        """Where in the stack the items `entry` is for are, in stack order."""
        vendor = words_of(entry.vendor)
        numbers = sorted(set().union(*(self.by_word.get(w, ()) for w in vendor))) \
            if vendor else range(len(self.stack))
        return [n for n in numbers if kev_hits_stack(entry, self.stack[n])]

    def hit_by(self, entry: KevEntry) -> list[StackItem]:
        """The items `entry` is for, in stack order."""
        return [self.stack[n] for n in self.positions_hit_by(entry)]


def exposure(kev: dict[str, KevEntry], stack: Sequence[StackItem],
             marks: Sequence[KevMark] = ()) -> list[Flaw]:
    """The exploited flaws in products we run, one per CVE, latest due date first (the
    newest flaws); each product marked patched, mitigated or not affected is set apart
    with its mark, so a flaw marked on every product it hits is closed."""
    by_vendor, flaws = StackByVendor(stack), []
    for entry in kev.values():
        hit = by_vendor.hit_by(entry)
        if not hit:
            continue
        marked = [(item, kev_mark_of(marks, entry.cve, item.id)) for item in hit]
        flaws.append(Flaw(entry, tuple(item for item, mark in marked if mark is None),
                          tuple((item, mark) for item, mark in marked if mark is not None)))
    return sorted(flaws, key=lambda flaw: (flaw.entry.due_date, flaw.entry.cve), reverse=True)


def open_flaws(flaws: Iterable[Flaw]) -> list[Flaw]:
    """The flaws every count and list of exploited flaws in our stack is about."""
    return [flaw for flaw in flaws if flaw.open]


def load_flaws(store: Store) -> list[Flaw]:
    """Every exploited flaw in our stack as the store holds it, people's marks applied."""
    return exposure(store.load_kev(), store.load_stack(), store.load_kev_marks())


def open_hits(store: Store) -> list[tuple[KevEntry, StackItem]]:
    """(KEV entry, product of ours) for every open flaw and each product it is still open
    on: what alerts and the assistant tell about, marks respected."""
    return [(flaw.entry, item) for flaw in open_flaws(load_flaws(store))
            for item in flaw.items]


def flaws_line(flaws: Sequence[Flaw], today: str) -> str:
    """How every reader words the count: '83 exploited flaws (CVEs in CISA's KEV catalog)
    in products we run, 80 past CISA's due date; 2 closed (marked patched, mitigated or
    not affected)'."""
    still = open_flaws(flaws)
    closed = len(flaws) - len(still)
    noun = "exploited flaw (a CVE" if len(still) == 1 else "exploited flaws (CVEs"
    return (f"{len(still)} {noun} in CISA's KEV catalog) in products we run, "
            f"{sum(f.past_due(today) for f in still)} past CISA's due date"
            + (f"; {closed} closed (marked patched, mitigated or not affected)"
               if closed else ""))


@lru_cache(maxsize=65536)
def words_of(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[\w-]+", text.lower()))
