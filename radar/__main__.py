"""`python -m radar` runs the same CLI as the `radar` command."""

from radar.cli import cli

cli()
