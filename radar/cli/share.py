"""Sharing commands: `radar snapshot create|list|diff` and `radar export`."""

from __future__ import annotations

from pathlib import Path

import click

from radar.cli.common import db_command, feeds_option
from radar.config import load_settings
from radar.share.editions import create_edition, edition_with_changes, editions_to_compare
from radar.share.formats import BY_ID, FORMATS
from radar.share.snapshot import (
    CHANGE_TITLES,
    SnapshotDiff,
    changes_summary,
    decision_line,
    diff,
)
from radar.store import opened
from radar.text import now_iso, plural


@click.group()
def snapshot() -> None:
    """Freeze the radar into dated editions and see what changed between them."""


@db_command(snapshot, "create")
@feeds_option
@click.option("--name", default="", help="Title of the edition (default: Radar DATE).")
@click.option("--note", default="", help="A line for the readers of this edition.")
@click.option("--sharing", default="TLP:AMBER", show_default=True,
              help="Sharing label printed on every export (e.g. TLP:CLEAR, TLP:AMBER).")
def snapshot_create(db_path: Path, feeds_path: Path, name: str, note: str,
                    sharing: str) -> None:
    """Freeze the current radar: labels, rings, positions, decisions, evidence links.

    An edition never changes afterwards; its id is a hash of its content.
    """
    with opened(db_path) as store:
        edition, is_new = create_edition(store, load_settings(feeds_path), name=name,
                                         note=note, sharing=sharing,
                                         created_at=now_iso())
    state = "created" if is_new else "unchanged since that edition"
    click.echo(f"{edition.id}  {edition.name}  ({plural(len(edition.entries), 'trend')}, {state})")


@db_command(snapshot, "list")
def snapshot_list(db_path: Path) -> None:
    """List the editions, newest first."""
    from tabulate import tabulate  # here: exports need not load it

    with opened(db_path) as store:
        editions = store.list_snapshots()
    click.echo(tabulate([(e["id"], e["created_at"], e["as_of"][:10], e["sharing"], e["name"])
                         for e in editions],
                        headers=["id", "created", "analysis", "sharing", "name"]))


@db_command(snapshot, "diff")
@click.argument("older", required=False)
@click.argument("newer", required=False)
def snapshot_diff(db_path: Path, older: str | None, newer: str | None) -> None:
    """What changed from OLDER to NEWER (default: the last two editions): new trends,
    moves between rings, quadrant changes, dropped trends and decisions made."""
    with opened(db_path) as store:
        previous, newest = editions_to_compare(store, older, newer)
    print_diff(diff(previous, newest))


def print_diff(changes: SnapshotDiff) -> None:
    click.echo(f"{changes.older or '(nothing)'} -> {changes.newer}")
    for kind in CHANGE_TITLES:
        for change in changes.of_kind(kind):
            detail = f" (was {change.before})" if change.before else ""
            click.echo(f"  {kind:10} {change.entry.label}: {change.entry.ring}{detail}")
    for entry, decision in changes.decisions:
        click.echo(f"  decided    {decision_line(entry, decision)}")
    if not changes.changes and not changes.decisions:
        click.echo(f"  {changes_summary(changes)}")


@db_command()
@click.option("--snapshot", "snapshot_id", help="Edition to export (default: the newest).")
@click.option("--format", "fmt", type=click.Choice([f.id for f in FORMATS]), required=True,
              help="; ".join(f"{f.id}: {f.label}" for f in FORMATS) + ".")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="File to write (a folder for aoe).")
@click.option("--include-internal", is_flag=True,
              help="Also export decision notes marked internal.")
@click.option("--byor-defaults", is_flag=True,
              help="byor-csv/byor-json: use BYOR's default quadrant and ring names (ours "
                   "mapped onto them by position), for its hosted site or stock image.")
def export(db_path: Path, snapshot_id: str | None, fmt: str, output: Path,
           include_internal: bool, byor_defaults: bool) -> None:
    """Write an edition in a format others can open, with what changed since the one
    before it. Internal notes are left out unless --include-internal."""
    chosen = BY_ID[fmt]
    options = {"byor_defaults": True} if byor_defaults else {}
    if byor_defaults and "byor_defaults" not in chosen.options:
        raise click.BadParameter("applies to byor-csv and byor-json only",
                                 param_hint="--byor-defaults")
    if output.is_dir() != chosen.folder and (output.exists() or not chosen.folder):
        raise click.BadParameter(f"{output} must be {'a folder' if chosen.folder else 'a file'}"
                                 f" for {fmt}", param_hint="-o")
    with opened(db_path) as store:
        edition, changes = edition_with_changes(store, snapshot_id)
    if chosen.folder:
        files = chosen.render_files(edition, changes, include_internal=include_internal)
        for path, content in files.items():
            (output / path).parent.mkdir(parents=True, exist_ok=True)
            (output / path).write_bytes(content)
        click.echo(f"Wrote {output}/ ({fmt}, edition {edition.id}, {len(files)} files).")
    else:
        content = chosen.render(edition, changes, include_internal=include_internal,
                                **options)
        output.write_bytes(content)
        click.echo(f"Wrote {output} ({fmt}, edition {edition.id}, {len(content)} bytes).")
    if advice := chosen.advice_for(edition, **options):
        click.echo(advice)


COMMANDS = [snapshot, export]
