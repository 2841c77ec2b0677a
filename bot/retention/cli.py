"""`python -m bot retention run [--json]` (what the daily job does, now) and
`python -m bot residents delete LINE_USER_ID [--ref 受付番号] [--json]` (a resident's request)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from bot.command_line import OK, REFUSED, actor, print_json, refused, run_in_transaction
from bot.config import Settings
from bot.db import Database


def _run(args: argparse.Namespace) -> int:
    from bot import retention

    settings = Settings.from_env()
    database = Database(settings.database_url)
    try:
        outcomes = retention.run(database, settings)
    finally:
        database.dispose()
    if args.json:
        print_json([asdict(o) | {"cutoff": o.cutoff.isoformat()} for o in outcomes])
    else:
        for o in outcomes:
            print(f"{o.rule}: {o.rows} rows older than {o.days} days" + (f" FAILED: {o.error}" if o.error else ""))
    return REFUSED if any(o.error for o in outcomes) else OK


def _delete(args: argparse.Namespace) -> int:
    from bot.retention.residents import delete_resident

    def work(session, _settings) -> int:
        deleted = delete_resident(session, args.line_user_id, actor(args), args.ref or "")
        if args.json:
            print_json(asdict(deleted) | {"total": deleted.total})
        else:
            print(f"deleted or anonymised {deleted.total} rows: " + ", ".join(f"{k} {v}" for k, v in asdict(deleted).items()))
        return OK

    return run_in_transaction(work, refusals=[((ValueError,), refused)])


def add_commands(commands: argparse._SubParsersAction) -> None:
    retention = commands.add_parser("retention", help="delete residents' data past its retention period")
    run = retention.add_subparsers(dest="retention_command", required=True).add_parser("run", help="apply every rule now")
    run.add_argument("--json", action="store_true")
    run.set_defaults(run=_run)
    residents = commands.add_parser("residents", help="one resident's data")
    delete = residents.add_subparsers(dest="residents_command", required=True).add_parser(
        "delete", help="delete everything held about one LINE user (on their request)")
    delete.add_argument("line_user_id")
    delete.add_argument("--ref", help="the request's reference (受付番号), kept in the audit log")
    delete.add_argument("--by", help="staff login name for the audit log (default: cli)")
    delete.add_argument("--json", action="store_true")
    delete.set_defaults(run=_delete)
