"""The `radar` command: parses arguments, calls the library, prints. No logic of its own."""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import wraps
from pathlib import Path

import click
from tabulate import tabulate

from radar import __version__
from radar.analyze import analyze as run_analysis
from radar.analyze import backtest as run_backtest
from radar.archive import ImportReport, read_archive
from radar.collect import CollectReport, FetchOptions, collect_feeds
from radar.config import append_feeds, load_feeds, load_settings
from radar.dedup import update_duplicate_groups
from radar.errors import ConfigError, RadarError
from radar.models import FetchOutcome
from radar.opml import read_opml, render_opml
from radar.store import Store
from radar.text import iso_utc, parse_iso_utc

EXIT_FAILED = 1
EXIT_CONFIG = 2
DURATION = re.compile(r"(\d+)\s*([smhd])")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> int:
    """'2h', '90m', '1h30m', '1d' -> seconds. Raises ValueError on anything else."""
    compact = text.strip().lower().replace(" ", "")
    parts = DURATION.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise ValueError(f"invalid duration {text!r} (use e.g. 30m, 2h, 1h30m, 1d)")
    seconds = sum(int(n) * UNIT_SECONDS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"duration {text!r} must be longer than zero")
    return seconds


def db_option(command: Callable) -> Callable:
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
        default=Path("data/radar.db"), envvar="RADAR_DB", show_default=True,
        help="SQLite database file (env: RADAR_DB).",
    )(command)


def feeds_option(command: Callable) -> Callable:
    return click.option(
        "--feeds", "feeds_path", type=click.Path(dir_okay=False, path_type=Path),
        default=Path("feeds.yaml"), envvar="RADAR_FEEDS", show_default=True,
        help="Feed list (env: RADAR_FEEDS).",
    )(command)


def reports_errors(command: Callable) -> Callable:
    """Turn library errors into one clear line and an exit code (2 for configuration)."""

    @wraps(command)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return command(*args, **kwargs)
        except ConfigError as e:
            click.secho(f"Configuration error:\n{e}", fg="red", err=True)
            sys.exit(EXIT_CONFIG)
        except RadarError as e:
            click.secho(f"Error: {e}", fg="red", err=True)
            sys.exit(EXIT_FAILED)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="radar")
def cli() -> None:
    """Trend Radar: collect security and IT news feeds and see trends early.

    Typical use: `radar collect` (fetch feeds.yaml into data/radar.db), `radar feeds`
    (feed health), `radar import ARCHIVE` (start with history).
    """


@cli.command()
@db_option
@feeds_option
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
@click.option("--ignore-backoff", is_flag=True,
              help="Also fetch feeds that are backing off after failures.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, only the summary.")
@reports_errors
def collect(db_path: Path, feeds_path: Path, every: str | None, rounds: int | None,
            concurrency: int, timeout: float, per_host_delay: float, ignore_backoff: bool,
            quiet: bool) -> None:
    """Fetch every enabled feed and store new articles.

    Each feed is asked with its last ETag/Last-Modified, so unchanged feeds cost one
    small request. Exits 0 when at least one feed succeeded, 1 when all failed,
    2 when feeds.yaml is invalid.
    """
    options = FetchOptions(concurrency=concurrency, read_timeout=timeout,
                           per_host_delay=per_host_delay, respect_backoff=not ignore_backoff)
    if every is None:
        sys.exit(_collect_once(db_path, feeds_path, options, quiet=quiet))
    try:
        interval = parse_duration(every)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--every") from e
    round_no = 0
    try:
        while True:
            round_no += 1
            click.echo(f"Round {round_no} at {time.strftime('%Y-%m-%d %H:%M:%S')}")
            try:
                code = _collect_once(db_path, feeds_path, options, quiet=quiet)
            except RadarError as e:  # a bad round (config typo, locked db) must not end it
                click.secho(f"Round {round_no} failed: {e}", fg="red", err=True)
                code = EXIT_CONFIG if isinstance(e, ConfigError) else EXIT_FAILED
            if rounds is not None and round_no >= rounds:
                sys.exit(code)
            click.echo(f"Next round in {every}.")
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("Stopped.")


def _collect_once(db_path: Path, feeds_path: Path, options: FetchOptions, *, quiet: bool) -> int:
    feeds = load_feeds(feeds_path)
    enabled = [feed for feed in feeds if feed.enabled]
    store = Store(db_path)
    try:
        # A bar only on a terminal: in cron logs it would print one line per feed.
        with click.progressbar(length=len(enabled), label="Collecting", file=sys.stderr,
                               hidden=quiet or not sys.stderr.isatty(), show_pos=True) as bar:

            def progress(outcome: FetchOutcome, new: int) -> None:
                bar.label = f"{outcome.feed.name[:30]:30}"
                bar.update(1)

            report = collect_feeds(store, feeds, options=options, on_outcome=progress)
        grouped = update_duplicate_groups(store)
    finally:
        store.close()
    _print_collect_report(report, grouped)
    return 0 if report.succeeded or not enabled else EXIT_FAILED


def _print_collect_report(report: CollectReport, grouped: int) -> None:
    rows = [
        ("feeds ok", report.outcomes["ok"]),
        ("feeds not modified", report.outcomes["not_modified"]),
        ("feeds failed", report.outcomes["failed"]),
        ("feeds backing off", report.outcomes["skipped"]),
        ("new articles", report.new_articles),
        ("articles grouped", grouped),
        ("time", f"{report.seconds:.1f}s"),
    ]
    click.echo(tabulate(rows, tablefmt="simple", colalign=("left", "right")))
    if report.failures:
        click.echo("\nFailed feeds:")
        for name, error in sorted(report.failures):
            click.echo(f"  {name}: {error}")


@cli.command("import")
@db_option
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@reports_errors
def import_(db_path: Path, path: Path) -> None:
    """Load an archive of items (JSON Lines, .gz or plain) to start with history.

    Each line is an object with title, link, published, summary, source, site, feed_url
    (other keys are ignored). Bad lines are reported by number and skipped; importing
    the same file again adds nothing.
    """
    store = Store(db_path)
    report = ImportReport()
    started = time.monotonic()
    try:
        new = store.save_articles(read_archive(path, report))
        grouped = update_duplicate_groups(store)
        totals = store.duplicate_stats()
    finally:
        store.close()
    click.echo(f"Read {report.lines} lines: {report.parsed} items, {new} new, "
               f"{report.parsed - new} already stored, {report.error_count} bad lines; "
               f"{grouped} articles grouped ({time.monotonic() - started:.1f}s).")
    click.echo(f"The database holds {totals['articles']} articles telling "
               f"{totals['stories']} distinct stories.")
    for line, message in report.errors[:20]:
        click.secho(f"  {path}:{line}: {message}", fg="yellow", err=True)
    if report.error_count > 20:
        click.secho(f"  … and {report.error_count - 20} more bad lines", fg="yellow", err=True)
    if report.error_count and not report.parsed:
        sys.exit(EXIT_FAILED)


@cli.group(invoke_without_command=True)
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
    store = Store(db_path)
    try:
        health = store.load_feed_health()
    finally:
        store.close()
    rows = []
    for feed in configured:
        seen = health.get(feed.name, {})
        status = seen.get("last_outcome") or "never fetched"
        rows.append({
            "name": feed.name, "url": feed.url, "category": feed.category,
            "status": status if feed.enabled else "disabled",
            "last_status": seen.get("last_status"),
            "last_success": seen.get("last_success"),
            "articles": seen.get("articles", 0),
            "error": seen.get("last_error") or seen.get("last_warning"),
        })
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(tabulate(
        [(r["name"][:40], r["category"], r["status"], r["last_status"] or "",
          r["last_success"] or "", r["articles"], (r["error"] or "")[:60]) for r in rows],
        headers=["feed", "category", "status", "http", "last success", "articles", "error"],
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
    click.echo(f"Added {len(result.feeds)} feeds to {feeds_path}; skipped "
               f"{len(result.skipped)}.")
    for reason in result.skipped[:20]:
        click.echo(f"  skipped {reason}", err=True)


@feeds.command("export-opml")
@feeds_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@reports_errors
def export_opml(feeds_path: Path, output: Path | None) -> None:
    """Write the feed list as OPML, for a feed reader or another radar."""
    text = render_opml(load_feeds(feeds_path))
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.")
    else:
        click.echo(text, nl=False)


# --- trends -----------------------------------------------------------------------------


def parse_as_of(value: str | None) -> datetime:
    """'2024-06-27' (end of that day, UTC) or a full ISO time; default: now."""
    if value is None:
        return datetime.now(UTC).replace(microsecond=0)
    moment = parse_iso_utc(value)
    if moment is None:
        raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)", param_hint="--as-of")
    if len(value.strip()) == 10:
        moment += timedelta(hours=23, minutes=59, seconds=59)
    return moment


def as_of_option(command: Callable) -> Callable:
    return click.option("--as-of", "as_of", metavar="DATE",
                        help="Analyse as if it were this date (YYYY-MM-DD); default: now.")(command)


@cli.command()
@db_option
@feeds_option
@as_of_option
@click.option("--window", type=click.IntRange(min=8), metavar="DAYS",
              help="Days of history to analyse (default: settings.window_days, 90).")
@reports_errors
def analyze(db_path: Path, feeds_path: Path, as_of: str | None, window: int | None) -> None:
    """Cluster recent articles into trends, score what is emerging, and store the result.

    Only articles published up to --as-of are read, so history can be replayed. Trends
    keep their ids (and your decisions) from one analysis to the next.
    """
    settings = load_settings(feeds_path)
    store = Store(db_path)
    try:
        result = run_analysis(store, settings, as_of=parse_as_of(as_of), window_days=window)
    finally:
        store.close()
    counts = {status: sum(t.status == status for t in result.trends)
              for status in ("emerging", "rising", "steady", "fading")}
    click.echo(f"Analysed {result.stories} stories up to {iso_utc(result.as_of)} in "
               f"{result.seconds:.1f}s: {len(result.trends)} trends ("
               + ", ".join(f"{n} {status}" for status, n in counts.items()) + ").")


@cli.command()
@db_option
@feeds_option
@as_of_option
@click.option("--status", type=click.Choice(["emerging", "rising", "steady", "fading",
                                              "dormant"]), help="Only trends with this status.")
@click.option("--limit", type=click.IntRange(min=1), default=30, show_default=True,
              help="Rows in the table (JSON always lists every trend).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@reports_errors
def trends(db_path: Path, feeds_path: Path, as_of: str | None, status: str | None,
           limit: int, as_json: bool) -> None:
    """List trends, highest score first, from the last analysis.

    With --as-of, analyses that date first (and stores it, like `radar analyze`).
    """
    store = Store(db_path)
    try:
        if as_of is not None:
            run_analysis(store, load_settings(feeds_path), as_of=parse_as_of(as_of))
        last = store.last_analysis()
        if last is None:
            raise RadarError("no analysis yet: run `radar analyze` first")
        listed = [t for t in store.load_trends() if status is None or t["status"] == status]
        if as_json:
            payload = {"as_of": last["as_of"], "trends": [
                trend_json(t, store.load_trend_articles(t["id"])) for t in listed]}
            click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
            return
    finally:
        store.close()
    click.echo(f"Trends as of {last['as_of']} ({len(listed)} shown of this analysis)")
    click.echo(tabulate(
        [(t["id"], t["label"][:38], t["status"], f"{t['score']:.1f}", t["quadrant"][:26],
          t["ring"] or f"({t['suggested_ring']})", t["article_count"], t["source_count"])
         for t in listed[:limit]],
        headers=["id", "label", "status", "score", "quadrant", "ring", "articles", "sources"]))


def trend_json(trend: dict, articles: list[dict]) -> dict:
    keys = ("id", "label", "keywords", "entities", "quadrant", "ring", "suggested_ring",
            "status", "score", "article_count", "source_count", "first_seen", "last_seen",
            "weekly_counts", "aliases", "why", "quadrant_reason", "parent_id")
    return {**{key: trend[key] for key in keys},
            "articles": [{key: a[key] for key in ("title", "link", "source", "published")}
                         for a in articles]}


def _now() -> str:
    return iso_utc(datetime.now(UTC))


@cli.command()
@db_option
@feeds_option
@click.argument("trend_id")
@click.argument("ring")
@click.option("--note", required=True, help="Why: the rationale people will read later.")
@click.option("--author", default="ciso", show_default=True, help="Who decided.")
@reports_errors
def tag(db_path: Path, feeds_path: Path, trend_id: str, ring: str, note: str,
        author: str) -> None:
    """Decide a trend's ring (e.g. adopt, assess, hold) with a rationale.

    Decisions are kept in an append-only history and survive every re-analysis.
    """
    rings = load_settings(feeds_path).rings
    if ring not in rings:
        raise click.BadParameter(f"{ring!r} is not a ring ({', '.join(rings)})",
                                 param_hint="RING")
    if not note.strip():
        raise click.BadParameter("a rationale is required", param_hint="--note")
    store = Store(db_path)
    try:
        previous = store.record_decision(trend_id, ring, note=note.strip(), author=author,
                                         at=_now())
    finally:
        store.close()
    click.echo(f"{trend_id}: {previous or 'undecided'} -> {ring}")


@cli.command()
@db_option
@click.argument("trend_id")
@click.option("--note", default="", help="Why the decision is withdrawn.")
@click.option("--author", default="ciso", show_default=True, help="Who withdrew it.")
@reports_errors
def untag(db_path: Path, trend_id: str, note: str, author: str) -> None:
    """Withdraw a trend's decided ring (the history keeps the old decision)."""
    store = Store(db_path)
    try:
        previous = store.record_decision(trend_id, None, note=note, author=author, at=_now())
    finally:
        store.close()
    click.echo(f"{trend_id}: {previous or 'undecided'} -> undecided")


@cli.group()
def trend() -> None:
    """Look at one trend, or correct it: rename, quadrant, merge, dismiss."""


def _edit(db_path: Path, trend_id: str, action: str, new: str | None, note: str,
          author: str) -> None:
    store = Store(db_path)
    try:
        store.record_edit(trend_id, action, new, note=note, author=author, at=_now())
    finally:
        store.close()
    click.echo(f"{trend_id}: {action} recorded.")


def edit_options(command: Callable) -> Callable:
    command = click.option("--author", default="ciso", show_default=True,
                           help="Who made the change.")(command)
    command = click.option("--note", default="", help="Why.")(command)
    return db_option(command)


@trend.command("show")
@db_option
@click.argument("trend_id")
@reports_errors
def trend_show(db_path: Path, trend_id: str) -> None:
    """Show a trend's details, its decision history, lineage and its articles."""
    store = Store(db_path)
    try:
        store.get_trend(trend_id)
        shown = next(t for t in store.load_trends(include_hidden=True) if t["id"] == trend_id)
        history, lineage = store.load_history(trend_id), store.load_lineage(trend_id)
        articles = store.load_trend_articles(trend_id)
    finally:
        store.close()
    click.echo(f"{shown['id']}  {shown['label']}  [{shown['state']}, {shown['status']}, "
               f"score {shown['score']:.1f}]")
    click.echo(f"quadrant: {shown['quadrant']} ({shown['quadrant_reason']})")
    click.echo(f"ring: {shown['ring'] or 'undecided'} (suggested: {shown['suggested_ring']})")
    click.echo(f"why now: {shown['why']}")
    click.echo(f"keywords: {', '.join(shown['keywords'])}")
    click.echo(f"entities: {', '.join(shown['entities']) or '-'}")
    for entry in history:
        click.echo(f"  {entry['at']} {entry['author']}: {entry['action']} "
                   f"{entry['old'] or '-'} -> {entry['new'] or '-'} {entry['note'] or ''}")
    for event in lineage:
        click.echo(f"  {event['as_of']} {event['event']} {event['related_id'] or ''}")
    for article in articles[:20]:
        click.echo(f"  {article['published'][:10]} {article['source'][:24]:24} {article['title']}")


@trend.command("rename")
@edit_options
@click.argument("trend_id")
@click.argument("label")
@reports_errors
def trend_rename(db_path: Path, trend_id: str, label: str, note: str, author: str) -> None:
    """Give a trend a label of your own (kept across re-analysis)."""
    _edit(db_path, trend_id, "rename", label.strip(), note, author)


@trend.command("quadrant")
@edit_options
@feeds_option
@click.argument("trend_id")
@click.argument("quadrant")
@reports_errors
def trend_quadrant(db_path: Path, feeds_path: Path, trend_id: str, quadrant: str, note: str,
                   author: str) -> None:
    """Override the quadrant the engine chose for a trend."""
    names = [q.name for q in load_settings(feeds_path).quadrants]
    if quadrant not in names:
        raise click.BadParameter(f"{quadrant!r} is not a quadrant ({'; '.join(names)})",
                                 param_hint="QUADRANT")
    _edit(db_path, trend_id, "quadrant", quadrant, note, author)


@trend.command("merge")
@edit_options
@click.argument("trend_id")
@click.argument("into_id")
@reports_errors
def trend_merge(db_path: Path, trend_id: str, into_id: str, note: str, author: str) -> None:
    """Merge TREND_ID into INTO_ID: from now on its stories count for INTO_ID."""
    if trend_id == into_id:
        raise click.BadParameter("cannot merge a trend into itself", param_hint="INTO_ID")
    _edit(db_path, trend_id, "merge", into_id, note, author)


@trend.command("dismiss")
@edit_options
@click.argument("trend_id")
@reports_errors
def trend_dismiss(db_path: Path, trend_id: str, note: str, author: str) -> None:
    """Dismiss a trend as noise: hidden from lists, and it stays dismissed."""
    _edit(db_path, trend_id, "dismiss", "dismissed", note, author)


@cli.command()
@db_option
@feeds_option
@click.option("--from", "start", required=True, metavar="DATE", help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, metavar="DATE", help="Last day (YYYY-MM-DD).")
@click.option("--every", default="1d", show_default=True, metavar="DURATION",
              help="Step between analyses (e.g. 1d, 12h).")
@reports_errors
def backtest(db_path: Path, feeds_path: Path, start: str, end: str, every: str) -> None:
    """Replay analysis day by day over history: when was each trend first flagged
    emerging, and how stable were trend ids? Runs on a scratch copy; your trends and
    decisions are not touched."""
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
        step = timedelta(seconds=parse_duration(every))
    except ValueError as e:
        raise click.BadParameter(str(e)) from e
    store = Store(db_path)
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Store(Path(scratch_dir) / "backtest.db")
        try:
            result = run_backtest(store, load_settings(feeds_path), start=first, end=last,
                                  every=step, scratch=scratch,
                                  on_day=lambda day, a: click.echo(
                                      f"{day}: {len(a.trends)} trends, "
                                      f"{sum(t.status == 'emerging' for t in a.trends)} emerging",
                                      err=True))
        finally:
            scratch.close()
            store.close()
    click.echo(tabulate(
        [(day.isoformat(), rank, label[:50]) for _, (day, rank, label) in
         sorted(result.first_emerging.items(), key=lambda item: (item[1][0], item[1][1]))],
        headers=["first flagged", "rank", "trend"]))
    click.echo(f"\n{len(result.days)} analyses in {result.seconds:.0f}s; "
               f"{result.continuing} continuing topics, id churn {result.churn:.1%}")
