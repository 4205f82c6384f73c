"""Looking after the database: a consistent backup while the radar is in use."""

from __future__ import annotations

from pathlib import Path

import click

from radar.cli.common import db_command
from radar.store import opened


@db_command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(db_path: Path, path: Path) -> None:
    """Copy the database to PATH with SQLite's online backup: consistent even while a
    collect, an analysis or the app is writing. Restore by putting the copy in its place
    (with the app and collects stopped)."""
    if path.exists():
        raise click.BadParameter(f"{path} exists: choose a new file", param_hint="PATH")
    with opened(db_path) as store:
        store.backup(path)
    with opened(path) as copy:
        ok = copy.db.execute("pragma integrity_check").fetchone()[0]
        articles = copy.count_articles()
    click.echo(f"Backed up {db_path} to {path}: {articles} articles, integrity {ok}.")


COMMANDS = [backup]
