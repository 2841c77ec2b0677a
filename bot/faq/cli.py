"""`python -m bot faq ...` on the database: search and eval read the entries in the database
(unless `--corpus FILE.csv`), and this module adds:

    python -m bot faq import FILE.csv [--only-new] [--sample | --not-sample]
    python -m bot faq export FILE.csv [--all]
    python -m bot faq unanswered [--json]

Imports are audited as "cli". Residents' questions are printed only on request (`unanswered`),
never logged."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.faq.engine.cli import add_faq_commands
from bot.faq.engine.corpus import FaqEntry


@contextmanager
def _database(read_only: bool = False) -> Iterator[Session]:
    from bot.db import Database

    database = Database(Settings.from_env().database_url)
    try:
        if read_only:
            with database.read_sessions() as session:
                yield session
        else:
            with database.transaction() as session:
                yield session
    finally:
        database.dispose()


def load_database_entries() -> list[FaqEntry]:
    """The FAQ entries in the database (what the bot answers from)."""
    from bot.faq import entries as faq_entries

    with _database(read_only=True) as session:
        entries = faq_entries.load_entries(session)
    if not entries:
        print("no FAQ entries in the database: run `python -m bot faq import content/faq/mine-faq.csv` "
              "or pass --corpus FILE.csv", file=sys.stderr)
        raise SystemExit(1)
    return entries


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add `faq` (search, eval, import, export, unanswered) to `python -m bot`."""
    faq = add_faq_commands(commands, load_entries=load_database_entries)

    importing = faq.add_parser("import", help="load FAQ entries from a seed or open-data CSV (upsert by id)")
    importing.add_argument("file", type=Path)
    importing.add_argument("--only-new", action="store_true",
                           help="add new ids only; leave existing entries as they are")
    sample = importing.add_mutually_exclusive_group()
    sample.add_argument("--sample", dest="sample", action="store_const", const=True,
                        help="mark the rows as sample content (default for the seed format)")
    sample.add_argument("--not-sample", dest="sample", action="store_const", const=False,
                        help="the rows are the city's own content, not sample data")
    importing.set_defaults(run=_import, sample=None)

    export = faq.add_parser("export", help="write the open-data CSV (UTF-8 with BOM, CRLF)")
    export.add_argument("file", type=Path)
    export.add_argument("--all", action="store_true", help="include unpublished entries (with a 公開 column)")
    export.set_defaults(run=_export)

    unanswered = faq.add_parser("unanswered", help="questions the bot could not answer or whose answer did not help")
    unanswered.add_argument("--json", action="store_true", help="print one JSON object")
    unanswered.set_defaults(run=_unanswered)


def _import(args: argparse.Namespace) -> int:
    from bot import audit
    from bot.faq.opendata import ImportRefused, import_entries, read_entries

    try:
        rows = read_entries(args.file, sample=args.sample)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 1
    except ImportRefused as exc:
        print(f"{args.file}: nothing imported; fix these rows first:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    with _database() as session:
        counts = import_entries(session, rows, only_new=args.only_new)
        audit.record(session, audit.CLI_ACTOR, "faq.import", target=args.file.name, added=len(counts.added),
                     updated=len(counts.updated), unchanged=len(counts.unchanged), kept=len(counts.kept))
    print(f"{args.file}: {len(counts.added)} added, {len(counts.updated)} updated, "
          f"{len(counts.unchanged)} unchanged" + (f", {len(counts.kept)} existing kept" if args.only_new else ""))
    for label, ids in (("added", counts.added), ("updated", counts.updated)):
        if ids and len(ids) <= 20:
            print(f"  {label}: {', '.join(ids)}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from bot.faq import entries as faq_entries
    from bot.city_info import load_city_info
    from bot.faq.opendata import open_data_csv

    tz = ZoneInfo(Settings.from_env().timezone)
    with _database(read_only=True) as session:
        records = faq_entries.all_records(session)
        body = open_data_csv(records, load_city_info(), tz, with_unpublished=args.all)
    args.file.write_bytes(body)
    written = sum(1 for r in records if r.published or args.all)
    print(f"{args.file}: {written} entries written (open-data CSV, UTF-8 with BOM)")
    return 0


def _unanswered(args: argparse.Namespace) -> int:
    from bot.faq.questions import open_groups

    tz = ZoneInfo(Settings.from_env().timezone)
    with _database(read_only=True) as session:
        groups = open_groups(session)
    if args.json:
        print(json.dumps({"questions": [_group_json(group, tz) for group in groups]}, ensure_ascii=False))
        return 0
    if not groups:
        print("no questions waiting for staff")
        return 0
    print(f"{'count':>5} {'none':>4} {'bad':>4} {'staff':>5}  last asked        question")
    for group in groups:
        entries = f"  (not helped: {', '.join(group.unhelpful_entries)})" if group.unhelpful_entries else ""
        print(f"{group.count:>5} {group.unanswered:>4} {group.unresolved:>4} {group.reported:>5}  "
              f"{_local(group.last_asked, tz):%Y-%m-%d %H:%M}  {group.question}{entries}")
    return 0


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz)


def _group_json(group, tz: ZoneInfo) -> dict:
    return {
        "question": group.question, "normalised": group.key, "count": group.count, "unanswered": group.unanswered,
        "unresolved": group.unresolved, "reported": group.reported, "unhelpful_entries": group.unhelpful_entries,
        "first_asked": _local(group.first_asked, tz).isoformat(),
        "last_asked": _local(group.last_asked, tz).isoformat(),
        "question_id": group.ask_id,
    }
