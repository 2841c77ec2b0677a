"""`python -m bot richmenu ...`: the rich menu under the chat, from the command line.

    python -m bot richmenu publish
"""

from __future__ import annotations

import argparse

from bot.command_line import OK
from bot.config import Settings


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `richmenu` on the `python -m bot` parser."""
    menu = commands.add_parser("richmenu", help="the rich menu under the chat").add_subparsers(
        dest="menu_command", required=True
    )
    menu.add_parser("publish", help="upload content/richmenu/main.* and make it the default").set_defaults(
        run=_publish
    )


def _publish(_args: argparse.Namespace) -> int:
    from bot.line import richmenu
    from bot.line.gateway import LineGateway

    gateway = LineGateway(Settings.from_env())
    menu_id = richmenu.publish(gateway, richmenu.load_definition(), (richmenu.MENU_DIR / "main.png").read_bytes())
    print(f"rich menu published: {menu_id}")
    return OK
