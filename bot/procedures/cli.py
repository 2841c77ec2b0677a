"""`python -m bot procedures import` and `python -m bot city import`: the content staff edit in
the console, loaded from `content/` (`--only-new` keeps what staff already have, as
`make demo` does on each start). Both are audited as "cli" (or --by)."""

from __future__ import annotations

import argparse

from sqlalchemy.orm import Session

from bot import audit
from bot.command_line import OK, actor, run_in_transaction
from bot.config import Settings
from bot.db import utcnow


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `procedures` and `city` on the `python -m bot` parser."""
    procedures = commands.add_parser("procedures", help="くらしの手続きガイド: import the content")
    sub = procedures.add_subparsers(dest="procedures_command", required=True)
    _import_parser(sub, "load content/procedures/*.yaml into the database").set_defaults(run=_import_procedures)
    city = commands.add_parser("city", help="the city's contact and class venues: import the content")
    sub = city.add_subparsers(dest="city_command", required=True)
    _import_parser(sub, "load content/city.json and content/classes/venues.json").set_defaults(run=_import_city)


def _import_parser(sub: argparse._SubParsersAction, help_text: str) -> argparse.ArgumentParser:
    parser = sub.add_parser("import", help=help_text)
    parser.add_argument("--only-new", action="store_true", help="keep rows that are already in the database")
    parser.add_argument("--by", help="your staff login name (for the audit log)")
    return parser


def _import_procedures(args: argparse.Namespace) -> int:
    from bot.procedures.content import import_content

    def work(session: Session, _settings: Settings) -> int:
        counts = import_content(session, utcnow(), only_new=args.only_new)
        audit.record(session, actor(args), "procedures.import", events=counts.events,
                     procedures=counts.procedures, online=counts.online, only_new=args.only_new)
        print(f"imported {counts.events} life events, {counts.procedures} procedures, {counts.online} online links")
        return OK

    return run_in_transaction(work)


def _import_city(args: argparse.Namespace) -> int:
    from bot.city_info import import_city_contact
    from bot.classes.venues import import_venues

    def work(session: Session, _settings: Settings) -> int:
        now = utcnow()
        contacts = import_city_contact(session, now, only_new=args.only_new)
        venues = import_venues(session, now, only_new=args.only_new)
        audit.record(session, actor(args), "city.import", contacts=contacts, venues=venues, only_new=args.only_new)
        print(f"imported {contacts} contact, {venues} venues")
        return OK

    return run_in_transaction(work)
