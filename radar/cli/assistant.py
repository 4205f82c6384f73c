"""`radar mcp`: the radar for AI assistants, as a Model Context Protocol server. The SDK
is imported inside the command, so other commands never load it."""

from __future__ import annotations

from pathlib import Path

import click

from radar.cli.common import db_command, feeds_option
from radar.config import load_settings
from radar.store import opened
from radar.text import safe_link


@db_command(name="mcp")
@feeds_option
@click.option("--http", "http_port", type=click.IntRange(1, 65535), metavar="PORT",
              help="Serve streamable HTTP on 127.0.0.1:PORT (at /mcp) instead of "
                   "standard input and output.")
@click.option("--app-url", envvar="RADAR_APP_URL", metavar="URL",
              help="The app's address (e.g. http://radar.internal:8501), so answers link "
                   "each trend in the app (env: RADAR_APP_URL).")
@click.option("--allow-decisions", is_flag=True,
              help="Add the `tag` tool: the assistant may decide rings (needs --author).")
@click.option("--author", metavar="EMAIL", help="Whose name the assistant's decisions bear.")
def mcp(db_path: Path, feeds_path: Path, http_port: int | None, app_url: str | None,
        allow_decisions: bool, author: str | None) -> None:
    """Let an AI assistant ask the radar (Model Context Protocol): the radar, a trend,
    search, what is emerging, the roadmap, exploited flaws to act on now, editions and
    what changed, the results. Read-only unless --allow-decisions --author EMAIL."""
    if allow_decisions and not (author or "").strip():
        raise click.BadParameter("say whose decisions they are", param_hint="--author")
    if author and not allow_decisions:
        raise click.BadParameter("only with --allow-decisions", param_hint="--author")
    if app_url and not safe_link(app_url):
        raise click.BadParameter(f"{app_url!r} is not an http(s) address", param_hint="--app-url")
    settings = load_settings(feeds_path)
    with opened(db_path):   # a missing or foreign file is reported now, not at each call
        pass
    from radar.assistant import build_server, serve

    server = build_server(db_path, settings, app_url=app_url,
                          decisions_by=author.strip() if allow_decisions else None)
    serve(server, http_port=http_port)


COMMANDS = [mcp]
