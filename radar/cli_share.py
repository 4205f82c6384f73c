"""Sharing commands: `radar snapshot create|list|diff` and `radar export`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from tabulate import tabulate

from radar.cli_common import db_option, feeds_option, reports_errors
from radar.config import load_settings
from radar.errors import NotFoundError
from radar.export_image import render_pdf, render_png
from radar.export_page import WRITERS as TEXT_WRITERS
from radar.snapshot import CHANGE_TITLES, SnapshotDiff, create_snapshot, diff, load_snapshot
from radar.store import Store
from radar.text import iso_utc


@click.group()
def snapshot() -> None:
    """Freeze the radar into dated editions and see what changed between them."""


@snapshot.command("create")
@db_option
@feeds_option
@click.option("--name", default="", help="Title of the edition (default: Radar DATE).")
@click.option("--note", default="", help="A line for the readers of this edition.")
@click.option("--sharing", default="TLP:AMBER", show_default=True,
              help="Sharing label printed on every export (e.g. TLP:CLEAR, TLP:AMBER).")
@reports_errors
def snapshot_create(db_path: Path, feeds_path: Path, name: str, note: str,
                    sharing: str) -> None:
    """Freeze the current radar: labels, rings, positions, decisions, evidence links.

    An edition never changes afterwards; its id is a hash of its content.
    """
    store = Store(db_path)
    try:
        edition, is_new = create_snapshot(store, load_settings(feeds_path), name=name,
                                          note=note, sharing=sharing,
                                          created_at=iso_utc(datetime.now(UTC)))
    finally:
        store.close()
    state = "created" if is_new else "unchanged since that edition"
    click.echo(f"{edition.id}  {edition.name}  ({len(edition.entries)} trends, {state})")


@snapshot.command("list")
@db_option
@reports_errors
def snapshot_list(db_path: Path) -> None:
    """List the editions, newest first."""
    store = Store(db_path)
    try:
        editions = store.list_snapshots()
    finally:
        store.close()
    click.echo(tabulate([(e["id"], e["created_at"], e["as_of"][:10], e["sharing"], e["name"])
                         for e in editions],
                        headers=["id", "created", "analysis", "sharing", "name"]))


def editions(store: Store, older: str | None, newer: str | None):
    """The two editions to compare: given ids, else the last two."""
    newest = load_snapshot(store, newer) if newer else load_snapshot(store)
    if newest is None:
        raise NotFoundError("no snapshot yet: run `radar snapshot create` first")
    previous = load_snapshot(store, older) if older else (
        None if newer else load_snapshot(store, offset=1))
    return previous, newest


@snapshot.command("diff")
@db_option
@click.argument("older", required=False)
@click.argument("newer", required=False)
@reports_errors
def snapshot_diff(db_path: Path, older: str | None, newer: str | None) -> None:
    """What changed from OLDER to NEWER (default: the last two editions): new trends,
    moves between rings, quadrant changes, dropped trends and decisions made."""
    store = Store(db_path)
    try:
        previous, newest = editions(store, older, newer)
    finally:
        store.close()
    print_diff(diff(previous, newest))


def print_diff(changes: SnapshotDiff) -> None:
    click.echo(f"{changes.older or '(nothing)'} -> {changes.newer}")
    for kind in CHANGE_TITLES:
        for change in changes.of_kind(kind):
            detail = f" (was {change.before})" if change.before else ""
            click.echo(f"  {kind:10} {change.entry.label}: {change.entry.ring}{detail}")
    for entry, decision in changes.decisions:
        click.echo(f"  decided    {entry.label}: {decision['old'] or 'undecided'} -> "
                   f"{decision['new'] or 'undecided'} ({decision['author']})")
    if not changes.changes and not changes.decisions:
        click.echo("  no changes")


BINARY_WRITERS = {"png": render_png, "pdf": render_pdf}
FORMATS = (*TEXT_WRITERS, *BINARY_WRITERS)


@click.command()
@db_option
@click.option("--snapshot", "snapshot_id", help="Edition to export (default: the newest).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
              help="html page, svg/png picture, pdf brief, md brief, Build Your Own Radar "
                   "CSV/JSON, Zalando or Backstage JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="File to write.")
@click.option("--include-internal", is_flag=True,
              help="Also export decision notes marked internal.")
@reports_errors
def export(db_path: Path, snapshot_id: str | None, fmt: str, output: Path,
           include_internal: bool) -> None:
    """Write an edition in a format others can open, with what changed since the one
    before it. Internal notes are left out unless --include-internal."""
    store = Store(db_path)
    try:
        newest = load_snapshot(store, snapshot_id) if snapshot_id else load_snapshot(store)
        if newest is None:
            raise NotFoundError("no snapshot yet: run `radar snapshot create` first")
        ids = [e["id"] for e in store.list_snapshots()]
        position = ids.index(newest.id)
        previous = load_snapshot(store, ids[position + 1]) if position + 1 < len(ids) else None
    finally:
        store.close()
    changes = diff(previous, newest)
    if fmt in BINARY_WRITERS:
        content = BINARY_WRITERS[fmt](newest, changes, include_internal=include_internal)
    else:
        content = TEXT_WRITERS[fmt](newest, changes,
                                    include_internal=include_internal).encode("utf-8")
    output.write_bytes(content)
    click.echo(f"Wrote {output} ({fmt}, edition {newest.id}, {len(content)} bytes).")


COMMANDS = [snapshot, export]
