"""`python -m bot shelters ...`: load the shelters list and see their status.

    python -m bot shelters import FILE.csv [--only-new] [--sample | --not-sample]
    python -m bot shelters list [--json]

Imports are audited as "cli"."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.command_line import OK, database_session, fail, print_json


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add `shelters` (import, list) to `python -m bot`."""
    shelters = commands.add_parser("shelters", help="shelters (指定緊急避難場所 / 指定避難所) and their status")
    sub = shelters.add_subparsers(dest="shelters_command", required=True)

    importing = sub.add_parser("import", help="load shelters from an open-data CSV (upsert by ID; status kept)")
    importing.add_argument("file", type=Path)
    importing.add_argument("--only-new", action="store_true", help="add new IDs only; leave known shelters as they are")
    sample = importing.add_mutually_exclusive_group()
    sample.add_argument("--sample", dest="sample", action="store_const", const=True,
                        help="mark every row as sample content (見本)")
    sample.add_argument("--not-sample", dest="sample", action="store_const", const=False,
                        help="the rows are the city's own list, not sample data")
    importing.set_defaults(run=_import, sample=None)

    listing = sub.add_parser("list", help="every shelter with its status")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    listing.set_defaults(run=_list)


def _import(args: argparse.Namespace) -> int:
    """Check the whole file first; import it in one transaction, or print every problem."""
    from bot import audit
    from bot.db import utcnow
    from bot.shelters.opendata import ImportRefused, import_shelters, read_shelters

    try:
        rows = read_shelters(args.file, sample=args.sample)
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"cannot read {args.file}: {exc}")
    except ImportRefused as exc:
        return fail("\n  ".join([f"{args.file}: nothing imported; fix these rows first:", *exc.problems]))
    with database_session() as session:
        counts = import_shelters(session, rows, utcnow(), only_new=args.only_new)
        numbers = {"added": len(counts.added), "updated": len(counts.updated), "unchanged": len(counts.unchanged),
                   "kept": len(counts.kept)}
        audit.record(session, audit.CLI_ACTOR, "shelters.import", target=args.file.name, **numbers)
    summary = ", ".join(f"{numbers[key]} {key}" for key in ("added", "updated", "unchanged"))
    print(f"{args.file}: {summary}" + (f", {numbers['kept']} existing kept" if args.only_new else ""))
    return OK


def _list(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from bot.config import Settings
    from bot.shelters import all_shelters
    from bot.shelters.public import shelter_json

    settings = Settings.from_env()
    with database_session(read_only=True, settings=settings) as session:
        shelters = [shelter_json(s, ZoneInfo(settings.timezone)) for s in all_shelters(session)]
    if args.json:
        print_json({"shelters": shelters})
        return OK
    for shelter in shelters:
        print(f"{shelter['id']:<12} {shelter['status_label']}  {shelter['name']}")
    return OK
