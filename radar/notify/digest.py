"""The weekly digest: what a CISO reads on Monday, as plain text and as HTML.

What it holds: the subjects newly flagged in the period (best first, at most the alert
budget, one per subject), those touching an initiative or our stack, the exploited flaws
in our stack (added to CISA's KEV in the period, due within a week, past due), the
decisions taken, and what changed on the radar since the last frozen edition. Every
trend links to its detail in the app. Building and rendering are pure; `load_digest` is
the one step that reads the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from html import escape
from urllib.parse import urlencode

from radar.config import Settings
from radar.flaws import load_flaws, open_flaws
from radar.links import Ties, load_ties
from radar.models import REJECTED, Flaw, Trend
from radar.notify.channels import Message
from radar.notify.watch import watch_marks
from radar.selection import distinct, radar_selection
from radar.share.snapshot import from_json
from radar.store import Store
from radar.text import plural

ALERT_BUDGET = 15          # subjects a digest lists: more is a list nobody reads
DUE_SOON = timedelta(days=7)
PAST_DUE_SHOWN = 3         # CVEs named per product among the past-due ones


def trend_url(app_url: str, trend_id: str) -> str:
    """The trend's detail in the app (the Radar view opens it from the URL)."""
    return f"{app_url.rstrip('/')}/?{urlencode({'view': 'Radar', 'trend': trend_id})}"


@dataclass(frozen=True)
class Item:
    """One trend as the digest and alerts show it."""

    trend_id: str
    label: str
    status: str
    sources: int
    why: str
    url: str
    flagged_on: str = ""
    touches: tuple[str, ...] = ()     # "initiative Zero trust", "stack item Fortinet FortiOS"
    watched: tuple[str, ...] = ()     # watchlist names
    note: str = ""                    # a decision: "adopt (was assess), by ana: why"


@dataclass
class Digest:
    start: date
    end: date
    subjects: list[Item] = field(default_factory=list)
    more_subjects: int = 0                    # newly flagged beyond the budget
    touching: list[Item] = field(default_factory=list)
    new_flaws: list[Flaw] = field(default_factory=list)
    due_soon: list[Flaw] = field(default_factory=list)
    past_due: list[Flaw] = field(default_factory=list)
    decisions: list[Item] = field(default_factory=list)   # each with the decision as note
    edition: str | None = None                # the last frozen edition's name
    changes: list[str] = field(default_factory=list)

    @property
    def quiet(self) -> bool:
        return not (self.subjects or self.new_flaws or self.due_soon or self.decisions)

    @property
    def title(self) -> str:
        if self.quiet:
            return f"Trend Radar digest to {self.end}: a quiet week"
        urgent = len(self.new_flaws) + len(self.due_soon)
        return (f"Trend Radar digest to {self.end}: "
                f"{plural(len(self.subjects) + self.more_subjects, 'subject')} newly flagged, "
                + (f"{plural(urgent, 'exploited flaw')} in our stack new or due this week"
                   if urgent else "no new exploited flaw in our stack"))


# --- building (pure) ---------------------------------------------------------------------------


def touches_of(ties: Iterable[Ties]) -> tuple[str, ...]:
    """What the trends of one subject touch, each named once (rejected links left out)."""
    ties = list(ties)
    return tuple(dict.fromkeys(
        [f"initiative {i.name}" for tie in ties for link, i in tie.initiatives
         if link.state != REJECTED]
        + [f"stack item {s.vendor} {s.product}".strip() for tie in ties
           for link, s in tie.stack if link.state != REJECTED]))


def newly_flagged(trends: Sequence[Trend], first_flagged: dict[str, str], start: date,
                  end: date) -> list[tuple[Trend, list[Trend]]]:
    """Listed trends first flagged in (start, end], best first, one per subject (with the
    others about it: the BRICKSTORM theme holds its event)."""
    fresh = [t for t in trends if t.id in first_flagged
             and start < date.fromisoformat(first_flagged[t.id][:10]) <= end]
    return distinct(sorted(fresh, key=lambda t: (-t.score, t.id)))


def radar_changes(edition_entries: dict[str, tuple[str, str]], now: Sequence[Trend]
                  ) -> list[str]:
    """What changed between an edition ({id: (label, ring)}) and the radar now."""
    current = {t.id: t for t in now}
    lines = [f"new on the radar: {t.label} ({t.shown_ring})" for t in now
             if t.id not in edition_entries]
    lines += [f"moved: {t.label} ({edition_entries[t.id][1]} → {t.shown_ring})" for t in now
              if t.id in edition_entries and edition_entries[t.id][1] != t.shown_ring]
    lines += [f"off the radar: {label}" for trend_id, (label, _) in edition_entries.items()
              if trend_id not in current]
    return lines


def build_digest(*, start: date, end: date, trends: Sequence[Trend],
                 first_flagged: dict[str, str], ties: dict[str, Ties],
                 watch: dict[str, list[str]], flaws: Sequence[Flaw],
                 decisions: dict[str, list[dict]], app_url: str,
                 edition: tuple[str, dict[str, tuple[str, str]]] | None = None,
                 on_radar: Sequence[Trend] = (), budget: int = ALERT_BUDGET) -> Digest:
    """The digest of the period (start, end], from what the store holds (pure); `flaws`:
    the exploited flaws in our stack, open ones counted."""
    digest = Digest(start=start, end=end)

    def item(trend: Trend, others: Sequence[Trend] = ()) -> Item:
        subject = (trend, *others)
        return Item(trend.id, trend.label, trend.status, trend.source_count, trend.why,
                    trend_url(app_url, trend.id), first_flagged.get(trend.id, "")[:10],
                    touches_of(ties[t.id] for t in subject if t.id in ties),
                    tuple(dict.fromkeys(w for t in subject for w in watch.get(t.id, ()))))

    fresh = [item(trend, others) for trend, others in
             newly_flagged(trends, first_flagged, start, end)]
    digest.subjects = fresh[:budget]
    digest.more_subjects = max(0, len(fresh) - budget)
    digest.touching = [i for i in fresh if i.touches][:budget]
    flaws = sorted(open_flaws(flaws), key=lambda f: (f.entry.date_added, f.cve), reverse=True)
    digest.new_flaws = [f for f in flaws if f.entry.date_added
                        and start < date.fromisoformat(f.entry.date_added) <= end]
    digest.due_soon = [f for f in flaws if f.entry.due_date and f not in digest.new_flaws
                       and end <= date.fromisoformat(f.entry.due_date) <= end + DUE_SOON]
    digest.past_due = [f for f in flaws if f.entry.due_date
                       and date.fromisoformat(f.entry.due_date) < end]
    by_id = {t.id: t for t in trends}
    for trend_id, entries in decisions.items():
        for d in entries:
            if trend_id in by_id and d.get("new") and start < date.fromisoformat(
                    d["at"][:10]) <= end:
                note = "" if d.get("internal") else (d.get("note") or "")
                what = f"{d['new']} (was {d['old'] or 'undecided'}), by {d['author']}" \
                    + (f": {note}" if note else "")
                digest.decisions.append(replace(item(by_id[trend_id]), note=what))
    if edition is not None:
        digest.edition = edition[0]
        digest.changes = radar_changes(edition[1], on_radar)
    return digest


# --- rendering (pure) ----------------------------------------------------------------------------


def _item_text(item: Item) -> str:
    extra = "".join(f"; touches {t}" for t in item.touches) \
        + "".join(f"; watchlist {w}" for w in item.watched)
    why = "".join(f"\n   {line}" for line in (item.note, item.why) if line)
    return (f"{item.label} ({item.status}, {plural(item.sources, 'site')}{extra}){why}"
            f"\n   {item.url}")


def _flaw_text(flaw: Flaw) -> str:
    entry = flaw.entry
    ransomware = ", used in ransomware" if entry.ransomware else ""
    return (f"{entry.cve} {flaw.products}: {entry.name} (added {entry.date_added}, "
            f"due {entry.due_date}{ransomware})")


def past_due_lines(flaws: Sequence[Flaw]) -> list[str]:
    """Past-due flaws per product: how many and the newest CVEs (a long list helps no
    one; `radar stack list` has them all)."""
    by_product: dict[str, list[Flaw]] = {}
    for flaw in flaws:
        by_product.setdefault(flaw.products, []).append(flaw)
    lines = []
    for product, found in sorted(by_product.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        newest = ", ".join(f.cve for f in found[:PAST_DUE_SHOWN])
        more = " …" if len(found) > PAST_DUE_SHOWN else ""
        lines.append(f"{product}: {len(found)} past due (newest {newest}{more})")
    return lines


def sections(digest: Digest) -> list[tuple[str, list[str], list[Item]]]:
    """(heading, text lines, trends) per section: the one order both renderings share."""
    found = []
    if digest.quiet:
        found.append(("A quiet week", ["Nothing newly flagged, no new exploited flaw in our "
                                       "stack, no decision taken."], []))
    if digest.subjects:
        more = f" (and {digest.more_subjects} more in the app)" if digest.more_subjects else ""
        found.append((f"Newly flagged, best first{more}", [], digest.subjects))
    if digest.touching:
        found.append(("Touching our roadmap or stack", [], digest.touching))
    flaws = ([f"New in CISA KEV: {_flaw_text(f)}" for f in digest.new_flaws]
             + [f"Due within 7 days: {_flaw_text(f)}" for f in digest.due_soon]
             + past_due_lines(digest.past_due))
    found.append(("Exploited flaws in our stack (CISA KEV)",
                  flaws or ["None known for the products we run."], []))
    if digest.decisions:
        found.append(("Decisions taken", [], digest.decisions))
    if digest.edition is not None:
        found.append((f"Since the last edition ({digest.edition})",
                      digest.changes or ["No change on the radar."], []))
    return found


def render_text(digest: Digest) -> str:
    out = [digest.title, f"Period: {digest.start} to {digest.end}", ""]
    for heading, lines, items in sections(digest):
        out.append(heading.upper())
        out += [f"- {line}" for line in lines]
        out += [f"{n}. {_item_text(item)}" for n, item in enumerate(items, 1)]
        out.append("")
    return "\n".join(out)


def _item_html(item: Item) -> str:
    """A trend with its link; the address is written out too, so the plain-text part
    mail readers derive from the HTML keeps it."""
    extra = "".join(f" · touches {escape(t)}" for t in item.touches) \
        + "".join(f" · watchlist <b>{escape(w)}</b>" for w in item.watched)
    why = "".join(f"<br>{escape(line)}" for line in (item.note, item.why) if line)
    url = escape(item.url, quote=True)
    return (f'<li><a href="{url}"><b>{escape(item.label)}</b></a> '
            f"({escape(item.status)}, {plural(item.sources, 'site')}){extra}{why}"
            f'<br><small><a href="{url}">{escape(item.url)}</a></small></li>')


def render_html(digest: Digest) -> str:
    """The digest as an e-mail body: every name and headline escaped."""
    parts = [f"<h2>{escape(digest.title)}</h2>",
             f"<p>Period: {digest.start} to {digest.end}</p>"]
    for heading, lines, items in sections(digest):
        parts.append(f"<h3>{escape(heading)}</h3>")
        if lines:
            parts.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines)
                         + "</ul>")
        if items:
            parts.append("<ol>" + "".join(map(_item_html, items)) + "</ol>")
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def digest_message(digest: Digest) -> Message:
    return Message(digest.title, render_text(digest), render_html(digest))


# --- reading the store ---------------------------------------------------------------------------


def load_digest(store: Store, settings: Settings, *, end: date, period: timedelta,
                app_url: str) -> Digest:
    """The digest of the `period` up to `end`, from the store."""
    trends = store.load_trends()
    editions = store.list_snapshots()
    edition = None
    if editions:
        frozen = from_json(store.load_snapshot_payload(editions[0]["id"]))
        edition = (frozen.name, {e.id: (e.label, e.ring) for e in frozen.entries})
    return build_digest(
        start=end - period, end=end, trends=trends,
        first_flagged=store.first_flagged(), ties=load_ties(store),
        watch=watch_marks(trends, store.load_watchlists()),
        flaws=load_flaws(store),
        decisions=store.load_decisions(), app_url=app_url, edition=edition,
        on_radar=radar_selection(trends, settings))

