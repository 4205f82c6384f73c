"""Act-now alerts: which are due (pure), and one grouped message for a burst of them.

Three things are worth interrupting a CISO for: an exploited flaw (CISA KEV) in a product
we run that is new or still within CISA's deadline; a trend touching our stack or an
initiative that became emerging; a flagged trend matching a watchlist. Each alert has a
key made of stable things (the CVE and the stack item; the trend id; the watchlist and
the trend id), and a trend's alert counts as sent when it was sent for a trend merged
into it or the trend it split from, so merges and splits do not send it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from radar.links import Ties
from radar.models import EMERGING, KevEntry, StackItem, Trend
from radar.notify.channels import Message
from radar.notify.digest import trend_url

KEV, EMERGED, WATCH = "kev", "emerging", "watch"
KEV_RECENT = timedelta(days=7)       # a KEV entry this new is news even when past due
HEADINGS = {KEV: "Exploited flaws in our stack (CISA KEV)",
            EMERGED: "Emerging, touching our stack or roadmap",
            WATCH: "Watchlist matches"}


@dataclass(frozen=True)
class Alert:
    key: str
    kind: str
    text: str
    url: str = ""
    same_as: tuple[str, ...] = ()    # keys of the same alert under a trend's earlier ids

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, *self.same_as)


def _earlier_ids(trend: Trend) -> tuple[str, ...]:
    """Ids this trend continues: trends merged into it and the one it split from."""
    return tuple(dict.fromkeys((*trend.aliases, *((trend.parent_id,) if trend.parent_id
                                                  else ()))))


def kev_alerts(hits: Sequence[tuple[KevEntry, StackItem]], as_of: date) -> list[Alert]:
    """KEV entries for our stack added lately or not yet past CISA's due date."""
    alerts = []
    for entry, item in hits:
        added = date.fromisoformat(entry.date_added) if entry.date_added else None
        due = date.fromisoformat(entry.due_date) if entry.due_date else None
        if (added and as_of - KEV_RECENT <= added <= as_of) or (due and due >= as_of):
            ransomware = ", used in ransomware" if entry.ransomware else ""
            alerts.append(Alert(
                f"{KEV}:{entry.cve}:{item.id}", KEV,
                f"{entry.cve} in {item.vendor} {item.product} is being exploited "
                f"({entry.name}; added {entry.date_added}, due {entry.due_date}{ransomware})"))
    return alerts


def trend_alerts(trends: Iterable[Trend], ties: dict[str, Ties],
                 watch: dict[str, list[str]], app_url: str) -> list[Alert]:
    """Emerging trends touching our stack or roadmap; flagged trends on a watchlist."""
    alerts = []
    for trend in sorted(trends, key=lambda t: (-t.score, t.id)):
        earlier, url = _earlier_ids(trend), trend_url(app_url, trend.id)
        tie = ties.get(trend.id)
        if trend.status == EMERGING and tie and (tie.touches_stack or tie.touches_roadmap):
            what = [f"initiative {i.name}" for _, i in tie.initiatives] \
                + [f"{s.vendor} {s.product}" for _, s in tie.stack]
            alerts.append(Alert(f"{EMERGED}:{trend.id}", EMERGED,
                                f"{trend.label} is emerging and touches {', '.join(what)}",
                                url, tuple(f"{EMERGED}:{e}" for e in earlier)))
        if trend.flagged:
            for name in watch.get(trend.id, ()):
                alerts.append(Alert(f"{WATCH}:{name}:{trend.id}", WATCH,
                                    f"{trend.label} ({trend.status}) matches watchlist {name}",
                                    url, tuple(f"{WATCH}:{name}:{e}" for e in earlier)))
    return alerts


def pending(alerts: Iterable[Alert], delivered: set[str]) -> list[Alert]:
    """The alerts not yet delivered to a channel (under any of their keys)."""
    return [a for a in alerts if not delivered.intersection(a.keys)]


def alert_message(alerts: Sequence[Alert]) -> Message:
    """A burst of alerts as one message, grouped by kind."""
    title = (f"Trend Radar: {alerts[0].text}" if len(alerts) == 1
             else f"Trend Radar: {len(alerts)} alerts")
    text, html = [], []
    for kind, heading in HEADINGS.items():
        mine = [a for a in alerts if a.kind == kind]
        if not mine:
            continue
        text += [heading.upper(), *(f"- {a.text}" + (f"\n  {a.url}" if a.url else "")
                                    for a in mine), ""]
        html.append(f"<h3>{escape(heading)}</h3><ul>" + "".join(
            f"<li>{escape(a.text)}" + (f'<br><a href="{escape(a.url, quote=True)}">'
                                       f"{escape(a.url)}</a>" if a.url else "") + "</li>"
            for a in mine) + "</ul>")
    return Message(title, "\n".join(text).strip() + "\n",
                   "<html><body>" + "".join(html) + "</body></html>")
