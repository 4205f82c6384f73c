"""The results of the trend watch in measurable terms: how early we knew, what we decided
and how fast, what it covered. Computed from what the store holds (pure functions, and
`measure` to read it); replayed history (`radar backtest --keep`) is marked as such.

- Lead time: a trend's first flag (emerging or rising) against the day its coverage
  took off (its week held three stories and three times its weekly average of the eight
  weeks before), the day it peaked (within four weeks of the flag) and the day it
  reached N sources, themes apart from events; for trends
  naming KEV CVEs, against the day CISA added them. A trend whose articles up to its
  first flag were all back-filled was not seen early, and one flagged by the very first
  analysis was flagged before the radar looked: both are left out.
- Decisions: per month and ring, days from first flag to the first decision, and the
  triage backlog (flagged 14 days ago or more, still undecided) over time.
- Roadmap, exposure, coverage: initiatives with an assessed trend, trends touching the
  roadmap with no decision, KEV entries for products we run, articles and sources a week.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from radar.flaws import exposure, flaws_line, open_flaws
from radar.leadtimes import LeadTime, first_flags, lead_time
from radar.links import load_ties, trends_by_initiative
from radar.store import Store
from radar.text import plural

BACKLOG_GRACE = timedelta(days=14)


@dataclass
class Results:
    start: date
    end: date
    lead_times: list[LeadTime] = field(default_factory=list)
    decisions_by_month: dict[str, dict[str, int]] = field(default_factory=dict)
    days_to_decision: list[tuple[str, str, int]] = field(default_factory=list)
    backlog: list[tuple[date, int]] = field(default_factory=list)
    roadmap: dict = field(default_factory=dict)
    exposure: dict = field(default_factory=dict)
    coverage: list[dict] = field(default_factory=list)
    # The trends behind the charts: decided per month and ring, and what the backlog
    # holds on a day (each flagged trend's first flag and first decision).
    decided: dict[str, dict[str, list[tuple[str, str]]]] = field(default_factory=dict)
    flagged_on: dict[str, date] = field(default_factory=dict, repr=False)
    decided_on: dict[str, date] = field(default_factory=dict, repr=False)
    labels: dict[str, str] = field(default_factory=dict, repr=False)
    # Decisions taken after the period on trends it flagged (all of them, for a replay).
    decided_later: list[tuple[str, str, str, date]] = field(default_factory=list)

    def waiting_on(self, day: date) -> list[tuple[str, str]]:
        """(trend id, label) of the backlog on a day: the trends behind its point."""
        return sorted(((t, self.labels.get(t, t))
                       for t in waiting(self.flagged_on, self.decided_on, day)),
                      key=lambda pair: pair[1])

    @property
    def open_at_end(self) -> list[tuple[str, date]]:
        """(label, first flagged) of the backlog on the period's last day."""
        return sorted((label, self.flagged_on[t]) for t, label in self.waiting_on(self.end))

    @property
    def median_lead(self) -> float | None:
        return _median(self.leads)

    @property
    def leads(self) -> list[int]:
        """The lead times that could be measured (a peak near the flag)."""
        return [lt.lead_days for lt in self.lead_times if lt.lead_days is not None]

    def median_lead_of(self, kind: str) -> float | None:
        """Median days of warning before the peak, for themes or for events."""
        return _median([lt.lead_days for lt in self.lead_times
                        if lt.kind == kind and lt.lead_days is not None])

    def median_takeoff_lag_of(self, kind: str) -> float | None:
        """Median days from the take-off to the first flag, for themes or for events."""
        return _median([lt.takeoff_lag_days for lt in self.lead_times
                        if lt.kind == kind and lt.takeoff_lag_days is not None])

    def earliness(self, kind: str) -> str:
        """'12 themes, on median 2 days after their coverage took off and 9 days before it
        peaked' (what a flag was worth, in days)."""
        flagged = [lt for lt in self.lead_times if lt.kind == kind]
        text = plural(len(flagged), kind)
        lag, lead = self.median_takeoff_lag_of(kind), self.median_lead_of(kind)
        said = []
        if lag is not None:
            said.append(f"{before_after(-lag)} their coverage took off")
        if lead is not None:
            said.append(f"{before_after(lead)} it peaked")
        return f"{text}, on median " + " and ".join(said) if said else text

    @property
    def median_days_to_decision(self) -> float | None:
        return _median([days for _, _, days in self.days_to_decision])

    @property
    def p90_days_to_decision(self) -> float | None:
        return _percentile([days for _, _, days in self.days_to_decision], 90)

    @property
    def replayed(self) -> bool:
        return any(lt.replayed for lt in self.lead_times)

    def summary(self) -> str:
        """The report's first sentence: every number in it is listed in the report."""
        parts = [f"We flagged {self.earliness('theme')}; {self.earliness('event')}"]
        decided = len(self.days_to_decision)
        parts.append(f"{decided} decided" + (
            f", median {days(self.median_days_to_decision)} after the first flag"
            if decided else "") + (
            f" in the period, {len({t for t, *_ in self.decided_later})} more after it"
            if self.decided_later else ""))
        if self.roadmap.get("initiatives"):
            parts.append(f"{self.roadmap['assessed']} of "
                         f"{plural(self.roadmap['initiatives'], 'initiative')} assessed")
        if self.exposure.get("entries") is not None:
            parts.append(f"{plural(len(self.exposure['entries']), 'exploited flaw')} in our "
                         f"stack ({self.exposure['past_due']} past due)")
        return "; ".join(parts) + "."

    def to_json(self) -> dict:
        """The shape of `radar metrics --json`."""
        return {
            "from": self.start.isoformat(), "to": self.end.isoformat(),
            "replayed": self.replayed,
            "lead_times": [{
                "trend_id": lt.trend_id, "label": lt.label,
                "first_flagged": lt.first_flagged.isoformat(),
                "peak_day": _iso(lt.peak_day),
                "reached_sources_day": _iso(lt.reached_sources_day),
                "lead_days": lt.lead_days, "sources_lead_days": lt.sources_lead_days,
                "kev_date_added": _iso(lt.kev_date_added), "kev_lead_days": lt.kev_lead_days,
                "kind": lt.kind, "takeoff_day": _iso(lt.takeoff_day),
                "takeoff_lag_days": lt.takeoff_lag_days,
                "replayed": lt.replayed} for lt in self.lead_times],
            "median_lead_days": self.median_lead,
            "by_kind": {kind: {"median_lead_days": self.median_lead_of(kind),
                               "median_takeoff_lag_days": self.median_takeoff_lag_of(kind)}
                        for kind in ("theme", "event")},
            "decisions": {"by_month": self.decisions_by_month,
                          "median_days_to_decision": self.median_days_to_decision,
                          "p90_days_to_decision": self.p90_days_to_decision,
                          "decided": [{"trend_id": t, "label": label, "days": days}
                                      for t, label, days in self.days_to_decision]},
            "decided_after_period": [
                {"trend_id": t, "label": label, "ring": ring, "date": day.isoformat()}
                for t, label, ring, day in self.decided_later],
            "backlog": [{"date": day.isoformat(), "open": n} for day, n in self.backlog],
            "open_at_end": [{"label": label, "first_flagged": day.isoformat()}
                            for label, day in self.open_at_end],
            "roadmap": self.roadmap, "exposure": self.exposure, "coverage": self.coverage,
        }


# --- measures (pure) ----------------------------------------------------------------------------


def first_decisions(decisions: Iterable[tuple[str, str | None, str]]) -> dict[str, date]:
    """Each trend's first decided day (withdrawals are not decisions)."""
    first: dict[str, date] = {}
    for trend_id, ring, at in decisions:
        if ring is not None:
            first.setdefault(trend_id, date.fromisoformat(at[:10]))
    return first


def decided_in(decisions: Iterable[tuple[str, str | None, str]], labels: dict[str, str],
               start: date, end: date) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """The period's decisions by month and ring: (trend id, label) each, in order."""
    by_month: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(dict)
    for trend_id, ring, at in decisions:
        if ring is not None and start <= date.fromisoformat(at[:10]) <= end:
            by_month[at[:7]].setdefault(ring, []).append((trend_id,
                                                          labels.get(trend_id, trend_id)))
    return dict(sorted(by_month.items()))


def decision_measures(decisions: Iterable[tuple[str, str | None, str]],
                      flagged: dict[str, date], labels: dict[str, str], start: date,
                      end: date) -> tuple[dict[str, dict[str, int]], list[tuple[str, str, int]]]:
    """Decisions per month and ring in the period, and days from first flag to each
    trend's first decision in it."""
    decisions = list(decisions)
    by_month = {month: {ring: len(trends) for ring, trends in rings.items()}
                for month, rings in decided_in(decisions, labels, start, end).items()}
    in_period = first_decisions(d for d in decisions
                                if start <= date.fromisoformat(d[2][:10]) <= end)
    waited = [(trend_id, labels.get(trend_id, trend_id), (day - flagged[trend_id]).days)
              for trend_id, day in in_period.items()
              if trend_id in flagged and flagged[trend_id] <= day]
    return by_month, sorted(waited, key=lambda row: row[2])


def waiting(flagged: dict[str, date], decided: dict[str, date], day: date,
            grace: timedelta = BACKLOG_GRACE) -> list[str]:
    """The trends flagged at least `grace` before `day` and not decided by then."""
    return [trend_id for trend_id, first in flagged.items()
            if first <= day - grace and not (trend_id in decided and decided[trend_id] <= day)]


def backlog(flagged: dict[str, date], decisions: Iterable[tuple[str, str | None, str]],
            days: Iterable[date], grace: timedelta = BACKLOG_GRACE) -> list[tuple[date, int]]:
    """On each day, the trends flagged at least `grace` before and not yet decided."""
    decided = first_decisions(decisions)
    return [(day, len(waiting(flagged, decided, day, grace))) for day in days]


def own_names(trends: Iterable) -> dict[str, str]:
    """Every trend's name in the lists behind the figures, each its own: a label several
    trends share ("FortiBleed", a theme and two of its events over the year) gets the
    kind and id ("FortiBleed (event T1a2b3c4d)"), so no two rows read the same."""
    trends = list(trends)
    shared = Counter(t.label for t in trends)
    return {t.id: t.label if shared[t.label] == 1 else f"{t.label} ({t.kind} {t.id})"
            for t in trends}


def decided_after(decisions: Iterable[tuple[str, str | None, str]], flagged: dict[str, date],
                  labels: dict[str, str], start: date, end: date
                  ) -> list[tuple[str, str, str, date]]:
    """(trend id, label, ring, day) of decisions taken after the period on trends it
    flagged: decisions are dated when people take them, so a replayed period (a quarter of
    2024 replayed today) holds none, and its trends' decisions come after it."""
    return [(trend_id, labels.get(trend_id, trend_id), ring, day)
            for trend_id, ring, at in decisions
            if ring is not None and (day := date.fromisoformat(at[:10])) > end
            and trend_id in flagged and start <= flagged[trend_id] <= end]


# --- reading the store -----------------------------------------------------------------------


def measure(store: Store, *, start: date, end: date) -> Results:
    """Every measure for the period [start, end] from what the store holds."""
    trends = {t.id: t for t in store.load_trends(include_hidden=True)}
    labels = own_names(trends.values())
    flags = first_flags(store.load_flags())
    # Flagged by the very first analysis, a trend was flagged before the radar looked:
    # when is unknown, so it claims no lead time.
    history_starts = store.first_analysis_day()
    in_period = [trend_id for trend_id, (day, _) in flags.items() if start <= day <= end
                 and trend_id in trends and day.isoformat() != history_starts]
    members = store.load_member_days(in_period)
    kev_added = {trend_id: min(date.fromisoformat(e.date_added) for e, _ in found)
                 for trend_id, found in store.load_trend_kev().items()
                 if any(e.date_added for e, _ in found)}
    leads = [lt for trend_id in in_period if (lt := lead_time(
        trend_id, labels[trend_id], flags[trend_id][0], members.get(trend_id, []),
        replayed=flags[trend_id][1], kev_added=kev_added.get(trend_id),
        kind=trends[trend_id].kind))]
    decisions = store.load_decision_log()
    flagged_days = {trend_id: day for trend_id, (day, _) in flags.items()}
    by_month, waited = decision_measures(decisions, flagged_days, labels, start, end)
    days = [date.fromisoformat(d) for d in store.load_analysis_days(start.isoformat(),
                                                                    end.isoformat())]
    # The backlog is of trends still active: dismissed, merged or quiet ones need no triage.
    active = {t: day for t, day in flagged_days.items()
              if t in trends and trends[t].state == "active"}
    return Results(
        start=start, end=end, lead_times=sorted(leads, key=lambda lt: lt.first_flagged),
        decisions_by_month=by_month, days_to_decision=waited,
        backlog=backlog(active, decisions, days or _weeks(start, end)),
        decided=decided_in(decisions, labels, start, end), flagged_on=active,
        decided_later=decided_after(decisions, flagged_days, labels, start, end),
        decided_on=first_decisions(decisions), labels=labels,
        roadmap=_roadmap(store, trends), exposure=_exposure(store, end),
        coverage=store.weekly_coverage(start.isoformat(), end.isoformat()))


def _roadmap(store: Store, trends: dict) -> dict:
    initiatives = store.load_initiatives()
    if not initiatives:
        return {}
    touching = {initiative: [trends[t] for t in found if t in trends]
                for initiative, found in trends_by_initiative(load_ties(store)).items()}
    assessed = [i.name for i in initiatives if any(t.decided for t in touching.get(i.id, ()))]
    undecided = sorted({t.label for found in touching.values() for t in found
                        if not t.decided and t.flagged})
    return {"initiatives": len(initiatives), "assessed": len(assessed),
            "assessed_names": assessed, "undecided_trends": undecided}


def _exposure(store: Store, end: date) -> dict:
    """The open exploited flaws in our stack (one per CVE) at the period's end, and the
    ones people marked patched, mitigated or not affected."""
    stack = store.load_stack()
    if not stack:
        return {}
    flaws = exposure(store.load_kev(), stack, store.load_kev_marks())
    entries = [{"cve": f.entry.cve, "product": f.products, "due_date": f.entry.due_date,
                "past_due": f.past_due(end.isoformat())} for f in open_flaws(flaws)]
    closed = [{"cve": f.entry.cve, "product": f"{item.vendor} {item.product}",
               "state": mark.state, "author": mark.author, "at": mark.at, "note": mark.note}
              for f in flaws for item, mark in f.closed]
    return {"entries": entries, "past_due": sum(e["past_due"] for e in entries),
            "due_later": sum(not e["past_due"] for e in entries), "closed": closed,
            "summary": flaws_line(flaws, end.isoformat())}


def _weeks(start: date, end: date) -> list[date]:
    return [start + timedelta(days=7 * n) for n in range((end - start).days // 7 + 1)]


def days(n: float) -> str:
    """'1 day', '0.5 days', '4 days'."""
    return f"{n:g} day{'' if n == 1 else 's'}"


def before_after(n: float) -> str:
    """How far ahead: '4 days before', 'the day', '2 days after' (their peak)."""
    if n == 0:
        return "the day"
    return f"{days(abs(n))} {'before' if n > 0 else 'after'}"


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _percentile(values: list[int], percent: int) -> float | None:
    """Nearest-rank percentile: a value that occurred, easy to trace in the list."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(0, -(-len(ordered) * percent // 100) - 1)])


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
