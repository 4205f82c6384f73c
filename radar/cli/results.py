"""The results commands: the measures of the trend watch as JSON, and the report for the
CIO built from them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from tabulate import tabulate

from radar.cli.common import db_command, period_options
from radar.store import opened

REPORT_FORMATS = {"md": "render_report_md", "html": "render_report_html",
                  "pdf": "render_report_pdf"}


def _period(start: str, end: str) -> tuple[date, date]:
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as e:
        raise click.BadParameter(f"{e} (use YYYY-MM-DD)") from e
    if first > last:
        raise click.BadParameter("--from must not be after --to")
    return first, last


@db_command()
@period_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a summary.")
def metrics(db_path: Path, start: str, end: str, as_json: bool) -> None:
    """The measures of a period as JSON: lead times, decisions, backlog, roadmap, exposure
    and coverage (the numbers `radar report` is built from)."""
    from radar.results import measure

    first, last = _period(start, end)
    with opened(db_path) as store:
        results = measure(store, start=first, end=last)
    if as_json:
        click.echo(json.dumps(results.to_json(), indent=2, ensure_ascii=False, default=str))
        return
    click.echo(results.summary())
    click.echo(tabulate([(lt.label[:40], lt.first_flagged, lt.peak_day, lt.lead_days)
                         for lt in results.lead_times],
                        headers=["trend", "first flagged", "coverage peak", "days early"]))


@db_command()
@period_options
@click.option("--format", "fmt", type=click.Choice(list(REPORT_FORMATS)), default="html",
              show_default=True, help="md, html (one offline page) or pdf.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="File to write.")
@click.option("--title", default="Trend watch results", show_default=True)
@click.option("--sharing", default="TLP:AMBER", show_default=True,
              help="Sharing label printed on the report.")
def report(db_path: Path, start: str, end: str, fmt: str, output: Path, title: str,
           sharing: str) -> None:
    """Write the report of a period for the CIO: how early we knew, what we decided and
    how fast, the roadmap and our exposure, with charts and the list behind every number."""
    from radar.results import measure
    from radar.share import report as writers

    first, last = _period(start, end)
    with opened(db_path) as store:
        results = measure(store, start=first, end=last)
    content = getattr(writers, REPORT_FORMATS[fmt])(results, title=title, sharing=sharing)
    output.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    click.echo(f"Wrote {output}: {results.summary()}")


COMMANDS = [metrics, report]
