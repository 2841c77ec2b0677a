"""`python -m bot ...`: the database, the demo, and each feature's commands from its own package
(`bot/<feature>/cli.py`, listed in FEATURE_COMMANDS). What the commands share (a database
session, the actor, JSON, exit codes) is in `bot/command_line.py`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.classes import cli as classes_cli
from bot.command_line import CONFIG_ERROR, OK
from bot.config import ConfigError, Settings
from bot.disaster import cli as disaster_cli
from bot.faq import cli as faq_cli
from bot.jma import cli as jma_cli
from bot.line import cli as line_cli
from bot.notices import cli as notices_cli
from bot.procedures import cli as procedures_cli
from bot.retention import cli as retention_cli
from bot.shelters import cli as shelters_cli
from bot.staff import cli as staff_cli

FEATURE_COMMANDS = (
    line_cli,  # richmenu, events
    staff_cli,  # staff, apitoken
    faq_cli,  # faq
    notices_cli,  # notice, mail
    classes_cli,  # classes
    procedures_cli,  # procedures, city
    disaster_cli,  # disaster
    jma_cli,  # jma
    retention_cli,  # retention, residents
    shelters_cli,  # shelters
)


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot import migrate

    migrate.upgrade(Settings.from_env().database_url, args.revision)
    print("database is up to date")
    return OK


def _db_revision(args: argparse.Namespace) -> int:
    from bot import migrate

    migrate.new_revision(Settings.from_env().database_url, args.message)
    return OK


def _db_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot import backup

    backup.backup(Settings.from_env().database_url, Path(args.file))
    print(f"backup written to {args.file}")
    return OK


def _demo(_args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo()


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
    backup = db.add_parser("backup", help="a consistent copy of the database (SQLite file or pg_dump custom format)")
    backup.add_argument("file")
    backup.set_defaults(run=_db_backup)
    commands.add_parser("demo", help="run everything locally with the LINE emulator").set_defaults(run=_demo)
    for feature in FEATURE_COMMANDS:
        feature.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or OK)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return CONFIG_ERROR
