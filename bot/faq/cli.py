"""`python -m bot faq ...`: search the FAQ, evaluate the search, and keep the entries in the database.

    python -m bot faq search "こくほやめたい" [--corpus FILE.csv] [--json]
    python -m bot faq eval QUERIES.jsonl [--corpus FILE.csv] [--json]
    python -m bot faq import FILE.csv [--only-new] [--sample | --not-sample]
    python -m bot faq export FILE.csv [--all]
    python -m bot faq unanswered [--json]

search and eval read the entries in the database, or `--corpus FILE.csv` (then no database is
needed). Imports are audited as "cli". Residents' questions are printed only on request
(`unanswered`), never logged."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.command_line import OK, REFUSED, database_session, fail, print_json
from bot.config import Settings
from bot.faq.engine.corpus import FaqEntry, load_csv_entries

EntryLoader = Callable[[], list[FaqEntry]]


def load_database_entries() -> list[FaqEntry]:
    """The FAQ entries in the database (what the bot answers from)."""
    from bot.faq import entries as faq_entries

    with database_session(read_only=True) as session:
        entries = faq_entries.load_entries(session)
    if not entries:
        fail("no FAQ entries in the database: run `python -m bot faq import content/faq/mine-faq.csv` "
             "or pass --corpus FILE.csv")
        raise SystemExit(REFUSED)
    return entries


def add_commands(commands: argparse._SubParsersAction, load_entries: EntryLoader = load_database_entries) -> None:
    """Add `faq` (search, eval, import, export, unanswered) to `python -m bot`; search and eval
    without `--corpus` search what `load_entries()` returns (the database's entries)."""
    faq = commands.add_parser("faq", help="search the FAQ, evaluate the search")
    sub = faq.add_subparsers(dest="faq_command", required=True)

    search = sub.add_parser("search", help="show the best FAQ entries for a question")
    search.add_argument("query", help="the question, as a resident would type it")
    search.add_argument("--corpus", type=Path, help="FAQ CSV to search instead of the database's entries")
    search.add_argument("--json", action="store_true", help="print one JSON object")
    search.set_defaults(run=lambda args: _search(args, load_entries))

    evaluate = sub.add_parser("eval", help="measure the search on a JSONL query set")
    evaluate.add_argument("queries", type=Path, help='JSONL lines {"query": ..., "expected": id|null}')
    evaluate.add_argument("--corpus", type=Path, help="FAQ CSV to search instead of the database's entries")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(run=lambda args: _eval(args, load_entries))

    importing = sub.add_parser("import", help="load FAQ entries from a seed or open-data CSV (upsert by id)")
    importing.add_argument("file", type=Path)
    importing.add_argument("--only-new", action="store_true",
                           help="add new ids only; leave existing entries as they are")
    sample = importing.add_mutually_exclusive_group()
    sample.add_argument("--sample", dest="sample", action="store_const", const=True,
                        help="mark the rows as sample content (default for the seed format)")
    sample.add_argument("--not-sample", dest="sample", action="store_const", const=False,
                        help="the rows are the city's own content, not sample data")
    importing.set_defaults(run=_import, sample=None)

    export = sub.add_parser("export", help="write the open-data CSV (UTF-8 with BOM, CRLF)")
    export.add_argument("file", type=Path)
    export.add_argument("--all", action="store_true", help="include unpublished entries (with a 公開 column)")
    export.set_defaults(run=_export)

    unanswered = sub.add_parser("unanswered", help="questions the bot could not answer or whose answer did not help")
    unanswered.add_argument("--json", action="store_true", help="print one JSON object")
    unanswered.set_defaults(run=_unanswered)


def _index(args: argparse.Namespace, load_entries: EntryLoader):
    from bot.faq.engine.search import FaqIndex

    return FaqIndex.build(load_csv_entries(args.corpus) if args.corpus else load_entries())


def _search(args: argparse.Namespace, load_entries: EntryLoader) -> int:
    """Print the decision and the top five entries for one question."""
    index = _index(args, load_entries)
    result = index.search(args.query)
    if args.json:
        print_json({"decision": str(result.decision),
                    "results": [{"id": hit.entry_id, "score": hit.score} for hit in result.hits]})
        return OK
    questions = {entry.id: entry.question for entry in index.entries}
    print(f"decision: {result.decision}")
    for rank, hit in enumerate(result.hits, start=1):
        print(f"{rank}. {hit.entry_id}  {hit.score:.3f}  {questions.get(hit.entry_id, '')}")
    return OK


def _eval(args: argparse.Namespace, load_entries: EntryLoader) -> int:
    """Print top-k accuracy, answer/rejection rates and latency for a query set."""
    from bot.faq.engine.evaluation import METRIC_KEYS, evaluate_index, read_queries

    metrics = evaluate_index(_index(args, load_entries), read_queries(args.queries))
    if args.json:
        print_json({key: metrics[key] for key in METRIC_KEYS})
    else:
        for key in METRIC_KEYS:
            print(f"{key:>20}: {metrics[key]}")
    return OK


def _import(args: argparse.Namespace) -> int:
    from bot import audit
    from bot.faq.opendata import ImportRefused, import_entries, read_entries

    try:
        rows = read_entries(args.file, sample=args.sample)
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"cannot read {args.file}: {exc}")
    except ImportRefused as exc:
        print(f"{args.file}: nothing imported; fix these rows first:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return REFUSED
    with database_session() as session:
        counts = import_entries(session, rows, only_new=args.only_new)
        audit.record(session, audit.CLI_ACTOR, "faq.import", target=args.file.name, added=len(counts.added),
                     updated=len(counts.updated), unchanged=len(counts.unchanged), kept=len(counts.kept))
    print(f"{args.file}: {len(counts.added)} added, {len(counts.updated)} updated, "
          f"{len(counts.unchanged)} unchanged" + (f", {len(counts.kept)} existing kept" if args.only_new else ""))
    for label, ids in (("added", counts.added), ("updated", counts.updated)):
        if ids and len(ids) <= 20:
            print(f"  {label}: {', '.join(ids)}")
    return OK


def _export(args: argparse.Namespace) -> int:
    from bot.faq import entries as faq_entries
    from bot.city_info import load_city_info
    from bot.faq.opendata import open_data_csv

    tz = ZoneInfo(Settings.from_env().timezone)
    with database_session(read_only=True) as session:
        records = faq_entries.all_records(session)
        body = open_data_csv(records, load_city_info(), tz, with_unpublished=args.all)
    args.file.write_bytes(body)
    written = sum(1 for r in records if r.published or args.all)
    print(f"{args.file}: {written} entries written (open-data CSV, UTF-8 with BOM)")
    return OK


def _unanswered(args: argparse.Namespace) -> int:
    from bot.faq.questions import open_groups

    tz = ZoneInfo(Settings.from_env().timezone)
    with database_session(read_only=True) as session:
        groups = open_groups(session)
    if args.json:
        print_json({"questions": [_group_json(group, tz) for group in groups]})
        return OK
    if not groups:
        print("no questions waiting for staff")
        return OK
    print(f"{'count':>5} {'none':>4} {'bad':>4} {'staff':>5}  last asked        question")
    for group in groups:
        entries = f"  (not helped: {', '.join(group.unhelpful_entries)})" if group.unhelpful_entries else ""
        print(f"{group.count:>5} {group.unanswered:>4} {group.unresolved:>4} {group.reported:>5}  "
              f"{_local(group.last_asked, tz):%Y-%m-%d %H:%M}  {group.question}{entries}")
    return OK


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
