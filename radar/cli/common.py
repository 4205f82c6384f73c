"""Options and error handling shared by every `radar` command."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path

import click

from radar.errors import ConfigError, RadarError

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


def file_option(flag: str, dest: str, *, default: str, envvar: str, what: str
                ) -> Callable[[Callable], Callable]:
    """An option naming a file, with a default and an environment variable."""
    return click.option(flag, dest, type=click.Path(dir_okay=False, path_type=Path),
                        default=Path(default), envvar=envvar, show_default=True,
                        help=f"{what} (env: {envvar}).")


db_option = file_option("--db", "db_path", default="data/radar.db", envvar="RADAR_DB",
                        what="SQLite database file")
feeds_option = file_option("--feeds", "feeds_path", default="feeds.yaml",
                           envvar="RADAR_FEEDS", what="Feed list")
channels_option = file_option("--channels", "channels_path", default="channels.yaml",
                              envvar="RADAR_CHANNELS",
                              what="Named notification channels (Apprise URLs), kept out of git")


def period_options(command: Callable) -> Callable:
    """--from and --to: the first and last day of a period (YYYY-MM-DD), both required."""
    command = click.option("--to", "end", required=True, metavar="DATE",
                           help="Last day (YYYY-MM-DD).")(command)
    return click.option("--from", "start", required=True, metavar="DATE",
                        help="First day (YYYY-MM-DD).")(command)


output_option = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                             help="Write to this file instead of standard output.")


def write_or_echo(text: str, output: Path | None) -> None:
    """A listing to a file when one is named, else to standard output."""
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.")
    else:
        click.echo(text, nl=False)


def db_command(group: click.Group | None = None, name: str | None = None
               ) -> Callable[[Callable], click.Command]:
    """A command on the database (of `group`, else a top-level one): its --db option
    first, and library errors as one line and an exit code (`reports_errors`)."""
    make = group.command if group else click.command
    return lambda function: make(name)(db_option(reports_errors(function)))


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
