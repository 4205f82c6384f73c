"""The collector's commands: collect, feeds (health, OPML in and out)."""

from __future__ import annotations

import json
import sys
import time
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from tabulate import tabulate

from radar.cli.common import (
    EXIT_CONFIG,
    EXIT_FAILED,
    db_command,
    db_option,
    feeds_option,
    output_option,
    parse_duration,
    reports_errors,
    write_or_echo,
)
from radar.cli.notify import alert_after_run, alert_options
from radar.collect import BackfillReport, CollectReport, FetchOptions
from radar.config import append_feeds, load_feeds, load_settings
from radar.errors import ConfigError, RadarError
from radar.health import failure_lines, feed_rows, next_step
from radar.models import FetchOutcome, Walk
from radar.opml import read_opml, render_opml
from radar.pipeline import run_collect
from radar.store import opened
from radar.text import plural


@db_command()
@feeds_option
@alert_options
@click.option("--every", metavar="DURATION",
              help="Keep collecting on this schedule (e.g. 30m, 2h, 1d) until stopped.")
@click.option("--rounds", type=click.IntRange(min=1), metavar="N",
              help="With --every: stop after N rounds (default: run until stopped).")
@click.option("--concurrency", type=click.IntRange(1, 256), default=FetchOptions.concurrency,
              show_default=True, help="Feeds fetched at the same time.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=FetchOptions.read_timeout,
              show_default=True, help="Seconds to wait for a server before giving up.")
@click.option("--per-host-delay", type=click.FloatRange(min=0),
              default=FetchOptions.per_host_delay, show_default=True,
              help="Minimum seconds between two requests to the same host.")
@click.option("--backfill", metavar="DURATION",
              help="Then walk each feed's older pages back this far (e.g. 90d), once per "
                   "feed, to give a new radar history.")
@click.option("--ignore-backoff", is_flag=True,
              help="Also fetch feeds that are backing off after failures.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, only the summary.")
@click.option("-v", "--verbose", is_flag=True, help="List every failing feed and its error.")
def collect(db_path: Path, feeds_path: Path, channels_path: Path, alert_urls: tuple[str, ...],
            every: str | None, rounds: int | None,
            concurrency: int, timeout: float, per_host_delay: float, backfill: str | None,
            ignore_backoff: bool, quiet: bool, verbose: bool) -> None:
    """Fetch every enabled feed and store new articles.

    Each feed is asked with its last ETag/Last-Modified, so unchanged feeds cost one
    small request. With --backfill, feeds that page their history (RFC 5005, WordPress)
    are walked back once; a killed walk resumes. Exits 0 when at least one feed
    succeeded, 1 when all failed, 2 when feeds.yaml is invalid. With channels in the
    channels file (or --to), each round then sends the alerts not sent yet (a failing channel is
    reported and tried again next round; it never fails the collect).
    """
    options = FetchOptions(concurrency=concurrency, read_timeout=timeout,
                           per_host_delay=per_host_delay, respect_backoff=not ignore_backoff)
    interval, history = _duration(every, "--every"), _duration(backfill, "--backfill")
    if interval is None:
        code = _collect_once(db_path, feeds_path, options, quiet=quiet, verbose=verbose,
                             history=history)
        alert_after_run(db_path, channels_path, alert_urls)
        sys.exit(code)
    round_no = 0
    try:
        while True:
            round_no += 1
            click.echo(f"Round {round_no} at {time.strftime('%Y-%m-%d %H:%M:%S')}")
            try:
                code = _collect_once(db_path, feeds_path, options, quiet=quiet,
                                     verbose=verbose, history=history)
            except RadarError as e:  # a bad round (config typo, locked db) must not end it
                click.secho(f"Round {round_no} failed: {e}", fg="red", err=True)
                code = EXIT_CONFIG if isinstance(e, ConfigError) else EXIT_FAILED
            alert_after_run(db_path, channels_path, alert_urls)
            if rounds is not None and round_no >= rounds:
                sys.exit(code)
            click.echo(f"Next round in {every}.")
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("Stopped.")


def _duration(text: str | None, option: str) -> int | None:
    """Seconds of a duration option (None when not given); a clear error when malformed."""
    if text is None:
        return None
    try:
        return parse_duration(text)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint=option) from e


def _collect_once(db_path: Path, feeds_path: Path, options: FetchOptions, *, quiet: bool,
                  verbose: bool, history: int | None = None) -> int:
    feeds = load_feeds(feeds_path)
    enabled = [feed for feed in feeds if feed.enabled]
    options = replace(options, allow_private_networks=load_settings(feeds_path)
                      .allow_private_networks)
    with opened(db_path) as store, ExitStack() as bars:
        # A bar only on a terminal: in cron logs it would print one line per feed.
        collecting = bars.enter_context(_bar("Collecting", len(enabled), quiet=quiet))
        walking: list = []   # the back-fill's bar, opened at its first walk

        def progress(outcome: FetchOutcome, new: int) -> None:
            collecting.label = f"{outcome.feed.name[:30]:30}"
            collecting.update(1)

        def walked(walk: Walk) -> None:
            if not walking:
                walking.append(bars.enter_context(_bar("Back-filling", len(enabled),
                                                       quiet=quiet)))
            walking[0].update(1)

        ran = run_collect(store, feeds, options=options, on_outcome=progress, on_walk=walked,
                          backfill_cutoff=None if history is None
                          else datetime.now(UTC) - timedelta(seconds=history))
    _print_collect_report(ran.collected, ran.grouped, stored=ran.stored, verbose=verbose)
    if ran.backfilled is not None:
        _print_backfill_report(ran.backfilled)
    return 0 if ran.collected.succeeded or not enabled else EXIT_FAILED


def _bar(label: str, length: int, *, quiet: bool):
    return click.progressbar(length=length, label=label, file=sys.stderr,
                             hidden=quiet or not sys.stderr.isatty(), show_pos=True)


def _print_backfill_report(report: BackfillReport) -> None:
    """One row per feed walked in this run: how far back it got and why it stopped."""
    rows = sorted(report.walks, key=lambda walk: (bool(walk.stopped), walk.feed.lower()))
    if rows:
        click.echo("\nBack-fill (older pages of each feed):")
        click.echo(tabulate(
            [(walk.feed[:36], walk.paging or "—", walk.pages, walk.new_articles,
              (walk.oldest or "")[:10] or "—",
              walk.stopped or f"{walk.problem}; resumes on the next run")
             for walk in rows],
            headers=["feed", "paging", "pages", "new", "back to", "stopped because"]))
    if not report.walks:
        click.echo(f"Back-fill: all {plural(report.already_walked, 'feed')} were walked "
                   "in an earlier run.")
        return
    added = sum(walk.new_articles for walk in report.walks)
    click.echo(f"Back-filled {plural(added, 'article')} from "
               f"{plural(sum(1 for w in report.walks if w.pages > 1), 'feed')} "
               f"in {report.seconds:.1f}s"
               + (f" ({plural(report.already_walked, 'feed')} walked in an earlier run)"
                  if report.already_walked else "") + ".")


def _print_collect_report(report: CollectReport, grouped: int, *, stored: int,
                          verbose: bool) -> None:
    rows = [
        ("feeds ok", report.outcomes["ok"]),
        ("feeds not modified", report.outcomes["not_modified"]),
        ("feeds failed", report.outcomes["failed"]),
        ("feeds backing off", report.outcomes["skipped"]),
        ("new articles", report.new_articles),
        ("articles checked for duplicates", grouped),
        ("time", f"{report.seconds:.1f}s"),
    ]
    click.echo(tabulate(rows, tablefmt="simple", colalign=("left", "right")))
    if grouped > report.new_articles:
        click.echo(f"Checked for duplicates: the new articles and "
                   f"{plural(grouped - report.new_articles, 'other')} not checked before "
                   "(back-filled, imported or stored by an earlier run).")
    for line in failure_lines(report.failures):
        click.echo(line)
    if report.skipped:
        soonest = min(due for _, due in report.skipped)
        click.echo(f"{plural(len(report.skipped), 'feed')} backing off after earlier "
                   f"failures, the first due again at {soonest} (`--ignore-backoff` fetches "
                   "them now).")
    if verbose:
        for name, error in sorted(report.failures):
            click.echo(f"  {name}: {error}")
        for name, due in sorted(report.skipped):
            click.echo(f"  {name}: backing off until {due}")
    elif report.failures:
        click.echo("(`--verbose` lists every feed's error)")
    step = next_step(succeeded=report.succeeded, failures=report.failures,
                     skipped=len(report.skipped), stored=stored)
    if step:
        click.secho(step, fg="yellow")


@click.group(invoke_without_command=True)
@db_option
@feeds_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
@reports_errors
def feeds(ctx: click.Context, db_path: Path, feeds_path: Path, as_json: bool) -> None:
    """Feed health: last success, last status, error and article count per feed."""
    if ctx.invoked_subcommand is not None:
        return
    configured = load_feeds(feeds_path)
    with opened(db_path) as store:
        health = store.load_feed_health()
        origins = store.count_articles_by_origin()
    rows = feed_rows(configured, health, origins)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(tabulate(
        [(r["name"][:40], r["category"], r["status"], r["last_status"] or "—",
          r["last_success"] or "never", r["articles"], r["history_from"] or "—",
          (r["error"] or "")[:60]) for r in rows],
        headers=["feed", "category", "status", "http", "last success", "articles",
                 "history from", "error"],
    ))


@feeds.command("import-opml")
@feeds_option
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@reports_errors
def import_opml(feeds_path: Path, path: Path) -> None:
    """Add the feeds of an OPML file to the feed list (existing URLs are skipped)."""
    existing = load_feeds(feeds_path) if feeds_path.exists() else []
    result = read_opml(path, existing=existing)
    if result.feeds:
        append_feeds(feeds_path, result.feeds)
    click.echo(f"Added {plural(len(result.feeds), 'feed')} to {feeds_path}; skipped "
               f"{len(result.skipped)}.")
    for reason in result.skipped[:20]:
        click.echo(f"  skipped {reason}", err=True)


@feeds.command("export-opml")
@feeds_option
@output_option
@reports_errors
def export_opml(feeds_path: Path, output: Path | None) -> None:
    """Write the feed list as OPML, for a feed reader or another radar."""
    write_or_echo(render_opml(load_feeds(feeds_path)), output)


COMMANDS = [collect, feeds]
