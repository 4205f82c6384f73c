"""The `radar` command: parses arguments, calls the library, prints. No logic of its own.

Commands are grouped by area: collecting (`collect.py`), the trend engine (`trends.py`),
sharing (`share.py`), the organisation's roadmap, stack and KEV (`org.py`), results
(`results.py`), notifications: digest, alerts, watchlists (`notify.py`), the database's
backup (`admin.py`), the server for AI assistants (`assistant.py`); options and
error handling shared by all are in `common.py`. Heavy libraries (scikit-learn,
matplotlib, plotly, streamlit) are imported only inside the commands that need them, so
`radar collect` from cron starts fast.
"""

from __future__ import annotations

import click

from radar import __version__
from radar.cli import admin, assistant, collect, notify, org, results, share, trends


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="radar")
def cli() -> None:
    """Trend Radar: collect security and IT news feeds and see trends early.

    Typical use: `radar collect` (fetch feeds.yaml into data/radar.db), `radar analyze`
    (find trends), `radar trends` (list them), `radar tag ID RING --note WHY` (decide),
    `radar feeds` (feed health), `radar import ARCHIVE` (start with history).
    """


for module in (collect, trends, share, org, results, notify, admin, assistant):
    for command in module.COMMANDS:
        cli.add_command(command)
