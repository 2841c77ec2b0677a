"""`faq` command line: search the FAQ and evaluate the search on a query set.

    python -m bot faq search "こくほやめたい" --json
    python -m bot faq eval queries.jsonl --json

`add_faq_commands(subparsers, load_entries)` plugs the commands into the main CLI;
this module also runs on its own: `python -m bot.faq.engine.cli faq search ...`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.faq.engine.corpus import FaqEntry, load_csv_entries
from bot.faq.engine.evaluation import METRIC_KEYS, Outcome, compute_metrics
from bot.faq.engine.search import FaqIndex

DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "content" / "faq" / "mine-faq.csv"
EntryLoader = Callable[[], list[FaqEntry]]


def load_default_entries() -> list[FaqEntry]:
    """The canonical FAQ seed shipped with the project."""
    return load_csv_entries(DEFAULT_CORPUS)


def add_faq_commands(subparsers, load_entries: EntryLoader | None = None):
    """Add the `faq` command (with `search` and `eval`) to an argparse subparsers object;
    returns the `faq` subparsers, to which other modules add their commands.

    Each subcommand sets `run` (a function of the parsed arguments returning an exit
    code), the convention of `python -m bot`.
    """
    loader = load_entries or load_default_entries
    faq = subparsers.add_parser("faq", help="search the FAQ, evaluate the search")
    commands = faq.add_subparsers(dest="faq_command", required=True)

    search = commands.add_parser("search", help="show the best FAQ entries for a question")
    search.add_argument("query", help="the question, as a resident would type it")
    search.add_argument("--corpus", type=Path, help="FAQ CSV to search instead of the default")
    search.add_argument("--json", action="store_true", help="print one JSON object")
    search.set_defaults(run=lambda args: run_search(args, loader))

    evaluate = commands.add_parser("eval", help="measure the search on a JSONL query set")
    evaluate.add_argument("queries", type=Path, help='JSONL lines {"query": ..., "expected": id|null}')
    evaluate.add_argument("--corpus", type=Path, help="FAQ CSV to search instead of the default")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(run=lambda args: run_eval(args, loader))
    return commands


def build_index(args, loader: EntryLoader) -> FaqIndex:
    entries = load_csv_entries(args.corpus) if args.corpus else loader()
    return FaqIndex.build(entries)


def run_search(args, loader: EntryLoader) -> int:
    """Print the decision and the top five entries for one question."""
    index = build_index(args, loader)
    result = index.search(args.query)
    if args.json:
        payload = {
            "decision": str(result.decision),
            "results": [{"id": hit.entry_id, "score": hit.score} for hit in result.hits],
        }
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    questions = {entry.id: entry.question for entry in index.entries}
    print(f"decision: {result.decision}")
    for rank, hit in enumerate(result.hits, start=1):
        print(f"{rank}. {hit.entry_id}  {hit.score:.3f}  {questions.get(hit.entry_id, '')}")
    return 0


def read_queries(path: Path) -> list[dict]:
    """Read a JSONL query set, skipping blank lines."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate_index(index: FaqIndex, queries: list[dict]) -> dict[str, float | int]:
    """Run every query through the index and compute the evaluation metrics."""
    outcomes = []
    for item in queries:
        started = time.perf_counter()
        result = index.search(item["query"])
        elapsed_ms = (time.perf_counter() - started) * 1000
        outcomes.append(
            Outcome(
                expected=item.get("expected"),
                decision=str(result.decision),
                ranked_ids=[hit.entry_id for hit in result.hits],
                latency_ms=elapsed_ms,
            )
        )
    return compute_metrics(outcomes)


def run_eval(args, loader: EntryLoader) -> int:
    """Print top-k accuracy, answer/rejection rates and latency for a query set."""
    index = build_index(args, loader)
    metrics = evaluate_index(index, read_queries(args.queries))
    if args.json:
        print(json.dumps({key: metrics[key] for key in METRIC_KEYS}))
    else:
        for key in METRIC_KEYS:
            print(f"{key:>20}: {metrics[key]}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the `faq` commands on their own (without the main `bot` CLI)."""
    parser = argparse.ArgumentParser(prog="python -m bot.faq.engine.cli")
    add_faq_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
