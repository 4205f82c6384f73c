"""The trend engine's commands: analyze, trends, tag, untag, trend …, backtest.

The engine (scikit-learn) is imported inside the commands that run it, so that
`radar collect` from cron does not pay for loading it."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import click
from tabulate import tabulate

from radar.answers import trend_json
from radar.cli.common import db_command, feeds_option, parse_duration, period_options
from radar.cli.notify import alert_after_run, alert_options
from radar.config import load_settings
from radar.errors import RadarError, StaleDataError
from radar.links import Ties, load_ties
from radar.models import EVENT, STATUSES, THEME, Trend
from radar.selection import radar_selection
from radar.store import opened
from radar.text import iso_utc, now_iso, parse_iso_utc, plural, utc_now


def parse_as_of(value: str | None) -> datetime:
    """'2024-06-27' (end of that day, UTC) or a full ISO time; default: now."""
    if value is None:
        return utc_now()
    moment = parse_iso_utc(value)
    if moment is None:
        raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)", param_hint="--as-of")
    if len(value.strip()) == 10:
        moment += timedelta(hours=23, minutes=59, seconds=59)
    return moment


def as_of_option(command: Callable) -> Callable:
    return click.option("--as-of", "as_of", metavar="DATE",
                        help="Analyse as if it were this date (YYYY-MM-DD); default: now.")(command)


@db_command()
@feeds_option
@alert_options
@as_of_option
@click.option("--window", type=click.IntRange(min=8), metavar="DAYS",
              help="Days of history to analyse (default: settings.window_days, 90).")
def analyze(db_path: Path, feeds_path: Path, channels_path: Path, alert_urls: tuple[str, ...],
            as_of: str | None, window: int | None) -> None:
    """Find themes and events in the stored articles, score what is emerging, and store
    the result.

    Only articles published up to --as-of are read, so history can be replayed. Trends
    keep their ids (and your decisions) from one analysis to the next. Without --as-of
    the analysis is as of now; when nothing stored is that recent (an archive that ends
    months ago), it says where the data ends and keeps the radar as it is. With
    channels in the channels file (or --to), the alerts it raises are then sent (a failing
    channel never fails the analysis).
    """
    settings = load_settings(feeds_path)
    with opened(db_path) as store:
        from radar.engine.analyze import analyze as run_analysis

        try:
            result = run_analysis(store, settings, as_of=parse_as_of(as_of),
                                  window_days=window, require_recent=as_of is None)
        except StaleDataError as e:  # not a failure: the radar stays as it was
            click.secho(f"Not re-analysed. {e}", fg="yellow", err=True)
            return
    click.echo(f"Analysed {plural(result.stories, 'story', 'stories')} up to "
               f"{iso_utc(result.as_of)} in {result.seconds:.1f}s: "
               f"{_kind_summary(result.trends, THEME)} and {_kind_summary(result.trends, EVENT)}.")
    alert_after_run(db_path, channels_path, alert_urls)


def _kind_summary(found: list, kind: str) -> str:
    """'4 themes (1 emerging, 0 rising, 3 steady, 0 fading)'."""
    mine = [t for t in found if t.kind == kind]
    counts = ", ".join(f"{sum(t.status == status for t in mine)} {status}"
                       for status in STATUSES[:-1])
    return f"{plural(len(mine), kind)} ({counts})"


@db_command()
@feeds_option
@as_of_option
@click.option("--status", type=click.Choice(STATUSES), help="Only trends with this status.")
@click.option("--limit", type=click.IntRange(min=1), default=30, show_default=True,
              help="Rows in the table (JSON always lists every trend).")
@click.option("--all", "show_all", is_flag=True, help="Every row in the table.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def trends(db_path: Path, feeds_path: Path, as_of: str | None, status: str | None,
           limit: int, show_all: bool, as_json: bool) -> None:
    """List trends, highest score first, from the last analysis.

    With --as-of, analyses that date first (and stores it, like `radar analyze`).
    """
    settings = load_settings(feeds_path)
    with opened(db_path) as store:
        if as_of is not None:
            from radar.engine.analyze import analyze as run_analysis

            run_analysis(store, settings, as_of=parse_as_of(as_of))
        last = store.last_analysis()
        if last is None:
            raise RadarError("no analysis yet: run `radar analyze` first")
        everything = store.load_trends()
        listed = [t for t in everything if status is None or t.status == status]
        on_radar = {t.id for t in radar_selection(everything, settings)}
        if as_json:
            articles = store.load_articles_of_trends([t.id for t in listed])
            ties = load_ties(store)
            payload = {"as_of": last["as_of"], "trends": [
                trend_json(t, articles.get(t.id, []), on_radar=t.id in on_radar,
                           ties=ties.get(t.id, Ties()))
                for t in listed]}
            click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
            return
    click.echo(f"Trends as of {last['as_of']} ({len(listed)} of this analysis; "
               f"{len(on_radar)} on the radar, marked *)")
    rows = nest_events(listed)
    shown = rows if show_all else rows[:limit]
    click.echo(tabulate(
        [(t.id, ("  └ " if nested else "") + t.label[:38], t.kind,
          t.status, f"{t.score:.1f}", t.quadrant[:26], t.ring or f"({t.suggested_ring})",
          t.article_count, t.source_count, "*" if t.id in on_radar else "")
         for t, nested in shown],
        headers=["id", "label", "kind", "status", "score", "quadrant", "ring", "articles",
                 "sources", "radar"]))
    if len(shown) < len(rows):
        click.echo(f"Showing {len(shown)} of {len(rows)}, highest score first: --limit N "
                   "or --all for more, --status to narrow, --json for everything.")


def _emerging(first: tuple | None) -> tuple[str, str]:
    """(first day emerging, rank that day) for the backtest table ('—' when never)."""
    return (first[0].isoformat(), str(first[1])) if first else ("—", "—")


def nest_events(trends: list[Trend]) -> list[tuple[Trend, bool]]:
    """Themes (and events without a listed theme) in order, each theme's events under it."""
    listed = {t.id for t in trends}
    under: dict[str, list[Trend]] = {}
    for trend in trends:
        if trend.theme in listed:
            under.setdefault(trend.theme, []).append(trend)
    rows: list[tuple[Trend, bool]] = []
    for trend in trends:
        if trend.theme not in listed:
            rows.append((trend, False))
            rows += [(event, True) for event in under.get(trend.id, [])]
    return rows


@db_command()
@feeds_option
@click.argument("trend_id")
@click.argument("ring")
@click.option("--note", required=True, help="Why: the rationale people will read later.")
@click.option("--author", default="ciso", show_default=True, help="Who decided.")
@click.option("--internal", is_flag=True,
              help="Keep the note internal: exports leave it out by default.")
def tag(db_path: Path, feeds_path: Path, trend_id: str, ring: str, note: str,
        author: str, internal: bool) -> None:
    """Decide a trend's ring (e.g. adopt, assess, hold) with a rationale.

    Decisions are kept in an append-only history and survive every re-analysis.
    """
    rings = load_settings(feeds_path).rings
    if ring not in rings:
        raise click.BadParameter(f"{ring!r} is not a ring ({', '.join(rings)})",
                                 param_hint="RING")
    if not note.strip():
        raise click.BadParameter("a rationale is required", param_hint="--note")
    with opened(db_path) as store:
        previous = store.record_decision(trend_id, ring, note=note.strip(), author=author,
                                         at=now_iso(), internal=internal)
    click.echo(f"{trend_id}: {previous or 'undecided'} -> {ring}")


@db_command()
@click.argument("trend_id")
@click.option("--note", default="", help="Why the decision is withdrawn.")
@click.option("--author", default="ciso", show_default=True, help="Who withdrew it.")
def untag(db_path: Path, trend_id: str, note: str, author: str) -> None:
    """Withdraw a trend's decided ring (the history keeps the old decision)."""
    with opened(db_path) as store:
        previous = store.record_decision(trend_id, None, note=note, author=author, at=now_iso())
    click.echo(f"{trend_id}: {previous or 'undecided'} -> undecided")


@click.group()
def trend() -> None:
    """Look at one trend, or correct it: rename, quadrant, merge, dismiss."""


def _edit(db_path: Path, trend_id: str, action: str, new: str | None, note: str,
          author: str) -> None:
    with opened(db_path) as store:
        store.record_edit(trend_id, action, new, note=note, author=author, at=now_iso())
    click.echo(f"{trend_id}: {action} recorded.")


def edit_options(command: Callable) -> Callable:
    command = click.option("--author", default="ciso", show_default=True,
                           help="Who made the change.")(command)
    return click.option("--note", default="", help="Why.")(command)


@db_command(trend, "show")
@click.argument("trend_id")
def trend_show(db_path: Path, trend_id: str) -> None:
    """Show a trend's details, its decision history, lineage and its articles."""
    with opened(db_path) as store:
        shown = store.get_trend(trend_id)
        history, lineage = store.load_history(trend_id), store.load_lineage(trend_id)
        articles = store.load_trend_articles(trend_id)
    click.echo(f"{shown.id}  {shown.label}  [{shown.kind}, {shown.state}, {shown.status}, "
               f"score {shown.score:.1f}]")
    click.echo(f"quadrant: {shown.quadrant} ({shown.quadrant_reason})")
    click.echo(f"ring: {shown.ring or 'undecided'} (suggested: {shown.suggested_ring})")
    click.echo(f"why now: {shown.why}")
    click.echo(f"keywords: {', '.join(shown.keywords)}")
    click.echo(f"entities: {', '.join(shown.entities) or '-'}")
    click.echo("\nDecisions and edits (who, what, from -> to, why):")
    for entry in history:
        click.echo(f"  {entry['at']} {entry['author']}: {entry['action']} "
                   f"{entry['old'] or '-'} -> {entry['new'] or '-'} {entry['note'] or ''}")
    if not history:
        click.echo("  none yet")
    click.echo("\nLineage (analysis, event, related trend):")
    for event in lineage:
        click.echo(f"  {event['as_of']} {event['event']} {event['related_id'] or ''}")
    click.echo(f"\nArticles ({min(len(articles), 20)} of {len(articles)}, newest first):")
    for article in articles[:20]:
        click.echo(f"  {article['published'][:10]} {article['source'][:24]:24} {article['title']}")


@db_command(trend, "rename")
@edit_options
@click.argument("trend_id")
@click.argument("label")
def trend_rename(db_path: Path, trend_id: str, label: str, note: str, author: str) -> None:
    """Give a trend a label of your own (kept across re-analysis)."""
    _edit(db_path, trend_id, "rename", label.strip(), note, author)


@db_command(trend, "quadrant")
@edit_options
@feeds_option
@click.argument("trend_id")
@click.argument("quadrant")
def trend_quadrant(db_path: Path, feeds_path: Path, trend_id: str, quadrant: str, note: str,
                   author: str) -> None:
    """Override the quadrant the engine chose for a trend."""
    names = [q.name for q in load_settings(feeds_path).quadrants]
    if quadrant not in names:
        raise click.BadParameter(f"{quadrant!r} is not a quadrant ({'; '.join(names)})",
                                 param_hint="QUADRANT")
    _edit(db_path, trend_id, "quadrant", quadrant, note, author)


@db_command(trend, "merge")
@edit_options
@click.argument("trend_id")
@click.argument("into_id")
def trend_merge(db_path: Path, trend_id: str, into_id: str, note: str, author: str) -> None:
    """Merge TREND_ID into INTO_ID: from now on its stories count for INTO_ID."""
    if trend_id == into_id:
        raise click.BadParameter("cannot merge a trend into itself", param_hint="INTO_ID")
    _edit(db_path, trend_id, "merge", into_id, note, author)


@db_command(trend, "dismiss")
@edit_options
@click.argument("trend_id")
def trend_dismiss(db_path: Path, trend_id: str, note: str, author: str) -> None:
    """Dismiss a trend as noise: hidden from lists, and it stays dismissed."""
    _edit(db_path, trend_id, "dismiss", "dismissed", note, author)


@db_command()
@feeds_option
@period_options
@click.option("--every", default="1d", show_default=True, metavar="DURATION",
              help="Step between analyses (e.g. 1d, 12h).")
@click.option("--keep", is_flag=True,
              help="Replay in the database itself, so the radar keeps this history of "
                   "flags for `radar metrics` and `radar report` (marked as replayed).")
def backtest(db_path: Path, feeds_path: Path, start: str, end: str, every: str,
             keep: bool) -> None:
    """Replay analysis day by day over history: when was each trend first flagged
    emerging or rising, how stable were trend ids, and how did the alert budget hold
    (most flagged at once, newly flagged a week)? Runs on a scratch copy (your trends and
    decisions are not touched) unless --keep."""
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
        step = timedelta(seconds=parse_duration(every))
    except ValueError as e:
        raise click.BadParameter(str(e)) from e
    with tempfile.TemporaryDirectory() as scratch_dir, opened(db_path) as store, \
            opened(Path(scratch_dir) / "backtest.db") as copy:
        from radar.engine.backtest import backtest as run_backtest

        result = run_backtest(store, load_settings(feeds_path), start=first, end=last,
                              every=step, scratch=store if keep else copy,
                              on_day=lambda day, a: click.echo(
                                  f"{day}: {plural(len(a.trends), 'trend')}, "
                                  f"{sum(t.status == 'emerging' for t in a.trends)} emerging",
                                  err=True))
    click.echo(tabulate(
        [(day.isoformat(), *_emerging(result.first_emerging.get(trend_id)), label[:50])
         for trend_id, (day, label) in
         sorted(result.first_flagged.items(), key=lambda item: (item[1][0], item[1][1]))],
        headers=["first flagged", "first emerging", "rank", "trend"]))
    click.echo(f"\n{len(result.days)} analyses in {result.seconds:.0f}s; "
               f"{result.continuing} continuing topics, id churn {result.churn:.1%}")
    click.echo(f"At most {plural(result.most_flagged, 'trend')} flagged in one analysis; "
               f"newly flagged a week: {result.per_week(result.newly_flagged):.1f} trends, "
               f"{result.per_week(result.newly_listed):.1f} entries as lists show them "
               "(a theme and its events are one)")


COMMANDS = [analyze, trends, tag, untag, trend, backtest]
