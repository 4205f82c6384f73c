"""The `radar` command: parses arguments, calls the library, prints. No logic of its own.

Commands are grouped by area: collecting (`collect.py`), importing an archive
(`archive.py`), the trend engine (`trends.py`), sharing (`share.py`), the organisation's
roadmap, stack and KEV (`org.py`), results (`results.py`), notifications: digest, alerts,
watchlists (`notify.py`), the database's backup (`admin.py`), the server for AI assistants
(`assistant.py`); options and error handling shared by all are in `common.py`. Heavy
libraries (scikit-learn, matplotlib, plotly, streamlit) are imported only inside the
commands that need them, so `radar collect` from cron starts fast; and a command's module
is only loaded when that command runs (`AREAS`), so `radar export` loads neither the
collector nor the engine.
"""

from __future__ import annotations

import importlib

import click

from radar import __version__

# Every command and the module (radar/cli/MODULE.py) whose COMMANDS list holds it.
AREAS = {
    "collect": "collect", "import": "archive", "feeds": "collect",
    "analyze": "trends", "trends": "trends", "tag": "trends", "untag": "trends",
    "trend": "trends", "backtest": "trends",
    "snapshot": "share", "export": "share",
    "roadmap": "org", "stack": "org", "kev": "org", "link": "org",
    "metrics": "results", "report": "results",
    "digest": "notify", "notify": "notify", "watch": "notify",
    "mcp": "assistant",
    "backup": "admin",
}


class AreaGroup(click.Group):
    """The `radar` group, loading a command's module only when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(AREAS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in AREAS:
            return None
        module = importlib.import_module(f"radar.cli.{AREAS[cmd_name]}")
        return next(command for command in module.COMMANDS if command.name == cmd_name)


@click.group(cls=AreaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="radar")
def cli() -> None:
    """Trend Radar: collect security and IT news feeds and see trends early.

    Typical use: `radar collect` (fetch feeds.yaml into data/radar.db), `radar analyze`
    (find trends), `radar trends` (list them), `radar tag ID RING --note WHY` (decide),
    `radar feeds` (feed health), `radar import ARCHIVE` (start with history).
    """
