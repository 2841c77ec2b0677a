"""`python -m bot ...`: database, and the commands other features add."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.faq import cli as faq_cli
from bot.notices import cli as notice_cli
from bot.staff import cli as staff_cli
from bot.classes import cli as classes_cli
from bot.line import events_cli
from bot.config import ConfigError, Settings


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot import migrate

    migrate.upgrade(Settings.from_env().database_url, args.revision)
    print("database is up to date")
    return 0


def _db_revision(args: argparse.Namespace) -> int:
    from bot import migrate

    migrate.new_revision(Settings.from_env().database_url, args.message)
    return 0


def _demo(_args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo()


def _richmenu_publish(_args: argparse.Namespace) -> int:
    from bot.line import richmenu
    from bot.line.gateway import LineGateway

    gateway = LineGateway(Settings.from_env())
    menu_id = richmenu.publish(gateway, richmenu.load_definition(), (richmenu.MENU_DIR / "main.png").read_bytes())
    print(f"rich menu published: {menu_id}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Mine City LINE account: administration")
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    upgrade = db.add_parser("upgrade", help="apply migrations")
    upgrade.add_argument("revision", nargs="?", default="heads")
    upgrade.set_defaults(run=_db_upgrade)
    revision = db.add_parser("revision", help="autogenerate a migration from the models")
    revision.add_argument("-m", "--message", required=True)
    revision.set_defaults(run=_db_revision)
    menu = commands.add_parser("richmenu", help="the rich menu under the chat").add_subparsers(dest="menu_command", required=True)
    menu.add_parser("publish", help="upload content/richmenu/main.* and make it the default").set_defaults(
        run=_richmenu_publish
    )
    commands.add_parser("demo", help="run everything locally with the LINE emulator").set_defaults(run=_demo)
    staff_cli.add_commands(commands)
    faq_cli.add_commands(commands)
    notice_cli.add_commands(commands)
    classes_cli.add_commands(commands)
    events_cli.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
