"""`python -m bot jma poll [--json]`: one pass over JMA's feeds, as the scheduler runs it.

    python -m bot jma poll --json   ->  {"feeds": N, "telegrams_fetched": N, "notices": [ids]}
"""

from __future__ import annotations

import argparse

from bot.command_line import OK, REFUSED, print_json
from bot.config import Settings


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `jma` on the `python -m bot` parser."""
    jma = commands.add_parser("jma", help="automatic alerts from JMA (気象庁防災情報XML)")
    sub = jma.add_subparsers(dest="jma_command", required=True)
    poll = sub.add_parser("poll", help="read JMA's feeds once and make the notices they call for")
    poll.add_argument("--json", action="store_true", help='print {"feeds", "telegrams_fetched", "notices"}')
    poll.set_defaults(run=_poll)


def _poll(args: argparse.Namespace) -> int:
    from bot.db import Database
    from bot.jma.poll import poll
    from bot.line.gateway import LineGateway

    settings = Settings.from_env()
    database, gateway = Database(settings.database_url), LineGateway(settings)
    try:
        result = poll(database, settings, gateway)
    finally:
        gateway.close()
        database.dispose()
    if args.json:
        print_json(result.as_json())
    else:
        print(f"{result.feeds} feeds read, {result.telegrams_fetched} telegrams fetched, "
              f"notices: {', '.join(map(str, result.notices)) or 'none'}")
    return OK if result.feeds or not settings.jma_feeds else REFUSED
