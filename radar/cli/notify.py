"""Notification commands: the digest, act-now alerts, watchlists; and the alerts every
collect and analysis sends when channels are configured."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import click
from tabulate import tabulate

from radar.cli.common import EXIT_FAILED, channels_option, db_command, feeds_option, parse_duration
from radar.config import load_settings
from radar.errors import ConfigError, RadarError
from radar.notify.channels import Channel, ChannelSettings, load_channel_settings, pick_channels
from radar.notify.deliver import DIGEST, Outcome, radar_day, send_alerts, send_message
from radar.notify.watch import parse_watchlist, watch_marks
from radar.store import opened
from radar.text import now_iso


def to_options(command: click.Command) -> click.Command:
    """--to URL and --channel NAME, both repeatable: where a sending command sends."""
    command = click.option("--channel", "names", multiple=True, metavar="NAME",
                           help="A channel named in the channels file (repeatable; default: "
                                "all of them).")(command)
    return click.option("--to", "urls", multiple=True, metavar="URL",
                        help="Also (or only) send to this Apprise URL, e.g. "
                             "mailtos://…, workflows://… (Teams), https://hooks.slack.com/…, "
                             "json://… (repeatable).")(command)


def _channels(settings: ChannelSettings, names: tuple[str, ...], urls: tuple[str, ...]
              ) -> list[Channel]:
    chosen = pick_channels(settings, names=names, urls=urls)
    if not chosen:
        raise ConfigError(f"no channel to send to: name some in {settings.source} or pass "
                          "--to URL (or use --dry-run)")
    return chosen


def _report(outcomes: list[Outcome]) -> None:
    """One line per channel; exit 1 when any failed (cron mails the failure)."""
    for outcome in outcomes:
        click.secho(outcome.line, fg="red" if outcome.error else None,
                    err=bool(outcome.error))
    if any(outcome.error for outcome in outcomes):
        sys.exit(EXIT_FAILED)


@db_command()
@feeds_option
@channels_option
@click.option("--since", default="7d", show_default=True, metavar="DURATION",
              help="The period the digest covers, up to --as-of (e.g. 7d, 14d).")
@click.option("--as-of", "as_of", metavar="DATE",
              help="The digest's last day (YYYY-MM-DD); default: the latest analysis's.")
@to_options
@click.option("--dry-run", is_flag=True, help="Print the digest instead of sending it.")
@click.option("--html", "as_html", is_flag=True, help="With --dry-run: print the HTML.")
def digest(db_path: Path, feeds_path: Path, channels_path: Path, since: str,
           as_of: str | None, urls: tuple[str, ...], names: tuple[str, ...], dry_run: bool,
           as_html: bool) -> None:
    """The weekly digest: subjects newly flagged (best first, at most 15), those touching
    the roadmap or our stack, exploited flaws in our stack, decisions taken, and what
    changed since the last edition; each trend linked to the app."""
    from radar.notify.digest import digest_message, load_digest

    try:
        period = timedelta(seconds=parse_duration(since))
        end = date.fromisoformat(as_of) if as_of else None
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--since/--as-of") from e
    settings = load_channel_settings(channels_path)
    channels = [] if dry_run else _channels(settings, names, urls)   # checked before work
    with opened(db_path) as store:
        found = load_digest(store, load_settings(feeds_path), end=end or radar_day(store),
                            period=period, app_url=settings.app_url)
        message = digest_message(found)
        if dry_run:
            click.echo(message.html if as_html else message.text)
            return
        outcomes = send_message(store, channels, message, kind=DIGEST)
    _report(outcomes)


@db_command()
@channels_option
@to_options
def notify(db_path: Path, channels_path: Path, urls: tuple[str, ...],
           names: tuple[str, ...]) -> None:
    """Send the act-now alerts each channel has not had yet, grouped into one message:
    an exploited flaw in our stack, a trend touching our stack or roadmap turning
    emerging, a flagged trend on a watchlist. Exits 1 when a channel failed."""
    settings = load_channel_settings(channels_path)
    channels = _channels(settings, names, urls)
    with opened(db_path) as store:
        outcomes = send_alerts(store, channels, app_url=settings.app_url)
    _report(outcomes)


def alert_options(command: click.Command) -> click.Command:
    """--channels and --to for the commands that send alerts when they are done."""
    command = click.option("--to", "alert_urls", multiple=True, metavar="URL",
                           help="Also send the alerts to this Apprise URL (repeatable).")(command)
    return channels_option(command)


def alert_after_run(db_path: Path, channels_path: Path, urls: tuple[str, ...] = ()) -> None:
    """After a collect or an analysis: alerts to the named channels and `--to` URLs, if
    any. Never fails the run: a problem is one line on standard error, and the alerts
    wait for next time."""
    try:
        settings = load_channel_settings(channels_path)
        if not settings.channels and not urls:
            return
        channels = pick_channels(settings, names=tuple(settings.channels), urls=urls)
        with opened(db_path) as store:
            outcomes = send_alerts(store, channels, app_url=settings.app_url)
    except RadarError as e:
        click.secho(f"Alerts not sent: {e}", fg="yellow", err=True)
        return
    for outcome in outcomes:
        if outcome.error or outcome.sent:
            click.secho(f"Alerts: {outcome.line}", fg="yellow" if outcome.error else None,
                        err=bool(outcome.error))


@click.group()
def watch() -> None:
    """Watchlists: named keywords or regular expressions a trend is watched for
    (matched as whole words, any case); a flagged trend matching one sends an alert."""


@db_command(watch, "add")
@click.argument("name")
@click.argument("patterns", nargs=-1, required=True)
def watch_add(db_path: Path, name: str, patterns: tuple[str, ...]) -> None:
    """Add watchlist NAME (or replace its patterns), e.g.
    `radar watch add post-quantum "post-quantum|PQC|ML-KEM"`."""
    watchlist = parse_watchlist(name, patterns)
    with opened(db_path) as store:
        store.save_watchlist(watchlist, author="cli", at=now_iso())
        matched = [t for t, names in watch_marks(store.load_trends(), [watchlist]).items()
                   if names]
    click.echo(f"Watchlist {watchlist.name!r} saved; trends matching it now: {len(matched)}.")


@db_command(watch, "list")
def watch_list(db_path: Path) -> None:
    """The watchlists, each with the trends matching it now."""
    with opened(db_path) as store:
        watchlists = store.load_watchlists()
        trends = store.load_trends()
    marks = watch_marks(trends, watchlists)
    labels = {t.id: t.label for t in trends}
    rows = [[w.name, " | ".join(w.patterns),
             ", ".join(labels[t] for t, names in marks.items() if w.name in names)[:80]]
            for w in watchlists]
    click.echo(tabulate(rows, headers=["name", "patterns", "matching trends"])
               if rows else "No watchlists yet: `radar watch add NAME PATTERN…`.")


@db_command(watch, "remove")
@click.argument("name")
def watch_remove(db_path: Path, name: str) -> None:
    """Remove watchlist NAME: its trends are no longer marked or alerted on."""
    with opened(db_path) as store:
        store.remove_watchlist(name)
    click.echo(f"Watchlist {name!r} removed.")


COMMANDS = [digest, notify, watch]
