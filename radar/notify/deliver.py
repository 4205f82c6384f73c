"""Sending: alerts not yet delivered, the digest, a test message; every attempt logged.

The one place that combines the store with the channels. A channel that fails is
reported by name and logged; its alerts are not marked delivered, so the next run tries
again, and the other channels are served all the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from radar.flaws import open_hits
from radar.links import load_ties
from radar.notify.alerts import alert_message, kev_alerts, pending, trend_alerts
from radar.notify.channels import Channel, Message, deliver
from radar.notify.watch import watch_marks
from radar.store import Store
from radar.text import now_iso

DIGEST, ALERTS, TEST = "digest", "alerts", "test"


@dataclass(frozen=True)
class Outcome:
    """What one channel got: how many alerts (or one digest), or why it failed."""

    channel: str
    sent: int
    error: str | None = None

    @property
    def line(self) -> str:
        if self.error:
            return f"channel {self.channel}: not delivered ({self.error}); tried again next run"
        return f"channel {self.channel}: " + (f"{self.sent} delivered" if self.sent
                                               else "nothing new to send")


def radar_day(store: Store) -> date:
    """The day alerts are judged on: the latest analysis's, so replayed history works."""
    last = store.last_analysis()
    return date.fromisoformat(last["as_of"][:10]) if last else date.today()


def send_alerts(store: Store, channels: Sequence[Channel], *, app_url: str,
                as_of: date | None = None) -> list[Outcome]:
    """Each channel gets the alerts it has not had yet, grouped into one message."""
    trends = store.load_trends()
    day = as_of or radar_day(store)
    alerts = kev_alerts(open_hits(store), day) \
        + trend_alerts(trends, load_ties(store), watch_marks(trends, store.load_watchlists()),
                       app_url)
    outcomes = []
    for channel in channels:
        due = pending(alerts, store.delivered_keys(channel.key))
        if not due:
            outcomes.append(Outcome(channel.name, 0))
            continue
        outcomes.append(_send(store, channel, alert_message(due), ALERTS,
                              [a.key for a in due]))
    return outcomes


def send_message(store: Store, channels: Sequence[Channel], message: Message, *,
                 kind: str) -> list[Outcome]:
    """One message (a digest, a test) to every channel, each attempt logged."""
    return [_send(store, channel, message, kind, []) for channel in channels]


def _send(store: Store, channel: Channel, message: Message, kind: str, keys: list[str]
          ) -> Outcome:
    error = deliver(channel, message)
    store.record_delivery(channel.key, shown=channel.name, kind=kind, title=message.title,
                          keys=keys, ok=error is None, error=error or "", at=now_iso())
    return Outcome(channel.name, max(len(keys), 1) if error is None else 0, error)
