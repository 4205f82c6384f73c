"""The organisation's commands: the CIO's roadmap, our stack, CISA's KEV catalog, and
confirming or rejecting the links between trends and them."""

from __future__ import annotations

import json
from pathlib import Path

import click
from tabulate import tabulate

from radar.cli.common import db_command, feeds_option, output_option, write_or_echo
from radar.config import load_settings
from radar.errors import ImportFileError
from radar.flaws import exposure, flaws_line, load_flaws, open_flaws
from radar.links import update_links
from radar.models import CONFIRMED, INITIATIVE, KEV_MARKS, REJECTED, STACK, KevMark
from radar.org import (
    check_kev_update,
    make_initiative,
    read_initiatives_csv,
    read_kev,
    read_stack_file,
    render_initiatives_csv,
    render_stack_csv,
)
from radar.store import opened
from radar.text import now_iso, plural


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise ImportFileError(f"{path}: cannot read ({e})") from e


def _in_file(path: Path, error: ImportFileError) -> ImportFileError:
    return ImportFileError(f"{path}: {error}; nothing was imported")


# --- the roadmap -----------------------------------------------------------------------------


@click.group()
def roadmap() -> None:
    """The CIO's initiatives, which the radar ties trends to."""


@db_command(roadmap, "add")
@feeds_option
@click.argument("name")
@click.option("--owner", default="", help="Who leads it.")
@click.option("--target", default="", help="Target quarter (2026-Q3) or date.")
@click.option("--description", default="", help="One or two sentences.")
@click.option("--keywords", default="", help="Words its news would use, separated by ';'.")
def roadmap_add(db_path: Path, feeds_path: Path, name: str, owner: str, target: str,
                description: str, keywords: str) -> None:
    """Add (or update, by name) an initiative."""
    try:
        initiative = make_initiative(name, owner=owner, target=target, description=description,
                                     keywords=keywords.split(";"))
    except ValueError as e:
        raise click.BadParameter(str(e)) from e
    with opened(db_path) as store:
        store.save_initiatives([initiative])
        update_links(store, load_settings(feeds_path))
    click.echo(f"Saved initiative {initiative.id}: {initiative.name}.")


@db_command(roadmap, "list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--archived", is_flag=True, help="Include archived initiatives.")
def roadmap_list(db_path: Path, as_json: bool, archived: bool) -> None:
    """The initiatives, each with how many trends touch it."""
    with opened(db_path) as store:
        initiatives = store.load_initiatives(include_archived=archived)
        links = store.load_links()
    touching = {i.id: sum(any(link.kind == INITIATIVE and link.target_id == i.id
                              and link.state != REJECTED for link in found)
                          for found in links.values()) for i in initiatives}
    if as_json:
        click.echo(json.dumps([{**i.__dict__, "keywords": list(i.keywords),
                                "trends": touching[i.id]} for i in initiatives], indent=2))
        return
    click.echo(tabulate([(i.id, i.name[:40], i.owner, i.target, "; ".join(i.keywords)[:40],
                          touching[i.id]) for i in initiatives],
                        headers=["id", "initiative", "owner", "target", "keywords", "trends"]))


@db_command(roadmap, "import")
@feeds_option
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def roadmap_import(db_path: Path, feeds_path: Path, path: Path) -> None:
    """Add or update initiatives from a CSV: name,owner,target,description,keywords."""
    try:
        initiatives = read_initiatives_csv(_read(path))
    except ImportFileError as e:
        raise _in_file(path, e) from e
    with opened(db_path) as store:
        store.save_initiatives(initiatives)
        update_links(store, load_settings(feeds_path))
    click.echo(f"Imported {plural(len(initiatives), 'initiative')} from {path}.")


@db_command(roadmap, "export")
@output_option
def roadmap_export(db_path: Path, output: Path | None) -> None:
    """Write the initiatives as CSV (the format `roadmap import` reads)."""
    with opened(db_path) as store:
        write_or_echo(render_initiatives_csv(store.load_initiatives()), output)


@db_command(roadmap, "archive")
@feeds_option
@click.argument("initiative_id")
@click.option("--restore", is_flag=True, help="Bring an archived initiative back.")
def roadmap_archive(db_path: Path, feeds_path: Path, initiative_id: str, restore: bool) -> None:
    """Archive a finished initiative (its links go; its history stays)."""
    with opened(db_path) as store:
        store.archive_initiative(initiative_id, archived=not restore)
        update_links(store, load_settings(feeds_path))
    click.echo(f"{initiative_id}: {'restored' if restore else 'archived'}.")


# --- our stack -------------------------------------------------------------------------------


@click.group()
def stack() -> None:
    """The products we run, which the radar ties trends and exploited flaws to."""


@db_command(stack, "import")
@feeds_option
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", "replace_all", is_flag=True,
              help="Make the file the whole stack (default: add and update).")
def stack_import(db_path: Path, feeds_path: Path, path: Path, replace_all: bool) -> None:
    """Import products from a CSV (vendor,product,version,owner) or a CycloneDX JSON SBOM."""
    text = _read(path)
    try:
        items = read_stack_file(text)
    except ImportFileError as e:
        raise _in_file(path, e) from e
    with opened(db_path) as store:
        store.save_stack(items, replace_all=replace_all)
        update_links(store, load_settings(feeds_path))
    click.echo(f"Imported {plural(len(items), 'stack item')} from {path}.")


@db_command(stack, "list")
def stack_list(db_path: Path) -> None:
    """The stack, each item with the KEV entries that hit it."""
    with opened(db_path) as store:
        items = store.load_stack()
        flaws = open_flaws(exposure(store.load_kev(), items, store.load_kev_marks()))
    click.echo(tabulate([(i.id, i.vendor, i.product, i.version, i.owner,
                          sum(i in flaw.items for flaw in flaws)) for i in items],
                        headers=["id", "vendor", "product", "version", "owner", "KEV"]))


@db_command(stack, "export")
@output_option
def stack_export(db_path: Path, output: Path | None) -> None:
    """Write the stack as CSV (the format `stack import` reads)."""
    with opened(db_path) as store:
        write_or_echo(render_stack_csv(store.load_stack()), output)


# --- CISA's Known Exploited Vulnerabilities ----------------------------------------------------


@click.group()
def kev() -> None:
    """CISA's catalog of Known Exploited Vulnerabilities."""


@db_command(kev, "update")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path),
              help="Load a saved copy instead of fetching (offline).")
@click.option("--url", default=None, help="Fetch from this address instead of CISA's.")
@click.option("--force", is_flag=True,
              help="Replace the stored catalog even when the new one drops more than half "
                   "of its entries.")
@feeds_option
def kev_update(db_path: Path, path: Path | None, url: str | None, force: bool,
               feeds_path: Path) -> None:
    """Fetch the catalog (conditional GET: unchanged costs nothing) and tie it to trends.

    A catalog that would remove more than half of the stored entries (an empty or cut
    download) is refused unless --force.
    """
    from radar.collect import KEV_URL, FetchOptions, fetch_document

    options = FetchOptions(allow_private_networks=load_settings(feeds_path)
                           .allow_private_networks)
    with opened(db_path) as store:
        if path:
            try:
                entries, document = read_kev(_read(path)), None
            except ImportFileError as e:
                raise _in_file(path, e) from e
        else:
            fetched = fetch_document("kev", url or KEV_URL, store.load_document_state("kev"),
                                     options=options)
            if fetched.body is None:
                store.save_document_state(fetched.state)
                click.echo(f"KEV catalog not modified (HTTP {fetched.status}); "
                           f"{plural(len(store.load_kev()), 'entry', 'entries')} stored.")
                return
            try:
                entries, document = read_kev(fetched.body), fetched.state
            except ImportFileError as e:
                raise ImportFileError(f"{url or KEV_URL}: {e}; nothing was changed") from e
        check_kev_update(entries, len(store.load_kev()), force=force)
        new = store.save_kev(entries, document=document)
        update_links(store, load_settings(feeds_path))
        flaws = load_flaws(store)
    click.echo(f"KEV catalog: {plural(len(entries), 'entry', 'entries')} ({new} new). "
               f"{_flaws_summary(flaws)}.")


def _flaws_summary(flaws: list) -> str:
    return flaws_line(flaws, now_iso()[:10])


@db_command(kev, "list")
def kev_list(db_path: Path) -> None:
    """The exploited flaws in products we run (one line per CVE), open ones first, then
    the ones marked patched, mitigated or not affected, with who, when and why."""
    with opened(db_path) as store:
        flaws = load_flaws(store)
    today = now_iso()[:10]
    rows = [(f.entry.cve, f.products, f.entry.due_date, "yes" if f.past_due(today) else "",
             "open") for f in open_flaws(flaws)]
    rows += [(f.entry.cve, f"{item.vendor} {item.product}", f.entry.due_date, "",
              f"{mark.state} ({mark.author}, {mark.at[:10]}: {mark.note})")
             for f in flaws for item, mark in f.closed]
    click.echo(f"{_flaws_summary(flaws)}.")
    if rows:
        click.echo(tabulate(rows, headers=["cve", "our products", "due", "past due", "state"]))


@db_command(kev, "mark")
@click.argument("cve")
@click.argument("state", type=click.Choice(KEV_MARKS))
@click.option("--note", required=True, help="Why (the ticket, the mitigation, the check).")
@click.option("--stack", "stack_id", default="",
              help="The stack item (`radar stack list` ids); default: every one it hits.")
@click.option("--author", default="ciso", show_default=True, help="Who says so.")
def kev_mark(db_path: Path, cve: str, state: str, note: str, stack_id: str,
             author: str) -> None:
    """Mark a KEV entry in our stack patched, mitigated or not affected (or open again):
    it leaves act-now and the counts, and stays in the history (`radar kev list`)."""
    mark = KevMark(cve=cve.strip().upper(), state=state, note=note.strip(), author=author,
                   at=now_iso(), stack_id=stack_id)
    with opened(db_path) as store:
        store.record_kev_mark(mark)
        flaws = load_flaws(store)
    where = f"on stack item {stack_id}" if stack_id else "on every product of ours it hits"
    click.echo(f"{mark.cve} marked {state} {where}. {_flaws_summary(flaws)}.")


# --- people's word on links ---------------------------------------------------------------------


@db_command()
@feeds_option
@click.argument("trend_id")
@click.argument("kind", type=click.Choice([INITIATIVE, STACK]))
@click.argument("target_id")
@click.argument("verdict", type=click.Choice(["confirm", "reject"]))
@click.option("--author", default="ciso", show_default=True, help="Who says so.")
def link(db_path: Path, feeds_path: Path, trend_id: str, kind: str, target_id: str, verdict: str,
         author: str) -> None:
    """Confirm or reject that a trend touches an initiative or a stack item (kept across
    re-analysis, merges and splits)."""
    state = CONFIRMED if verdict == "confirm" else REJECTED
    with opened(db_path) as store:
        store.record_link_state(trend_id, kind, target_id, state, author=author, at=now_iso())
        update_links(store, load_settings(feeds_path))   # a confirmed link is evidence
    click.echo(f"{trend_id} -> {kind} {target_id}: {state}.")


COMMANDS = [roadmap, stack, kev, link]
