"""`radar import`: an archive of items into the database, to start with history.

Apart from the collector's commands so that importing loads neither the HTTP client
nor feedparser: an import of a large archive is timed with its start-up.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from radar.archive import ImportReport, read_archive
from radar.cli.common import EXIT_FAILED, db_command
from radar.dedup import update_duplicate_groups
from radar.store import opened
from radar.text import plural


@db_command(name="import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def import_(db_path: Path, path: Path) -> None:
    """Load an archive of items (JSON Lines, .gz or plain) to start with history.

    Each line is an object with title, link, published, summary, source, site, feed_url
    (other keys are ignored). Bad lines are reported by number and skipped, and every
    other line is stored; importing the same file again adds nothing. Exits 0 when every
    line was stored, 1 when any line was skipped (or the file cannot be read).
    """
    report = ImportReport()
    started = time.monotonic()
    with opened(db_path) as store, cycles_uncollected():
        new = store.save_articles(read_archive(path, report))
        grouped = update_duplicate_groups(store)
        totals = store.duplicate_stats()
    click.echo(f"Read {plural(report.lines, 'line')}: {plural(report.parsed, 'item')}, "
               f"{new} new, {report.parsed - new} already stored, "
               f"{plural(report.error_count, 'bad line')} "
               f"({time.monotonic() - started:.1f}s).")
    click.echo(f"The database holds {plural(totals['articles'], 'article')} telling "
               f"{plural(totals['stories'], 'distinct story', 'distinct stories')} "
               f"({totals['multi_site_stories']} told by several sites; "
               f"{plural(grouped, 'article')} checked for near-duplicates now).")
    for line, message in report.errors[:20]:
        click.secho(f"  {path}:{line}: {message}", fg="yellow", err=True)
    if report.error_count > 20:
        click.secho(f"  … and {report.error_count - 20} more bad lines", fg="yellow", err=True)
    if report.error_count:   # the good lines are stored; the exit code says some were not
        sys.exit(EXIT_FAILED)


@contextmanager
def cycles_uncollected() -> Iterator[None]:
    """Python's cycle collector paused for a block (and the parsing processes it starts).

    An import makes hundreds of thousands of records, word sets and rows that hold no
    cycles: the collector would only scan them again and again as they pile up, a tenth
    of the parsing and grouping time. What the block leaves is collected after it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


COMMANDS = [import_]
